// CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV:
//  - small hand-computed cases (padding, stride, dilation, per-channel, saturation, depth multiplier, 16x8, hybrid);
//  - the fast paths against the plain loops on random shapes and data, bit for bit at every SIMD level this CPU
//    has (float kernels too: neither fuses multiply-adds);
//  - every conv-family op (and FULLY_CONNECTED) of every golden model, cut out and run alone on the tensors the
//    real runtime fed it, against what it produced (ConvFamilyGolden);
//  - 16x8 and hybrid kernels against the real runtime (oracle), where no golden model has them.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "kernels/conv_geometry.h"
#include "kernels/conv_hybrid_input.h"
#include "kernels/conv_requant16.h"
#include "kernels/gemm_dispatch.h"
#include "model/dtype.h"
#include "model/quantization_kind.h"
#include "model/reader.h"
#include "model/writer.h"
#include "runtime/interpreter.h"
#include "runtime/tensor_dump.h"
#include "support/feed_check.h"
#include "support/kernel_path.h"
#include "support/op_isolation.h"
#include "support/op_model.h"
#include "support/random_data.h"
#include "support/runtime_check.h"
#include "support/tensor_compare.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

nlohmann::json convOptions(const char* padding, int stride, int dilation = 1, const char* act = "NONE") {
  return {{"padding", padding}, {"stride_w", stride}, {"stride_h", stride}, {"dilation_w_factor", dilation},
          {"dilation_h_factor", dilation}, {"fused_activation_function", act}};
}

// ---- hand-computed cases -------------------------------------------------------------------------------------------

TEST(Conv2D, FloatSameAndValidPadding) {
  // 3x3 input 1..9, one 2x2 filter of ones: VALID gives the four 2x2 sums; SAME adds the clipped right/bottom.
  for (const char* padding : {"VALID", "SAME"}) {
    OpModel m;
    int in = m.input({DType::Float32, {1, 3, 3, 1}});
    int w = m.constant<float>({DType::Float32, {1, 2, 2, 1}}, {1, 1, 1, 1});
    int b = m.constant<float>({DType::Float32, {1}}, {0.5f});
    int out = m.output({DType::Float32, {1, 1, 1, 1}});
    m.op("CONV_2D", {in, w, b}, {out}, "Conv2DOptions", convOptions(padding, 1));
    m.setInput<float>(0, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    m.invoke();
    if (std::string(padding) == "VALID") {
      EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{1, 2, 2, 1}));
      EXPECT_EQ(m.output<float>(0), (std::vector<float>{12.5f, 16.5f, 24.5f, 28.5f}));
    } else {
      EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{1, 3, 3, 1}));
      EXPECT_EQ(m.output<float>(0), (std::vector<float>{12.5f, 16.5f, 9.5f, 24.5f, 28.5f, 15.5f, 15.5f, 17.5f, 9.5f}));
    }
  }
}

TEST(Conv2D, FloatStrideDilationAndRelu6) {
  OpModel m;
  int in = m.input({DType::Float32, {1, 5, 5, 1}});
  int w = m.constant<float>({DType::Float32, {1, 2, 2, 1}}, {1, 1, 1, 1});
  int out = m.output({DType::Float32, {1, 1, 1, 1}});
  m.op("CONV_2D", {in, w, -1}, {out}, "Conv2DOptions", convOptions("VALID", 2, 2, "RELU6"));
  std::vector<float> x(25);
  for (int i = 0; i < 25; ++i) x[static_cast<size_t>(i)] = static_cast<float>(i) * 0.1f;
  m.setInput(0, x);
  m.invoke();
  // A dilated 2x2 window spans 3x3: taps (0,0),(0,2),(2,0),(2,2); stride 2 over 5 gives 2 positions per axis.
  EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{1, 2, 2, 1}));
  auto y = m.output<float>(0);
  EXPECT_NEAR(y[0], (0 + 2 + 10 + 12) * 0.1f, 1e-5f);
  EXPECT_FLOAT_EQ(y[3], 6.0f);  // (12+14+22+24)*0.1 = 7.2, clamped by RELU6
}

TEST(Conv2D, Int8PerChannelWithInputZeroPointSaturates) {
  for (Arithmetic arithmetic : {Arithmetic::Deployed, Arithmetic::Reference}) {
    OpModel m;
    int in = m.input({DType::Int8, {1, 1, 1, 2}, {0.5f}, {-10}});
    // Two output channels with their own scales.
    int w = m.constant<int8_t>({DType::Int8, {2, 1, 1, 2}, {0.25f, 1.0f}, {0, 0}, 0}, {4, -4, 127, 127});
    int b = m.constant<int32_t>({DType::Int32, {2}, {0.125f, 0.5f}, {0, 0}}, {8, 0});
    int out = m.output({DType::Int8, {1, 1, 1, 2}, {0.5f}, {3}});
    m.op("CONV_2D", {in, w, b}, {out}, "Conv2DOptions", convOptions("VALID", 1));
    m.interpreter(arithmetic);
    // Real inputs: (x - zp) * 0.5 = (20, 6) * 0.5 -> 10, 3.
    m.setInput<int8_t>(0, {10, -4});
    m.invoke();
    auto y = m.output<int8_t>(0);
    // channel 0: acc = 20*4 + 6*(-4) + 8 = 64; real = 64 * 0.5 * 0.25 = 8 -> 8 / 0.5 + 3 = 19
    EXPECT_EQ(y[0], 19);
    // channel 1: acc = (20 + 6) * 127 = 3302; real = 1651 -> far above the int8 range: saturates at 127
    EXPECT_EQ(y[1], 127);
  }
}

TEST(Conv2D, Uint8RoundsHalfToEvenDeployedAndAwayFromZeroInReference) {
  // acc * scale = 2.5 exactly: XNNPACK's fp32 requantization rounds to 2, TFLite's fixed point to 3.
  for (Arithmetic arithmetic : {Arithmetic::Deployed, Arithmetic::Reference}) {
    OpModel m;
    int in = m.input({DType::UInt8, {1, 1, 1, 1}, {0.5f}, {100}});
    int w = m.constant<uint8_t>({DType::UInt8, {1, 1, 1, 1}, {0.5f}, {128}}, {133});  // w - zp = 5
    int out = m.output({DType::UInt8, {1, 1, 1, 1}, {1.0f}, {0}});
    m.op("CONV_2D", {in, w, -1}, {out}, "Conv2DOptions", convOptions("VALID", 1));
    m.interpreter(arithmetic);
    m.setInput<uint8_t>(0, {102});  // x - zp = 2: acc = 10, scale 0.25 -> 2.5
    m.invoke();
    EXPECT_EQ(m.output<uint8_t>(0)[0], arithmetic == Arithmetic::Deployed ? 2 : 3);
  }
}

TEST(DepthwiseConv2D, DepthMultiplierTwo) {
  OpModel m;
  int in = m.input({DType::Float32, {1, 2, 2, 1}});
  int w = m.constant<float>({DType::Float32, {1, 2, 2, 2}}, {1, 10, 1, 10, 1, 10, 1, 10});
  int out = m.output({DType::Float32, {1, 1, 1, 2}});
  m.op("DEPTHWISE_CONV_2D", {in, w, -1}, {out}, "DepthwiseConv2DOptions",
       {{"padding", "VALID"}, {"stride_w", 1}, {"stride_h", 1}, {"depth_multiplier", 2}});
  m.setInput<float>(0, {1, 2, 3, 4});
  m.invoke();
  EXPECT_EQ(m.output<float>(0), (std::vector<float>{10, 100}));
}

