#!/usr/bin/env bash
# The README's first command: installs what is needed, builds quantlens and opens it on a demo.
#  - With ../shared next to the checkout: the yolov9t float16 model and its full-integer twin, side by side.
#  - Without: MediaPipe's BlazeFace face detector (float16 weights) from the npm registry, quantized to int8 by
#    `quantlens-cli quantize` on five photos from Debian's python3-skimage package (packaging/fetch-demo-photos.sh;
#    under a second), then opened beside its int8 twin on the astronaut's face.
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
  photos=$(bash packaging/fetch-demo-photos.sh build/demo)
  int8_model=build/demo/face_detection_short_range_int8.tflite
  echo "== MediaPipe's face detector (no ../shared next to this checkout): quantizing it to int8 on $photos"
  # The detector's own preprocessing (MediaPipe's): [-1, 1], letterboxed with black.
  $cli quantize "$demo_model" --images "$photos" --resize letterbox --pad 0,0,0 -o "$int8_model"
  models=(--float "$demo_model" --quant "$int8_model" --image "$photos/astronaut.png")
fi
# What the files are, in one line each.
for m in "${models[@]}"; do
  case $m in --* | *.png | *.jpg) continue ;; esac
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
