#!/usr/bin/env bash
# The README's first command: installs what is needed, builds quantlens and opens it on a demo.
#  - With ../shared next to the checkout: the yolov9t float16 model and its full-integer twin, side by side.
#  - Without: MediaPipe's BlazeFace face detector (float16 weights) from the npm registry, alone (a float model;
#    quantlens pairs nothing with it yet).
# Where there is no display it says so and writes the app's views as PNG screenshots instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target quantlens quantlens-cli
app=./build/release/app/quantlens
cli=./build/release/app/quantlens-cli

shared=${QUANTLENS_SHARED:-../shared}  # as the tests: set it to use another copy, or a missing one
float_model=$shared/models/yolov9t_320_float16.tflite
quant_model=$shared/models/yolov9t_320_full_integer_quant.tflite
if [ -f "$float_model" ] && [ -f "$quant_model" ]; then
  models=(--float "$float_model" --quant "$quant_model")
  echo "== yolov9t (320x320): float16 weights beside its full-integer twin"
else
  demo_model=$(bash packaging/fetch-demo-model.sh build/demo)
  models=("$demo_model")
  echo "== MediaPipe's face detector (no ../shared next to this checkout, so one float model alone)"
fi
# What the files are, in one line each.
for m in "${models[@]}"; do
  case $m in --*) continue ;; esac
  echo "   $(basename "$m"): $($cli inspect "$m" | sed -n 's/^quantization: //p') quantization," \
       "$($cli inspect "$m" | sed -n 's/^subgraph 0[^:]*: //p')"
done

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "== opening quantlens"
  exec "$app" "${models[@]}"
fi
shots=build/demo/screenshots
echo "== no display here (DISPLAY and WAYLAND_DISPLAY are unset): writing the app's views as screenshots instead"
"$app" --screenshot "$shots" "${models[@]}"
echo "screenshots of quantlens on these models are in $(cd "$shots" && pwd):"
ls -1 "$shots"/*.png | sed 's/^/   /'
