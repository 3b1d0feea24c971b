// SOFTMAX and LOG_SOFTMAX on hand-computed cases: float with beta and several rows, the 8-bit kernels in both
// arithmetics (float table vs gemmlowp fixed point) at their saturation points, int16, and the output
// quantization that TFLite requires. (Comparisons with the real runtime on random data are in
// elementwise_binary_test.cpp, SoftmaxKernels.MatchTheRealRuntime.)
#include <cmath>

#include <gtest/gtest.h>

#include "support/op_model.h"

namespace ql::test {
namespace {

template <typename In, typename Out = In>
std::vector<Out> runSoftmax(const std::string& op, const TensorSpec& in, const TensorSpec& out,
                            const std::vector<In>& x, Arithmetic arithmetic = Arithmetic::Deployed,
                            double beta = 1.0) {
  OpModel m;
  int i = m.input(in);
  int o = m.output(out);
  if (op == "SOFTMAX") m.op(op, {i}, {o}, "SoftmaxOptions", {{"beta", beta}});
  else m.op(op, {i}, {o}, "LogSoftmaxOptions");
  m.interpreter(arithmetic);
  m.setInput<In>(0, x);
  m.invoke();
  return m.output<Out>(0);
}

const Arithmetic kBoth[] = {Arithmetic::Deployed, Arithmetic::Reference};

TEST(SoftmaxKernels, FloatRowsAreIndependent) {
  TensorSpec f{DType::Float32, {2, 2}};
  auto y = runSoftmax<float>("SOFTMAX", f, f, {0, 0, 1, 5});
  EXPECT_FLOAT_EQ(y[0], 0.5f);
  EXPECT_FLOAT_EQ(y[1], 0.5f);
  EXPECT_NEAR(y[2], 1 / (1 + std::exp(4.f)), 1e-7);
  EXPECT_NEAR(y[3], 1 / (1 + std::exp(-4.f)), 1e-7);
}

TEST(SoftmaxKernels, FloatLogSoftmax) {
  TensorSpec f{DType::Float32, {3}};
  auto y = runSoftmax<float>("LOG_SOFTMAX", f, f, {1, 2, 3});
  const float log_sum = std::log(std::exp(-2.f) + std::exp(-1.f) + 1.f);
  EXPECT_NEAR(y[0], -2 - log_sum, 1e-6);
  EXPECT_NEAR(y[1], -1 - log_sum, 1e-6);
  EXPECT_NEAR(y[2], -log_sum, 1e-6);
}

TEST(SoftmaxKernels, Int8EqualValuesShareTheProbability) {
  // 1/4 on scale 1/256 is 64 steps above the zero point -128, in both arithmetics.
  for (Arithmetic a : kBoth) {
    auto y = runSoftmax<int8_t>("SOFTMAX", {DType::Int8, {1, 4}, {0.1f}, {0}},
                                {DType::Int8, {1, 4}, {1.f / 256}, {-128}}, {7, 7, 7, 7}, a);
    EXPECT_EQ(y, (std::vector<int8_t>{-64, -64, -64, -64}));
  }
}

TEST(SoftmaxKernels, Uint8SaturatesTheCertainClass) {
  // exp(-255) vanishes: probability 1 = 256 steps, clamped to 255.
  for (Arithmetic a : kBoth) {
    auto y = runSoftmax<uint8_t>("SOFTMAX", {DType::UInt8, {1, 2}, {1.f}, {0}},
                                 {DType::UInt8, {1, 2}, {1.f / 256}, {0}}, {255, 0}, a);
    EXPECT_EQ(y, (std::vector<uint8_t>{255, 0}));
  }
}

TEST(SoftmaxKernels, Int8ArithmeticsAgreeWithinAStep) {
  // A row with a spread of values: the float table and the fixed point may differ by one step, no more.
  std::vector<int8_t> x;
  for (int i = 0; i < 40; ++i) x.push_back(static_cast<int8_t>((i * 37) % 256 - 128));
  TensorSpec in{DType::Int8, {2, 20}, {0.08f}, {-5}}, out{DType::Int8, {2, 20}, {1.f / 256}, {-128}};
  auto d = runSoftmax<int8_t>("SOFTMAX", in, out, x, Arithmetic::Deployed);
  auto r = runSoftmax<int8_t>("SOFTMAX", in, out, x, Arithmetic::Reference);
  for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(d[i], r[i], 1) << i;
  int total = 0;
  for (int v : d) total += v + 128;
  EXPECT_NEAR(total, 512, 20);  // two rows of probabilities summing to one each
}

TEST(SoftmaxKernels, BetaScalesTheInput) {
  // beta 0.5 on scale 0.2 is the same as beta 1 on scale 0.1.
  for (Arithmetic a : kBoth) {
    std::vector<int8_t> x{-20, 0, 13, 40, 41};
    auto y1 = runSoftmax<int8_t>("SOFTMAX", {DType::Int8, {5}, {0.2f}, {0}}, {DType::Int8, {5}, {1.f / 256}, {-128}}, x,
                                 a, 0.5);
    auto y2 = runSoftmax<int8_t>("SOFTMAX", {DType::Int8, {5}, {0.1f}, {0}}, {DType::Int8, {5}, {1.f / 256}, {-128}}, x,
                                 a, 1.0);
    EXPECT_EQ(y1, y2);
  }
}

TEST(SoftmaxKernels, Int16Softmax) {
  auto y = runSoftmax<int16_t>("SOFTMAX", {DType::Int16, {1, 2}, {0.001f}, {0}},
                               {DType::Int16, {1, 2}, {1.f / 32768}, {0}}, {1000, 1000});
  EXPECT_NEAR(y[0], 16384, 2);
  EXPECT_NEAR(y[1], 16384, 2);
  // exp(-2) / (1 + exp(-2)) = 0.1192 -> 3906.
  auto z = runSoftmax<int16_t>("SOFTMAX", {DType::Int16, {1, 2}, {0.001f}, {0}},
                               {DType::Int16, {1, 2}, {1.f / 32768}, {0}}, {-1000, 1000});
  EXPECT_NEAR(z[0], 3906, 8);
  EXPECT_NEAR(z[1], 32768 - 3906, 8);
}

TEST(SoftmaxKernels, Int8ToInt16Output) {
  for (Arithmetic a : kBoth) {
    auto y = runSoftmax<int8_t, int16_t>("SOFTMAX", {DType::Int8, {1, 2}, {0.1f}, {0}},
                                         {DType::Int16, {1, 2}, {1.f / 65536}, {-32768}}, {5, 5}, a);
    EXPECT_NEAR(y[0], 0, 1);  // 0.5 is 32768 steps above -32768
    EXPECT_NEAR(y[1], 0, 1);
  }
}

TEST(SoftmaxKernels, QuantizedLogSoftmax) {
  // log(1/2) = -0.693 on scale 1/16: -11.1 steps below the zero point 127 (int8) or 255 (uint8).
  for (Arithmetic a : kBoth) {
    auto y = runSoftmax<int8_t>("LOG_SOFTMAX", {DType::Int8, {1, 2}, {0.1f}, {0}},
                                {DType::Int8, {1, 2}, {16.f / 256}, {127}}, {9, 9}, a);
    EXPECT_NEAR(y[0], 116, 1);
    EXPECT_NEAR(y[1], 116, 1);
    auto u = runSoftmax<uint8_t>("LOG_SOFTMAX", {DType::UInt8, {1, 3}, {0.5f}, {0}},
                                 {DType::UInt8, {1, 3}, {16.f / 256}, {255}}, {200, 0, 200}, a);
    EXPECT_NEAR(u[0], 244, 1);
    EXPECT_EQ(u[1], 0);  // log(exp(-100) / 2) is far below the lowest representable -255/16
    EXPECT_NEAR(u[2], 244, 1);
  }
}

TEST(SoftmaxKernels, OutputQuantizationTfliteRequires) {
  EXPECT_ANY_THROW(runSoftmax<int8_t>("SOFTMAX", {DType::Int8, {2}, {0.1f}, {0}}, {DType::Int8, {2}, {1.f / 128}, {0}},
                                      {1, 2}));
  EXPECT_ANY_THROW(runSoftmax<int8_t>("LOG_SOFTMAX", {DType::Int8, {2}, {0.1f}, {0}},
                                      {DType::Int8, {2}, {1.f / 256}, {-128}}, {1, 2}));
  EXPECT_ANY_THROW(runSoftmax<int16_t>("SOFTMAX", {DType::Int16, {2}, {0.1f}, {3}},
                                       {DType::Int16, {2}, {1.f / 32768}, {0}}, {1, 2}));
}

}  // namespace
}  // namespace ql::test