TEST(DepthwiseConv2D, Uint8SamePaddingAddsNothingOverTheBorder) {
  // 3x3 ones filter over a 2x2 image with SAME padding: every output sums the whole image (padding is the zero
  // point, i.e. real 0). Real inputs 1, 2, 3, 4 -> 10 each.
  OpModel m;
  int in = m.input({DType::UInt8, {1, 2, 2, 1}, {1.0f}, {7}});
  int w = m.constant<uint8_t>({DType::UInt8, {1, 3, 3, 1}, {1.0f}, {3}}, std::vector<uint8_t>(9, 4));
  int out = m.output({DType::UInt8, {1, 2, 2, 1}, {1.0f}, {5}});
  m.op("DEPTHWISE_CONV_2D", {in, w, -1}, {out}, "DepthwiseConv2DOptions",
       {{"padding", "SAME"}, {"stride_w", 1}, {"stride_h", 1}, {"depth_multiplier", 1}});
  m.setInput<uint8_t>(0, {8, 9, 10, 11});
  m.invoke();
  EXPECT_EQ(m.output<uint8_t>(0), (std::vector<uint8_t>{15, 15, 15, 15}));
}

TEST(Requantize16x8, Int64SumsUseTheMultiplierRoundedToSixteenBits) {
  // real multiplier 1/3: quantizeMultiplier gives 1431655765 * 2^(-1-31). TFLite's 64-bit path first rounds the
  // multiplier to 16 bits (21845), so large sums come out smaller than with all 31 bits (values from an
  // independent transcription of tensorflow/lite/kernels/internal/common.cc).
  int32_t multiplier = 0;
  int shift = 0;
  quantizeMultiplier(1.0 / 3.0, &multiplier, &shift);
  ASSERT_EQ(multiplier, 1431655765);
  ASSERT_EQ(shift, -1);
  EXPECT_EQ(multiplyByQuantizedMultiplier16BitMultiplier(3145728, multiplier, shift), 1048560);  // 31 bits: 1048576
  EXPECT_EQ(multiplyByQuantizedMultiplier16BitMultiplier(12345678, multiplier, shift), 4115163);
  EXPECT_EQ(multiplyByQuantizedMultiplier16BitMultiplier(100, multiplier, shift), 33);
  EXPECT_EQ(multiplyByQuantizedMultiplier16BitMultiplier(-100, multiplier, shift), -33);
}

TEST(Conv2D, Int16x8RequantizesPerChannelWithActivation) {
  for (bool wide_bias : {false, true}) {
    SCOPED_TRACE(wide_bias ? "int64 bias" : "int32 bias");
    OpModel m;
    int in = m.input({DType::Int16, {1, 1, 2, 2}, {0.5f}, {0}});
    int w = m.constant<int8_t>({DType::Int8, {2, 1, 1, 2}, {0.25f, 0.5f}, {0, 0}, 0}, {1, 2, -3, 4});
    int b = wide_bias ? m.constant<int64_t>({DType::Int64, {2}, {0.125f, 0.25f}, {0, 0}}, {4, -8})
                      : m.constant<int32_t>({DType::Int32, {2}, {0.125f, 0.25f}, {0, 0}}, {4, -8});
    int out = m.output({DType::Int16, {1, 1, 2, 2}, {0.25f}, {0}});
    m.op("CONV_2D", {in, w, b}, {out}, "Conv2DOptions", convOptions("VALID", 1, 1, "RELU"));
    m.setInput<int16_t>(0, {10, 20, -6, 7});
    m.invoke();
    // multipliers 0.5 (channel 0) and 1 (channel 1).
    // pixel 0: c0 acc = 10 + 40 + 4 = 54 -> 27; c1 acc = -30 + 80 - 8 = 42 -> 42
    // pixel 1: c0 acc = -6 + 14 + 4 = 12 -> 6; c1 acc = 18 + 28 - 8 = 38 -> 38
    EXPECT_EQ(m.output<int16_t>(0), (std::vector<int16_t>{27, 42, 6, 38}));
    // pixel 0: c0 -100 + 4 = -96 -> -48 -> RELU 0; c1 300 - 8 = 292; pixel 1: c0 4 -> 2, c1 -8 -> RELU 0
    m.setInput<int16_t>(0, {-100, 0, 0, 0});
    m.invoke();
    EXPECT_EQ(m.output<int16_t>(0), (std::vector<int16_t>{0, 292, 2, 0}));
  }
}

TEST(Conv2D, HybridWithOneWeightScaleQuantizesSymmetrically) {
  // One weight scale: the input is quantized symmetrically (scale max|x| / 127) and the weights' scale folded in.
  OpModel m;
  int in = m.input({DType::Float32, {1, 1, 1, 2}});
  int w = m.constant<int8_t>({DType::Int8, {1, 1, 1, 2}, {0.5f}, {0}}, {2, 4});  // real 1, 2
  int b = m.constant<float>({DType::Float32, {1}}, {0.25f});
  int out = m.output({DType::Float32, {1, 1, 1, 1}});
  m.op("CONV_2D", {in, w, b}, {out}, "Conv2DOptions", convOptions("VALID", 1));
  m.setInput<float>(0, {1.f, -0.5f});  // scale 1/127: q = 127, -64 (-63.5 rounds away from zero)
  m.invoke();
  // acc = 127 * 2 - 64 * 4 = -2 -> -2 * (0.5 / 127) + 0.25. (Asymmetric quantization would give exactly 0.25.)
  EXPECT_NEAR(m.output<float>(0)[0], 0.25f - 1.f / 127.f, 1e-6f);
}

TEST(DepthwiseConv2D, HybridQuantizesAsymmetricallyPerBatch) {
  OpModel m;
  int in = m.input({DType::Float32, {2, 1, 1, 2}});
  int w = m.constant<int8_t>({DType::Int8, {1, 1, 1, 2}, {1.0f, 0.5f}, {0, 0}, 3}, {1, 2});  // real 1, 1
  int out = m.output({DType::Float32, {2, 1, 1, 2}});
  m.op("DEPTHWISE_CONV_2D", {in, w, -1}, {out}, "DepthwiseConv2DOptions",
       {{"padding", "VALID"}, {"stride_w", 1}, {"stride_h", 1}, {"depth_multiplier", 1}});
  m.setInput<float>(0, {0.f, 2.55f, -1.f, 1.f});
  m.invoke();
  auto y = m.output<float>(0);
  // Batch 0 spans [0, 2.55]: scale 0.01, zero point -128, both values exact on the grid.
  EXPECT_NEAR(y[0], 0.f, 1e-6f);
  EXPECT_NEAR(y[1], 2.55f, 1e-5f);
  EXPECT_NEAR(y[2], -1.f, 0.01f);
  EXPECT_NEAR(y[3], 1.f, 0.01f);
}

