// The order in which deployed float CONV_2D and FULLY_CONNECTED add their products (float_sum_order.h), and
// DEPTHWISE_CONV_2D its taps (depthwiseTapsByColumn): pinned on hand-made cases where another order rounds
// differently, and bit for bit against the real runtime.
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "kernels/float_sum_order.h"
#include "model/dtype.h"
#include "support/op_model.h"
#include "support/random_data.h"
#include "support/runtime_check.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

nlohmann::json convOptions(const char* padding) {
  return {{"padding", padding}, {"stride_w", 1}, {"stride_h", 1}, {"dilation_w_factor", 1},
          {"dilation_h_factor", 1}, {"fused_activation_function", "NONE"}};
}

nlohmann::json fcOptions() {
  return {{"fused_activation_function", "NONE"}, {"keep_num_dims", false}, {"asymmetric_quantize_inputs", false}};
}

// Products 1, 2^-24, 2^-24, 2^-24 (input channels 0..3), bias 0: one running sum loses each 2^-24 against 1 (ties
// to even), four lanes keep them: (1 + 2^-24) + (2^-24 + 2^-24) = 1 + 2^-23 after rounding.
const std::vector<float> kInputs = {1.f, std::ldexp(1.f, -24), std::ldexp(1.f, -24), std::ldexp(1.f, -24)};
const float kRunningSum = 1.f, kFourLanes = 1.f + std::ldexp(1.f, -23);

TEST(FloatSumOrder, TheRulesFollowTheDelegatesTiles) {
  EXPECT_TRUE(convSumsInFourLanes(3, false));
  EXPECT_FALSE(convSumsInFourLanes(12, false));
  EXPECT_TRUE(convSumsInFourLanes(12, true));  // pointwise: 12 outputs waste 4 of 16 in the default tile
  EXPECT_TRUE(convSumsInFourLanes(42, true));
  EXPECT_FALSE(convSumsInFourLanes(64, true));
  EXPECT_TRUE(convSumsInFourLanes(43, true));    // the two-channel tile wastes one column, the default tile 5
  EXPECT_FALSE(convSumsInFourLanes(47, true));  // both waste one
  EXPECT_TRUE(fullyConnectedSumsInFourLanes(4));
  EXPECT_FALSE(fullyConnectedSumsInFourLanes(10));
}

TEST(FloatSumOrder, FourLanesAddLaneTwoToZeroAndThreeToOne) {
  FourLaneSum s(0.f);
  for (int c = 0; c < 4; ++c) s.add(c, kInputs[static_cast<size_t>(c)]);
  EXPECT_EQ(s.total(), kFourLanes);
  // Channel 4 goes back to lane 0: 1 + 2^-24 rounds to 1 there, and the other lanes are empty.
  FourLaneSum t(0.f);
  t.add(0, 1.f);
  t.add(4, std::ldexp(1.f, -24));
  EXPECT_EQ(t.total(), 1.f);
}

TEST(FloatSumOrder, ConvolutionsWithFewOutputChannelsSumInFourLanes) {
  for (int out_c : {3, 8}) {
    SCOPED_TRACE(out_c);
    OpModel m;
    int in = m.input({DType::Float32, {1, 1, 1, 4}});
    int w = m.constant<float>({DType::Float32, {out_c, 1, 1, 4}}, std::vector<float>(static_cast<size_t>(out_c) * 4, 1.f));
    int out = m.output({DType::Float32, {1, 1, 1, out_c}});
    m.op("CONV_2D", {in, w, -1}, {out}, "Conv2DOptions", convOptions("VALID"));
    m.setInput<float>(0, kInputs);
    m.invoke();
    EXPECT_EQ(m.output<float>(0)[0], out_c == 3 ? kFourLanes : kRunningSum);
  }
}

TEST(FloatSumOrder, EachKernelTapStartsAtLaneZero) {
  // A 1x2 kernel over 3 channels and 2 output channels: tap 0 adds channels 0..2 to lanes 0..2, tap 1 again to
  // lanes 0..2, where the k index of the flattened window (3, 4, 5) would use lanes 3, 0, 1.
  OpModel m;
  int in = m.input({DType::Float32, {1, 1, 2, 3}});
  int w = m.constant<float>({DType::Float32, {2, 1, 2, 3}}, std::vector<float>(12, 1.f));
  int out = m.output({DType::Float32, {1, 1, 1, 2}});
  m.op("CONV_2D", {in, w, -1}, {out}, "Conv2DOptions", convOptions("VALID"));
  const float e = std::ldexp(1.f, -24);
  // Pixels (1, e, e) and (0, e, 0). By tap: lane 0 holds 1, lane 1 e + e, lane 2 e: (1 + e) + 2e = 1 + 2^-23.
  // By flattened index the second e of channel 1 (k = 4) lands in lane 0 and is lost: (1 + e) + e = 1; and so
  // is every e in one running sum.
  m.setInput<float>(0, {1.f, e, e, 0.f, e, 0.f});
  m.invoke();
  EXPECT_EQ(m.output<float>(0)[0], 1.f + std::ldexp(1.f, -23));
}

TEST(FloatSumOrder, FullyConnectedWithFewUnitsSumsInFourLanes) {
  for (int units : {4, 10}) {
    SCOPED_TRACE(units);
    OpModel m;
    int in = m.input({DType::Float32, {1, 4}});
    int w = m.constant<float>({DType::Float32, {units, 4}}, std::vector<float>(static_cast<size_t>(units) * 4, 1.f));
    int out = m.output({DType::Float32, {1, units}});
    m.op("FULLY_CONNECTED", {in, w, -1}, {out}, "FullyConnectedOptions", fcOptions());
    m.setInput<float>(0, kInputs);
    m.invoke();
    EXPECT_EQ(m.output<float>(0)[0], units == 4 ? kFourLanes : kRunningSum);
  }
}

