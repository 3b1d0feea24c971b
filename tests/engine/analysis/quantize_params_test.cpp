// The quantizer's arithmetic: TFLite's asymmetric parameters from a range, symmetric weights, biases at input
// scale x weight scale, the widening histogram and the three range estimators.
#include <cmath>
#include <random>

#include "analysis/quantize/quantization_params.h"
#include "analysis/quantize/range_estimator.h"
#include "analysis/quantize/tensor_histogram.h"
#include <gtest/gtest.h>

namespace ql {
namespace {

TEST(QuantizeParams, AsymmetricRangesContainZeroAndNudgeTheZeroPoint) {
  AffineParams p = asymmetricParams(-1.f, 1.f);
  EXPECT_FLOAT_EQ(p.scale, 2.f / 255.f);
  EXPECT_EQ(p.zero_point, -1);  // -128 + 127.5 rounds away from zero
  AffineParams positive = asymmetricParams(2.f, 6.f);  // widened to [0, 6]
  EXPECT_FLOAT_EQ(positive.scale, 6.f / 255.f);
  EXPECT_EQ(positive.zero_point, -128);
  AffineParams negative = asymmetricParams(-4.f, -1.f);  // widened to [-4, 0]
  EXPECT_FLOAT_EQ(negative.scale, 4.f / 255.f);
  EXPECT_EQ(negative.zero_point, 127);
  AffineParams zeros = asymmetricParams(0.f, 0.f);
  EXPECT_EQ(zeros.scale, 1.f);
  // Zero is exactly representable.
  for (auto [lo, hi] : {std::pair{-0.3f, 5.1f}, std::pair{-7.f, 0.2f}, std::pair{-1.f, 3.f}}) {
    AffineParams q = asymmetricParams(lo, hi);
    EXPECT_GE(q.zero_point, -128);
    EXPECT_LE(q.zero_point, 127);
  }
}

TEST(QuantizeParams, WeightsAreSymmetricPerChannelOrPerTensor) {
  // Two output channels (axis 0) of three values.
  std::vector<float> w{1.f, -0.5f, 0.25f, 0.f, 4.f, -2.f};
  QuantizedWeights pc = quantizeWeightsSymmetric(w, {2, 3}, 0);
  ASSERT_EQ(pc.scales.size(), 2u);
  EXPECT_FLOAT_EQ(pc.scales[0], 1.f / 127.f);
  EXPECT_FLOAT_EQ(pc.scales[1], 4.f / 127.f);
  EXPECT_EQ(pc.values, (std::vector<int8_t>{127, -64, 32, 0, 127, -64}));  // -63.5 rounds away from zero
  QuantizedWeights pt = quantizeWeightsSymmetric(w, {2, 3}, -1);
  ASSERT_EQ(pt.scales.size(), 1u);
  EXPECT_FLOAT_EQ(pt.scales[0], 4.f / 127.f);
  EXPECT_EQ(pt.values[0], 32);
  // Last axis (DEPTHWISE_CONV_2D): channels interleave.
  QuantizedWeights dw = quantizeWeightsSymmetric(w, {1, 3, 2}, 2);
  EXPECT_FLOAT_EQ(dw.scales[0], 4.f / 127.f);   // 1, 0.25, 4
  EXPECT_FLOAT_EQ(dw.scales[1], 2.f / 127.f);   // -0.5, 0, -2
  // A channel of zeros still has a usable scale.
  QuantizedWeights z = quantizeWeightsSymmetric({0.f, 0.f, 1.f, 1.f}, {2, 2}, 0);
  EXPECT_GT(z.scales[0], 0.f);
}

TEST(QuantizeParams, BiasesUseInputTimesWeightScaleAndGrowTheWeightScaleWhenTheyWouldOverflow) {
  std::vector<float> scales;
  std::vector<int32_t> q = quantizeBias({0.5f, -1.f}, 0.1f, {0.01f, 0.02f}, &scales);
  EXPECT_FLOAT_EQ(scales[0], 0.001f);
  EXPECT_FLOAT_EQ(scales[1], 0.002f);
  EXPECT_EQ(q, (std::vector<int32_t>{500, -500}));
  // A bias of 1e6 with an input scale of 1e-3 needs weight scales of at least about 0.93.
  std::vector<float> floor = weightScalesForBias({1e6f}, 1e-3f, true);
  QuantizedWeights w = quantizeWeightsSymmetric({0.01f, -0.02f}, {1, 2}, -1, floor);
  EXPECT_GE(w.scales[0], floor[0]);
  std::vector<int32_t> b = quantizeBias({1e6f}, 1e-3f, w.scales, &scales);
  EXPECT_LT(std::abs(static_cast<double>(b[0])), 0.51 * 2147483647.0);
}

TEST(TensorHistogram, WidensWithoutLosingCountsAndKeepsExactMinMax) {
  TensorHistogram h;
  std::vector<float> a{0.f, 0.5f, 1.f};
  h.add(a.data(), a.size());
  std::vector<float> b{-3.f, 10.f, 2.f, NAN};
  h.add(b.data(), b.size());
  EXPECT_EQ(h.total(), 6u);
  EXPECT_EQ(h.min(), -3.f);
  EXPECT_EQ(h.max(), 10.f);
  uint64_t sum = 0;
  for (uint64_t c : h.counts()) sum += c;
  EXPECT_EQ(sum, 6u);
  EXPECT_LE(h.binLow(), -3.0);
  EXPECT_GE(h.binLow() + h.binWidth() * TensorHistogram::kBins, 10.0);
  // Bins stay fine: far fewer than 2048 values' worth of width.
  EXPECT_LT(h.binWidth(), 13.0 / 1000);
}

TEST(RangeEstimators, PercentileClipsARareOutlierMinMaxKeeps) {
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.f, 1.f);
  TensorHistogram h;
  for (int image = 0; image < 20; ++image) {
    std::vector<float> v(5000);
    for (float& x : v) x = normal(rng);
    if (image == 3) v[17] = 200.f;  // one outlier in 100000 values
    h.add(v.data(), v.size());
  }
  ValueRange mm = estimateRange(h, RangeEstimator::MinMax);
  ValueRange pc = estimateRange(h, RangeEstimator::Percentile, 99.99);
  EXPECT_EQ(mm.max, 200.f);
  EXPECT_GT(pc.max, 3.f);
  EXPECT_LT(pc.max, 6.f);
  EXPECT_LT(pc.min, -3.f);
  EXPECT_EQ(rangeEstimatorFromName("mse"), RangeEstimator::Mse);
  EXPECT_THROW(rangeEstimatorFromName("kl"), std::exception);
}

TEST(RangeEstimators, MseClipsLongTailsWhereThatLowersTheError) {
  // Laplace values: a long tail whose clipping costs less than the rounding a full range would cost.
  std::mt19937 rng(11);
  std::exponential_distribution<float> expo(1.f);
  std::bernoulli_distribution sign(0.5);
  TensorHistogram h;
  for (int image = 0; image < 10; ++image) {
    std::vector<float> v(20000);
    for (float& x : v) x = sign(rng) ? expo(rng) : -expo(rng);
    h.add(v.data(), v.size());
  }
  ValueRange mm = estimateRange(h, RangeEstimator::MinMax);
  ValueRange pc = estimateRange(h, RangeEstimator::Percentile, 99.99);
  ValueRange mse = estimateRange(h, RangeEstimator::Mse);
  EXPECT_LT(mse.max, mm.max);
  EXPECT_GT(mse.min, mm.min);
  double e_mse = quantizationMse(h, mse.min, mse.max);
  EXPECT_LT(e_mse, quantizationMse(h, mm.min, mm.max));
  EXPECT_LE(e_mse, quantizationMse(h, pc.min, pc.max));
}

}  // namespace
}  // namespace ql
