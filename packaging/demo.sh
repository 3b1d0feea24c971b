#!/usr/bin/env bash
# Installs what is needed, builds quantlens and runs it on a demo model fetched by the install step:
# MediaPipe's BlazeFace detector (float16 weights) from the npm registry, so no ../shared is needed.
# With ../shared next to the checkout it also shows the quantization debugger and detector on real models.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target quantlens-cli
cli=./build/release/app/quantlens-cli
demo_model=$(bash packaging/fetch-demo-model.sh build/demo)

echo "== inspect: what the model holds"
$cli inspect "$demo_model"
echo
echo "== run: quantlens's own interpreter on a grey 128x128 input"
head -c $((128 * 128 * 3 * 4)) /dev/zero > build/demo/grey.bin
$cli run "$demo_model" --input build/demo/grey.bin --out build/demo/run
echo
echo "== dequantize: its float16 weights as a float32 model"
$cli dequantize "$demo_model" -o build/demo/face_detection_float32.tflite

shared=../shared
if [ -d "$shared/models" ]; then
  echo
  echo "== debug: per-layer quantization error of MobileNet v1 (uint8) on a photo"
  $cli debug --quant "$shared/models/mobilenet_v1_0.25_128_quant.tflite" --input "$shared/images/cat.bmp" \
    --csv build/demo/mobilenet_layers.csv
  echo
  echo "== detect: the classic Coral SSD on a photo"
  $cli detect "$shared/models/coco_ssd_mobilenet_v1_1.0_quant.tflite" "$shared/images/table.jpg" \
    --labels "$shared/images/coco_labels.txt"
fi
