#!/usr/bin/env bash
# usage: fetch-demo-model.sh DIR — puts face_detection_short_range.tflite (MediaPipe BlazeFace, Apache-2.0,
# from the npm package @mediapipe/face_detection) into DIR and prints its path. Does nothing when it is there.
set -euo pipefail
dir=$1
model="$dir/face_detection_short_range.tflite"
if [ ! -s "$model" ]; then
  mkdir -p "$dir/npm"
  (cd "$dir/npm" && npm pack --silent @mediapipe/face_detection@0.4.1657300184 >/dev/null 2>&1)
  tar -xzf "$dir"/npm/mediapipe-face_detection-*.tgz -C "$dir/npm"
  cp "$dir/npm/package/face_detection_short_range.tflite" "$model"
fi
echo "$model"
