// UNIDIRECTIONAL_SEQUENCE_LSTM, float, as TFLite's builtin kernel computes it (XNNPACK does not run it):
// per time step, gates = W x + R h (+ peephole c) (+ layer norm) + bias; i, f, o through the logistic function,
// the cell candidate through the fused activation (tanh); c = f c + i g (clipped by cell_clip);
// h = o act(c), then the optional projection (clipped by proj_clip). CIFG models (no input gate) use i = 1 - f.
// The output and cell states are variable tensors that persist across invocations.
#include <cmath>
#include <cstring>

#include "kernels/families.h"
#include "kernels/quant_math.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

enum LstmInput {
  kInput = 0,
  kInputToInput, kInputToForget, kInputToCell, kInputToOutput,
  kRecurrentToInput, kRecurrentToForget, kRecurrentToCell, kRecurrentToOutput,
  kCellToInput, kCellToForget, kCellToOutput,
  kInputGateBias, kForgetGateBias, kCellGateBias, kOutputGateBias,
  kProjectionWeights, kProjectionBias,
  kOutputState, kCellState,
  kInputLayerNorm, kForgetLayerNorm, kCellLayerNorm, kOutputLayerNorm,
};

const float* optionalFloats(const KernelContext& ctx, int i) {
  const RuntimeTensor* t = ctx.optionalInput(static_cast<size_t>(i));
  return t ? t->data<float>() : nullptr;
}

float applyActivation(Activation a, float x) {
  switch (a) {
    case Activation::Relu: return std::max(0.f, x);
    case Activation::Relu6: return std::min(std::max(0.f, x), 6.f);
    case Activation::ReluN1To1: return std::min(std::max(-1.f, x), 1.f);
    case Activation::Tanh: return std::tanh(x);
    case Activation::SignBit: return std::signbit(x) ? 1.f : 0.f;
    default: return x;
  }
}

float sigmoid(float x) { return 1.f / (1.f + std::exp(-x)); }

class FloatLstmKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(kInput);
    if (in.rank() != 3) ctx.invalid("input must be 3-D");
    time_major_ = ctx.boolOption("time_major");
    batches_ = time_major_ ? in.dim(1) : in.dim(0);
    steps_ = time_major_ ? in.dim(0) : in.dim(1);
    n_input_ = in.dim(2);
    const RuntimeTensor& w_f = ctx.input(kInputToForget);
    const RuntimeTensor& r_f = ctx.input(kRecurrentToForget);
    n_cell_ = w_f.dim(0);
    n_output_ = r_f.dim(1);
    if (w_f.dim(1) != n_input_) ctx.invalid("input weights do not match the input depth");
    if (ctx.optionalInput(kOutputState) == nullptr || ctx.optionalInput(kCellState) == nullptr)
      ctx.invalid("the output and cell state tensors are missing");
    if (ctx.input(kOutputState).elements() != static_cast<int64_t>(batches_) * n_output_ ||
        ctx.input(kCellState).elements() != static_cast<int64_t>(batches_) * n_cell_)
      ctx.invalid("state tensors do not match batch x units");
    if (ctx.boolOption("diagonal_recurrent_tensors")) ctx.unsupported("diagonal recurrent tensors");
    try {
      activation_ = activationFromName(ctx.enumOption("fused_activation_function", "TANH"));
    } catch (const std::invalid_argument& e) {
      ctx.unsupported(e.what());
    }
    cell_clip_ = static_cast<float>(ctx.floatOption("cell_clip", 0));
    proj_clip_ = static_cast<float>(ctx.floatOption("proj_clip", 0));
    ctx.output(0).resize(time_major_ ? std::vector<int32_t>{steps_, batches_, n_output_}
                                     : std::vector<int32_t>{batches_, steps_, n_output_});
  }

  void eval(KernelContext& ctx) override {
    const float* x_all = ctx.input(kInput).data<float>();
    float* h_state = ctx.input(kOutputState).mutableData<float>();
    float* c_state = ctx.input(kCellState).mutableData<float>();
    float* out_all = ctx.output(0).mutableData<float>();
    const bool cifg = ctx.optionalInput(kInputToInput) == nullptr;
    const float* proj = optionalFloats(ctx, kProjectionWeights);
    const float* proj_bias = optionalFloats(ctx, kProjectionBias);

    std::vector<float> gate_i(n_cell_), gate_f(n_cell_), gate_g(n_cell_), gate_o(n_cell_), hidden(n_cell_);
    for (int t = 0; t < steps_; ++t)
      for (int b = 0; b < batches_; ++b) {
        const float* x = x_all + (time_major_ ? (static_cast<size_t>(t) * batches_ + b) : (static_cast<size_t>(b) * steps_ + t)) * n_input_;
        float* h = h_state + static_cast<size_t>(b) * n_output_;
        float* c = c_state + static_cast<size_t>(b) * n_cell_;
        if (!cifg) gate(ctx, kInputToInput, kRecurrentToInput, kCellToInput, kInputLayerNorm, kInputGateBias, x, h, c, gate_i);
        gate(ctx, kInputToForget, kRecurrentToForget, kCellToForget, kForgetLayerNorm, kForgetGateBias, x, h, c, gate_f);
        gate(ctx, kInputToCell, kRecurrentToCell, -1, kCellLayerNorm, kCellGateBias, x, h, c, gate_g);
        for (int k = 0; k < n_cell_; ++k) {
          float f = sigmoid(gate_f[k]);
          float i = cifg ? 1.f - f : sigmoid(gate_i[k]);
          float cell = f * c[k] + i * applyActivation(activation_, gate_g[k]);
          if (cell_clip_ > 0) cell = std::min(std::max(cell, -cell_clip_), cell_clip_);
          c[k] = cell;
        }
        gate(ctx, kInputToOutput, kRecurrentToOutput, kCellToOutput, kOutputLayerNorm, kOutputGateBias, x, h, c, gate_o);
        for (int k = 0; k < n_cell_; ++k) hidden[k] = sigmoid(gate_o[k]) * applyActivation(activation_, c[k]);
        if (proj) {
          for (int o = 0; o < n_output_; ++o) {
            float acc = proj_bias ? proj_bias[o] : 0.f;
            for (int k = 0; k < n_cell_; ++k) acc += proj[static_cast<size_t>(o) * n_cell_ + k] * hidden[k];
            if (proj_clip_ > 0) acc = std::min(std::max(acc, -proj_clip_), proj_clip_);
            h[o] = acc;
          }
        } else {
          std::memcpy(h, hidden.data(), static_cast<size_t>(n_output_) * sizeof(float));
        }
        float* out = out_all + (time_major_ ? (static_cast<size_t>(t) * batches_ + b) : (static_cast<size_t>(b) * steps_ + t)) * n_output_;
        std::memcpy(out, h, static_cast<size_t>(n_output_) * sizeof(float));
      }
  }

 private:
  // gate = W x + R h (+ peephole * c) -> layer norm (with its coefficients) -> + bias
  void gate(const KernelContext& ctx, int w_in, int w_rec, int peephole, int layer_norm, int bias_in, const float* x,
            const float* h, const float* c, std::vector<float>& out) const {
    const float* w = ctx.input(static_cast<size_t>(w_in)).data<float>();
    const float* r = ctx.input(static_cast<size_t>(w_rec)).data<float>();
    const float* p = peephole >= 0 ? optionalFloats(ctx, peephole) : nullptr;
    const float* ln = optionalFloats(ctx, layer_norm);
    const float* bias = optionalFloats(ctx, bias_in);
    for (int k = 0; k < n_cell_; ++k) {
      float acc = 0;
      for (int j = 0; j < n_input_; ++j) acc += w[static_cast<size_t>(k) * n_input_ + j] * x[j];
      for (int j = 0; j < n_output_; ++j) acc += r[static_cast<size_t>(k) * n_output_ + j] * h[j];
      if (p) acc += p[k] * c[k];
      out[static_cast<size_t>(k)] = ln ? acc : acc + (bias ? bias[k] : 0.f);
    }
    if (ln) {
      float mean = 0, var = 0;
      for (float v : out) mean += v;
      mean /= static_cast<float>(n_cell_);
      for (float v : out) var += (v - mean) * (v - mean);
      var /= static_cast<float>(n_cell_);
      const float inv = 1.f / std::sqrt(var + 1e-8f);
      for (int k = 0; k < n_cell_; ++k)
        out[static_cast<size_t>(k)] = (out[static_cast<size_t>(k)] - mean) * inv * ln[k] + (bias ? bias[k] : 0.f);
    }
  }

  bool time_major_ = false;
  int batches_ = 0, steps_ = 0, n_input_ = 0, n_cell_ = 0, n_output_ = 0;
  Activation activation_ = Activation::Tanh;
  float cell_clip_ = 0, proj_clip_ = 0;
};

}  // namespace

void registerLstmKernels(KernelRegistry& r) {
  r.add("UNIDIRECTIONAL_SEQUENCE_LSTM", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 20 || !ctx.in[0] || !ctx.in[kInputToForget]) return nullptr;
    if (ctx.in[0]->type() == DType::Float32 && ctx.in[kInputToForget]->type() == DType::Float32)
      return std::make_unique<FloatLstmKernel>();
    return nullptr;  // int8 (8x8_16 integer LSTM) and hybrid are not implemented yet
  });
}

}  // namespace ql
