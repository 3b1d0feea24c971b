// How long a cancelled debug run takes to give control back: the yolov9t pair (the largest shared models) on 20
// samples, cancelled from another thread at a few points inside the second sample (between ops) and right after
// the first (between samples). Not a CI gate: `build/ci/bench/debug_cancel_latency`.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "analysis/op_matching.h"
#include "analysis/quant_debugger.h"
#include "model/reader.h"

namespace {

using Clock = std::chrono::steady_clock;

class CancelLater : public ql::CancelFlag {
 public:
  explicit CancelLater(int delay_ms) : delay_ms_(delay_ms) {}
  ~CancelLater() override {
    if (timer_.joinable()) timer_.join();
  }
  void partial(size_t done, const ql::PartialResult&) override {
    if (done != 1) return;
    timer_ = std::thread([this] {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
      at = Clock::now();
      cancel();
    });
  }
  Clock::time_point at;

 private:
  int delay_ms_;
  std::thread timer_;
};

}  // namespace

int main() {
  const char* env = std::getenv("QUANTLENS_SHARED");
  std::string shared = env && *env ? env : QL_DEFAULT_SHARED_DIR;
  std::string fpath = shared + "/models/yolov9t_320_float16.tflite";
  std::string qpath = shared + "/models/yolov9t_320_full_integer_quant.tflite";
  if (!std::filesystem::exists(fpath) || !std::filesystem::exists(qpath)) {
    std::fprintf(stderr, "the yolov9t pair is absent: nothing to measure\n");
    return 0;
  }
  auto f = std::make_shared<const ql::Model>(ql::readModel(fpath));
  auto q = std::make_shared<const ql::Model>(ql::readModel(qpath));
  ql::OpMatching matching = ql::matchOps(*f, *q);
  const ql::Tensor& ft = f->subgraphs[0].tensors[static_cast<size_t>(f->subgraphs[0].inputs[0])];
  const ql::Tensor& qt = q->subgraphs[0].tensors[static_cast<size_t>(q->subgraphs[0].inputs[0])];
  ql::SampleSource samples{20, [&](size_t i) {
                             ql::DebugSample s;
                             s.description = "grey " + std::to_string(i);
                             s.float_inputs.emplace_back(static_cast<size_t>(ql::dtypeStorageBytes(ft.type, ql::elementCount(ft.shape))), 0);
                             s.quant_inputs.emplace_back(static_cast<size_t>(ql::dtypeStorageBytes(qt.type, ql::elementCount(qt.shape))), 0);
                             return s;
                           }};
  for (int delay_ms : {0, 100, 400, 1000}) {
    CancelLater progress(delay_ms);
    auto start = Clock::now();
    bool cancelled = false;
    try {
      ql::runQuantDebugger(f, q, matching, ql::DebugMode::PerLayer, samples, progress);
    } catch (const ql::Cancelled&) {
      cancelled = true;
    }
    auto end = Clock::now();
    std::printf("cancel %4d ms into sample 2: %s, control back %.1f ms after the cancel (run %.2f s)\n", delay_ms,
                cancelled ? "cancelled" : "NOT cancelled",
                std::chrono::duration<double, std::milli>(end - progress.at).count(),
                std::chrono::duration<double>(end - start).count());
  }
  return 0;
}