TEST(FloatSumOrder, DepthwiseAddsSmallWindowsColumnByColumnAndLargeOnesRowByRow) {
  // One channel, weights 1, a 3x3 window (one pass: by column) and a 7x7 one (several passes: by row).
  const float e = std::ldexp(1.f, -24);
  for (int k : {3, 7}) {
    SCOPED_TRACE(k);
    OpModel m;
    int in = m.input({DType::Float32, {1, k, k, 1}});
    int w = m.constant<float>({DType::Float32, {1, k, k, 1}}, std::vector<float>(static_cast<size_t>(k * k), 1.f));
    int out = m.output({DType::Float32, {1, 1, 1, 1}});
    m.op("DEPTHWISE_CONV_2D", {in, w, -1}, {out}, "DepthwiseConv2DOptions",
         {{"padding", "VALID"}, {"stride_w", 1}, {"stride_h", 1}, {"depth_multiplier", 1}, {"dilation_w_factor", 1},
          {"dilation_h_factor", 1}, {"fused_activation_function", "NONE"}});
    // Row 0: 1, e, e (e = 2^-24); row 1: 2e; the rest 0. Row by row: 1 + e ties to 1 twice, then + 2e = 1 + 2e.
    // Column by column: 1 + 2e first, then + e ties to the even 1 + 4e, and + e ties back to 1 + 4e.
    std::vector<float> x(static_cast<size_t>(k * k), 0.f);
    x[0] = 1.f, x[1] = e, x[2] = e, x[static_cast<size_t>(k)] = 2 * e;
    m.setInput<float>(0, x);
    m.invoke();
    EXPECT_EQ(m.output<float>(0)[0], k == 3 ? 1.f + 4 * e : 1.f + 2 * e);
  }
}

// ---- the real runtime ------------------------------------------------------------------------------------------

TEST(FloatSumOrderOracle, ConvolutionsMatchTheRealRuntimeBitForBit) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(41);
  struct Case { int k, in_c, out_c; };
  // 3x3 with few outputs (four lanes, channels not a multiple of 4), 3x3 with 16 (running sum), pointwise with 12
  // (four lanes in LiteRT) and with 16 (running sum).
  for (Case c : {Case{3, 5, 3}, Case{3, 5, 16}, Case{1, 24, 12}, Case{1, 24, 16}}) {
    SCOPED_TRACE("kernel " + std::to_string(c.k) + " in " + std::to_string(c.in_c) + " out " + std::to_string(c.out_c));
    OpModel m;
    int in = m.input({DType::Float32, {1, 6, 6, c.in_c}});
    int w = m.constant<float>({DType::Float32, {c.out_c, c.k, c.k, c.in_c}},
                              randomFloats(rng, static_cast<size_t>(c.out_c * c.k * c.k * c.in_c), -1, 1));
    int b = m.constant<float>({DType::Float32, {c.out_c}}, randomFloats(rng, static_cast<size_t>(c.out_c), -1, 1));
    int out = m.output({DType::Float32, {1, 6, 6, c.out_c}});
    m.op("CONV_2D", {in, w, b}, {out}, "Conv2DOptions", convOptions("SAME"));
    expectMatchesRuntime(m, bytesOf(randomFloats(rng, static_cast<size_t>(36 * c.in_c), -3, 3)),
                         oracle + "/litert_run.mjs", "", 0.0);
  }
}

TEST(FloatSumOrderOracle, FullyConnectedWithFewUnitsMatchesTheRealRuntimeBitForBit) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(42);
  for (int units : {2, 5, 16}) {
    SCOPED_TRACE(units);
    OpModel m;
    const int depth = 37;
    int in = m.input({DType::Float32, {3, depth}});
    int w = m.constant<float>({DType::Float32, {units, depth}}, randomFloats(rng, static_cast<size_t>(units * depth), -1, 1));
    int b = m.constant<float>({DType::Float32, {units}}, randomFloats(rng, static_cast<size_t>(units), -1, 1));
    int out = m.output({DType::Float32, {3, units}});
    m.op("FULLY_CONNECTED", {in, w, b}, {out}, "FullyConnectedOptions", fcOptions());
    expectMatchesRuntime(m, bytesOf(randomFloats(rng, static_cast<size_t>(3 * depth), -3, 3)),
                         oracle + "/litert_run.mjs", "", 0.0);
  }
}

TEST(FloatSumOrderOracle, DepthwiseMatchesTheRealRuntimeBitForBit) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(45);
  for (int k : {3, 5, 7}) {
    SCOPED_TRACE(k);
    const int h = 12, c = 16;
    OpModel m;
    int in = m.input({DType::Float32, {1, h, h, c}});
    int w = m.constant<float>({DType::Float32, {1, k, k, c}}, randomFloats(rng, static_cast<size_t>(k * k * c), -1, 1));
    int b = m.constant<float>({DType::Float32, {c}}, randomFloats(rng, static_cast<size_t>(c), -1, 1));
    int out = m.output({DType::Float32, {1, h, h, c}});
    m.op("DEPTHWISE_CONV_2D", {in, w, b}, {out}, "DepthwiseConv2DOptions",
         {{"padding", "SAME"}, {"stride_w", 1}, {"stride_h", 1}, {"depth_multiplier", 1}, {"dilation_w_factor", 1},
          {"dilation_h_factor", 1}, {"fused_activation_function", "NONE"}});
    expectMatchesRuntime(m, bytesOf(randomFloats(rng, static_cast<size_t>(h * h * c), -3, 3)),
                         oracle + "/litert_run.mjs", "", 0.0);
  }
}

}  // namespace
}  // namespace ql::test
