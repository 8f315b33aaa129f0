#!/usr/bin/env bash
# bulk-rename.sh DIR (--date-prefix | --replace OLD NEW | --lower) [--glob PATTERN] [--apply]
# Dry run by default: prints "old -> new". With --apply renames, refusing collisions, and writes an undo script.
set -euo pipefail
usage() { echo "usage: bulk-rename.sh DIR (--date-prefix | --replace OLD NEW | --lower) [--glob PATTERN] [--apply]" >&2; exit 2; }
[ $# -ge 2 ] || usage
dir=${1%/}; shift
[ -d "$dir" ] || { echo "not a folder: $dir" >&2; exit 1; }
mode=""; old=""; new=""; glob="*"; apply=0
while [ $# -gt 0 ]; do
  case "$1" in
    --date-prefix) mode=date; shift ;;
    --lower) mode=lower; shift ;;
    --replace) [ $# -ge 3 ] || usage; mode=replace; old=$2; new=$3; shift 3 ;;
    --glob) [ $# -ge 2 ] || usage; glob=$2; shift 2 ;;
    --apply) apply=1; shift ;;
    *) usage ;;
  esac
done
[ -n "$mode" ] || usage
[ "$mode" != replace ] || [ -n "$old" ] || { echo "--replace needs non-empty OLD text" >&2; exit 2; }
declare -A target_of=() taken=()
sources=()
shopt -s nullglob dotglob
for path in "$dir"/$glob; do
  [ -f "$path" ] && [ ! -L "$path" ] || continue
  name=${path##*/}
  case "$name" in .rename-undo-*) continue ;; esac
  case "$mode" in
    date) if [[ $name =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2} ]]; then to=$name; else to="$(date -r "$path" +%Y-%m-%d)_$name"; fi ;;
    lower) to=${name,,} ;;
    replace) to=${name//"$old"/"$new"} ;;
  esac
  [ "$to" != "$name" ] || continue
  case "$to" in */*|""|.|..) echo "refused: $name would become \"$to\", which is not a file name" >&2; exit 1 ;; esac
  sources+=("$name"); target_of[$name]=$to
done
[ ${#sources[@]} -gt 0 ] || { echo "nothing to rename in $dir (pattern $glob)"; exit 0; }
problems=0
for name in "${sources[@]}"; do
  to=${target_of[$name]}
  if [ -n "${taken[$to]:-}" ]; then echo "conflict: $name and ${taken[$to]} would both become $to" >&2; problems=1; fi
  taken[$to]=$name
  # A name already in the folder is a conflict unless that file is itself being renamed away.
  if [ -e "$dir/$to" ] && [ -z "${target_of[$to]:-}" ]; then echo "conflict: $to already exists (from $name)" >&2; problems=1; fi
done
[ $problems -eq 0 ] || { echo "nothing renamed: fix the conflicts above (e.g. narrow --glob)" >&2; exit 1; }
for name in "${sources[@]}"; do echo "$name -> ${target_of[$name]}"; done
if [ $apply -eq 0 ]; then echo "dry run: ${#sources[@]} file(s) would be renamed; add --apply to do it"; exit 0; fi
undo="$dir/.rename-undo-$(date +%Y%m%d-%H%M%S).sh"
{ echo '#!/usr/bin/env bash'; echo "# Undoes the renames of $(date). Run: bash \"$undo\""; echo "cd $(printf '%q' "$(cd "$dir" && pwd)") || exit 1"; } > "$undo"
# Two passes through temporary names, so a chain (a->b, b->c) never overwrites.
for name in "${sources[@]}"; do mv -n -- "$dir/$name" "$dir/.rename-tmp-$$-$name"; done
for name in "${sources[@]}"; do
  to=${target_of[$name]}
  mv -n -- "$dir/.rename-tmp-$$-$name" "$dir/$to"
  printf 'mv -n -- %q %q\n' "$to" "$name" >> "$undo"
done
echo "renamed ${#sources[@]} file(s); to undo: bash \"$undo\""
