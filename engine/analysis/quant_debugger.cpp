#include "analysis/quant_debugger.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/per_layer_feed.h"
#include "analysis/weight_channels.h"
#include "model/quantization_kind.h"
#include "model/tensor_values.h"
#include "runtime/interpreter.h"
#include "runtime/tensor_dump.h"
#include "util/error.h"

namespace ql {

const char* debugModeName(DebugMode m) { return m == DebugMode::PerLayer ? "per-layer" : "whole-model"; }

namespace {

std::vector<float> realOf(const RuntimeTensor& t) {
  return realValues(t.type(), t.shape(), t.quant(), t.raw(), t.bytes());
}

std::vector<float> realOfRecord(const Tensor& t, const TensorRecorder::Record& r) {
  return realValues(t.type, r.shape, t.quant, r.bytes.data(), r.bytes.size());
}

bool looksLikeClassifier(const Model& q, int tensor) {
  const Tensor& t = q.subgraphs[0].tensors[static_cast<size_t>(tensor)];
  return t.shape.size() == 2 && t.shape[0] == 1 && t.shape[1] >= 2;
}

size_t argmax(const std::vector<float>& v) {
  return static_cast<size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

}  // namespace

WeightChannelErrors weightErrorPerChannel(const Model& float_model, const Model& quant_model, const OpMatching& matching,
                                     int quant_op) {
  const Subgraph& qs = quant_model.subgraphs[0];
  const Op& qo = qs.ops[static_cast<size_t>(quant_op)];
  int fop = matching.float_op[static_cast<size_t>(quant_op)];
  if (fop < 0 || qo.inputs.size() < 2 || qo.inputs[1] < 0) return {};
  const Tensor& qw = qs.tensors[static_cast<size_t>(qo.inputs[1])];
  if (quant_model.dataOf(qw).empty() || !isQuantizedTensor(qw)) return {};
  const Op& fo = float_model.subgraphs[0].ops[static_cast<size_t>(fop)];
  if (fo.inputs.size() < 2 || fo.inputs[1] < 0) return {};
  std::vector<float> q = constantRealValues(quant_model, qw);
  std::vector<float> f = effectiveConstantValues(float_model, fo.inputs[1]);
  if (q.size() != f.size() || q.empty()) return {};
  WeightChannels channels = weightChannels(qw, q, f);
  WeightChannelErrors out;
  out.axis = channels.axis;
  out.per_channel_quantization = channels.per_channel;
  for (const WeightChannel& c : channels.channels) {
    ChannelError e;
    e.channel = c.channel;
    e.scale = c.scale;
    e.zero_point = c.zero_point;
    e.max_abs_error = c.max_abs_error;
    e.mean_squared_error = c.mean_squared_error;
    e.rmse_over_scale = c.rmse_over_scale;
    out.channels.push_back(e);
  }
  return out;
}

SampleSource samplesOf(std::vector<DebugSample> samples) {
  auto held = std::make_shared<std::vector<DebugSample>>(std::move(samples));
  return {held->size(), [held](size_t i) { return held->at(i); }};
}

DebugReport runQuantDebugger(std::shared_ptr<const Model> float_shared, std::shared_ptr<const Model> quant_shared,
                             const OpMatching& matching, DebugMode mode, const SampleSource& samples,
                             Progress& progress, size_t max_memory) {
  if (samples.count == 0) throw Error(ErrorKind::BadInput, "the debugger needs at least one input");
  const Model& float_model = *float_shared;
  const Model& quant_model = *quant_shared;
  const Subgraph& qs = quant_model.subgraphs[0];
  DebugReport report;
  report.mode = mode;
  report.dequantized_twin = matching.float_is_dequantized_twin;
  report.unmatched = matching.unmatched;
  for (int op : matching.unmatched)
    report.unmatched_names.push_back(quant_model.opName(qs.ops[static_cast<size_t>(op)]) + " '" +
                                     (qs.ops[static_cast<size_t>(op)].outputs.empty() ? std::string()
                                      : qs.tensors[static_cast<size_t>(qs.ops[static_cast<size_t>(op)].outputs[0])].name) + "'");
  report.warnings = matching.warnings;

  const std::map<int, int> quant_of_float = perLayerFeeds(quant_model, matching);

  // Rows: every output of a matched op that is quantized.
  struct RowAcc {
    LayerRow row;
    ErrorStatsMean mean;
  };
  std::vector<RowAcc> rows;
  std::map<int, size_t> row_of_tensor;
  for (size_t i = 0; i < qs.ops.size(); ++i) {
    if (matching.kind[i] == MatchKind::Unmatched) continue;
    for (int32_t o : qs.ops[i].outputs) {
      if (o < 0 || !isQuantizedTensor(qs.tensors[static_cast<size_t>(o)]) || matching.float_tensor[static_cast<size_t>(o)] < 0)
        continue;
      const Tensor& t = qs.tensors[static_cast<size_t>(o)];
      RowAcc acc;
      acc.row.op_index = static_cast<int>(i);
      acc.row.op_name = quant_model.opName(qs.ops[i]);
      acc.row.tensor_idx = o;
      acc.row.tensor_name = t.name;
      acc.row.scale = t.quant.scale[0];
      acc.row.zero_point = t.quant.zero_point.empty() ? 0 : t.quant.zero_point[0];
      // The span of the integer type in real units: 255 steps for 8-bit, 65535 for int16 activations.
      acc.row.range = (t.type == DType::Int16 ? 65535.0 : 255.0) * acc.row.scale;
      acc.row.per_channel = weightErrorPerChannel(float_model, quant_model, matching, static_cast<int>(i));
      row_of_tensor[o] = rows.size();
      rows.push_back(std::move(acc));
    }
  }

  std::vector<ErrorStatsMean> output_means(qs.outputs.size());
  std::vector<int> top1_agree(qs.outputs.size(), 0);
  // The rows and output comparisons averaged over the first `done` samples, on a copy of the report's header.
  auto reportSoFar = [&](size_t done) {
    DebugReport r = report;
    for (const RowAcc& acc : rows) {
      if (acc.mean.count() == 0) continue;
      LayerRow row = acc.row;
      row.stats = acc.mean.mean();
      row.rmse_over_scale = rmseOverScale(row.stats.mean_squared_error, row.scale);
      r.layers.push_back(std::move(row));
    }
    for (size_t k = 0; k < qs.outputs.size(); ++k) {
      if (output_means[k].count() == 0) continue;
      OutputComparison oc;
      oc.tensor_idx = qs.outputs[k];
      oc.name = qs.tensors[static_cast<size_t>(oc.tensor_idx)].name;
      ErrorStats m = output_means[k].mean();
      oc.mean_squared_error = m.mean_squared_error;
      oc.max_abs_error = m.max_abs_error;
      if (looksLikeClassifier(quant_model, oc.tensor_idx))
        oc.top1_agreement = static_cast<double>(top1_agree[k]) / static_cast<double>(done);
      r.outputs.push_back(oc);
    }
    return r;
  };
  InterpreterOptions opts;
  opts.budget = std::make_shared<MemoryBudget>(max_memory ? max_memory : defaultMaxMemory(), quant_model.path);
  opts.cancel = &progress;
  Interpreter qi(quant_shared, opts);
  Interpreter fi(float_shared, opts);
  for (size_t s = 0; s < samples.count; ++s) {
    if (progress.cancelRequested()) throw Cancelled();  // before decoding the next sample
    const DebugSample sample = samples.sample(s);
    progress.step(s, samples.count, "input " + std::to_string(s + 1) + " of " + std::to_string(samples.count) +
                                        ": " + sample.description);
    TensorRecorder qrec, frec;
    qi.addObserver(&qrec);
    qi.resetVariables();
    for (size_t i = 0; i < sample.quant_inputs.size(); ++i)
      qi.setInput(i, sample.quant_inputs[i].data(), sample.quant_inputs[i].size());
    qi.invoke();

    // The quantized values each float op reads: what the quantized run recorded, or the sample's own input.
    const QuantizedRealValues quant_real = [&](int qt) -> std::vector<float> {
      const Tensor& t = qs.tensors[static_cast<size_t>(qt)];
      auto r = qrec.records().find(qt);
      if (r != qrec.records().end()) return realOfRecord(t, r->second);
      auto in = std::find(qs.inputs.begin(), qs.inputs.end(), qt);
      if (in == qs.inputs.end()) return {};
      const auto& bytes = sample.quant_inputs[static_cast<size_t>(in - qs.inputs.begin())];
      return realValues(t.type, t.shape, t.quant, bytes.data(), bytes.size());
    };
    DequantizedFeeder feeder(quant_of_float, quant_real);
    fi.setFeeder(mode == DebugMode::PerLayer ? &feeder : nullptr);
    fi.addObserver(&frec);
    fi.resetVariables();
    for (size_t i = 0; i < sample.float_inputs.size(); ++i)
      fi.setInput(i, sample.float_inputs[i].data(), sample.float_inputs[i].size());
    fi.invoke();

    auto floatValues = [&](int ft) -> std::vector<float> {
      auto r = frec.records().find(ft);
      if (r != frec.records().end()) return realOfRecord(float_model.subgraphs[0].tensors[static_cast<size_t>(ft)], r->second);
      return realOf(fi.tensor(ft));  // an input, or a constant
    };
    for (auto& [qt, index] : row_of_tensor) {
      RowAcc& acc = rows[index];
      auto qr = qrec.records().find(qt);
      if (qr == qrec.records().end()) continue;
      std::vector<float> qv = realOfRecord(qs.tensors[static_cast<size_t>(qt)], qr->second);
      std::vector<float> ref;
      int op = acc.row.op_index;
      const Op& qo = qs.ops[static_cast<size_t>(op)];
      if (matching.kind[static_cast<size_t>(op)] == MatchKind::Identity && mode == DebugMode::PerLayer) {
        // A QUANTIZE the float model does not have: its error is against its own (real) input.
        int in = qo.inputs[0];
        auto ir = qrec.records().find(in);
        ref = ir != qrec.records().end() ? realOfRecord(qs.tensors[static_cast<size_t>(in)], ir->second)
                                         : realOf(qi.tensor(in));
      } else {
        ref = floatValues(matching.float_tensor[static_cast<size_t>(qt)]);
      }
      if (ref.size() != qv.size()) continue;
      acc.mean.add(errorStats(qv.data(), ref.data(), qv.size()));
    }
    // The final outputs are compared model against model (as the debugger's model_debug_metrics): in per-layer
    // mode the float model runs once more on its own.
    if (mode == DebugMode::PerLayer) {
      fi.clearObservers();
      fi.setFeeder(nullptr);
      fi.resetVariables();
      for (size_t i = 0; i < sample.float_inputs.size(); ++i)
        fi.setInput(i, sample.float_inputs[i].data(), sample.float_inputs[i].size());
      fi.invoke();
    }
    for (size_t k = 0; k < qs.outputs.size(); ++k) {
      int qt = qs.outputs[k];
      int ft = matching.float_tensor[static_cast<size_t>(qt)];
      if (ft < 0) continue;
      std::vector<float> qv = realOf(qi.tensor(qt)), fv = realOf(fi.tensor(ft));
      if (qv.size() != fv.size() || qv.empty()) continue;
      output_means[k].add(errorStats(qv.data(), fv.data(), qv.size()));
      if (looksLikeClassifier(quant_model, qt) && argmax(qv) == argmax(fv)) ++top1_agree[k];
    }
    // The recorders and the feeder live for this sample only.
    fi.setFeeder(nullptr);
    qi.clearObservers();
    fi.clearObservers();
    report.inputs.push_back(sample.description);
    progress.partial(s + 1, reportSoFar(s + 1));
  }
  progress.step(samples.count, samples.count, "done");
  return reportSoFar(samples.count);
}

}  // namespace ql
