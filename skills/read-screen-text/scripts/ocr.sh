#!/usr/bin/env bash
# ocr.sh [--region WxH+X+Y | --window] [--words] [--lang LANG] [IMAGE]
# Text of the screen (X display $DISPLAY) or of an image file, by tesseract.
set -euo pipefail
usage() { echo "usage: ocr.sh [--region WxH+X+Y | --window] [--words] [--lang LANG] [IMAGE]" >&2; exit 2; }
region=""; window=0; words=0; lang=eng; image=""
while [ $# -gt 0 ]; do
  case "$1" in
    --region) [ $# -ge 2 ] || usage; region=$2; shift 2 ;;
    --window) window=1; shift ;;
    --words) words=1; shift ;;
    --lang) [ $# -ge 2 ] || usage; lang=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) image=$1; shift ;;
  esac
done
command -v tesseract >/dev/null || { echo "tesseract is not installed: install tesseract-ocr and tesseract-ocr-eng" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ocr.XXXXXX")
trap 'rm -rf "$work"' EXIT
offx=0; offy=0
if [ -n "$region" ]; then
  [[ $region =~ ^([0-9]+)x([0-9]+)\+([0-9]+)\+([0-9]+)$ ]] || { echo "region must be WIDTHxHEIGHT+X+Y, e.g. 600x200+100+300" >&2; exit 2; }
  offx=${BASH_REMATCH[3]}; offy=${BASH_REMATCH[4]}
fi
# ImageMagick's real tools (a stand-in convert may come first on PATH).
im() { if [ -x "/usr/bin/$1" ]; then echo "/usr/bin/$1"; else command -v "$1"; fi; }
if [ -z "$image" ]; then
  [ -n "${DISPLAY:-}" ] || { echo "no DISPLAY: give an image file, or run on the desktop" >&2; exit 1; }
  import=$(im import) || { echo "ImageMagick's import is not installed (apt install imagemagick)" >&2; exit 1; }
  target=root
  if [ $window -eq 1 ]; then
    target=$(xdotool getactivewindow 2>/dev/null) || { echo "no active window found (is xdotool installed?)" >&2; exit 1; }
    read -r offx offy < <(xdotool getwindowgeometry --shell "$target" | awk -F= '/^X=/{x=$2} /^Y=/{y=$2} END{print x, y}')
  fi
  "$import" -silent -window "$target" ${region:+-crop "$region"} "png:$work/shot.png"
  src="$work/shot.png"
else
  [ -f "$image" ] || { echo "not a file: $image" >&2; exit 1; }
  src=$image
  if [ -n "$region" ]; then convert=$(im convert); "$convert" "$image" -crop "$region" +repage "png:$work/crop.png"; src="$work/crop.png"; fi
fi
# Enlarged 2x in grey: small UI text reads much better.
scale=1
convert=$(im convert 2>/dev/null || true)
if [ -n "$convert" ] && "$convert" "$src" -colorspace Gray -resize 200% "png:$work/big.png" 2>/dev/null; then src="$work/big.png"; scale=2; fi
export OMP_THREAD_LIMIT=1
if [ $words -eq 0 ]; then
  tesseract "$src" - -l "$lang" --psm 3 2>/dev/null | sed -e 's/[[:space:]]*$//' | cat -s
else
  tesseract "$src" - -l "$lang" --psm 3 tsv 2>/dev/null | awk -F'\t' -v s=$scale -v ox="$offx" -v oy="$offy" \
    'NR>1 && $12 != "" && $12 !~ /^[[:space:]]*$/ { printf "%d %d %d %d %s\n", $7/s+ox, $8/s+oy, $9/s, $10/s, $12 }'
fi