TEST(TransposeConv, FloatStrideTwoScattersEachPixel) {
  // 2x2 input, 2x2 ones filter, stride 2, VALID: each input pixel fills its own 2x2 block of a 4x4 output.
  OpModel m;
  int shape = m.constant<int32_t>({DType::Int32, {4}}, {1, 4, 4, 1});
  int w = m.constant<float>({DType::Float32, {1, 2, 2, 1}}, {1, 1, 1, 1});
  int in = m.input({DType::Float32, {1, 2, 2, 1}});
  int out = m.output({DType::Float32, {1, 4, 4, 1}});
  m.op("TRANSPOSE_CONV", {shape, w, in}, {out}, "TransposeConvOptions",
       {{"padding", "VALID"}, {"stride_w", 2}, {"stride_h", 2}});
  m.setInput<float>(0, {1, 2, 3, 4});
  m.invoke();
  EXPECT_EQ(m.output<float>(0), (std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
}

TEST(TransposeConv, Int8OverlapsAddUpAndRequantize) {
  // stride 1 with a 2x2 filter on a 1x2 input: the middle column receives both pixels.
  OpModel m;
  int shape = m.constant<int32_t>({DType::Int32, {4}}, {1, 2, 3, 1});
  int w = m.constant<int8_t>({DType::Int8, {1, 2, 2, 1}, {1.f}, {0}}, {1, 1, 1, 1});
  int in = m.input({DType::Int8, {1, 1, 2, 1}, {1.f}, {1}});
  int out = m.output({DType::Int8, {1, 2, 3, 1}, {1.f}, {0}});
  m.op("TRANSPOSE_CONV", {shape, w, in}, {out}, "TransposeConvOptions",
       {{"padding", "VALID"}, {"stride_w", 1}, {"stride_h", 1}});
  m.setInput<int8_t>(0, {3, 5});  // real 2 and 4
  m.invoke();
  EXPECT_EQ(m.output<int8_t>(0), (std::vector<int8_t>{2, 6, 4, 2, 6, 4}));
}

TEST(TransposeConv, Int16x8WithInt64Bias) {
  OpModel m;
  int shape = m.constant<int32_t>({DType::Int32, {4}}, {1, 2, 3, 1});
  int w = m.constant<int8_t>({DType::Int8, {1, 2, 2, 1}, {0.5f}, {0}}, {2, 2, 2, 2});  // real 1
  int in = m.input({DType::Int16, {1, 1, 2, 1}, {0.5f}, {0}});
  int b = m.constant<int64_t>({DType::Int64, {1}, {0.25f}, {0}}, {4});  // real 1
  int out = m.output({DType::Int16, {1, 2, 3, 1}, {0.5f}, {0}});
  m.op("TRANSPOSE_CONV", {shape, w, in, b}, {out}, "TransposeConvOptions",
       {{"padding", "VALID"}, {"stride_w", 1}, {"stride_h", 1}});
  m.setInput<int16_t>(0, {4, 8});  // real 2 and 4
  m.invoke();
  // real outputs 2+1, 6+1, 4+1 per row -> / 0.5
  EXPECT_EQ(m.output<int16_t>(0), (std::vector<int16_t>{6, 14, 10, 6, 14, 10}));
}

TEST(Conv2D, RejectsWeightScalesThatDoNotMatchTheChannels) {
  OpModel m;
  int in = m.input({DType::Int8, {1, 1, 1, 1}, {1.f}, {0}});
  int w = m.constant<int8_t>({DType::Int8, {3, 1, 1, 1}, {1.f, 1.f}, {0, 0}}, {1, 1, 1});
  int out = m.output({DType::Int8, {1, 1, 1, 3}, {1.f}, {0}});
  m.op("CONV_2D", {in, w, -1}, {out}, "Conv2DOptions", convOptions("VALID", 1));
  EXPECT_ANY_THROW(m.interpreter());
}

// ---- fast paths against the plain loops ----------------------------------------------------------------------------

std::vector<SimdLevel> levelsToTest() {
  std::vector<SimdLevel> out{SimdLevel::Generic};
  if (cpuSimdLevel() >= SimdLevel::Avx2) out.push_back(SimdLevel::Avx2);
  if (cpuSimdLevel() >= SimdLevel::Avx512Vnni) out.push_back(SimdLevel::Avx512Vnni);
  return out;
}

std::vector<uint8_t> outputBytes(OpModel& m) {
  const RuntimeTensor& t = m.interpreter().output(0);
  return std::vector<uint8_t>(t.raw(), t.raw() + t.bytes());
}

std::vector<uint8_t> runPath(OpModel& m, bool fast, SimdLevel level) {
  ScopedKernelPath path(fast, level);
  m.invoke();
  return outputBytes(m);
}

std::string firstDifference(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  if (a.size() != b.size()) return "sizes " + std::to_string(a.size()) + " and " + std::to_string(b.size());
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return "byte " + std::to_string(i) + ": " + std::to_string(a[i]) + " vs " + std::to_string(b[i]);
  return "";
}

struct RandomConv {
  bool depthwise = false;
  DType type = DType::Int8;  // Int8, UInt8, Float32, or Float32 activations with Int8 weights (hybrid)
  bool hybrid = false;
  int batches = 1, h = 1, w = 1, cin = 1, cout = 1, kh = 1, kw = 1, stride = 1, dilation = 1, multiplier = 1;
  const char* padding = "SAME";
  const char* activation = "NONE";
  bool per_channel = false;
  bool bias = true;
  int32_t in_zp = 0, w_zp = 0, out_zp = 0;
  std::string describe() const {
    std::ostringstream os;
    os << (depthwise ? "DEPTHWISE" : "CONV") << " " << dtypeName(type) << (hybrid ? " hybrid" : "") << " n" << batches
       << " " << h << "x" << w << "x" << cin << " -> " << cout << " k" << kh << "x" << kw << " s" << stride << " d"
       << dilation << " " << padding << " " << activation << (per_channel ? " per-channel" : "") << " zp " << in_zp
       << "/" << w_zp << "/" << out_zp << (bias ? "" : " no bias");
    return os.str();
  }
};

RandomConv randomConv(std::mt19937& rng, bool depthwise, DType type, bool hybrid) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  RandomConv c;
  c.depthwise = depthwise, c.type = type, c.hybrid = hybrid;
  c.batches = pick(1, 2);
  c.h = pick(1, 11), c.w = pick(1, 11);
  c.cin = depthwise ? pick(1, 40) : pick(1, 48);
  c.multiplier = depthwise && pick(0, 4) == 0 ? 2 : 1;
  c.cout = depthwise ? c.cin * c.multiplier : pick(1, 70);
  const int k = std::vector<int>{1, 1, 3, 3, 3, 2, 5}[static_cast<size_t>(pick(0, 6))];
  c.kh = k, c.kw = pick(0, 5) == 0 ? std::max(1, k - 1) : k;
  c.stride = pick(1, 2);
  c.dilation = pick(0, 4) == 0 ? 2 : 1;
  c.padding = pick(0, 1) ? "SAME" : "VALID";
  if ((c.h - 1) < (c.kh - 1) * c.dilation || (c.w - 1) < (c.kw - 1) * c.dilation) c.padding = "SAME";
  c.activation = std::vector<const char*>{"NONE", "RELU", "RELU6", "RELU_N1_TO_1"}[static_cast<size_t>(pick(0, 3))];
  c.per_channel = type == DType::Int8 && pick(0, 1) == 1;
  c.bias = pick(0, 5) != 0;
  if (type == DType::UInt8) {
    c.in_zp = pick(0, 255), c.out_zp = pick(0, 255);
    // Weights whose zero point is far from 128 do not fit int8 once centred: the VNNI path's raw-weight branch.
    c.w_zp = std::vector<int>{128, 0, 255, pick(0, 255)}[static_cast<size_t>(pick(0, 3))];
  } else if (type == DType::Int8) {
    c.in_zp = pick(-128, 127), c.out_zp = pick(-128, 127);
  }
  return c;
}

// Builds the op into `m` (weights and bias drawn from rng) and returns the input bytes to feed.
std::vector<uint8_t> buildConv(OpModel& m, const RandomConv& c, std::mt19937& rng) {
  const int wn = c.depthwise ? c.cout : c.cout;
  const std::vector<int32_t> w_shape = c.depthwise ? std::vector<int32_t>{1, c.kh, c.kw, c.cout}
                                                   : std::vector<int32_t>{c.cout, c.kh, c.kw, c.cin};
  const size_t w_count = static_cast<size_t>(c.kh) * c.kw * (c.depthwise ? c.cout : c.cout * c.cin);
  const size_t in_count = static_cast<size_t>(c.batches) * c.h * c.w * c.cin;
  const int depth = c.depthwise ? c.kh * c.kw : c.kh * c.kw * c.cin;
  std::vector<uint8_t> input;
  int in = -1, w = -1, b = -1;
  const int out_h = std::string(c.padding) == "SAME" ? (c.h + c.stride - 1) / c.stride
                                                     : (c.h - ((c.kh - 1) * c.dilation + 1) + c.stride) / c.stride;
  const int out_w = std::string(c.padding) == "SAME" ? (c.w + c.stride - 1) / c.stride
                                                     : (c.w - ((c.kw - 1) * c.dilation + 1) + c.stride) / c.stride;
  TensorSpec out_spec{c.hybrid ? DType::Float32 : c.type, {c.batches, out_h, out_w, c.cout}};
  if (c.type == DType::Float32 && !c.hybrid) {
    in = m.input({DType::Float32, {c.batches, c.h, c.w, c.cin}});
    w = m.constant<float>({DType::Float32, w_shape}, randomFloats(rng, w_count, -1.f, 1.f));
    if (c.bias) b = m.constant<float>({DType::Float32, {c.cout}}, randomFloats(rng, static_cast<size_t>(c.cout), -1, 1));
    auto x = randomFloats(rng, in_count, -2.f, 2.f);
    input.resize(x.size() * 4);
    std::memcpy(input.data(), x.data(), input.size());
  } else if (c.hybrid) {
    std::vector<float> scales = randomFloats(rng, c.per_channel ? static_cast<size_t>(wn) : 1, 0.002f, 0.02f);
    in = m.input({DType::Float32, {c.batches, c.h, c.w, c.cin}});
    w = m.constant<int8_t>({DType::Int8, w_shape, scales, std::vector<int64_t>(scales.size(), 0), c.depthwise ? 3 : 0},
                           randomValues<int8_t>(rng, w_count, -127, 127));
    if (c.bias) b = m.constant<float>({DType::Float32, {c.cout}}, randomFloats(rng, static_cast<size_t>(c.cout), -1, 1));
    auto x = randomFloats(rng, in_count, -3.f, 1.f);
    input.resize(x.size() * 4);
    std::memcpy(input.data(), x.data(), input.size());
  } else {
    const bool u8 = c.type == DType::UInt8;
    const float in_scale = 0.05f;
    std::vector<float> w_scales = randomFloats(rng, c.per_channel ? static_cast<size_t>(wn) : 1, 0.005f, 0.03f);
    in = m.input({c.type, {c.batches, c.h, c.w, c.cin}, {in_scale}, {c.in_zp}});
    TensorSpec ws{c.type, w_shape, w_scales, std::vector<int64_t>(w_scales.size(), c.w_zp), c.depthwise ? 3 : 0};
    double w_square = 0;  // mean of (w - w_zp)^2, for the spread of the sums
    if (u8) {
      std::vector<uint8_t> wv = randomValues<uint8_t>(rng, w_count, 0, 255);
      for (uint8_t v : wv) w_square += (v - c.w_zp) * (v - c.w_zp);
      w = m.constant<uint8_t>(ws, wv);
    } else {
      std::vector<int8_t> wv = randomValues<int8_t>(rng, w_count, -127, 127);
      for (int8_t v : wv) w_square += (v - c.w_zp) * (v - c.w_zp);
      w = m.constant<int8_t>(ws, wv);
    }
    w_square /= static_cast<double>(std::max<size_t>(w_count, 1));
    if (c.bias) {
      std::vector<float> bs;
      for (float s : w_scales) bs.push_back(s * in_scale);
      b = m.constant<int32_t>({DType::Int32, {c.cout}, bs, std::vector<int64_t>(bs.size(), 0)},
                              randomValues<int32_t>(rng, static_cast<size_t>(c.cout), -3000, 3000));
    }
    // Inputs spread +-60 around their zero point; the output scale puts 3 standard deviations of the sums at the
    // edge of the output range, so most outputs are in range, some saturate, and every rounding is exercised.
    const double sum_sd = std::sqrt(static_cast<double>(depth) * 1200.0 * w_square) + 1.0;
    out_spec.scale = {static_cast<float>(in_scale * w_scales[0] * 3.0 * sum_sd / 127.0)};
    out_spec.zero_point = {c.out_zp};
    input.resize(in_count);
    std::uniform_int_distribution<int> spread(-60, 60);
    for (auto& x : input) {
      const int v = c.in_zp + spread(rng);
      x = static_cast<uint8_t>(u8 ? std::min(255, std::max(0, v)) : std::min(127, std::max(-128, v)));
    }
  }
  int out = m.output(out_spec);
  if (c.depthwise)
    m.op("DEPTHWISE_CONV_2D", {in, w, b}, {out}, "DepthwiseConv2DOptions",
         {{"padding", c.padding}, {"stride_w", c.stride}, {"stride_h", c.stride}, {"depth_multiplier", c.multiplier},
          {"dilation_w_factor", c.dilation}, {"dilation_h_factor", c.dilation},
          {"fused_activation_function", c.activation}});
  else
    m.op("CONV_2D", {in, w, b}, {out}, "Conv2DOptions", convOptions(c.padding, c.stride, c.dilation, c.activation));
  return input;
}

void checkCaseFastAgainstPlain(const RandomConv& c, uint32_t case_seed) {
  for (Arithmetic arithmetic : {Arithmetic::Deployed, Arithmetic::Reference}) {
    if ((c.type == DType::Float32 || c.hybrid) && arithmetic == Arithmetic::Reference) continue;
    SCOPED_TRACE(c.describe() + (arithmetic == Arithmetic::Reference ? " reference" : " deployed"));
    std::mt19937 data(case_seed);
    OpModel m;
    std::vector<uint8_t> input = buildConv(m, c, data);
    m.interpreter(arithmetic).setInput(0, input.data(), input.size());
    const std::vector<uint8_t> plain = runPath(m, false, SimdLevel::Generic);
    for (SimdLevel level : levelsToTest()) {
      const std::vector<uint8_t> fast = runPath(m, true, level);
      ASSERT_EQ(plain, fast) << simdLevelName(level) << ": " << firstDifference(plain, fast);
    }
  }
}

void checkFastAgainstPlain(bool depthwise, DType type, bool hybrid, int cases, uint32_t seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < cases; ++i) {
    RandomConv c = randomConv(rng, depthwise, type, hybrid);
    checkCaseFastAgainstPlain(c, static_cast<uint32_t>(rng()));
  }
}

