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

nlohmann::json depthwiseOptions(const char* padding) {
  nlohmann::json o = convOptions(padding);
  o["depth_multiplier"] = 1;
  return o;
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
  ProductSum s(0.f, true);
  for (int c = 0; c < 4; ++c) s.add(c, kInputs[static_cast<size_t>(c)]);
  EXPECT_EQ(s.total(), kFourLanes);
  // Channel 4 goes back to lane 0: 1 + 2^-24 rounds to 1 there, and the other lanes are empty.
  ProductSum t(0.f, true);
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
    m.op("DEPTHWISE_CONV_2D", {in, w, -1}, {out}, "DepthwiseConv2DOptions", depthwiseOptions("VALID"));
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

size_t elements(const std::vector<int32_t>& shape) {
  size_t n = 1;
  for (int32_t d : shape) n *= static_cast<size_t>(d);
  return n;
}

// One float op with random weights of w_shape and a bias per output channel, run here and in the real runtime on
// random inputs: equal bit for bit, plain and fast kernels both.
void expectWeightedOpMatchesRuntime(const std::string& oracle, std::mt19937& rng, const char* op, const char* table,
                                    const nlohmann::json& options, const std::vector<int32_t>& in_shape,
                                    const std::vector<int32_t>& w_shape, const std::vector<int32_t>& out_shape) {
  OpModel m;
  int in = m.input({DType::Float32, in_shape});
  int w = m.constant<float>({DType::Float32, w_shape}, randomFloats(rng, elements(w_shape), -1, 1));
  const int32_t channels = out_shape.back();
  int b = m.constant<float>({DType::Float32, {channels}}, randomFloats(rng, static_cast<size_t>(channels), -1, 1));
  int out = m.output({DType::Float32, out_shape});
  m.op(op, {in, w, b}, {out}, table, options);
  expectMatchesRuntime(m, bytesOf(randomFloats(rng, elements(in_shape), -3, 3)), oracle + "/litert_run.mjs", op, 0.0);
}

TEST(FloatSumOrderOracle, ConvolutionsMatchTheRealRuntimeBitForBit) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(41);
  struct Case { int k, in_c, out_c; };
  // 3x3 with few outputs (four lanes, channels not a multiple of 4), 3x3 with 16 (running sum), pointwise with 12
  // (four lanes in LiteRT) and with 16 (running sum).
  for (Case c : {Case{3, 5, 3}, Case{3, 5, 16}, Case{1, 24, 12}, Case{1, 24, 16}}) {
    SCOPED_TRACE("kernel " + std::to_string(c.k) + " in " + std::to_string(c.in_c) + " out " + std::to_string(c.out_c));
    expectWeightedOpMatchesRuntime(oracle, rng, "CONV_2D", "Conv2DOptions", convOptions("SAME"), {1, 6, 6, c.in_c},
                                   {c.out_c, c.k, c.k, c.in_c}, {1, 6, 6, c.out_c});
  }
}

TEST(FloatSumOrderOracle, FullyConnectedWithFewUnitsMatchesTheRealRuntimeBitForBit) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(42);
  for (int units : {2, 5, 16}) {
    SCOPED_TRACE(units);
    expectWeightedOpMatchesRuntime(oracle, rng, "FULLY_CONNECTED", "FullyConnectedOptions", fcOptions(), {3, 37},
                                   {units, 37}, {3, units});
  }
}

TEST(FloatSumOrderOracle, DepthwiseMatchesTheRealRuntimeBitForBit) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(45);
  for (int k : {3, 5, 7}) {
    SCOPED_TRACE(k);
    expectWeightedOpMatchesRuntime(oracle, rng, "DEPTHWISE_CONV_2D", "DepthwiseConv2DOptions", depthwiseOptions("SAME"),
                                   {1, 12, 12, 16}, {1, k, k, 16}, {1, 12, 12, 16});
  }
}

}  // namespace
}  // namespace ql::test
