// libFuzzer target: any bytes that load as a model either run once on zero inputs or raise ql::Error, within a
// small memory limit; no crash, no hang, no allocation past the limit.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "model/reader.h"
#include "runtime/interpreter.h"
#include "util/error.h"

namespace {
// Small enough that libFuzzer's -rss_limit_mb (2 GB with ASan's overhead) is never what stops a run, and that a
// valid but large workload is refused rather than timed: a DEPTHWISE_CONV_2D of 8x8 over a [1,45632,64,3] input
// (560 million multiply-adds, 2 s in a release build) took more than the 10 s limit under the sanitizers. The
// damage this target looks for shows on small tensors as well as on large ones.
constexpr size_t kMaxMemory = size_t{16} << 20;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto m = std::make_shared<const ql::Model>(ql::readModelFromBytes(ql::Bytes::copyOf(data, size), "fuzz.tflite"));
    ql::InterpreterOptions o;
    o.max_memory = kMaxMemory;
    ql::Interpreter interp(m, o);
    interp.invoke();  // inputs start zeroed
  } catch (const ql::Error&) {
  }
  return 0;
}
