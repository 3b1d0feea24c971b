// UNIDIRECTIONAL_SEQUENCE_LSTM, float, as TFLite's builtin kernel computes it (XNNPACK does not run it):
// per time step, gates = W x + R h (+ peephole c) (+ layer norm) + bias; i, f, o through the logistic function,
// the cell candidate through the fused activation (tanh); c = f c + i g (clipped by cell_clip);
// h = o act(c), then the optional projection (clipped by proj_clip). CIFG models (no input gate) use i = 1 - f.
// The output and cell states are variable tensors that persist across invocations.
// The full-integer (8x8_16) variant follows TFLite's integer LSTM: int8 input and weights, int16 gates in Q3.12
// turned into Q0.15 by fixed-point logistic/tanh (fixed_point16.h), an int16 cell state whose scale is a power of
// two, and each matrix product requantized by its own effective scale.
#include <climits>
#include <cmath>
#include <cstring>

#include <Eigen/Core>

#include "kernels/families.h"
#include "kernels/fixed_point16.h"
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

// TFLite's float LSTM applies its gate functions through Eigen (tensor_utils' ApplyTanhToVector and
// ApplySigmoidToVector): tanh is Eigen's rational approximation, the logistic function exp(x) / (1 + exp(x)).
// Both differ from libm's tanhf and 1 / (1 + expf(-x)) in the last bit, and an LSTM carries that through every
// time step, so the float path uses the same formulas to reproduce the runtime's tensors exactly.
float lstmTanh(float x) { return Eigen::numext::tanh(x); }

float sigmoid(float x) {
  const float e = std::exp(std::min(x, 16.6355324f));  // beyond this exp(x) / (1 + exp(x)) rounds to 1
  return e / (1.f + e);
}

float applyActivation(Activation a, float x) {
  switch (a) {
    case Activation::Relu: return std::max(0.f, x);
    case Activation::Relu6: return std::min(std::max(0.f, x), 6.f);
    case Activation::ReluN1To1: return std::min(std::max(-1.f, x), 1.f);
    case Activation::Tanh: return lstmTanh(x);
    case Activation::SignBit: return std::signbit(x) ? 1.f : 0.f;
    default: return x;
  }
}


// The sizes an LSTM runs with, from its input and forget-gate weights, after checking every operand it reads
// against them (shape and type), so that a damaged file is refused in prepare instead of read past its end.
struct LstmSizes {
  bool time_major = false;
  int batches = 0, steps = 0, n_input = 0, n_cell = 0, n_output = 0;
};

