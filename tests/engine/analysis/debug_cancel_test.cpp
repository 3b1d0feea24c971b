// Debug runs the UI can drive: samples are pulled one at a time, the rows so far arrive after each sample, and a
// cancel between samples or between ops gives control back promptly.
#include <chrono>
#include <thread>

#include "analysis/op_matching.h"
#include "analysis/quant_debugger.h"
#include "model/reader.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

using Clock = std::chrono::steady_clock;

struct YoloPair {
  std::shared_ptr<const Model> f, q;
  OpMatching matching;
};

YoloPair yoloPair() {
  YoloPair p;
  p.f = std::make_shared<const Model>(readModel(sharedDir() + "/models/yolov9t_320_float16.tflite"));
  p.q = std::make_shared<const Model>(readModel(sharedDir() + "/models/yolov9t_320_full_integer_quant.tflite"));
  p.matching = matchOps(*p.f, *p.q);
  return p;
}

// n samples of a grey ramp, made only when asked for; counts what was asked.
SampleSource rampSamples(const YoloPair& p, size_t n, std::shared_ptr<std::vector<size_t>> pulled) {
  const Tensor& ft = p.f->subgraphs[0].tensors[static_cast<size_t>(p.f->subgraphs[0].inputs[0])];
  const Tensor& qt = p.q->subgraphs[0].tensors[static_cast<size_t>(p.q->subgraphs[0].inputs[0])];
  size_t count = static_cast<size_t>(elementCount(ft.shape));
  return {n, [count, &ft, &qt, pulled](size_t i) {
            pulled->push_back(i);
            DebugSample s;
            s.description = "ramp " + std::to_string(i);
            std::vector<float> real(count);
            for (size_t k = 0; k < count; ++k) real[k] = static_cast<float>((k + 7 * i) % 256) / 255.f;
            s.float_inputs.push_back(std::vector<uint8_t>(reinterpret_cast<uint8_t*>(real.data()),
                                                          reinterpret_cast<uint8_t*>(real.data() + count)));
            std::vector<uint8_t> q(count);
            float scale = qt.quant.scale[0];
            int64_t zp = qt.quant.zero_point.empty() ? 0 : qt.quant.zero_point[0];
            for (size_t k = 0; k < count; ++k)
              q[k] = static_cast<uint8_t>(static_cast<int8_t>(
                  std::max<int64_t>(-128, std::min<int64_t>(127, std::llround(real[k] / scale) + zp))));
            s.quant_inputs.push_back(std::move(q));
            return s;
          }};
}

// Cancels when the first sample's rows arrive, or `delay` after that from another thread (mid-op loop).
class CancelAfterFirst : public CancelFlag {
 public:
  explicit CancelAfterFirst(std::chrono::milliseconds delay) : delay_(delay) {}
  ~CancelAfterFirst() override {
    if (timer_.joinable()) timer_.join();
  }
  void partial(size_t done, const PartialResult& so_far) override {
    const auto* r = dynamic_cast<const DebugReport*>(&so_far);
    ASSERT_NE(r, nullptr);
    completed = done;
    if (done != 1) return;
    rows_after_first = r->layers.size();
    inputs_after_first = r->inputs.size();
    if (delay_.count() == 0) {
      cancelled_at = Clock::now();
      cancel();
    } else {
      timer_ = std::thread([this] {
        std::this_thread::sleep_for(delay_);
        cancelled_at = Clock::now();
        cancel();
      });
    }
  }
  // What partial() held after the first sample, and how many samples had completed when the run stopped (a quiet
  // machine may finish another sample or two before a timed cancel lands).
  size_t rows_after_first = 0, inputs_after_first = 0, completed = 0;
  Clock::time_point cancelled_at;

 private:
  std::chrono::milliseconds delay_;
  std::thread timer_;
};

void expectPromptCancel(std::chrono::milliseconds delay) {
  QL_REQUIRE_SHARED();
  YoloPair p = yoloPair();
  auto pulled = std::make_shared<std::vector<size_t>>();
  CancelAfterFirst progress(delay);
  bool cancelled = false;
  try {
    runQuantDebugger(p.f, p.q, p.matching, DebugMode::PerLayer, rampSamples(p, 20, pulled), progress);
  } catch (const Cancelled&) {
    cancelled = true;
  }
  ASSERT_TRUE(cancelled) << "the run went on to the end";
  double latency = std::chrono::duration<double>(Clock::now() - progress.cancelled_at).count();
  EXPECT_LT(latency, 5.0);
  std::cout << "cancel latency " << latency * 1000 << " ms\n";
  EXPECT_GT(progress.rows_after_first, 0u) << "the first sample's rows came with partial()";
  EXPECT_EQ(progress.inputs_after_first, 1u);
  EXPECT_LE(pulled->size(), progress.completed + 1) << "samples are pulled one at a time, not all up front";
  EXPECT_LT(progress.completed, 20u);
}

TEST(DebugCancel, CancelledBetweenSamplesAfterTheFirstGivesControlBack) { expectPromptCancel(std::chrono::milliseconds(0)); }

TEST(DebugCancel, CancelledDuringTheSecondSampleStopsBetweenOps) { expectPromptCancel(std::chrono::milliseconds(200)); }

TEST(DebugCancel, PartialResultsGrowOneSampleAtATimeAndEndAsTheReport) {
  // A small pair: mobilenet and its dequantized twin would do, but the LSTM pair is smaller still.
  QL_REQUIRE_SHARED();
  auto q = std::make_shared<const Model>(readModel(sharedDir() + "/models/conv_fc_mnist_a8w8.tflite"));
  auto f = std::make_shared<const Model>(readModel(sharedDir() + "/models/conv_fc_mnist_float.tflite"));
  OpMatching matching = matchOps(*f, *q);
  const Tensor& ft = f->subgraphs[0].tensors[static_cast<size_t>(f->subgraphs[0].inputs[0])];
  const Tensor& qt = q->subgraphs[0].tensors[static_cast<size_t>(q->subgraphs[0].inputs[0])];
  std::vector<DebugSample> samples(3);
  for (size_t i = 0; i < samples.size(); ++i) {
    samples[i].description = "s" + std::to_string(i);
    samples[i].float_inputs.push_back(std::vector<uint8_t>(static_cast<size_t>(dtypeStorageBytes(ft.type, elementCount(ft.shape))), 0));
    samples[i].quant_inputs.push_back(std::vector<uint8_t>(static_cast<size_t>(dtypeStorageBytes(qt.type, elementCount(qt.shape))),
                                                           static_cast<uint8_t>(i * 40)));
  }
  struct Recorder : NoProgress {
    std::vector<DebugReport> seen;
    void partial(size_t, const PartialResult& r) override { seen.push_back(dynamic_cast<const DebugReport&>(r)); }
  } progress;
  DebugReport final_report = runQuantDebugger(f, q, matching, DebugMode::PerLayer, samplesOf(samples), progress);
  ASSERT_EQ(progress.seen.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(progress.seen[i].inputs.size(), i + 1);
  ASSERT_EQ(progress.seen.back().layers.size(), final_report.layers.size());
  for (size_t i = 0; i < final_report.layers.size(); ++i)
    EXPECT_EQ(progress.seen.back().layers[i].stats.mean_squared_error, final_report.layers[i].stats.mean_squared_error);
}

}  // namespace
}  // namespace ql::test
