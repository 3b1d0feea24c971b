#!/usr/bin/env bash
# Installs what is needed, builds with -Werror and runs every test. This is what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
jobs=$(nproc)
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"
# Every test runs: one that would skip for want of ../shared, node or the oracle fails instead.
export QUANTLENS_REQUIRE_SHARED=1
ctest --preset ci -j "$jobs" --timeout 1500
