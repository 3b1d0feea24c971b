// Elementwise, pooling, softmax and data-movement kernels on small hand-computed cases.
#include <cmath>

#include <gtest/gtest.h>

#include "support/op_model.h"

namespace ql::test {
namespace {

TEST(Add, FloatBroadcastsAndFusesRelu) {
  OpModel m;
  int a = m.input({DType::Float32, {2, 1, 3}});
  int b = m.input({DType::Float32, {2, 1}});
  int out = m.output({DType::Float32, {2, 2, 3}});
  m.op("ADD", {a, b}, {out}, "AddOptions", {{"fused_activation_function", "RELU"}});
  m.setInput<float>(0, {1, 2, 3, 4, 5, 6});
  m.setInput<float>(1, {-2, 10});
  m.invoke();
  EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{2, 2, 3}));
  EXPECT_EQ(m.output<float>(0), (std::vector<float>{0, 0, 1, 11, 12, 13, 2, 3, 4, 14, 15, 16}));
}

TEST(Add, Int8SaturatesAtTheLimitsInBothArithmetics) {
  for (Arithmetic arithmetic : {Arithmetic::Deployed, Arithmetic::Reference}) {
    OpModel m;
    int a = m.input({DType::Int8, {3}, {0.5f}, {-1}});
    int b = m.input({DType::Int8, {3}, {0.25f}, {2}});
    int out = m.output({DType::Int8, {3}, {0.5f}, {0}});
    m.op("ADD", {a, b}, {out}, "AddOptions", {{"fused_activation_function", "NONE"}});
    m.interpreter(arithmetic);
    m.setInput<int8_t>(0, {9, 127, -128});   // 5, 64, -63.5
    m.setInput<int8_t>(1, {6, 127, -128});   // 1, 31.25, -32.5
    m.invoke();
    EXPECT_EQ(m.output<int8_t>(0), (std::vector<int8_t>{12, 127, -128}));  // 6 -> 12; 95.25 and -96 saturate
  }
}

TEST(Mul, Uint8ProductRequantized) {
  OpModel m;
  int a = m.input({DType::UInt8, {2}, {0.1f}, {10}});
  int b = m.input({DType::UInt8, {2}, {0.2f}, {0}});
  int out = m.output({DType::UInt8, {2}, {0.05f}, {5}});
  m.op("MUL", {a, b}, {out}, "MulOptions");
  m.setInput<uint8_t>(0, {30, 0});  // 2.0, -1.0
  m.setInput<uint8_t>(1, {5, 10});  // 1.0, 2.0
  m.invoke();
  EXPECT_EQ(m.output<uint8_t>(0), (std::vector<uint8_t>{45, 0}));  // 2 -> 40 + 5; -2 -> -40 + 5 clamps to 0
}

TEST(AveragePool2D, SamePaddingAveragesOnlyRealPixels) {
  OpModel m;
  int in = m.input({DType::Float32, {1, 2, 2, 1}});
  int out = m.output({DType::Float32, {1, 1, 1, 1}});
  m.op("AVERAGE_POOL_2D", {in}, {out}, "Pool2DOptions",
       {{"padding", "SAME"}, {"stride_w", 1}, {"stride_h", 1}, {"filter_width", 2}, {"filter_height", 2}});
  m.setInput<float>(0, {1, 2, 3, 4});
  m.invoke();
  EXPECT_EQ(m.output<float>(0), (std::vector<float>{2.5f, 3.0f, 3.5f, 4.0f}));
}

TEST(AveragePool2D, Int8RoundsHalfAwayFromZero) {
  OpModel m;
  int in = m.input({DType::Int8, {1, 1, 2, 1}, {1.f}, {0}});
  int out = m.output({DType::Int8, {1, 1, 1, 1}, {1.f}, {0}});
  m.op("AVERAGE_POOL_2D", {in}, {out}, "Pool2DOptions",
       {{"padding", "VALID"}, {"stride_w", 1}, {"stride_h", 1}, {"filter_width", 2}, {"filter_height", 1}});
  m.setInput<int8_t>(0, {-2, -1});  // -1.5 -> -2
  m.invoke();
  EXPECT_EQ(m.output<int8_t>(0)[0], -2);
}

TEST(Softmax, FloatRowsSumToOneAndBetaSharpens) {
  OpModel m;
  int in = m.input({DType::Float32, {1, 3}});
  int out = m.output({DType::Float32, {1, 3}});
  m.op("SOFTMAX", {in}, {out}, "SoftmaxOptions", {{"beta", 2.0}});
  m.setInput<float>(0, {1, 2, 3});
  m.invoke();
  auto y = m.output<float>(0);
  float e1 = std::exp(2.f * -2), e2 = std::exp(2.f * -1), sum = e1 + e2 + 1;
  EXPECT_NEAR(y[0], e1 / sum, 1e-6);
  EXPECT_NEAR(y[2], 1 / sum, 1e-6);
}

TEST(Logistic, Uint8GoesThroughTheTable) {
  OpModel m;
  int in = m.input({DType::UInt8, {3}, {0.1f}, {128}});
  int out = m.output({DType::UInt8, {3}, {1.f / 256}, {0}});
  m.op("LOGISTIC", {in}, {out});
  m.setInput<uint8_t>(0, {128, 255, 0});  // 0, 12.7, -12.8
  m.invoke();
  EXPECT_EQ(m.output<uint8_t>(0), (std::vector<uint8_t>{128, 255, 0}));
}

