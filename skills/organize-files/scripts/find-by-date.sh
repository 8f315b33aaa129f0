#!/usr/bin/env bash
# find-by-date.sh DIR [--since DATE] [--until DATE] [--name GLOB] [--min-size N[kMG]] [--depth N]
# Lists regular files modified in the range, oldest first: "YYYY-MM-DD HH:MM  SIZE  PATH".
set -euo pipefail
usage() { echo "usage: find-by-date.sh DIR [--since DATE] [--until DATE] [--name GLOB] [--min-size N[kMG]] [--depth N]" >&2; exit 2; }
[ $# -ge 1 ] || usage
dir=$1; shift
[ -d "$dir" ] || { echo "not a folder: $dir" >&2; exit 1; }
args=()
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case "$1" in
    --since) date -d "$2" >/dev/null 2>&1 || { echo "not a date: $2" >&2; exit 2; }; args+=(-newermt "$2") ;;
    --until) date -d "$2" >/dev/null 2>&1 || { echo "not a date: $2" >&2; exit 2; }; args+=(! -newermt "$2") ;;
    --name) args+=(-iname "$2") ;;
    --min-size) args+=(-size "+$2") ;;
    --depth) depth=$2 ;;
    *) usage ;;
  esac
  shift 2
done
find "$dir" ${depth:+-maxdepth "$depth"} -type f "${args[@]}" -printf '%TY-%Tm-%Td %TH:%TM\t%s\t%p\n' 2>/dev/null \
  | sort | awk -F'\t' '{ s=$2; u="B"; if (s>=1073741824) {s=s/1073741824; u="G"} else if (s>=1048576) {s=s/1048576; u="M"} else if (s>=1024) {s=s/1024; u="K"}; printf "%s  %7.1f%s  %s\n", $1, s, u, $3 }'
