// The plain values the app's inspector draws: histograms, per-channel weight tables, CSV, op counts, ranges.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include <gtest/gtest.h>

#include "analysis/model_summary.h"
#include "analysis/value_histogram.h"
#include "analysis/values_csv.h"
#include "analysis/weight_channels.h"
#include "model/model_builder.h"
#include "model/tensor_values.h"

namespace ql {
namespace {

TEST(ValueHistogram, CountsEveryFiniteValueOnceAndStatsMatchByHand) {
  std::vector<float> v = {-1.0f, 0.0f, 0.0f, 0.5f, 1.0f, NAN};
  ValueStats s = valueStats(v);
  EXPECT_EQ(s.count, 5);
  EXPECT_EQ(s.non_finite, 1);
  EXPECT_EQ(s.zeros, 2);
  EXPECT_DOUBLE_EQ(s.min, -1.0);
  EXPECT_DOUBLE_EQ(s.max, 1.0);
  EXPECT_DOUBLE_EQ(s.mean, 0.1);
  EXPECT_NEAR(s.stddev, std::sqrt((1.21 + 0.01 + 0.01 + 0.16 + 0.81) / 5), 1e-12);

  Histogram h = histogramOf(v, 4, -1.0, 1.0);
  ASSERT_EQ(h.counts.size(), 4u);
  EXPECT_EQ(h.counts[0], 1);  // -1
  EXPECT_EQ(h.counts[2], 2);  // 0, 0
  EXPECT_EQ(h.counts[3], 2);  // 0.5 and the closed upper edge 1
  EXPECT_EQ(h.total(), 5);
  EXPECT_DOUBLE_EQ(h.binCenter(0), -0.75);
}

TEST(ValueHistogram, CommonRangeCoversBothSetsAndConstantValuesGetAWidth) {
  auto [a, b] = histogramsOnCommonRange({0.0f, 1.0f}, {-2.0f, 3.0f, 3.0f}, 10);
  EXPECT_DOUBLE_EQ(a.lo, -2.0);
  EXPECT_DOUBLE_EQ(b.hi, 3.0);
  EXPECT_EQ(a.total(), 2);
  EXPECT_EQ(b.total(), 3);
  auto [c, d] = histogramsOnCommonRange({4.0f, 4.0f}, {}, 3);
  EXPECT_GT(c.hi, c.lo);
  EXPECT_EQ(c.total(), 2);
  EXPECT_EQ(d.total(), 0);
}

TEST(ValuesCsv, LastDimensionAcrossAndFloatsReadBackExactly) {
  std::vector<float> v = {0.1f, -2.5f, 3.0f, 1e-7f, 123456.789f, -0.0f};
  std::string csv = valuesCsv({2, 3}, v);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2);
  std::istringstream in(csv);
  std::string cell;
  std::vector<float> back;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    while (std::getline(row, cell, ',')) back.push_back(std::strtof(cell.c_str(), nullptr));
  }
  EXPECT_EQ(back, v);
  EXPECT_EQ(valuesCsv({}, {2.0f}), "2\n");
  EXPECT_EQ(valuesCsv({4}, {1, 2, 3, 4}), "1,2,3,4\n");
}

TEST(WeightChannels, PerChannelParametersRangesAndErrorAgainstTheFloatWeights) {
  Tensor t;
  t.type = DType::Int8;
  t.shape = {2, 3};
  t.quant.scale = {0.5f, 0.25f};
  t.quant.zero_point = {0, 0};
  t.quant.quantized_dimension = 0;
  std::vector<float> real = {-1.0f, 0.0f, 0.5f, 0.25f, 0.5f, 0.75f};
  std::vector<float> ref = {-1.1f, 0.1f, 0.5f, 0.25f, 0.5f, 0.75f};
  WeightChannels w = weightChannels(t, real, ref);
  ASSERT_EQ(w.channels.size(), 2u);
  EXPECT_TRUE(w.per_channel);
  EXPECT_TRUE(w.has_reference);
  EXPECT_DOUBLE_EQ(w.channels[0].scale, 0.5);
  EXPECT_DOUBLE_EQ(w.channels[1].scale, 0.25);
  EXPECT_DOUBLE_EQ(w.channels[0].min, -1.0);
  EXPECT_DOUBLE_EQ(w.channels[0].max, 0.5);
  EXPECT_NEAR(w.channels[0].reference_min, -1.1, 1e-6);
  EXPECT_NEAR(w.channels[0].max_abs_error, 0.1, 1e-6);
  EXPECT_NEAR(w.channels[0].mean_squared_error, 0.02 / 3, 1e-7);
  EXPECT_NEAR(w.channels[0].rmse_over_scale, std::sqrt(0.02 / 3) / 0.5, 1e-6);
  EXPECT_DOUBLE_EQ(w.channels[1].max_abs_error, 0);
  EXPECT_EQ(w.channels[0].levels, 4);  // -1 .. 0.5 in steps of 0.5
  EXPECT_EQ(w.channels[1].levels, 3);  // 0.25 .. 0.75 in steps of 0.25

  WeightChannels alone = weightChannels(t, real, {});
  EXPECT_FALSE(alone.has_reference);
  EXPECT_TRUE(std::isnan(alone.channels[1].rmse_over_scale));
  EXPECT_TRUE(weightChannels(t, {1.0f}, {}).channels.empty());  // does not fill the shape
}

