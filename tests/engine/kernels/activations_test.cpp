// RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, PRELU, LOGISTIC, TANH, HARD_SWISH on hand-computed cases: rescaling
// between scales, saturation at the type's limits, non-zero zero points, ties that the two arithmetics round
// differently, and the int16 fixed-point paths. (Comparisons with the real runtime on random data are in
// elementwise_binary_test.cpp, ActivationKernels.MatchTheRealRuntime.)
#include <cmath>

#include <gtest/gtest.h>

#include "support/op_model.h"

namespace ql::test {
namespace {

template <typename T>
std::vector<T> runUnary(const std::string& op, const TensorSpec& in, const TensorSpec& out, const std::vector<T>& x,
                        Arithmetic arithmetic = Arithmetic::Deployed, const std::string& table = {},
                        const nlohmann::json& options = nlohmann::json::object()) {
  OpModel m;
  int i = m.input(in);
  int o = m.output(out);
  m.op(op, {i}, {o}, table, options);
  m.interpreter(arithmetic);
  m.setInput<T>(0, x);
  m.invoke();
  return m.output<T>(0);
}

const Arithmetic kBoth[] = {Arithmetic::Deployed, Arithmetic::Reference};

TEST(ActivationKernels, FloatReluFamily) {
  TensorSpec f{DType::Float32, {4}};
  std::vector<float> x{-7, -0.5f, 0.5f, 7};
  EXPECT_EQ(runUnary<float>("RELU", f, f, x), (std::vector<float>{0, 0, 0.5f, 7}));
  EXPECT_EQ(runUnary<float>("RELU6", f, f, x), (std::vector<float>{0, 0, 0.5f, 6}));
  EXPECT_EQ(runUnary<float>("RELU_N1_TO_1", f, f, x), (std::vector<float>{-1, -0.5f, 0.5f, 1}));
  EXPECT_EQ(runUnary<float>("LEAKY_RELU", f, f, x, Arithmetic::Deployed, "LeakyReluOptions", {{"alpha", 0.5}}),
            (std::vector<float>{-3.5f, -0.25f, 0.5f, 7}));
}

TEST(ActivationKernels, FloatSmoothFunctions) {
  TensorSpec f{DType::Float32, {3}};
  auto sig = runUnary<float>("LOGISTIC", f, f, {0, 2, -2});
  EXPECT_FLOAT_EQ(sig[0], 0.5f);
  EXPECT_NEAR(sig[1], 0.880797f, 1e-6);
  EXPECT_NEAR(sig[2], 0.119203f, 1e-6);
  auto th = runUnary<float>("TANH", f, f, {0, 1, -1});
  EXPECT_NEAR(th[1], 0.761594f, 1e-6);
  EXPECT_NEAR(th[2], -0.761594f, 1e-6);
  // x relu6(x + 3) / 6: -4 -> 0, 1 -> 2/3, 4 -> 4.
  auto hs = runUnary<float>("HARD_SWISH", f, f, {-4, 1, 4});
  EXPECT_EQ(hs[0], 0.0f);
  EXPECT_NEAR(hs[1], 2.0f / 3, 1e-6);
  EXPECT_EQ(hs[2], 4.0f);
}

TEST(ActivationKernels, QuantizedRelu6RescalesAndClamps) {
  // in: 0.1 (q + 10); out: 0.05 (q + 128). 6 on the output scale is q = -8.
  for (Arithmetic a : kBoth) {
    auto y = runUnary<int8_t>("RELU6", {DType::Int8, {6}, {0.1f}, {-10}}, {DType::Int8, {6}, {0.05f}, {-128}},
                              {-128, -10, 0, 50, 100, 5}, a);
    EXPECT_EQ(y, (std::vector<int8_t>{-128, -128, -108, -8, -8, -98}));
  }
}

TEST(ActivationKernels, QuantizedReluN1To1AndInt16Relu) {
  auto y = runUnary<uint8_t>("RELU_N1_TO_1", {DType::UInt8, {3}, {0.02f}, {128}}, {DType::UInt8, {3}, {0.01f}, {128}},
                             {0, 138, 255});
  EXPECT_EQ(y, (std::vector<uint8_t>{28, 148, 228}));  // -2.56 -> -1; 0.2; 2.54 -> 1
  auto z = runUnary<int16_t>("RELU", {DType::Int16, {3}, {0.001f}, {0}}, {DType::Int16, {3}, {0.001f}, {0}},
                             {-5, 7, 32767});
  EXPECT_EQ(z, (std::vector<int16_t>{0, 7, 32767}));
}

TEST(ActivationKernels, QuantizedLeakyReluXnnpackVersusTflite) {
  // alpha 0.1 on scale 0.1 both sides. XNNPACK multiplies by round(256 * 0.1) = 26 and shifts by 8 (floor):
  // -124 -> -12.09 -> -13. TFLite multiplies by 0.1 in fixed point and rounds: -12.4 -> -12.
  const TensorSpec s{DType::Int8, {3}, {0.1f}, {0}};
  EXPECT_EQ(runUnary<int8_t>("LEAKY_RELU", s, s, {50, -124, -128}, Arithmetic::Deployed, "LeakyReluOptions",
                             {{"alpha", 0.1}}),
            (std::vector<int8_t>{50, -13, -13}));
  EXPECT_EQ(runUnary<int8_t>("LEAKY_RELU", s, s, {50, -124, -128}, Arithmetic::Reference, "LeakyReluOptions",
                             {{"alpha", 0.1}}),
            (std::vector<int8_t>{50, -12, -13}));
}

TEST(ActivationKernels, QuantizedLogisticTableSaturatesAtTheLimits) {
  // out: 1/256, zero point -128. sigmoid(1) * 256 = 187.15 -> 59; sigmoid(12.7) * 256 rounds to 256: 127.
  for (Arithmetic a : kBoth) {
    auto y = runUnary<int8_t>("LOGISTIC", {DType::Int8, {5}, {0.1f}, {0}}, {DType::Int8, {5}, {1.f / 256}, {-128}},
                              {0, 10, -10, 127, -128}, a);
    EXPECT_EQ(y, (std::vector<int8_t>{0, 59, -59, 127, -128}));
  }
}

TEST(ActivationKernels, QuantizedLogisticTiesRoundPerArithmetic) {
  // sigmoid(0) = 0.5 on an output scale of 1: XNNPACK rounds half to even (0), TFLite away from zero (1).
  const TensorSpec in{DType::Int8, {3}, {0.1f}, {0}}, out{DType::Int8, {3}, {1.f}, {0}};
  EXPECT_EQ(runUnary<int8_t>("LOGISTIC", in, out, {0, 100, -100}, Arithmetic::Deployed),
            (std::vector<int8_t>{0, 1, 0}));
  EXPECT_EQ(runUnary<int8_t>("LOGISTIC", in, out, {0, 100, -100}, Arithmetic::Reference),
            (std::vector<int8_t>{1, 1, 0}));
}

TEST(ActivationKernels, QuantizedTanhUint8AndInt8) {
  for (Arithmetic a : kBoth) {
    auto y = runUnary<int8_t>("TANH", {DType::Int8, {5}, {0.05f}, {0}}, {DType::Int8, {5}, {1.f / 128}, {0}},
                              {20, -20, 0, 127, -128}, a);
    EXPECT_EQ(y, (std::vector<int8_t>{97, -97, 0, 127, -128}));  // tanh(1) * 128 = 97.5 (97.48)
    auto u = runUnary<uint8_t>("TANH", {DType::UInt8, {3}, {0.05f}, {128}}, {DType::UInt8, {3}, {1.f / 128}, {128}},
                               {148, 108, 128}, a);
    EXPECT_EQ(u, (std::vector<uint8_t>{225, 31, 128}));
  }
}

TEST(ActivationKernels, Int16LogisticAndTanhFixedPoint) {
  // Input on 2^-12 (Q3.12), output on 2^-15: sigmoid(1) = 0.731059 -> 23955.2, tanh(1) = 0.761594 -> 24956.1.
  // Deployed runs gemmlowp's 16-bit fixed point (TFLite's optimized kernel), a few steps off; Reference
  // interpolates the sigmoid table, within a step or two.
  const TensorSpec in{DType::Int16, {4}, {1.f / 4096}, {0}}, out{DType::Int16, {4}, {1.f / 32768}, {0}};
  for (Arithmetic a : kBoth) {
    const int tolerance = a == Arithmetic::Deployed ? 10 : 2;
    auto s = runUnary<int16_t>("LOGISTIC", in, out, {0, 4096, -4096, 32767}, a);
    EXPECT_NEAR(s[0], 16384, 1);
    EXPECT_NEAR(s[1], 23955, tolerance);
    EXPECT_NEAR(s[2], 8813, tolerance);
    EXPECT_NEAR(s[1] + s[2], 32768, 1);  // sigmoid(-x) = 1 - sigmoid(x)
    EXPECT_NEAR(s[3], 32757, tolerance);  // sigmoid(8)
    auto t = runUnary<int16_t>("TANH", in, out, {0, 4096, -4096, 32767}, a);
    EXPECT_EQ(t[0], 0);
    EXPECT_NEAR(t[1], 24956, tolerance);
    EXPECT_EQ(t[2], -t[1]);
    EXPECT_NEAR(t[3], 32767, tolerance);
  }
  // A scale that is not a power of two goes through the interpolated table in both: 1000 * 0.001 = 1.
  auto g = runUnary<int16_t>("LOGISTIC", {DType::Int16, {2}, {0.001f}, {0}}, out, {1000, -1000});
  EXPECT_NEAR(g[0], 23955, 2);
  EXPECT_NEAR(g[1], 8813, 2);
}

TEST(ActivationKernels, Int16LogisticRejectsAnOutputScaleOtherThan2ToMinus15) {
  EXPECT_ANY_THROW(runUnary<int16_t>("LOGISTIC", {DType::Int16, {1}, {1.f / 4096}, {0}},
                                     {DType::Int16, {1}, {1.f / 256}, {0}}, {0}));
}

TEST(ActivationKernels, QuantizedHardSwish) {
  // Scale 0.05 both sides: -4 -> 0, 1 -> 2/3 (13.3), 5 -> 5, -1 -> -1/3 (-6.7), 3 -> 3.
  for (Arithmetic a : kBoth) {
    auto y = runUnary<int8_t>("HARD_SWISH", {DType::Int8, {5}, {0.05f}, {0}}, {DType::Int8, {5}, {0.05f}, {0}},
                              {-80, 20, 100, -20, 60}, a);
    const std::vector<int> expected{0, 13, 100, -7, 60};
    for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(y[i], expected[i], 1) << i;
  }
}

TEST(ActivationKernels, PreluBroadcastsAlphaOverChannels) {
  {
    OpModel m;
    int x = m.input({DType::Float32, {2, 2}});
    int alpha = m.constant<float>({DType::Float32, {2}}, {0.1f, 0.5f});
    int out = m.output({DType::Float32, {2, 2}});
    m.op("PRELU", {x, alpha}, {out});
    m.setInput<float>(0, {-1, -2, 3, -4});
    m.invoke();
    auto y = m.output<float>(0);
    EXPECT_FLOAT_EQ(y[0], -0.1f);
    EXPECT_FLOAT_EQ(y[1], -1.0f);
    EXPECT_FLOAT_EQ(y[2], 3.0f);
    EXPECT_FLOAT_EQ(y[3], -2.0f);
  }
  for (Arithmetic a : kBoth) {
    OpModel m;
    int x = m.input({DType::Int8, {2, 2}, {0.1f}, {0}});
    int alpha = m.constant<int8_t>({DType::Int8, {2}, {0.01f}, {0}}, {10, 50});
    int out = m.output({DType::Int8, {2, 2}, {0.1f}, {0}});
    m.op("PRELU", {x, alpha}, {out});
    m.interpreter(a);
    m.setInput<int8_t>(0, {-10, -20, 30, -40});
    m.invoke();
    EXPECT_EQ(m.output<int8_t>(0), (std::vector<int8_t>{-1, -10, 30, -20}));
  }
}

TEST(ActivationKernels, PreluAlphaThatWouldGrowTheInputIsInvalid) {
  OpModel m;
  int x = m.input({DType::Float32, {2}});
  int alpha = m.constant<float>({DType::Float32, {3, 1}}, {0.1f, 0.2f, 0.3f});
  int out = m.output({DType::Float32, {3, 2}});
  m.op("PRELU", {x, alpha}, {out});
  EXPECT_ANY_THROW(m.invoke());
}

}  // namespace
}  // namespace ql::test