LstmSizes checkLstmOperands(const KernelContext& ctx, DType weight_type, DType bias_type) {
  const RuntimeTensor& in = ctx.input(kInput);
  if (in.rank() != 3) ctx.invalid("input must be 3-D");
  LstmSizes z;
  z.time_major = ctx.boolOption("time_major");
  z.batches = z.time_major ? in.dim(1) : in.dim(0);
  z.steps = z.time_major ? in.dim(0) : in.dim(1);
  z.n_input = in.dim(2);
  const RuntimeTensor& w_f = ctx.input(kInputToForget);
  const RuntimeTensor& r_f = ctx.input(kRecurrentToForget);
  for (int i : {kInputToForget, kRecurrentToForget})
    if (ctx.input(static_cast<size_t>(i)).rank() != 2)
      ctx.invalid("a gate weight (input " + std::to_string(i) + ") has shape " +
                  shapeText(ctx.input(static_cast<size_t>(i)).shape()) + ", expected 2-D");
  z.n_cell = w_f.dim(0);
  z.n_output = r_f.dim(1);
  auto expect = [&](int i, const std::vector<int32_t>& shape, DType type, const char* what) {
    const RuntimeTensor* t = ctx.optionalInput(static_cast<size_t>(i));
    if (!t) return;
    if (t->shape() != shape)
      ctx.invalid(std::string(what) + " (input " + std::to_string(i) + ") has shape " + shapeText(t->shape()) +
                  ", expected " + shapeText(shape));
    if (t->type() != type)
      ctx.invalid(std::string(what) + " (input " + std::to_string(i) + ") is " + dtypeName(t->type()) +
                  ", expected " + dtypeName(type));
  };
  for (int i : {kInputToInput, kInputToForget, kInputToCell, kInputToOutput})
    expect(i, {z.n_cell, z.n_input}, weight_type, "an input weight");
  for (int i : {kRecurrentToInput, kRecurrentToForget, kRecurrentToCell, kRecurrentToOutput})
    expect(i, {z.n_cell, z.n_output}, weight_type, "a recurrent weight");
  for (int i : {kInputGateBias, kForgetGateBias, kCellGateBias, kOutputGateBias}) expect(i, {z.n_cell}, bias_type, "a gate bias");
  for (int i : {kCellToInput, kCellToForget, kCellToOutput}) expect(i, {z.n_cell}, weight_type, "a peephole weight");
  expect(kProjectionWeights, {z.n_output, z.n_cell}, weight_type, "the projection weight");
  expect(kProjectionBias, {z.n_output}, bias_type, "the projection bias");
  if (!ctx.optionalInput(kProjectionWeights) && z.n_output != z.n_cell)
    ctx.invalid("recurrent weights have " + std::to_string(z.n_output) + " columns but there are " +
                std::to_string(z.n_cell) + " cells and no projection");
  for (int i : {kInputLayerNorm, kForgetLayerNorm, kCellLayerNorm, kOutputLayerNorm})
    if (const RuntimeTensor* t = ctx.optionalInput(static_cast<size_t>(i)); t && t->elements() != z.n_cell)
      ctx.invalid("a layer norm weight (input " + std::to_string(i) + ") does not have one value per cell");
  if (ctx.optionalInput(kOutputState) == nullptr || ctx.optionalInput(kCellState) == nullptr)
    ctx.invalid("the output and cell state tensors are missing");
  if (ctx.input(kOutputState).elements() != static_cast<int64_t>(z.batches) * z.n_output ||
      ctx.input(kCellState).elements() != static_cast<int64_t>(z.batches) * z.n_cell)
    ctx.invalid("state tensors do not match batch x units");
  return z;
}

// The sizes both LSTM kernels run with, taken from checkLstmOperands in prepare.
class LstmKernel : public Kernel {
 protected:
  void takeSizes(const LstmSizes& z) {
    time_major_ = z.time_major;
    batches_ = z.batches;
    steps_ = z.steps;
    n_input_ = z.n_input;
    n_cell_ = z.n_cell;
    n_output_ = z.n_output;
  }
  bool time_major_ = false;
  int batches_ = 0, steps_ = 0, n_input_ = 0, n_cell_ = 0, n_output_ = 0;
};

