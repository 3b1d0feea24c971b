#include "analysis/tensor_on_image.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "analysis/per_layer_feed.h"
#include "model/quantization_kind.h"
#include "model/tensor_values.h"
#include "runtime/interpreter.h"
#include "util/error.h"

namespace ql {

namespace {

void setInputs(Interpreter& in, const std::vector<std::vector<uint8_t>>& inputs) {
  for (size_t i = 0; i < inputs.size(); ++i) in.setInput(i, inputs[i].data(), inputs[i].size());
}

// Box-averages channel `c` of an [H, W, C] activation (batch 0) down to at most `max_side` per side.
std::vector<float> channelPlane(const std::vector<float>& v, int h, int w, int channels, int c, int factor, int out_h,
                                int out_w) {
  std::vector<float> out(static_cast<size_t>(out_h) * static_cast<size_t>(out_w), 0.f);
  for (int oy = 0; oy < out_h; ++oy)
    for (int ox = 0; ox < out_w; ++ox) {
      double sum = 0;
      int n = 0;
      for (int y = oy * factor; y < std::min(h, (oy + 1) * factor); ++y)
        for (int x = ox * factor; x < std::min(w, (ox + 1) * factor); ++x, ++n)
          sum += v[(static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)) *
                       static_cast<size_t>(channels) + static_cast<size_t>(c)];
      out[static_cast<size_t>(oy) * static_cast<size_t>(out_w) + static_cast<size_t>(ox)] =
          n ? static_cast<float>(sum / n) : 0.f;
    }
  return out;
}

void addChannelMaps(const std::vector<float>& q, const std::vector<float>& f, const TensorOnImageOptions& options,
                    TensorOnImage* out) {
  const std::vector<int32_t>& s = out->shape;
  if (s.size() != 4 || s[1] <= 0 || s[2] <= 0 || s[3] <= 0) return;
  const int h = s[1], w = s[2], channels = s[3];
  const size_t plane = static_cast<size_t>(h) * static_cast<size_t>(w);
  if (q.size() < plane * static_cast<size_t>(channels)) return;
  // Batch 0 only: the app runs one image at a time.
  std::vector<double> sq(static_cast<size_t>(channels), 0.0);
  for (size_t i = 0; i < plane * static_cast<size_t>(channels); ++i) {
    const double d = static_cast<double>(q[i]) - static_cast<double>(f[i]);
    sq[i % static_cast<size_t>(channels)] += d * d;
  }
  for (double& v : sq) v = std::sqrt(v / static_cast<double>(plane));
  out->channel_rmse = sq;
  std::vector<int> order(static_cast<size_t>(channels));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return sq[static_cast<size_t>(a)] > sq[static_cast<size_t>(b)]; });
  const int max_side = std::max(1, options.max_plane);
  const int factor = std::max(1, (std::max(h, w) + max_side - 1) / max_side);
  const int out_h = (h + factor - 1) / factor, out_w = (w + factor - 1) / factor;
  for (int k = 0; k < std::min(channels, options.max_channels); ++k) {
    const int c = order[static_cast<size_t>(k)];
    ChannelMap m;
    m.channel = c;
    m.rmse = sq[static_cast<size_t>(c)];
    m.width = out_w;
    m.height = out_h;
    m.float_plane = channelPlane(f, h, w, channels, c, factor, out_h, out_w);
    m.quant_plane = channelPlane(q, h, w, channels, c, factor, out_h, out_w);
    m.error_plane.resize(m.quant_plane.size());
    const auto [flo, fhi] = std::minmax_element(m.float_plane.begin(), m.float_plane.end());
    const auto [qlo, qhi] = std::minmax_element(m.quant_plane.begin(), m.quant_plane.end());
    m.value_lo = std::min(*flo, *qlo);
    m.value_hi = std::max(*fhi, *qhi);
    for (size_t i = 0; i < m.error_plane.size(); ++i) {
      m.error_plane[i] = m.quant_plane[i] - m.float_plane[i];
      m.error_abs_max = std::max(m.error_abs_max, std::fabs(m.error_plane[i]));
    }
    out->channel_maps.push_back(std::move(m));
  }
}

}  // namespace

ImageTensors::ImageTensors(std::shared_ptr<const Model> float_model, std::shared_ptr<const Model> quant_model,
                           std::shared_ptr<const OpMatching> matching,
                           const std::vector<std::vector<uint8_t>>& float_inputs,
                           const std::vector<std::vector<uint8_t>>& quant_inputs, const Progress* cancel,
                           size_t max_memory)
    : float_model_(std::move(float_model)), quant_model_(std::move(quant_model)), matching_(std::move(matching)) {
  if (!float_model_ || !quant_model_ || !matching_)
    throw Error(ErrorKind::BadInput, "tensor view: needs a float and a quantized model, matched");
  InterpreterOptions opts;
  opts.budget = std::make_shared<MemoryBudget>(max_memory ? max_memory : defaultMaxMemory(), quant_model_->path);
  opts.cancel = cancel;
  opts.keep_tensors = true;
  quant_run_ = std::make_unique<Interpreter>(quant_model_, opts);
  setInputs(*quant_run_, quant_inputs);
  quant_run_->invoke();

  // The float model per layer: fed the quantized run's values; its own op outputs recorded before the feed.
  opts.keep_tensors = false;
  Interpreter float_run(float_model_, opts);
  std::vector<int> wanted;
  for (int ft : matching_->float_tensor)
    if (ft >= 0) wanted.push_back(ft);
  float_outputs_ = TensorRecorder(wanted);
  const std::map<int, int> feeds = perLayerFeeds(*quant_model_, *matching_);
  const QuantizedRealValues quant_real = [this](int qt) { return quantValues(qt); };
  DequantizedFeeder feeder(feeds, quant_real);
  float_run.setFeeder(&feeder);
  float_run.addObserver(&float_outputs_);
  setInputs(float_run, float_inputs);
  float_run.invoke();
}

