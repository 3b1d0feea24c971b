// CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED on small hand-computed cases.
#include <gtest/gtest.h>

#include "support/op_model.h"

namespace ql::test {
namespace {

nlohmann::json convOptions(const char* padding, int stride, int dilation = 1, const char* act = "NONE") {
  return {{"padding", padding}, {"stride_w", stride}, {"stride_h", stride}, {"dilation_w_factor", dilation},
          {"dilation_h_factor", dilation}, {"fused_activation_function", act}};
}

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
  for (int i = 0; i < 25; ++i) x[static_cast<size_t>(i)] = i * 0.1f;
  m.setInput(0, x);
  m.invoke();
  // A dilated 2x2 window spans 3x3: taps (0,0),(0,2),(2,0),(2,2); stride 2 over 5 gives 2 positions per axis.
  EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{1, 2, 2, 1}));
  auto y = m.output<float>(0);
  EXPECT_FLOAT_EQ(y[0], (0 + 2 + 10 + 12) * 0.1f);
  EXPECT_FLOAT_EQ(y[3], 6.0f);  // (12+14+22+24)*0.1 = 7.2, clamped by RELU6
}

TEST(Conv2D, Int8PerChannelWithInputZeroPointSaturates) {
  OpModel m;
  int in = m.input({DType::Int8, {1, 1, 1, 2}, {0.5f}, {-10}});
  // Two output channels with their own scales.
  int w = m.constant<int8_t>({DType::Int8, {2, 1, 1, 2}, {0.25f, 1.0f}, {0, 0}, 0}, {4, -4, 127, 127});
  int b = m.constant<int32_t>({DType::Int32, {2}, {0.125f, 0.5f}, {0, 0}}, {8, 0});
  int out = m.output({DType::Int8, {1, 1, 1, 2}, {0.5f}, {3}});
  m.op("CONV_2D", {in, w, b}, {out}, "Conv2DOptions", convOptions("VALID", 1));
  // Real inputs: (x - zp) * 0.5 = (20, 6) * 0.5 -> 10, 3.
  m.setInput<int8_t>(0, {10, -4});
  m.invoke();
  auto y = m.output<int8_t>(0);
  // channel 0: acc = 20*4 + 6*(-4) + 8 = 64; real = 64 * 0.5 * 0.25 = 8 -> 8 / 0.5 + 3 = 19
  EXPECT_EQ(y[0], 19);
  // channel 1: acc = (20 + 6) * 127 = 3302; real = 1651 -> far above the int8 range: saturates at 127
  EXPECT_EQ(y[1], 127);
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

TEST(FullyConnected, Uint8WithZeroPointsAndKeepNumDims) {
  OpModel m;
  int in = m.input({DType::UInt8, {1, 2, 2}, {1.0f}, {128}});
  int w = m.constant<uint8_t>({DType::UInt8, {1, 2}, {1.0f}, {128}}, {129, 127});  // weights +1, -1
  int out = m.output({DType::UInt8, {1, 2, 1}, {1.0f}, {128}});
  m.op("FULLY_CONNECTED", {in, w, -1}, {out}, "FullyConnectedOptions", {{"keep_num_dims", true}});
  m.setInput<uint8_t>(0, {138, 130, 120, 125});  // rows (10, 2) and (-8, -3)
  m.invoke();
  EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{1, 2, 1}));
  EXPECT_EQ(m.output<uint8_t>(0), (std::vector<uint8_t>{136, 123}));  // 10-2=8, -8+3=-5
}

TEST(FullyConnected, HybridQuantizesInputsPerRow) {
  OpModel m;
  int in = m.input({DType::Float32, {2, 3}});
  int w = m.constant<int8_t>({DType::Int8, {1, 3}, {0.5f}, {0}}, {2, 2, 2});  // real weights 1, 1, 1
  int out = m.output({DType::Float32, {2, 1}});
  m.op("FULLY_CONNECTED", {in, w, -1}, {out}, "FullyConnectedOptions", {{"asymmetric_quantize_inputs", true}});
  m.setInput<float>(0, {1.f, 2.f, 3.f, -0.5f, 0.f, 0.5f});
  m.invoke();
  auto y = m.output<float>(0);
  EXPECT_NEAR(y[0], 6.f, 6.f * 0.01f);  // within the on-the-fly quantization error
  EXPECT_NEAR(y[1], 0.f, 0.01f);
}

}  // namespace
}  // namespace ql::test

namespace ql::test {
namespace {

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

}  // namespace
}  // namespace ql::test