TEST(ConvFastPath, Int8ConvMatchesThePlainLoopsBitForBit) { checkFastAgainstPlain(false, DType::Int8, false, 60, 1); }
TEST(ConvFastPath, Uint8ConvMatchesThePlainLoopsBitForBit) { checkFastAgainstPlain(false, DType::UInt8, false, 60, 2); }
TEST(ConvFastPath, Int8DepthwiseMatchesThePlainLoopsBitForBit) { checkFastAgainstPlain(true, DType::Int8, false, 60, 3); }
TEST(ConvFastPath, Uint8DepthwiseMatchesThePlainLoopsBitForBit) {
  checkFastAgainstPlain(true, DType::UInt8, false, 60, 4);
}
TEST(ConvFastPath, HybridConvMatchesThePlainLoopsBitForBit) { checkFastAgainstPlain(false, DType::Int8, true, 40, 5); }
TEST(ConvFastPath, HybridDepthwiseMatchesThePlainLoopsBitForBit) {
  checkFastAgainstPlain(true, DType::Int8, true, 40, 6);
}
TEST(ConvFastPath, FloatConvMatchesThePlainLoopsBitForBit) { checkFastAgainstPlain(false, DType::Float32, false, 40, 7); }
TEST(ConvFastPath, FloatDepthwiseMatchesThePlainLoopsBitForBit) { checkFastAgainstPlain(true, DType::Float32, false, 40, 8); }

