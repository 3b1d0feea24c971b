#include "support/feed_check.h"

#include <map>

#include "model/quantization_kind.h"
#include "runtime/interpreter.h"
#include "runtime/tensor_dump.h"
#include "support/tensor_compare.h"
#include "support/test_support.h"

namespace ql::test {

double floatTolerance(const Model& m) {
  QuantizationKind k = quantizationKind(m);
  return (k == QuantizationKind::Float16 || k == QuantizationKind::DynamicRange) ? 1e-4 : 1e-5;
}

FeedCheck checkAgainstDump(const Model& model, const std::string& dump_dir, const std::vector<std::string>& inputs,
                           Arithmetic arithmetic, const std::set<int>& omitted) {
  FeedCheck out;
  InterpreterOptions opts;
  opts.arithmetic = arithmetic;
  Interpreter interp(std::make_shared<const Model>(model), opts);
  DumpFeeder feeder(dump_dir);
  interp.setFeeder(&feeder);
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto bytes = readBytes(inputs[i]);
    interp.setInput(i, bytes.data(), bytes.size());
  }
  TensorRecorder rec;
  interp.addObserver(&rec);
  interp.invoke();

  const Subgraph& sg = model.subgraphs[0];
  for (const auto& entry : feeder.manifest()["tensors"]) {
    const int index = entry["tensor_index"].get<int>();
    if (omitted.count(index)) continue;
    auto it = rec.records().find(index);
    if (it == rec.records().end()) continue;  // a model input, or a tensor no op produced
    const Tensor& t = sg.tensors[static_cast<size_t>(index)];
    const Op& producer = sg.ops[static_cast<size_t>(it->second.op_index)];
    std::string op_name = model.opName(producer);
    bool quantized = isQuantizedTensor(t);
    IntegerPolicy policy =
        (op_name == "ARG_MAX" || op_name == "ARG_MIN") ? IntegerPolicy::ArgMinMax : IntegerPolicy::Exact;
    std::vector<int32_t> shape = entry["shape"].get<std::vector<int32_t>>();
    // An op reading a tensor the reference left out (too large) reads ours instead; hybrid ops requantize
    // their whole input, so a last-bit difference there may move a few elements across a step.
    bool reads_unfed = false;
    for (int32_t in : producer.inputs) reads_unfed = reads_unfed || (in >= 0 && omitted.count(in));
    // TFLite's fixed-point kernels may differ from XNNPACK's float requantization by one step anywhere. An op
    // that reads a tensor the reference left out reads our own one-step-off values, which its weights multiply:
    // such ops are checked in reference arithmetic only where they can be fed (EachSupportedOpInIsolation).
    if (arithmetic == Arithmetic::Reference && reads_unfed) continue;
    std::string file = dump_dir + "/" + entry["file"].get<std::string>();
    TensorComparison c = compareTensors(entry["dtype"].get<std::string>(), quantized, readBytes(file),
                                        it->second.bytes, floatTolerance(model), policy, reads_unfed ? 0.995 : 1.0);
    if (arithmetic == Arithmetic::Reference && quantized) c.ok = c.max_abs_diff <= 1;
    ++out.compared;
    if (!c.ok || it->second.shape != shape)
      out.failures.push_back("op " + std::to_string(it->second.op_index) + " (" + op_name + ") tensor " +
                             std::to_string(index) + " '" + t.name + "': " + c.detail);
  }
  return out;
}

}  // namespace ql::test
