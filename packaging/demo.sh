#!/usr/bin/env bash
# Installs what is needed, builds quantlens and runs it on a demo model fetched by the install step:
# MediaPipe's BlazeFace detector from the npm registry (no ../shared needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
demo_model=$(bash packaging/fetch-demo-model.sh build/demo)
./build/release/app/quantlens-cli inspect "$demo_model"