TEST(WeightChannels, PerTensorScaleStillReportsOutputChannelsDepthwiseOnTheLastAxis) {
  Tensor t;
  t.type = DType::Int8;
  t.shape = {1, 1, 2, 3};  // depthwise [1, h, w, c]
  t.quant.scale = {0.5f};
  t.quant.zero_point = {0};
  std::vector<float> real = {1, 2, 3, 4, 5, 6};
  WeightChannels w = weightChannels(t, real, {});
  EXPECT_FALSE(w.per_channel);
  EXPECT_EQ(w.axis, 3);
  ASSERT_EQ(w.channels.size(), 3u);
  EXPECT_DOUBLE_EQ(w.channels[2].min, 3);
  EXPECT_DOUBLE_EQ(w.channels[2].max, 6);
  EXPECT_DOUBLE_EQ(w.channels[2].scale, 0.5);
  t.shape = {3, 2};
  EXPECT_EQ(weightChannels(t, real, {}).axis, 0);
}

TEST(RepresentableRange, Int8AndUint8WithZeroPoints) {
  Tensor t;
  t.type = DType::UInt8;
  t.quant.scale = {0.0078125f};
  t.quant.zero_point = {128};
  double lo = 0, hi = 0;
  ASSERT_TRUE(representableRange(t, 0, &lo, &hi));
  EXPECT_DOUBLE_EQ(lo, -1.0);
  EXPECT_DOUBLE_EQ(hi, 0.9921875);
  t.type = DType::Int8;
  t.quant.scale = {1.0f, 2.0f};
  t.quant.zero_point = {0, -128};
  ASSERT_TRUE(representableRange(t, 1, &lo, &hi));
  EXPECT_DOUBLE_EQ(lo, 0.0);
  EXPECT_DOUBLE_EQ(hi, 510.0);
  t.type = DType::Float32;
  EXPECT_FALSE(representableRange(t, 0, &lo, &hi));
}

TEST(ModelSummary, CountsOpsByTypeWithTheirFirstIndex) {
  Model m = emptyModel();
  Subgraph& sg = m.subgraphs[0];
  Tensor f;
  f.shape = {1, 4};
  int a = addTensor(sg, f), b = addTensor(sg, f), c = addTensor(sg, f), d = addTensor(sg, f);
  sg.ops.push_back(makeOp(m, "RELU", {a}, {b}));
  sg.ops.push_back(makeOp(m, "LOGISTIC", {b}, {c}));
  sg.ops.push_back(makeOp(m, "RELU", {c}, {d}));
  sg.inputs = {a};
  sg.outputs = {d};
  std::vector<OpTypeCount> counts = opTypeCounts(m);
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].type, "LOGISTIC");
  EXPECT_EQ(counts[0].count, 1);
  EXPECT_EQ(counts[1].type, "RELU");
  EXPECT_EQ(counts[1].count, 2);
  EXPECT_EQ(counts[1].first_op, 0);
  EXPECT_TRUE(unsupportedOpTypes(m).empty());
  sg.ops.push_back(makeOp(m, "MyCustomThing", {d}, {a}));
  std::vector<OpTypeCount> missing = unsupportedOpTypes(m);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].type, "MyCustomThing");
  EXPECT_EQ(missing[0].first_op, 3);
}

}  // namespace
}  // namespace ql
