#!/usr/bin/env bash
# usage: run_fuzz.sh SOURCE_DIR BUILD_DIR SECONDS
# Builds engine/model with clang, AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer, then fuzzes the
# model reader for SECONDS seconds seeded with ../shared/models (or a model of nothing when that is absent).
set -euo pipefail
src=$1 build=$2 seconds=$3
if ! command -v clang++ >/dev/null; then echo "SKIP: clang++ is not installed"; exit 77; fi
if ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "SKIP: libFuzzer runtime (libclang-rt-14-dev) is not installed"; exit 77
fi
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DQUANTLENS_BUILD_TESTS=OFF -DQUANTLENS_BUILD_BENCH=OFF -DQUANTLENS_FUZZ_TARGET=ON \
  -DCMAKE_CXX_FLAGS="$san -fsanitize=fuzzer-no-link" -DCMAKE_EXE_LINKER_FLAGS="$san" >/dev/null
cmake --build "$build" --target load_model_fuzzer >/dev/null
corpus="$build/corpus"; mkdir -p "$corpus"
seeds=()
shared="$src/../shared/models"
[ -d "$shared" ] && seeds+=("$shared") || echo "note: ../shared/models absent, fuzzing from an empty corpus"
# -rss_limit_mb keeps "a huge allocation" a failure; -timeout makes a hang one.
ASAN_OPTIONS=detect_leaks=1 "$build/tests/fuzz/load_model_fuzzer" "$corpus" "${seeds[@]}" \
  -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=8000000 -print_final_stats=1 2>&1 | tail -n 15