// A window far larger than its input (SAME padding): the fast depthwise paths run only the taps that ever read the
// input and still equal the plain loops, which visit every tap, bit for bit (row-by-row float order kept for a
// 9x11 window even though the taps left are few).
TEST(ConvFastPath, DepthwiseWindowsLargerThanTheirInputSkipOnlyPaddingTaps) {
  for (DType type : {DType::Float32, DType::Int8, DType::UInt8}) {
    RandomConv c;
    c.depthwise = true, c.type = type;
    c.h = 3, c.w = 2, c.cin = c.cout = 11, c.kh = 9, c.kw = 11, c.stride = 2, c.dilation = 2;
    if (type == DType::UInt8) c.in_zp = 120, c.w_zp = 130, c.out_zp = 128;
    checkCaseFastAgainstPlain(c, 17);
  }
}

TEST(ConvGeometry, TrimmedWindowKeepsTheTapsThatReadTheInput) {
  ConvGeometry g;
  g.in_h = 1, g.in_w = 64, g.out_h = 1, g.out_w = 64, g.k_h = 8, g.k_w = 65544;
  g.pad_h = 3, g.pad_w = 32771;  // SAME
  const TrimmedWindow t = trimmedWindow(g);
  EXPECT_EQ(t.k_y0, 3);  // the one input row is read by tap 3 only
  EXPECT_EQ(t.g.k_h, 1);
  EXPECT_EQ(t.g.pad_h, 0);
  EXPECT_EQ(t.k_x0, 32771 - 63);  // output 63 reads input 0 with tap 32708, output 0 reads input 63 with 32834
  EXPECT_EQ(t.g.k_w, 127);
  EXPECT_EQ(t.g.pad_w, 63);
  // A window that fits is left as it is.
  ConvGeometry fits;
  fits.in_h = fits.in_w = fits.out_h = fits.out_w = 8, fits.k_h = fits.k_w = 3, fits.pad_h = fits.pad_w = 1;
  const TrimmedWindow same = trimmedWindow(fits);
  EXPECT_EQ(same.g.k_h, 3);
  EXPECT_EQ(same.g.k_w, 3);
  EXPECT_EQ(same.g.pad_w, 1);
}

TEST(ConvFastPath, LargeDepthAndManyChannels) {
  // Depths past the microkernels' unrolling and channel counts with every tail size.
  std::mt19937 rng(9);
  for (DType type : {DType::Int8, DType::UInt8}) {
    RandomConv c;
    c.type = type, c.batches = 1, c.h = 5, c.w = 7, c.cin = 301, c.cout = 77, c.kh = c.kw = 3, c.stride = 1;
    c.padding = "SAME", c.per_channel = type == DType::Int8, c.in_zp = type == DType::UInt8 ? 131 : -7;
    c.out_zp = type == DType::UInt8 ? 120 : 5, c.w_zp = type == DType::UInt8 ? 0 : 0;
    SCOPED_TRACE(c.describe());
    OpModel m;
    std::vector<uint8_t> input = buildConv(m, c, rng);
    m.interpreter().setInput(0, input.data(), input.size());
    const std::vector<uint8_t> plain = runPath(m, false, SimdLevel::Generic);
    EXPECT_GT(std::set<uint8_t>(plain.begin(), plain.end()).size(), 50u) << "outputs mostly saturated";
    for (SimdLevel level : levelsToTest())
      EXPECT_EQ(plain, runPath(m, true, level)) << simdLevelName(level);
  }
}

TEST(HybridInputQuantization, FastMatchesHybridQuantizeBitForBit) {
  // Random rows, rows on a power-of-two grid with many exact halves (both signs), all-zero and constant rows.
  std::mt19937 rng(10);
  std::vector<std::vector<float>> rows;
  for (int i = 0; i < 20; ++i) rows.push_back(randomFloats(rng, static_cast<size_t>(1 + rng() % 300), -3.f, 5.f));
  for (int i = 0; i < 20; ++i) {
    // The range [-2, 127/64] makes the asymmetric scale exactly 1/64 (zero point 0): (k + 0.5) / 64 is a tie.
    std::vector<float> r(static_cast<size_t>(8 + rng() % 100));
    for (auto& v : r) v = (static_cast<float>(static_cast<int>(rng() % 254) - 128) + 0.5f) / 64.f;
    r[0] = -2.f, r[1] = 127.f / 64.f;
    rows.push_back(r);
  }
  rows.push_back(std::vector<float>(33, 0.f));
  rows.push_back(std::vector<float>(17, 0.75f));
  rows.push_back(std::vector<float>(17, -0.75f));
  for (const auto& r : rows)
    for (SimdLevel level : levelsToTest()) {
      std::vector<int8_t> a(r.size()), b(r.size());
      AsymmetricQuantization pa = quantizeAsymmetric(r.data(), r.size(), a.data());
      AsymmetricQuantization pb = quantizeAsymmetricFast(level, r.data(), r.size(), b.data());
      EXPECT_EQ(pa.scale, pb.scale);
      EXPECT_EQ(pa.zero_point, pb.zero_point);
      EXPECT_EQ(a, b) << "asymmetric, " << r.size() << " values, " << simdLevelName(level);
      const float sa = quantizeSymmetric(r.data(), r.size(), a.data());
      const float sb = quantizeSymmetricFast(level, r.data(), r.size(), b.data());
      EXPECT_EQ(sa, sb);
      EXPECT_EQ(a, b) << "symmetric, " << r.size() << " values, " << simdLevelName(level);
    }
}

// ---- every conv-family op of the golden models, alone ------------------------------------------------------------

const std::set<std::string>& convFamilyOps() {
  static const std::set<std::string> ops = {"CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV", "FULLY_CONNECTED"};
  return ops;
}
bool isConvFamily(const std::string& op) { return convFamilyOps().count(op) > 0; }

