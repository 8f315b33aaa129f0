#!/usr/bin/env bash
# which-app.sh FILE : the file's MIME type, its default application (.desktop) and that app's command.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: which-app.sh FILE" >&2; exit 2; }
f=$1
[ -e "$f" ] || { echo "no such file: $f" >&2; exit 1; }
mime=$(xdg-mime query filetype "$f" 2>/dev/null || file --brief --mime-type -- "$f")
echo "type: $mime"
desktop=$(xdg-mime query default "$mime" 2>/dev/null || true)
if [ -z "$desktop" ]; then
  echo "default app: none set (xdg-open may fall back to another handler; set one with: xdg-mime default APP.desktop $mime)"
  exit 0
fi
echo "default app: $desktop"
for d in "${XDG_DATA_HOME:-$HOME/.local/share}" ${XDG_DATA_DIRS:-/usr/local/share:/usr/share}; do
  for dir in ${d//:/ }; do
    if [ -f "$dir/applications/$desktop" ]; then
      echo "command: $(grep -m1 '^Exec=' "$dir/applications/$desktop" | cut -d= -f2-)"
      exit 0
    fi
  done
done
