// Float functions as XNNPACK computes them (xnnpack_float_math.h): their edges by hand, and bit for bit against
// the real runtime through the LOGISTIC and HARD_SWISH ops.
#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "kernels/xnnpack_float_math.h"
#include "model/dtype.h"
#include "support/op_model.h"
#include "support/random_data.h"
#include "support/runtime_check.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

TEST(XnnpackSigmoid, SaturatesAndIsSymmetric) {
  EXPECT_EQ(xnnpackSigmoid(0.f), 0.5f);
  EXPECT_EQ(xnnpackSigmoid(-100.f), 0.f);  // exp(-100) is below the normal range: flushed
  EXPECT_EQ(xnnpackSigmoid(100.f), 1.f);
  EXPECT_EQ(xnnpackSigmoid(-INFINITY), 0.f);
  EXPECT_EQ(xnnpackSigmoid(INFINITY), 1.f);
  EXPECT_TRUE(std::isnan(xnnpackSigmoid(NAN)));
  for (float x : {0.25f, 1.f, 3.5f, 12.f}) {
    EXPECT_NEAR(xnnpackSigmoid(x), 1.f / (1.f + std::exp(-x)), 2e-7f) << x;
    EXPECT_EQ(xnnpackSigmoid(x), 1.f - xnnpackSigmoid(-x)) << x;
  }
}

TEST(XnnpackHardSwish, ClampsTheGateAndMultipliesBySixthNotDividesBySix) {
  EXPECT_EQ(xnnpackHardSwish(-3.f), 0.f);
  EXPECT_EQ(xnnpackHardSwish(-7.f), 0.f);
  EXPECT_EQ(xnnpackHardSwish(3.f), 3.f);
  EXPECT_EQ(xnnpackHardSwish(10.f), 10.f);
  EXPECT_EQ(xnnpackHardSwish(0.f), 0.f);
  // 1.1: gate 1.1 * fl(1/6) + 0.5 and then times x; x * (x + 3) / 6 rounds to the neighbouring float.
  const float x = 1.1f;
  EXPECT_EQ(xnnpackHardSwish(x), (x * (1.f / 6.f) + 0.5f) * x);
  EXPECT_NE(xnnpackHardSwish(x), x * (x + 3.f) / 6.f);
}

// One elementwise float op over many values, in quantlens and in the real runtime: equal bit for bit.
void expectElementwiseMatchesRuntime(const char* op, const std::string& oracle, float lo, float hi,
                                     const std::vector<float>& edges) {
  std::mt19937 rng(43);
  OpModel m;
  const int n = 4096;
  int in = m.input({DType::Float32, {1, n}});
  int out = m.output({DType::Float32, {1, n}});
  m.op(op, {in}, {out});
  std::vector<float> x = randomFloats(rng, n, lo, hi);
  std::copy(edges.begin(), edges.end(), x.begin());
  expectMatchesRuntime(m, bytesOf(x), oracle + "/litert_run.mjs", op, 0.0);
}

TEST(XnnpackFloatMathOracle, LogisticMatchesTheRealRuntimeBitForBit) {
  QL_REQUIRE_ORACLE(oracle);
  expectElementwiseMatchesRuntime("LOGISTIC", oracle, -30, 30, {0.f, -0.f, 87.f, -87.f, 88.f, -88.f, 1e-8f, -1e-8f});
}

TEST(XnnpackFloatMathOracle, HardSwishMatchesTheRealRuntimeBitForBit) {
  QL_REQUIRE_ORACLE(oracle);
  expectElementwiseMatchesRuntime("HARD_SWISH", oracle, -5, 5, {-3.f, 3.f, 0.f, -0.f, 1.1f, -1.1f, 100.f, -100.f});
}

}  // namespace
}  // namespace ql::test
