#include "analysis/quantize/calibration.h"

#include "runtime/interpreter.h"
#include "util/error.h"

namespace ql {

namespace {

class StatsObserver : public TensorObserver {
 public:
  StatsObserver(CalibrationStats& stats, bool histograms, const std::vector<bool>& wanted)
      : stats_(stats), histograms_(histograms), wanted_(wanted) {}

  void onTensor(int, int tensor_index, const RuntimeTensor& t) override { record(tensor_index, t); }

  void record(int tensor_index, const RuntimeTensor& t) {
    // Constants (and tensors folded from them, float16 weights behind DEQUANTIZE) are weights, not activations.
    if (t.type() != DType::Float32 || t.isConstant() || t.elements() <= 0) return;
    if (!wanted_.empty() && !wanted_[static_cast<size_t>(tensor_index)]) return;
    auto& slot = stats_.tensors[static_cast<size_t>(tensor_index)];
    if (!slot) slot = std::make_unique<TensorHistogram>(histograms_);
    slot->add(t.data<float>(), static_cast<size_t>(t.elements()), t.rank() ? static_cast<size_t>(t.dim(-1)) : 1);
  }

 private:
  CalibrationStats& stats_;
  bool histograms_;
  const std::vector<bool>& wanted_;
};

}  // namespace

CalibrationStats calibrate(const Model& float_model, const CalibrationSet& set, bool histograms, Progress& progress,
                           const std::vector<bool>& wanted) {
  if (set.count == 0) badInput(float_model.path, "calibration needs at least one input");
  CalibrationStats stats;
  stats.tensors.resize(float_model.subgraphs.at(0).tensors.size());
  Interpreter interp(float_model);
  StatsObserver observer(stats, histograms, wanted);
  interp.addObserver(&observer);
  for (size_t i = 0; i < set.count; ++i) {
    CalibrationSample sample = set.load(i);
    progress.step(i, set.count, "calibrating on " + sample.description);
    if (sample.inputs.size() != interp.inputs().size())
      badInput(sample.description, "gives " + std::to_string(sample.inputs.size()) + " input(s), the model takes " +
                                       std::to_string(interp.inputs().size()));
    for (size_t k = 0; k < sample.inputs.size(); ++k) {
      interp.setInput(k, sample.inputs[k].data(), sample.inputs[k].size());
      observer.record(interp.inputs()[k], interp.input(k));
    }
    interp.resetVariables();
    interp.invoke();
    ++stats.samples;
  }
  progress.step(set.count, set.count, "calibrated");
  return stats;
}

}  // namespace ql