struct Tally {
  int ops = 0, no_reference = 0, fed_ours = 0;
  int deployed_fast = 0, deployed_plain = 0, reference = 0, compared = 0, compared_reference = 0;
  double worst_float = 0;  // largest |ours - golden| / max|golden| over float outputs of golden-fed ops
};

double relativeFloatError(const std::vector<uint8_t>& expected, const std::vector<uint8_t>& actual) {
  if (expected.size() != actual.size()) return INFINITY;
  std::vector<float> e(expected.size() / 4), a(actual.size() / 4);
  std::memcpy(e.data(), expected.data(), expected.size());
  std::memcpy(a.data(), actual.data(), actual.size());
  double mag = 0, diff = 0;
  for (size_t i = 0; i < e.size(); ++i) {
    mag = std::max(mag, static_cast<double>(std::fabs(e[i])));
    diff = std::max(diff, static_cast<double>(std::fabs(e[i] - a[i])));
  }
  return mag > 0 ? diff / mag : diff;
}

// A golden model's conv-family ops, each cut out with the inputs the real runtime fed it.
struct GoldenOps {
  Golden g;
  Model model;
  std::vector<int> ops;  // indices of the conv-family ops
  std::map<int, const GoldenTensor*> golden;
  std::set<int> omitted;
  std::map<int, std::vector<uint8_t>> computed;  // quantlens's values of inputs the dump left out

  explicit GoldenOps(const std::string& name) : g(readGolden(name)), model(readModel(g.model_path)) {
    const Subgraph& sg = model.subgraphs[0];
    for (size_t i = 0; i < sg.ops.size(); ++i)
      if (isConvFamily(model.opName(sg.ops[i]))) ops.push_back(static_cast<int>(i));
    for (const GoldenTensor& gt : g.tensors) golden[gt.index] = &gt;
    omitted = goldenOmittedTensors(g);
    // Inputs the dump left out (DEQUANTIZE of float16 weights, feature maps too large to keep): what quantlens
    // computes for them, running the whole model fed with the dump.
    std::vector<int> wanted;
    for (int i : ops)
      for (int32_t t : sg.ops[static_cast<size_t>(i)].inputs)
        if (t >= 0 && !have(t) && model.dataOf(sg.tensors[static_cast<size_t>(t)]).empty()) wanted.push_back(t);
    if (wanted.empty() || !unsupportedOps(model).empty()) return;
    Interpreter whole(std::make_shared<const Model>(model));
    DumpFeeder feeder(g.dir);
    whole.setFeeder(&feeder);
    for (size_t i = 0; i < g.inputs.size(); ++i) {
      auto bytes = readBytes(g.inputs[i]);
      whole.setInput(i, bytes.data(), bytes.size());
    }
    TensorRecorder rec(wanted);
    whole.addObserver(&rec);
    whole.invoke();
    for (const auto& [t, r] : rec.records()) computed[t] = r.bytes;
  }
  bool have(int t) const { return golden.count(t) && !omitted.count(t); }

  // The isolated op's inputs; false when one cannot be had. *fed_ours: a feature map is quantlens's own value
  // (weights dequantized from constants are exact and do not count).
  bool inputsFor(int op_index, const IsolatedOp& iso, std::vector<std::vector<uint8_t>>* inputs, bool* fed_ours) const {
    const Subgraph& sg = model.subgraphs[0];
    *fed_ours = false;
    for (int src : iso.source_inputs) {
      auto in = std::find(sg.inputs.begin(), sg.inputs.end(), src);
      if (have(src)) {
        inputs->push_back(readBytes(golden.at(src)->file));
      } else if (in != sg.inputs.end()) {
        inputs->push_back(readBytes(g.inputs[static_cast<size_t>(in - sg.inputs.begin())]));
      } else if (computed.count(src)) {
        inputs->push_back(computed.at(src));
        *fed_ours = *fed_ours || src == sg.ops[static_cast<size_t>(op_index)].inputs[0];
      } else {
        return false;
      }
    }
    return true;
  }
};

std::vector<uint8_t> runAlone(const IsolatedOp& iso, const std::vector<std::vector<uint8_t>>& inputs,
                              Arithmetic arithmetic, bool fast) {
  ScopedKernelPath path(fast);
  InterpreterOptions options;
  options.arithmetic = arithmetic;
  Interpreter interp(std::make_shared<const Model>(iso.model), options);
  for (size_t k = 0; k < inputs.size(); ++k) interp.setInput(k, inputs[k].data(), inputs[k].size());
  interp.invoke();
  const RuntimeTensor& o = interp.output(0);
  return std::vector<uint8_t>(o.raw(), o.raw() + o.bytes());
}

// Golden models with a conv-family op; ConvFamilyLeftOut: those whose dump left out such an op's output.
class ConvFamilyGolden : public ::testing::TestWithParam<std::string> {};
class ConvFamilyLeftOut : public ::testing::TestWithParam<std::string> {};

TEST_P(ConvFamilyGolden, EachOpAloneMatchesTheRealRuntime) {
  QL_REQUIRE_SHARED();
  GoldenOps data(GetParam());
  ASSERT_FALSE(data.ops.empty()) << GetParam() << " has no conv-family op";
  const Model& model = data.model;
  const Subgraph& sg = model.subgraphs[0];
  std::map<std::string, Tally> tallies;
  const double tolerance = floatTolerance(model);
  for (int i : data.ops) {
    const std::string name = model.opName(sg.ops[static_cast<size_t>(i)]);
    Tally& tally = tallies[name];
    ++tally.ops;
    IsolatedOp iso = isolateOp(model, i);
    std::vector<std::vector<uint8_t>> inputs;
    bool fed_ours = false;
    const int out_src = iso.source_outputs.at(0);
    if (!data.inputsFor(i, iso, &inputs, &fed_ours) || !data.have(out_src)) {
      ++tally.no_reference;
      continue;
    }
    const GoldenTensor& expected = *data.golden.at(out_src);
    const std::vector<uint8_t> expected_bytes = readBytes(expected.file);
    const bool quantized = isQuantizedTensor(sg.tensors[static_cast<size_t>(out_src)]);
    ++tally.compared;
    tally.fed_ours += fed_ours;
    for (bool fast : {true, false}) {
      const std::vector<uint8_t> ours = runAlone(iso, inputs, Arithmetic::Deployed, fast);
      // An op fed quantlens's own version of a tensor the dump left out is held to the bar golden_feed_test uses
      // for it: hybrid ops requantize their whole input, so a last-bit difference there may move a few elements
      // across a step (99.5% of the elements within tolerance).
      TensorComparison c =
          compareTensors(expected.dtype, quantized, expected_bytes, ours, tolerance, IntegerPolicy::Exact,
                         fed_ours ? 0.995 : 1.0);
      if (c.ok) ++(fast ? tally.deployed_fast : tally.deployed_plain);
      else ADD_FAILURE() << GetParam() << " op " << i << " (" << name << ", " << (fast ? "fast" : "plain")
                         << (fed_ours ? ", fed quantlens's own input" : "") << "): " << c.detail;
      if (expected.dtype == "float32" && fast && !fed_ours)
        tally.worst_float = std::max(tally.worst_float, relativeFloatError(expected_bytes, ours));
    }
    if (quantized) {
      // TFLite's fixed-point kernels: within one step of the deployed runtime's output.
      ++tally.compared_reference;
      TensorComparison c =
          compareTensors(expected.dtype, true, expected_bytes, runAlone(iso, inputs, Arithmetic::Reference, true));
      if (c.max_abs_diff <= 1) ++tally.reference;
      else ADD_FAILURE() << GetParam() << " op " << i << " (" << name << ", reference): " << c.detail;
    }
  }
  for (const auto& [name, t] : tallies) {
    std::cout << GetParam() << " " << name << ": " << t.ops << " ops, " << t.compared << " compared: " << t.deployed_fast
              << " match (fast), " << t.deployed_plain << " match (plain)";
    if (t.compared_reference)
      std::cout << ", " << t.reference << "/" << t.compared_reference << " within 1 step in reference arithmetic";
    if (t.fed_ours) std::cout << " (" << t.fed_ours << " of them fed quantlens's own input, left out of the dump)";
    if (t.no_reference) std::cout << "; " << t.no_reference << " without a reference output (left out of the dump)";
    if (t.worst_float > 0) std::cout << "; worst float error " << t.worst_float << " of the tensor's magnitude";
    std::cout << "\n";
  }
}

