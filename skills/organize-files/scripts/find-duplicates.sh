#!/usr/bin/env bash
# find-duplicates.sh DIR... : groups of files with identical content (same size, then same SHA-256).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: find-duplicates.sh DIR..." >&2; exit 2; }
for d in "$@"; do [ -e "$d" ] || { echo "no such file or folder: $d" >&2; exit 1; }; done
# Only sizes seen more than once are hashed: fast on big folders.
find "$@" -type f -size +0 -printf '%s\t%p\n' 2>/dev/null | sort -n > "${TMPDIR:-/tmp}/dup.$$" || true
trap 'rm -f "${TMPDIR:-/tmp}/dup.$$"' EXIT
awk -F'\t' '{ n[$1]++; p[NR]=$0 } END { for (i=1;i<=NR;i++) { split(p[i], a, "\t"); if (n[a[1]]>1) print substr(p[i], length(a[1])+2) } }' "${TMPDIR:-/tmp}/dup.$$" \
  | tr '\n' '\0' | xargs -0 -r sha256sum \
  | sort | awk '{ h=substr($0,1,64); f=substr($0,67); if (h==last) { if (!shown) { print "" ; print first; shown=1 } print f } else { last=h; first=f; shown=0 } }' \
  | sed '1{/^$/d}'
