#!/usr/bin/env bash
# usage: fetch-demo-photos.sh DIR — puts the demo's calibration photos into DIR/photos and prints that folder.
# They come from Debian's python3-skimage package (scikit-image's sample data, public domain or CC0; see
# /usr/share/doc/python3-skimage/copyright): astronaut.png (Eileen Collins, a face close-up, NASA), camera.png (the
# cameraman), coffee.png, chelsea.png (a cat) and rocket.jpg: two faces and three scenes without one, as a user's
# photos would be. The .deb is downloaded and unpacked, not installed: its Python dependencies are not needed.
# Does nothing when the photos are there.
set -euo pipefail
dir=$1
photos="$dir/photos"
names=(astronaut.png camera.png coffee.png chelsea.png rocket.jpg)
if [ ! -s "$photos/${names[-1]}" ]; then
  mkdir -p "$dir/deb" "$photos"
  if ! (cd "$dir/deb" && apt-get download python3-skimage >/dev/null 2>&1); then
    # A fresh machine may not have the package lists yet.
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    (cd "$dir/deb" && apt-get download python3-skimage >/dev/null)
  fi
  dpkg-deb -x "$(ls "$dir"/deb/python3-skimage_*.deb | head -1)" "$dir/deb/unpacked"
  for n in "${names[@]}"; do cp "$dir/deb/unpacked/usr/lib/python3/dist-packages/skimage/data/$n" "$photos/"; done
  # Their sRGB profiles make libpng warn on every read; the pixels stay as they are.
  if command -v mogrify >/dev/null 2>&1; then mogrify -strip "$photos"/*.png; fi
  rm -rf "$dir/deb"
fi
echo "$photos"