// The ops whose output the dump left out (too large): run alone in the real runtime on the same inputs.
TEST_P(ConvFamilyLeftOut, OpsWhoseOutputTheDumpLeftOutMatchTheRealRuntimeAlone) {
  QL_REQUIRE_SHARED();
  GoldenOps data(GetParam());
  const Subgraph& sg = data.model.subgraphs[0];
  std::vector<int> left_out;
  for (int i : data.ops)
    if (!data.have(sg.ops[static_cast<size_t>(i)].outputs.at(0))) left_out.push_back(i);
  ASSERT_FALSE(left_out.empty()) << GetParam() << ": the dump has every conv-family output";
  QL_REQUIRE_ORACLE(oracle);
  const std::string runner = oracleRunnerFor(data.g, oracle);
  const std::string dir = makeTempDir("conv-left-out");
  int matched = 0;
  for (int i : left_out) {
    IsolatedOp iso = isolateOp(data.model, i);
    std::vector<std::vector<uint8_t>> inputs;
    bool fed_ours = false;
    if (!data.inputsFor(i, iso, &inputs, &fed_ours)) {
      ADD_FAILURE() << "op " << i << ": an input is missing";
      continue;
    }
    writeModel(iso.model, dir + "/op.tflite");
    std::vector<std::string> files;
    for (size_t k = 0; k < inputs.size(); ++k) {
      files.push_back(dir + "/in" + std::to_string(k) + ".bin");
      writeBytes(files.back(), inputs[k]);
    }
    auto ref = runOracle(runner, dir + "/op.tflite", files, dir + "/out");
    ASSERT_EQ(ref.size(), 1u);
    const Tensor& t = sg.tensors[static_cast<size_t>(iso.source_outputs[0])];
    bool ok = true;
    for (bool fast : {true, false}) {
      TensorComparison c = compareTensors(dtypeLowerName(t.type), isQuantizedTensor(t), readBytes(ref[0]),
                                          runAlone(iso, inputs, Arithmetic::Deployed, fast), floatTolerance(data.model));
      ok = ok && c.ok;
      EXPECT_TRUE(c.ok) << GetParam() << " op " << i << " (" << data.model.opName(sg.ops[static_cast<size_t>(i)])
                        << (fast ? ", fast" : ", plain") << "): " << c.detail;
    }
    matched += ok;
  }
  std::filesystem::remove_all(dir);
  std::cout << GetParam() << ": " << matched << "/" << left_out.size()
            << " conv-family ops whose output the dump left out match the runtime run alone\n";
}

INSTANTIATE_TEST_SUITE_P(Golden, ConvFamilyGolden, ::testing::ValuesIn(goldenNamesWithOps(convFamilyOps())),
                         [](const auto& param_info) { return paramName(param_info.param); });
INSTANTIATE_TEST_SUITE_P(Golden, ConvFamilyLeftOut, ::testing::ValuesIn(goldenNamesWithOps(convFamilyOps(), true)),
                         [](const auto& param_info) { return paramName(param_info.param); });

// ---- the real runtime on what no golden model has ------------------------------------------------------------------
// 16x8 kernels against LiteRT 2.5.3 (litert_run, the runtime users run today). Hybrid kernels against the TFLite
// build the golden models' hybrid ops were made with (tfjs_tflite_run): LiteRT 2.5.3 hands hybrid CONV_2D and
// FULLY_CONNECTED to XNNPACK's dynamically quantized kernels instead (round half to even, another zero point
// formula), which the goldens and TFLite's hybrid kernels do not do.

TEST(ConvOracle, Int16x8MatchesTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(21);
  // int64 bias with per-channel weights; with one weight scale too for CONV_2D. (With an int32 bias LiteRT 2.5.3
  // returns saturated values for these 3x3 CONV_2D / TRANSPOSE_CONV, as if it read the bias as int64: not
  // compared; quantlens sums in int32 as TFLite's reference kernel does.)
  for (const char* op : {"CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV"})
    for (bool per_channel : {true, false}) {
      const std::string name = op;
      const bool wide_bias = true;
      if (name != "CONV_2D" && !per_channel) continue;
      OpModel m;
      const bool dw = name == "DEPTHWISE_CONV_2D";
      const int cin = 6, cout = dw ? 6 : 5;
      std::vector<float> ws = randomFloats(rng, per_channel ? static_cast<size_t>(cout) : 1, 0.002f, 0.01f);
      const std::vector<int32_t> wshape = dw ? std::vector<int32_t>{1, 3, 3, cout} : std::vector<int32_t>{cout, 3, 3, cin};
      int w = m.constant<int8_t>({DType::Int8, wshape, ws, std::vector<int64_t>(ws.size(), 0), dw ? 3 : 0},
                                 randomValues<int8_t>(rng, static_cast<size_t>(9 * cout * (dw ? 1 : cin)), -127, 127));
      std::vector<float> bs;
      for (float v : ws) bs.push_back(v * 0.01f);
      int b = wide_bias ? m.constant<int64_t>({DType::Int64, {cout}, bs, std::vector<int64_t>(bs.size(), 0)},
                                              randomValues<int64_t>(rng, static_cast<size_t>(cout), -900000, 900000))
                        : m.constant<int32_t>({DType::Int32, {cout}, bs, std::vector<int64_t>(bs.size(), 0)},
                                              randomValues<int32_t>(rng, static_cast<size_t>(cout), -900000, 900000));
      std::vector<uint8_t> input;
      if (name == "TRANSPOSE_CONV") {
        int shape = m.constant<int32_t>({DType::Int32, {4}}, {1, 10, 8, cout});
        int in = m.input({DType::Int16, {1, 5, 4, cin}, {0.01f}, {0}});
        int out = m.output({DType::Int16, {1, 10, 8, cout}, {0.02f}, {0}});
        m.op(op, {shape, w, in, b}, {out}, "TransposeConvOptions",
             {{"padding", "SAME"}, {"stride_w", 2}, {"stride_h", 2}}, 3);
        input = bytesOf(randomValues<int16_t>(rng, 5 * 4 * cin, -20000, 20000));
      } else {
        int in = m.input({DType::Int16, {1, 7, 6, cin}, {0.01f}, {0}});
        int out = m.output({DType::Int16, {1, 7, 6, cout}, {0.02f}, {0}});
        if (!dw)
          m.op(op, {in, w, b}, {out}, "Conv2DOptions", convOptions("SAME", 1, 1, "RELU"), 4);
        else
          m.op(op, {in, w, b}, {out}, "DepthwiseConv2DOptions",
               {{"padding", "SAME"}, {"stride_w", 1}, {"stride_h", 1}, {"depth_multiplier", 1},
                {"fused_activation_function", "RELU6"}}, 5);
        input = bytesOf(randomValues<int16_t>(rng, 7 * 6 * cin, -20000, 20000));
      }
      expectMatchesRuntime(m, input, oracle + "/litert_run.mjs", name + (per_channel ? " per-channel" : " one scale"));
    }
}

