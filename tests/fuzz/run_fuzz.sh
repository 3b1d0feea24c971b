#!/usr/bin/env bash
# usage: run_fuzz.sh SOURCE_DIR BUILD_DIR SECONDS [TARGET]
# Builds the engine with clang, AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer, then fuzzes TARGET
# (load_model_fuzzer, the default, or run_model_fuzzer) for SECONDS seconds seeded with ../shared/models (or a
# model of nothing when that is absent). The run target is seeded with the small models only: an execution of
# a large one takes seconds under the sanitizers, and the damage that matters is in the tables, not the weights.
set -euo pipefail
src=$1 build=$2 seconds=$3 target=${4:-load_model_fuzzer}
if ! command -v clang++ >/dev/null; then echo "SKIP: clang++ is not installed"; exit 77; fi
if ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "SKIP: libFuzzer runtime (libclang-rt-14-dev) is not installed"; exit 77
fi
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DQUANTLENS_BUILD_TESTS=OFF -DQUANTLENS_BUILD_BENCH=OFF -DQUANTLENS_FUZZ_TARGET=ON \
  -DCMAKE_CXX_FLAGS="$san -fsanitize=fuzzer-no-link" -DCMAKE_EXE_LINKER_FLAGS="$san" >/dev/null
cmake --build "$build" --target "$target" >/dev/null
corpus="$build/corpus-$target"; mkdir -p "$corpus"
seeds=()
shared="$src/../shared/models"
max_len=8000000
if [ -d "$shared" ]; then
  if [ "$target" = run_model_fuzzer ]; then
    max_len=400000
    seeds+=("$build/seeds-$target"); mkdir -p "$build/seeds-$target"
    find "$shared" -name '*.tflite' -size -300k -exec cp -f {} "$build/seeds-$target/" \;
  else
    seeds+=("$shared")
  fi
else
  echo "note: ../shared/models absent, fuzzing from an empty corpus"
fi
# -rss_limit_mb keeps "a huge allocation" a failure; -timeout makes a hang one.
# A fixed seed (QUANTLENS_FUZZ_SEED, default 1) makes the CI run try the same inputs every time, so a red CI names a
# real regression rather than a lucky draw; long runs by hand pass other seeds to explore.
ASAN_OPTIONS=detect_leaks=1 "$build/tests/fuzz/$target" "$corpus" "${seeds[@]}" \
  -seed="${QUANTLENS_FUZZ_SEED:-1}" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len="$max_len" -print_final_stats=1 2>&1 | tail -n 15
