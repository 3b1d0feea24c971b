// RSQRT, SQRT, EXP, LOG, ABS, NEG on hand-computed cases: float, the integer types' edge values, and the int8
// quantized paths (rescaling, the table ops, truncation in SQRT, the zero input of RSQRT). (Comparisons with the
// real runtime on random data are in elementwise_binary_test.cpp, UnaryKernels.MatchTheRealRuntime.)
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "support/op_model.h"

namespace ql::test {
namespace {

template <typename T>
std::vector<T> runUnary(const std::string& op, const TensorSpec& in, const TensorSpec& out, const std::vector<T>& x) {
  OpModel m;
  int i = m.input(in);
  int o = m.output(out);
  m.op(op, {i}, {o});
  m.setInput<T>(0, x);
  m.invoke();
  return m.output<T>(0);
}

TEST(UnaryKernels, FloatFunctions) {
  TensorSpec f{DType::Float32, {3}};
  EXPECT_EQ(runUnary<float>("RSQRT", f, f, {4, 0.25f, 1}), (std::vector<float>{0.5f, 2, 1}));
  EXPECT_EQ(runUnary<float>("SQRT", f, f, {9, 0.25f, 0}), (std::vector<float>{3, 0.5f, 0}));
  EXPECT_EQ(runUnary<float>("ABS", f, f, {-2, 0, 3}), (std::vector<float>{2, 0, 3}));
  EXPECT_EQ(runUnary<float>("NEG", f, f, {-2, 0, 3}), (std::vector<float>{2, -0.0f, -3}));
  auto e = runUnary<float>("EXP", f, f, {0, 1, -1});
  EXPECT_EQ(e[0], 1.0f);
  EXPECT_NEAR(e[1], 2.718282f, 1e-6);
  auto l = runUnary<float>("LOG", f, f, {1, 2.718282f, 0});
  EXPECT_EQ(l[0], 0.0f);
  EXPECT_NEAR(l[1], 1.0f, 1e-6);
  EXPECT_TRUE(std::isinf(l[2]) && l[2] < 0);
}

TEST(UnaryKernels, IntegerAbsAndNegWrapAtTheMinimum) {
  TensorSpec i32{DType::Int32, {3}};
  const int32_t lo = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(runUnary<int32_t>("ABS", i32, i32, {-7, 7, lo}), (std::vector<int32_t>{7, 7, lo}));
  EXPECT_EQ(runUnary<int32_t>("NEG", i32, i32, {-7, 7, lo}), (std::vector<int32_t>{7, -7, lo}));
  TensorSpec i64{DType::Int64, {2}};
  EXPECT_EQ(runUnary<int64_t>("NEG", i64, i64, {int64_t{1} << 40, -3}), (std::vector<int64_t>{-(int64_t{1} << 40), 3}));
  // NEG on int8 negates the stored value, whatever the quantization.
  TensorSpec i8{DType::Int8, {3}, {0.5f}, {3}};
  EXPECT_EQ(runUnary<int8_t>("NEG", i8, i8, {-128, 5, 127}), (std::vector<int8_t>{-128, -5, -127}));
}

TEST(UnaryKernels, QuantizedAbsRescales) {
  // in 0.5 (q - 2), out 0.25 (q + 128): 2 |q - 2| - 128.
  auto y = runUnary<int8_t>("ABS", {DType::Int8, {3}, {0.5f}, {2}}, {DType::Int8, {3}, {0.25f}, {-128}}, {-8, 2, 127});
  EXPECT_EQ(y, (std::vector<int8_t>{-108, -128, 122}));
  auto z =
      runUnary<int16_t>("ABS", {DType::Int16, {2}, {0.001f}, {0}}, {DType::Int16, {2}, {0.002f}, {0}}, {-32768, 301});
  EXPECT_EQ(z, (std::vector<int16_t>{16384, 151}));  // 32768 / 2; 150.5 rounds up
}

TEST(UnaryKernels, Int8ExpAndLogTables) {
  auto e = runUnary<int8_t>("EXP", {DType::Int8, {3}, {0.1f}, {0}}, {DType::Int8, {3}, {0.1f}, {-128}}, {0, 10, -128});
  EXPECT_EQ(e, (std::vector<int8_t>{-118, -101, -128}));  // 1 -> 10 steps, e = 2.718 -> 27 steps, ~0
  // log of 0 gives the output's lowest value; log(1) = 0; log(2.7) = 0.993 -> 19.9 steps.
  auto l = runUnary<int8_t>("LOG", {DType::Int8, {3}, {0.1f}, {-128}}, {DType::Int8, {3}, {0.05f}, {0}},
                            {-128, -118, -101});
  EXPECT_EQ(l, (std::vector<int8_t>{-128, 0, 20}));
}

TEST(UnaryKernels, Int8SqrtTruncatesAndRejectsNegatives) {
  // in 0.25, out 0.5: 4 -> 2 -> 4 steps; 9 -> 3 -> 6; 2 -> 1.414 -> 2.83 truncated to 2.
  auto y = runUnary<int8_t>("SQRT", {DType::Int8, {3}, {0.25f}, {0}}, {DType::Int8, {3}, {0.5f}, {0}}, {16, 36, 8});
  EXPECT_EQ(y, (std::vector<int8_t>{4, 6, 2}));
  EXPECT_ANY_THROW(runUnary<int8_t>("SQRT", {DType::Int8, {1}, {0.25f}, {0}}, {DType::Int8, {1}, {0.5f}, {0}}, {-1}));
}

TEST(UnaryKernels, Int8RsqrtFixedPoint) {
  // in 0.25, out 0.1: 1/sqrt(4) = 0.5 -> 5; 1/sqrt(1) -> 10; zero -> the largest value; 1/3 -> 3.3.
  auto y = runUnary<int8_t>("RSQRT", {DType::Int8, {4}, {0.25f}, {0}}, {DType::Int8, {4}, {0.1f}, {0}}, {16, 4, 0, 36});
  const std::vector<int> expected{5, 10, 127, 3};
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(y[i], expected[i], 1) << i;
  EXPECT_EQ(y[2], 127);
}

TEST(UnaryKernels, UnsupportedTypesHaveNoKernel) {
  OpModel m;
  int i = m.input({DType::UInt8, {2}, {0.1f}, {0}});
  int o = m.output({DType::UInt8, {2}, {0.1f}, {0}});
  m.op("EXP", {i}, {o});
  EXPECT_ANY_THROW(m.invoke());
}

}  // namespace
}  // namespace ql::test
