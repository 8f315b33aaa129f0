#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Deskpilot needs on Linux: a virtual X server and window
# manager for sandbox displays, the apps the end-to-end tests drive, clipboard tools for exact
# typing, x11vnc for the live view of sandboxes, OCR, pdftotext (OSWorld's compare_pdfs), Chromium for the UI tests, and AT-SPI (the accessibility bus, pyatspi for the system
# python3, the GTK bridges; libgail-common is only recommended by GTK2, which pcmanfm needs for its
# tree) so automations can find targets by accessibility name. Run as root (or it uses sudo).
set -euo pipefail
packages=(
  xvfb xauth x11-utils x11-xserver-utils xdotool xclip xsel openbox dbus-x11 libxtst6 x11vnc
  xterm mousepad pcmanfm chromium
  libreoffice-calc libreoffice-writer libreoffice-impress libreoffice-gtk3
  at-spi2-core python3-pyatspi gir1.2-atspi-2.0 libatk-adaptor libgail-common
  tesseract-ocr tesseract-ocr-eng imagemagick poppler-utils
  fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji
  zip unzip
)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
