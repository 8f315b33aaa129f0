#!/usr/bin/env bash
# Convert office files with LibreOffice headless: convert.sh FORMAT [--outdir DIR] FILE...
# Uses a private profile so it works while LibreOffice is open; prints each file written.
set -euo pipefail
# soffice has no "--": a name starting with "-" gets a "./" so it is not read as an option.
arg() { case "$1" in -*) echo "./$1" ;; *) echo "$1" ;; esac; }
usage() { echo "usage: convert.sh FORMAT [--outdir DIR] FILE... (FORMAT: pdf, docx, odt, xlsx, ods, csv, html, txt, png...)" >&2; exit 2; }
[ $# -ge 2 ] || usage
format=$1; shift
outdir=""
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --outdir) [ $# -ge 2 ] || usage; outdir=$2; shift 2 ;;
    -h|--help) usage ;;
    *) files+=("$1"); shift ;;
  esac
done
[ ${#files[@]} -gt 0 ] || usage
command -v soffice >/dev/null || { echo "soffice (LibreOffice) is not installed: install libreoffice first" >&2; exit 1; }
profile=$(mktemp -d "${TMPDIR:-/tmp}/lo-profile.XXXXXX")
trap 'rm -rf "$profile"' EXIT
status=0
for f in "${files[@]}"; do
  if [ ! -f "$f" ]; then echo "not a file: $f" >&2; status=1; continue; fi
  dir=${outdir:-$(dirname "$(arg "$f")")}
  mkdir -p -- "$dir"
  base=$(basename "$(arg "$f")"); stem=${base%.*}
  ext=${format%%:*}
  target="$dir/$stem.$ext"
  before=$(stat -c %y -- "$target" 2>/dev/null || echo 0)
  soffice -env:UserInstallation="file://$profile" --headless --norestore --nologo \
    --convert-to "$format" --outdir "$dir" "$(arg "$f")" >/dev/null 2>"$profile/err" || true
  after=$(stat -c %y -- "$target" 2>/dev/null || echo 0)
  if [ -f "$target" ] && { [ "$after" != "$before" ] || [ "$before" = 0 ]; }; then
    echo "$target"
  else
    echo "LibreOffice wrote nothing for $f (format $format): $(tr '\n' ' ' < "$profile/err")" >&2
    status=1
  fi
done
exit $status
