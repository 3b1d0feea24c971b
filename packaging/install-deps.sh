#!/usr/bin/env bash
# Installs what quantlens needs to build and test on Debian 12. Idempotent: packages already there are skipped,
# so the README commands and .ci/run can call it every time.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  flatbuffers-compiler libflatbuffers-dev   # the .tflite format: schema compiled by flatc at build time
  nlohmann-json3-dev                        # JSON for --json output and golden manifests
  libcli11-dev                              # command-line parsing for quantlens-cli
  libeigen3-dev                             # math in the analysis layer
  libopencv-dev                             # image decode, resize, draw
  zlib1g-dev                                # deflated label files inside models
  libpng-dev                                # evaluate: label-map PNGs read as palette indices
  libexpat1-dev                             # evaluate: Pascal VOC XML annotations
  qt6-base-dev qt6-svg-dev libqcustomplot-dev  # the GUI, its SVG export and its plots
  libgtest-dev libgmock-dev libbenchmark-dev  # tests and bench/
  clang libclang-rt-14-dev                  # libFuzzer + ASan/UBSan for the loader fuzz test
  nodejs npm                                # runs ../shared/oracle (the real TFLite runtime) in tests
  xvfb                                      # GUI screenshots
)
# Not installed: packaging/demo.sh calibrates its int8 face detector on photos of Debian's python3-skimage
# package, which packaging/fetch-demo-photos.sh downloads (apt-get download) and unpacks without its Python
# dependencies.

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node 20+ may come from elsewhere (the build machines have it); Debian's nodejs is only a fallback.
if command -v node >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