TEST(ConvOracle, Int16x8RoundsTiesLikeTheRealRuntime) {
  // Multiplier 0.25 on sums -6, 10, ...: exact halves. The runtime rounds them half up with either bias type.
  QL_REQUIRE_ORACLE(oracle);
  for (bool wide_bias : {true, false}) {
    OpModel m;
    int in = m.input({DType::Int16, {1, 1, 8, 1}, {0.5f}, {0}});
    int w = m.constant<int8_t>({DType::Int8, {1, 1, 1, 1}, {0.5f}, {0}}, {1});
    int b = wide_bias ? m.constant<int64_t>({DType::Int64, {1}, {0.25f}, {0}}, {0})
                      : m.constant<int32_t>({DType::Int32, {1}, {0.25f}, {0}}, {0});
    int out = m.output({DType::Int16, {1, 1, 8, 1}, {1.0f}, {0}});
    m.op("CONV_2D", {in, w, b}, {out}, "Conv2DOptions", convOptions("VALID", 1), 4);
    expectMatchesRuntime(m, bytesOf(std::vector<int16_t>{-6, 10, -10, 6, 2, -2, -14, 14}), oracle + "/litert_run.mjs",
                         wide_bias ? "int64 bias" : "int32 bias");
    EXPECT_EQ(m.output<int16_t>(0), (std::vector<int16_t>{-1, 3, -2, 2, 1, 0, -3, 4}));
  }
}

// A hybrid op into m: weights [cout, 3, 3, cin] (or [1, 3, 3, cout]) with the given scales, float bias.
void buildHybrid(OpModel& m, const char* op, const std::vector<float>& scales, std::mt19937& rng, int h, int w_,
                 int cin) {
  const bool dw = std::string(op) == "DEPTHWISE_CONV_2D";
  const int cout = dw ? cin : 8;
  int w = m.constant<int8_t>({DType::Int8, dw ? std::vector<int32_t>{1, 3, 3, cout} : std::vector<int32_t>{cout, 3, 3, cin},
                              scales, std::vector<int64_t>(scales.size(), 0), dw ? 3 : 0},
                             randomValues<int8_t>(rng, static_cast<size_t>(9 * cout * (dw ? 1 : cin)), -127, 127));
  int b = m.constant<float>({DType::Float32, {cout}}, randomFloats(rng, static_cast<size_t>(cout), -0.5f, 0.5f));
  int in = m.input({DType::Float32, {1, h, w_, cin}});
  int out = m.output({DType::Float32, {1, h, w_, cout}});
  if (dw)
    m.op(op, {in, w, b}, {out}, "DepthwiseConv2DOptions",
         {{"padding", "SAME"}, {"stride_w", 1}, {"stride_h", 1}, {"depth_multiplier", 1}}, 6);
  else
    m.op(op, {in, w, b}, {out}, "Conv2DOptions", convOptions("SAME", 1), 5);
}

TEST(ConvOracle, HybridMatchesTheRuntimeTheGoldenModelsCameFrom) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(22);
  struct Case {
    const char* op;
    bool per_channel;
  };
  // One weight scale: symmetric input quantization (EvalHybrid); differing per-channel scales and depthwise:
  // asymmetric (EvalHybridPerChannel). (Per-channel scales that are all equal are left out: that TFLite build
  // scales by the tensor's legacy scale, which is 0 for per-channel tensors, and returns only the bias.)
  for (Case c : {Case{"CONV_2D", true}, Case{"CONV_2D", false}, Case{"DEPTHWISE_CONV_2D", true}}) {
    OpModel m;
    const int cout = 8;
    std::vector<float> scales = c.per_channel ? randomFloats(rng, cout, 0.002f, 0.01f) : std::vector<float>{0.004f};
    buildHybrid(m, c.op, scales, rng, 9, 7, 8);
    expectMatchesRuntime(m, bytesOf(randomFloats(rng, 9 * 7 * 8, -1.f, 3.f)), oracle + "/tfjs_tflite_run.cjs",
                         std::string(c.op) + (c.per_channel ? " per-channel" : " one scale"), 1e-4);
  }
}

TEST(ConvOracle, HybridRoundsTiesLikeTheRuntimeTheGoldenModelsCameFrom) {
  // One pixel, inputs on the quantization grid of their range [0, 255/64]: 1.5/64, 2.5/64, 3.5/64 fall on exact
  // halves, which TFLite rounds away from zero (after adding the zero point); each output reads one input.
  QL_REQUIRE_ORACLE(oracle);
  const std::vector<float> x{0.f, 3.984375f, 0.0234375f, 0.0390625f, 0.0546875f, 1.0f};
  for (const char* op : {"CONV_2D", "DEPTHWISE_CONV_2D"})
    for (bool per_channel : {true, false}) {
      const bool dw = std::string(op) == "DEPTHWISE_CONV_2D";
      if (dw && !per_channel) continue;  // TFLite requires per-channel scales for hybrid depthwise
      OpModel m;
      std::vector<int8_t> w(dw ? 6 : 36, 0);
      std::vector<float> s = per_channel ? std::vector<float>{0.01f, 0.02f, 0.01f, 0.02f, 0.01f, 0.02f}
                                         : std::vector<float>{0.01f};
      for (int j = 0; j < 6; ++j) w[static_cast<size_t>(dw ? j : j * 6 + j)] = per_channel && j % 2 ? 50 : 100;
      int in = m.input({DType::Float32, {1, 1, 1, 6}});
      int wt = m.constant<int8_t>({DType::Int8, dw ? std::vector<int32_t>{1, 1, 1, 6} : std::vector<int32_t>{6, 1, 1, 6},
                                   s, std::vector<int64_t>(s.size(), 0), dw ? 3 : 0}, w);
      int b = m.constant<float>({DType::Float32, {6}}, std::vector<float>(6, 0.f));
      int out = m.output({DType::Float32, {1, 1, 1, 6}});
      if (dw)
        m.op(op, {in, wt, b}, {out}, "DepthwiseConv2DOptions",
             {{"padding", "VALID"}, {"stride_w", 1}, {"stride_h", 1}, {"depth_multiplier", 1}}, 6);
      else
        m.op(op, {in, wt, b}, {out}, "Conv2DOptions", convOptions("VALID", 1), 5);
      expectMatchesRuntime(m, bytesOf(x), oracle + "/tfjs_tflite_run.cjs",
                           std::string(op) + (per_channel ? " per-channel" : " one scale"), 1e-4);
    }
}

}  // namespace
}  // namespace ql::test