TEST(Reshape, InfersMinusOneFromTheShapeTensor) {
  OpModel m;
  int in = m.input({DType::Int8, {2, 3}, {1.f}, {0}});
  int shape = m.constant<int32_t>({DType::Int32, {2}}, {3, -1});
  int out = m.output({DType::Int8, {3, 2}, {1.f}, {0}});
  m.op("RESHAPE", {in, shape}, {out}, "ReshapeOptions", {{"new_shape", {3, -1}}});
  m.setInput<int8_t>(0, {1, 2, 3, 4, 5, 6});
  m.invoke();
  EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{3, 2}));
  EXPECT_EQ(m.output<int8_t>(0), (std::vector<int8_t>{1, 2, 3, 4, 5, 6}));
}

TEST(StridedSlice, NegativeStrideAndShrinkAxis) {
  OpModel m;
  int in = m.input({DType::Float32, {2, 4}});
  int begin = m.constant<int32_t>({DType::Int32, {2}}, {1, -1});
  int end = m.constant<int32_t>({DType::Int32, {2}}, {2, 0});
  int strides = m.constant<int32_t>({DType::Int32, {2}}, {1, -2});
  int out = m.output({DType::Float32, {2}});
  m.op("STRIDED_SLICE", {in, begin, end, strides}, {out}, "StridedSliceOptions", {{"shrink_axis_mask", 1}});
  m.setInput<float>(0, {0, 1, 2, 3, 4, 5, 6, 7});
  m.invoke();
  EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{2}));
  EXPECT_EQ(m.output<float>(0), (std::vector<float>{7, 5}));
}

TEST(Pad, QuantizedPadsWithTheZeroPoint) {
  OpModel m;
  int in = m.input({DType::UInt8, {1, 2}, {0.5f}, {7}});
  int pads = m.constant<int32_t>({DType::Int32, {2, 2}}, {0, 0, 1, 2});
  int out = m.output({DType::UInt8, {1, 5}, {0.5f}, {7}});
  m.op("PAD", {in, pads}, {out});
  m.setInput<uint8_t>(0, {1, 2});
  m.invoke();
  EXPECT_EQ(m.output<uint8_t>(0), (std::vector<uint8_t>{7, 1, 2, 7, 7}));
}

TEST(MirrorPad, ReflectAndSymmetric) {
  for (const char* mode : {"REFLECT", "SYMMETRIC"}) {
    OpModel m;
    int in = m.input({DType::Float32, {3}});
    int pads = m.constant<int32_t>({DType::Int32, {1, 2}}, {2, 2});
    int out = m.output({DType::Float32, {7}});
    m.op("MIRROR_PAD", {in, pads}, {out}, "MirrorPadOptions", {{"mode", mode}});
    m.setInput<float>(0, {1, 2, 3});
    m.invoke();
    if (std::string(mode) == "REFLECT") EXPECT_EQ(m.output<float>(0), (std::vector<float>{3, 2, 1, 2, 3, 2, 1}));
    else EXPECT_EQ(m.output<float>(0), (std::vector<float>{2, 1, 1, 2, 3, 3, 2}));
  }
}

TEST(Transpose, NchwToNhwc) {
  OpModel m;
  int in = m.input({DType::Int8, {1, 2, 1, 3}, {1.f}, {0}});
  int perm = m.constant<int32_t>({DType::Int32, {4}}, {0, 2, 3, 1});
  int out = m.output({DType::Int8, {1, 1, 3, 2}, {1.f}, {0}});
  m.op("TRANSPOSE", {in, perm}, {out});
  m.setInput<int8_t>(0, {1, 2, 3, 4, 5, 6});
  m.invoke();
  EXPECT_EQ(m.output<int8_t>(0), (std::vector<int8_t>{1, 4, 2, 5, 3, 6}));
}

TEST(Concatenation, RequantizesAnInputWithAnotherScale) {
  OpModel m;
  int a = m.input({DType::UInt8, {1, 1}, {1.f}, {0}});
  int b = m.input({DType::UInt8, {1, 1}, {0.5f}, {10}});
  int out = m.output({DType::UInt8, {1, 2}, {1.f}, {0}});
  m.op("CONCATENATION", {a, b}, {out}, "ConcatenationOptions", {{"axis", 1}});
  m.setInput<uint8_t>(0, {7});
  m.setInput<uint8_t>(1, {20});  // (20 - 10) * 0.5 = 5
  m.invoke();
  EXPECT_EQ(m.output<uint8_t>(0), (std::vector<uint8_t>{7, 5}));
}

TEST(Quantize, DeployedRoundsHalfToEvenReferenceAwayFromZero) {
  for (Arithmetic arithmetic : {Arithmetic::Deployed, Arithmetic::Reference}) {
    OpModel m;
    int in = m.input({DType::Float32, {3}});
    int out = m.output({DType::Int8, {3}, {1.f}, {0}});
    m.op("QUANTIZE", {in}, {out});
    m.interpreter(arithmetic);
    m.setInput<float>(0, {2.5f, -2.5f, 300.f});
    m.invoke();
    if (arithmetic == Arithmetic::Deployed) EXPECT_EQ(m.output<int8_t>(0), (std::vector<int8_t>{2, -2, 127}));
    else EXPECT_EQ(m.output<int8_t>(0), (std::vector<int8_t>{3, -3, 127}));
  }
}

TEST(ArgMax, TiesGoToTheLowestIndex) {
  OpModel m;
  int in = m.input({DType::Float32, {2, 3}});
  int axis = m.constant<int32_t>({DType::Int32, {1}}, {1});
  int out = m.output({DType::Int64, {2}});
  m.op("ARG_MAX", {in, axis}, {out}, "ArgMaxOptions", {{"output_type", "INT64"}});
  m.setInput<float>(0, {1, 5, 5, 9, 2, 9});
  m.invoke();
  EXPECT_EQ(m.output<int64_t>(0), (std::vector<int64_t>{1, 0}));
}

}  // namespace
}  // namespace ql::test
