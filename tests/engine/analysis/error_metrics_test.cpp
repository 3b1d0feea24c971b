// The debugger's statistics on hand-computed values, and the CSV/JSON contract.
#include <cmath>
#include <sstream>

#include <gtest/gtest.h>

#include "analysis/debug_report.h"
#include "analysis/error_metrics.h"

namespace ql {
namespace {

TEST(ErrorMetrics, MatchHandComputedValues) {
  std::vector<float> q = {1.0f, 2.0f, 3.5f, -1.0f}, f = {1.5f, 2.0f, 3.0f, -2.0f};
  // diff = -0.5, 0, 0.5, 1.0
  ErrorStats s = errorStats(q.data(), f.data(), q.size());
  EXPECT_EQ(s.num_elements, 4);
  EXPECT_DOUBLE_EQ(s.mean_error, 0.25);
  EXPECT_DOUBLE_EQ(s.max_abs_error, 1.0);
  EXPECT_DOUBLE_EQ(s.mean_squared_error, (0.25 + 0 + 0.25 + 1.0) / 4);
  // population variance: mean of (d - 0.25)^2 = (0.5625 + 0.0625 + 0.0625 + 0.5625) / 4
  EXPECT_DOUBLE_EQ(s.stddev, std::sqrt(1.25 / 4));
}

TEST(ErrorMetrics, AveragesOverInputsLikeNanmean) {
  ErrorStatsMean m;
  ErrorStats a, b, c;
  a.max_abs_error = 1.0, b.max_abs_error = 3.0, c.max_abs_error = NAN;
  a.num_elements = b.num_elements = c.num_elements = 10;
  m.add(a), m.add(b), m.add(c);
  EXPECT_DOUBLE_EQ(m.mean().max_abs_error, 2.0);  // the mean of the per-input maxima, NaN skipped
  EXPECT_EQ(m.mean().num_elements, 10);
}

TEST(ErrorMetrics, RmseOverScaleOfUniformRoundingIsOneOverSqrt12) {
  // Values spread evenly across quantization steps: rounding error is uniform in [-s/2, s/2].
  const float scale = 0.1f;
  std::vector<float> f, q;
  for (int i = 0; i < 100000; ++i) {
    float v = static_cast<float>(i) * 0.0001234567f;
    f.push_back(v);
    q.push_back(std::round(v / scale) * scale);
  }
  ErrorStats s = errorStats(q.data(), f.data(), q.size());
  EXPECT_NEAR(rmseOverScale(s.mean_squared_error, scale), kIdealRmseOverScale, 0.005);
}

TEST(DebugReport, CsvHasTheExactHeaderAndQuotesNames) {
  DebugReport r;
  LayerRow row;
  row.op_name = "CONV_2D";
  row.tensor_idx = 7;
  row.tensor_name = "block,1/conv";
  row.scale = 0.5;
  row.range = 127.5;
  row.stats.num_elements = 3;
  r.layers.push_back(row);
  std::string csv = debugReportCsv(r);
  std::istringstream lines(csv);
  std::string header, first;
  std::getline(lines, header);
  std::getline(lines, first);
  EXPECT_EQ(header,
            "op_name,tensor_idx,num_elements,stddev,mean_error,max_abs_error,mean_squared_error,scale,zero_point,"
            "tensor_name,range,rmse/scale");
  EXPECT_NE(first.find("\"block,1/conv\""), std::string::npos) << first;
  EXPECT_EQ(first.rfind("CONV_2D,7,3,", 0), 0u) << first;
}

TEST(DebugReport, JsonSaysWhichReferenceItUsed) {
  DebugReport r;
  r.dequantized_twin = true;
  nlohmann::json j = debugReportJson(r);
  EXPECT_EQ(j["float_reference"], "dequantized twin");
  EXPECT_EQ(j["mode"], "per-layer");
  ASSERT_FALSE(j["warnings"].empty());
  EXPECT_EQ(j["warnings"].back()["kind"], "dequantized_twin");
}

}  // namespace
}  // namespace ql
