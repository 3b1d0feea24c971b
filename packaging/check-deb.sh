#!/usr/bin/env bash
# usage: check-deb.sh BUILD_DIR — builds the .deb with cpack into a temporary directory and checks that it
# installs the programs, the desktop entry, the icon and the .tflite MIME type, and declares its library
# dependencies. Exit 0 when all are there.
set -euo pipefail
build=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/quantlens_*.deb)
contents=$(dpkg-deb -c "$deb")
status=0
for path in ./usr/bin/quantlens ./usr/bin/quantlens-cli ./usr/share/applications/quantlens.desktop \
            ./usr/share/mime/packages/quantlens.xml ./usr/share/icons/hicolor/scalable/apps/quantlens.svg; do
  if ! grep -q " $path\$" <<<"$contents"; then
    echo "missing from $(basename "$deb"): $path"
    status=1
  fi
done
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libqt6widgets6 libqcustomplot libopencv-core; do
  if ! grep -q "$lib" <<<"$depends"; then
    echo "Depends lacks $lib: $depends"
    status=1
  fi
done
[ $status -eq 0 ] && echo "$(basename "$deb"): $(wc -l <<<"$contents") entries, Depends: $depends"
exit $status
