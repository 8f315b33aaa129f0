#!/usr/bin/env bash
# Print spreadsheet cells: read-cells.sh [--sheet N] FILE [CELL|RANGE]  (e.g. B3 or A1:C10).
# Without a cell, the whole sheet as CSV. Values are as displayed (formulas computed).
set -euo pipefail
# soffice has no "--": a name starting with "-" gets a "./" so it is not read as an option.
arg() { case "$1" in -*) echo "./$1" ;; *) echo "$1" ;; esac; }
usage() { echo "usage: read-cells.sh [--sheet N] FILE [CELL|RANGE]   e.g. read-cells.sh budget.xlsx B3" >&2; exit 2; }
sheet=1
if [ "${1:-}" = "--sheet" ]; then [ $# -ge 2 ] || usage; sheet=$2; shift 2; fi
[ $# -ge 1 ] && [ $# -le 2 ] || usage
file=$1; range=${2:-}
[ -f "$file" ] || { echo "not a file: $file" >&2; exit 1; }
command -v soffice >/dev/null || { echo "soffice (LibreOffice) is not installed" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/lo-cells.XXXXXX")
trap 'rm -rf "$work"' EXIT
# CSV filter options: comma, double quote, UTF-8, from line 1, ..., the sheet number last (LibreOffice 7.2+).
soffice -env:UserInstallation="file://$work/profile" --headless --norestore --nologo \
  --convert-to "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,$sheet" \
  --outdir "$work" "$(arg "$file")" >/dev/null 2>"$work/err" || true
csv=$(ls "$work"/*.csv 2>/dev/null | head -n1 || true)
[ -n "$csv" ] || { echo "LibreOffice could not read $file (sheet $sheet): $(cat "$work/err")" >&2; exit 1; }
[ -n "$range" ] || { cat "$csv"; exit 0; }
col() { local s=$1 n=0 i c; for ((i=0; i<${#s}; i++)); do c=$(printf '%d' "'${s:i:1}"); n=$((n*26 + c - 64)); done; echo $n; }
parse() {
  local ref=${1^^}
  [[ $ref =~ ^([A-Z]+)([0-9]+)$ ]] || { echo "not a cell reference: $1 (use e.g. B3 or A1:C10)" >&2; exit 2; }
  echo "$(col "${BASH_REMATCH[1]}") ${BASH_REMATCH[2]}"
}
from=${range%%:*}; to=${range##*:}
read -r c1 r1 < <(parse "$from"); read -r c2 r2 < <(parse "$to")
py=/usr/bin/python3; [ -x "$py" ] || py=python3
"$py" - "$csv" "$c1" "$r1" "$c2" "$r2" <<'PY'
import csv, sys
path, c1, r1, c2, r2 = sys.argv[1], *map(int, sys.argv[2:])
rows = list(csv.reader(open(path, encoding='utf-8', newline='')))
out = csv.writer(sys.stdout, lineterminator='\n')
for r in range(min(r1, r2), max(r1, r2) + 1):
    row = rows[r - 1] if r - 1 < len(rows) else []
    vals = [row[c - 1] if c - 1 < len(row) else '' for c in range(min(c1, c2), max(c1, c2) + 1)]
    if (c1, r1) == (c2, r2): print(vals[0])
    else: out.writerow(vals)
PY