ImageTensors::~ImageTensors() = default;

std::vector<float> ImageTensors::quantValues(int t) const {
  const Subgraph& qs = quant_model_->subgraphs[0];
  if (t < 0 || static_cast<size_t>(t) >= qs.tensors.size()) return {};
  const RuntimeTensor& rt = quant_run_->tensor(t);
  if (rt.bytes() == 0) return {};
  return realValues(rt.type(), rt.shape(), rt.quant(), rt.raw(), rt.bytes());
}

std::vector<int32_t> ImageTensors::shapeOf(int t) const {
  if (t < 0 || static_cast<size_t>(t) >= quant_model_->subgraphs[0].tensors.size()) return {};
  return quant_run_->tensor(t).shape();
}

std::vector<float> ImageTensors::floatValues(int t) const {
  const Subgraph& qs = quant_model_->subgraphs[0];
  if (t < 0 || static_cast<size_t>(t) >= matching_->float_tensor.size()) return {};
  // A QUANTIZE/DEQUANTIZE the float model has no op for: its error is against its own real input (as the
  // debugger's per-layer rows).
  for (size_t op = 0; op < qs.ops.size(); ++op)
    if (matching_->kind[op] == MatchKind::Identity && !qs.ops[op].outputs.empty() && qs.ops[op].outputs[0] == t &&
        !qs.ops[op].inputs.empty())
      return quantValues(qs.ops[op].inputs[0]);
  const int ft = matching_->float_tensor[static_cast<size_t>(t)];
  const auto r = float_outputs_.records().find(ft);
  if (ft < 0 || r == float_outputs_.records().end()) return {};
  const Tensor& tensor = float_model_->subgraphs[0].tensors[static_cast<size_t>(ft)];
  return realValues(tensor.type, r->second.shape, tensor.quant, r->second.bytes.data(), r->second.bytes.size());
}

double clippedShare(const std::vector<float>& float_values, double lo, double hi, int64_t* clipped) {
  int64_t n = 0;
  for (float v : float_values)
    if (v < lo || v > hi) ++n;
  if (clipped) *clipped = n;
  return float_values.empty() ? 0.0 : static_cast<double>(n) / static_cast<double>(float_values.size());
}

TensorOnImage tensorOnImage(const ImageTensors& run, int quant_op, const TensorOnImageOptions& options,
                            size_t output) {
  const Model& qm = run.quantModel();
  const Subgraph& qs = qm.subgraphs[0];
  if (quant_op < 0 || static_cast<size_t>(quant_op) >= qs.ops.size())
    throw Error(ErrorKind::BadInput, qm.path + ": no op " + std::to_string(quant_op));
  const Op& op = qs.ops[static_cast<size_t>(quant_op)];
  if (output >= op.outputs.size() || op.outputs[output] < 0)
    throw Error(ErrorKind::BadInput, qm.path + ": op " + std::to_string(quant_op) + " has no output " +
                                         std::to_string(output));
  TensorOnImage out;
  out.op = quant_op;
  out.op_name = qm.opName(op);
  out.tensor = op.outputs[output];
  const Tensor& t = qs.tensors[static_cast<size_t>(out.tensor)];
  out.tensor_name = t.name;
  out.type = t.type;
  const std::vector<float> q = run.quantValues(out.tensor);
  std::vector<float> f = run.floatValues(out.tensor);
  out.elements = static_cast<int64_t>(q.size());
  out.shape = run.shapeOf(out.tensor);
  if (q.empty()) {
    out.note = "the run did not produce this tensor";
    return out;
  }
  if (f.size() != q.size()) {
    out.note = f.empty() ? "no float counterpart in the float model" : "the float tensor has another size";
    f.clear();
  }
  out.has_float = !f.empty();
  out.quantized = isQuantizedTensor(t) && representableRange(t, 0, &out.range_lo, &out.range_hi);
  if (out.quantized) {
    out.scale = t.quant.scale[0];
    out.zero_point = t.quant.zero_point.empty() ? 0 : t.quant.zero_point[0];
  }
  auto [fh, qh] = histogramsOnCommonRange(f, q, options.bins);
  out.float_histogram = std::move(fh);
  out.quant_histogram = std::move(qh);
  if (!out.has_float) return out;
  if (out.quantized) out.clipped_share = clippedShare(f, out.range_lo, out.range_hi, &out.clipped);
  std::vector<float> err(q.size());
  for (size_t i = 0; i < q.size(); ++i) err[i] = q[i] - f[i];
  const ValueStats es = valueStats(err);
  out.error_histogram = histogramOf(err, options.bins, es.min, es.max);
  out.error = errorStats(q.data(), f.data(), q.size());
  out.rmse_over_scale = out.quantized ? rmseOverScale(out.error.mean_squared_error, out.scale) : 0;
  addChannelMaps(q, f, options, &out);
  return out;
}

}  // namespace ql