class FloatLstmKernel : public LstmKernel {
 public:
  void prepare(KernelContext& ctx) override {
    takeSizes(checkLstmOperands(ctx, DType::Float32, DType::Float32));
    // Read and written as float (the run fuzzer's file had a smaller state type, read past its end).
    for (int i : {kInput, kOutputState, kCellState})
      if (ctx.input(static_cast<size_t>(i)).type() != DType::Float32)
        ctx.invalid("input " + std::to_string(i) + " of a float LSTM is " + dtypeName(ctx.input(static_cast<size_t>(i)).type()));
    if (ctx.output(0).type() != DType::Float32) ctx.invalid(std::string("the output of a float LSTM is ") + dtypeName(ctx.output(0).type()));
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
    // In TFLite's order: the bias first (unless layer norm adds it later), then each matrix product as its own
    // dot product, then the peephole term, so float rounding matches.
    for (int k = 0; k < n_cell_; ++k) {
      float acc = !ln && bias ? bias[k] : 0.f;
      float dot_in = 0, dot_rec = 0;
      for (int j = 0; j < n_input_; ++j) dot_in += w[static_cast<size_t>(k) * n_input_ + j] * x[j];
      acc += dot_in;
      for (int j = 0; j < n_output_; ++j) dot_rec += r[static_cast<size_t>(k) * n_output_ + j] * h[j];
      acc += dot_rec;
      if (p) acc += p[k] * c[k];
      out[static_cast<size_t>(k)] = acc;
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

  Activation activation_ = Activation::Tanh;
  float cell_clip_ = 0, proj_clip_ = 0;
};

// ---- full integer (int8 activations and weights, int16 cell state) ---------------------------------------------

struct IntegerGate {
  const int8_t* w_in = nullptr;   // [n_cell, n_input]
  const int8_t* w_rec = nullptr;  // [n_cell, n_output]
  std::vector<int32_t> bias_in, bias_rec;  // bias - zero point x row sums, folded once
  int32_t mult_in = 0, mult_rec = 0;
  int shift_in = 0, shift_rec = 0;
};

class IntegerLstmKernel : public LstmKernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(kInput);
    for (int i : {kCellToInput, kCellToForget, kCellToOutput, kProjectionWeights, kInputLayerNorm, kForgetLayerNorm,
                  kCellLayerNorm, kOutputLayerNorm})
      if (ctx.optionalInput(static_cast<size_t>(i)))
        ctx.unsupported("integer LSTM with peephole, projection or layer norm");
    takeSizes(checkLstmOperands(ctx, DType::Int8, DType::Int32));
    const RuntimeTensor& out_state = ctx.input(kOutputState);
    const RuntimeTensor& cell_state = ctx.input(kCellState);
    if (cell_state.type() != DType::Int16 || out_state.type() != DType::Int8)
      ctx.unsupported("integer LSTM state types other than int8 output / int16 cell");
    if (in.type() != DType::Int8 || ctx.output(0).type() != DType::Int8)
      ctx.unsupported("integer LSTM input or output types other than int8");
    // The cell state's scale must be a power of two: its exponent sets the fixed-point formats.
    cell_scale_log2_ = static_cast<int>(std::lround(std::log2(cell_state.scale())));
    if (std::ldexp(1.0f, cell_scale_log2_) != cell_state.scale()) ctx.unsupported("a cell state scale that is not a power of two");
    // The fixed-point tanh of the cell reads it with 15 + k integer bits, which must leave it fraction bits.
    if (cell_scale_log2_ < -15 || cell_scale_log2_ > -3)
      ctx.unsupported("a cell state scale 2^" + std::to_string(cell_scale_log2_) + " outside 2^-15 .. 2^-3");
    // Intermediate tensors carry the gate scales when layer norm is used; without it gates are Q3.12 and the
    // fifth intermediate gives the hidden state's scale and zero point.
    if (ctx.op.intermediates.size() < 5) ctx.invalid("integer LSTM needs its 5 intermediate tensors");
    const Tensor& hidden = ctx.model.subgraphs[0].tensors[static_cast<size_t>(ctx.op.intermediates[4])];
    if (hidden.quant.scale.empty()) ctx.invalid("the hidden-state intermediate has no scale");
    const float gate_scale = static_cast<float>(std::pow(2, -12));
    const float input_scale = in.scale(), state_scale = out_state.scale();
    const int32_t input_zp = in.zeroPoint(), state_zp = out_state.zeroPoint();
    cifg_ = ctx.optionalInput(kInputToInput) == nullptr;
    auto makeGate = [&](int w_in, int w_rec, int bias) {
      IntegerGate g;
      const RuntimeTensor& wi = ctx.input(static_cast<size_t>(w_in));
      const RuntimeTensor& wr = ctx.input(static_cast<size_t>(w_rec));
      g.w_in = wi.data<int8_t>();
      g.w_rec = wr.data<int8_t>();
      const RuntimeTensor* b = ctx.optionalInput(static_cast<size_t>(bias));
      g.bias_in.assign(static_cast<size_t>(n_cell_), 0);
      g.bias_rec.assign(static_cast<size_t>(n_cell_), 0);
      for (int r = 0; r < n_cell_; ++r) {
        int32_t sum_in = 0, sum_rec = 0;
        for (int c = 0; c < n_input_; ++c) sum_in += g.w_in[static_cast<size_t>(r) * n_input_ + c];
        for (int c = 0; c < n_output_; ++c) sum_rec += g.w_rec[static_cast<size_t>(r) * n_output_ + c];
        g.bias_in[static_cast<size_t>(r)] =
            static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(int64_t{b ? b->data<int32_t>()[r] : 0} -
                                                                         int64_t{input_zp} * sum_in, INT32_MIN), INT32_MAX));
        g.bias_rec[static_cast<size_t>(r)] = -state_zp * sum_rec;
      }
      // Effective scales in float, as TFLite computes them, then to multiplier and shift.
      float s_in = wi.scale() * input_scale / gate_scale;
      float s_rec = wr.scale() * state_scale / gate_scale;
      quantizeMultiplier(s_in, &g.mult_in, &g.shift_in);
      quantizeMultiplier(s_rec, &g.mult_rec, &g.shift_rec);
      return g;
    };
    if (!cifg_) input_gate_ = makeGate(kInputToInput, kRecurrentToInput, kInputGateBias);
    forget_gate_ = makeGate(kInputToForget, kRecurrentToForget, kForgetGateBias);
    cell_gate_ = makeGate(kInputToCell, kRecurrentToCell, kCellGateBias);
    output_gate_ = makeGate(kInputToOutput, kRecurrentToOutput, kOutputGateBias);
    const float hidden_scale = static_cast<float>(std::pow(2, -15) / hidden.quant.scale[0] * std::pow(2, -15));
    quantizeMultiplier(hidden_scale, &hidden_mult_, &hidden_shift_);
    hidden_zp_ = hidden.quant.zero_point.empty() ? 0 : static_cast<int32_t>(hidden.quant.zero_point[0]);
    const double clip = ctx.floatOption("cell_clip", 0) / static_cast<double>(cell_state.scale());
    cell_clip_ = static_cast<int16_t>(std::min(std::max(clip, -32768.0), 32767.0));
    ctx.output(0).resize(time_major_ ? std::vector<int32_t>{steps_, batches_, n_output_}
                                     : std::vector<int32_t>{batches_, steps_, n_output_});
  }

  void eval(KernelContext& ctx) override {
    const int8_t* x_all = ctx.input(kInput).data<int8_t>();
    int8_t* h_all = ctx.input(kOutputState).mutableData<int8_t>();
    int16_t* c_all = ctx.input(kCellState).mutableData<int16_t>();
    int8_t* out_all = ctx.output(0).mutableData<int8_t>();
    std::vector<int16_t> f(n_cell_), g(n_cell_), i(n_cell_), o(n_cell_);
    for (int t = 0; t < steps_; ++t)
      for (int b = 0; b < batches_; ++b) {
        const size_t row = time_major_ ? static_cast<size_t>(t) * batches_ + b : static_cast<size_t>(b) * steps_ + t;
        const int8_t* x = x_all + row * n_input_;
        int8_t* h = h_all + static_cast<size_t>(b) * n_output_;
        int16_t* c = c_all + static_cast<size_t>(b) * n_cell_;
        gate(forget_gate_, x, h, f);
        for (int16_t& v : f) v = fp16::logistic(v, 3);
        gate(cell_gate_, x, h, g);
        for (int16_t& v : g) v = fp16::tanh(v, 3);
        if (cifg_) {
          for (int k = 0; k < n_cell_; ++k) i[static_cast<size_t>(k)] = static_cast<int16_t>(32767 - f[static_cast<size_t>(k)]);
        } else {
          gate(input_gate_, x, h, i);
          for (int16_t& v : i) v = fp16::logistic(v, 3);
        }
        // c = f * c (Q0.15 x cell format, shift 15) + i * g (Q0.15 x Q0.15 into the cell format).
        for (int k = 0; k < n_cell_; ++k) {
          int32_t kept = ql::roundingDivideByPOT(static_cast<int32_t>(f[static_cast<size_t>(k)]) * c[k], 15);
          int32_t added = ql::roundingDivideByPOT(static_cast<int32_t>(i[static_cast<size_t>(k)]) * g[static_cast<size_t>(k)],
                                                  30 + cell_scale_log2_);
          int32_t sum = std::min(32767, std::max(-32768, static_cast<int32_t>(static_cast<int16_t>(kept)) +
                                                             static_cast<int16_t>(added)));
          if (cell_clip_ > 0) sum = std::min<int32_t>(std::max<int32_t>(sum, -cell_clip_), cell_clip_);
          c[k] = static_cast<int16_t>(sum);
        }
        gate(output_gate_, x, h, o);
        for (int16_t& v : o) v = fp16::logistic(v, 3);
        // h = o * tanh(c), requantized to the hidden (= output state) format.
        for (int k = 0; k < n_cell_ && k < n_output_; ++k) {
          int16_t tc = fp16::tanh(c[k], 15 + cell_scale_log2_);
          int32_t v = multiplyByQuantizedMultiplier(static_cast<int32_t>(o[static_cast<size_t>(k)]) * tc, hidden_mult_,
                                                    hidden_shift_) + hidden_zp_;
          h[k] = static_cast<int8_t>(std::min(127, std::max(-128, v)));
        }
        std::memcpy(out_all + row * n_output_, h, static_cast<size_t>(n_output_));
      }
  }

 private:
  // gate = requant(W x + bias_in) + requant(R h + bias_rec), each saturated to int16 (Q3.12). The sums are kept
  // in int64 and saturated to int32: a valid model never gets near, a damaged bias must not overflow.
  void gate(const IntegerGate& gt, const int8_t* x, const int8_t* h, std::vector<int16_t>& out) const {
    auto saturate32 = [](int64_t v) {
      return static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(v, INT32_MIN), INT32_MAX));
    };
    for (int r = 0; r < n_cell_; ++r) {
      int64_t acc = gt.bias_in[static_cast<size_t>(r)];
      for (int col = 0; col < n_input_; ++col) acc += x[col] * gt.w_in[static_cast<size_t>(r) * n_input_ + col];
      const int64_t from_input = multiplyByQuantizedMultiplier(saturate32(acc), gt.mult_in, gt.shift_in);
      int64_t acc2 = gt.bias_rec[static_cast<size_t>(r)];
      for (int col = 0; col < n_output_; ++col) acc2 += h[col] * gt.w_rec[static_cast<size_t>(r) * n_output_ + col];
      const int64_t v = std::min<int64_t>(32767, std::max<int64_t>(-32768, from_input)) +
                        multiplyByQuantizedMultiplier(saturate32(acc2), gt.mult_rec, gt.shift_rec);
      out[static_cast<size_t>(r)] = static_cast<int16_t>(std::min<int64_t>(32767, std::max<int64_t>(-32768, v)));
    }
  }

  bool cifg_ = false;
  int cell_scale_log2_ = 0;
  IntegerGate input_gate_, forget_gate_, cell_gate_, output_gate_;
  int32_t hidden_mult_ = 0, hidden_zp_ = 0;
  int hidden_shift_ = 0;
  int16_t cell_clip_ = 0;
};

}  // namespace

void registerLstmKernels(KernelRegistry& r) {
  r.add("UNIDIRECTIONAL_SEQUENCE_LSTM", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 20 || !ctx.in[0] || !ctx.in[kInputToForget]) return nullptr;
    if (ctx.in[0]->type() == DType::Float32 && ctx.in[kInputToForget]->type() == DType::Float32)
      return std::make_unique<FloatLstmKernel>();
    if (ctx.in[0]->type() == DType::Int8 && ctx.in[kInputToForget]->type() == DType::Int8)
      return std::make_unique<IntegerLstmKernel>();
    return nullptr;  // hybrid (float input, int8 weights) is not implemented yet
  });
}

}  // namespace ql
