// The debugger's numbers on the real twin trained_lstm / trained_lstm_int8, against an independent computation
// from the tensors the real runtime produced (../shared/golden).
#include <cmath>
#include <map>

#include "analysis/op_matching.h"
#include "analysis/quant_debugger.h"
#include "model/reader.h"
#include "model/tensor_values.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

struct Stats {
  double mean = 0, max_abs = 0, mse = 0, stddev = 0;
};

Stats statsOf(const std::vector<double>& diff) {
  Stats s;
  for (double d : diff) s.mean += d, s.mse += d * d, s.max_abs = std::max(s.max_abs, std::fabs(d));
  s.mean /= static_cast<double>(diff.size());
  s.mse /= static_cast<double>(diff.size());
  for (double d : diff) s.stddev += (d - s.mean) * (d - s.mean);
  s.stddev = std::sqrt(s.stddev / static_cast<double>(diff.size()));
  return s;
}

struct Twin {
  Model f, q;
  Golden gf, gq;
  std::map<std::string, const GoldenTensor*> f_by_name, q_by_name;
};

std::vector<float> goldenReal(const Model& m, const GoldenTensor& gt) {
  const Tensor& t = m.subgraphs[0].tensors[static_cast<size_t>(gt.index)];
  auto bytes = readBytes(gt.file);
  return realValues(t.type, std::vector<int32_t>(gt.shape.begin(), gt.shape.end()), t.quant, bytes.data(), bytes.size());
}

DebugReport runDebugger(const Twin& tw, DebugMode mode) {
  OpMatching matching = matchOps(tw.f, tw.q);
  DebugSample s;
  s.description = "golden stroke";
  s.float_inputs.push_back(readBytes(tw.gf.inputs[0]));
  s.quant_inputs.push_back(readBytes(tw.gq.inputs[0]));
  NoProgress progress;
  return runQuantDebugger(std::make_shared<const Model>(tw.f), std::make_shared<const Model>(tw.q), matching, mode,
                          samplesOf({s}), progress);
}

void expectRelative(double actual, double expected, double rel, const std::string& what) {
  EXPECT_LE(std::fabs(actual - expected), rel * std::max(std::fabs(expected), 1e-30)) << what << ": " << actual
                                                                                      << " vs " << expected;
}

class LstmTwin : public ::testing::Test {
 protected:
  void SetUp() override {
    QL_REQUIRE_SHARED();
    tw.f = readModel(sharedDir() + "/models/trained_lstm.tflite");
    tw.q = readModel(sharedDir() + "/models/trained_lstm_int8.tflite");
    tw.gf = readGolden("trained_lstm");
    tw.gq = readGolden("trained_lstm_int8");
    for (auto& t : tw.gf.tensors) tw.f_by_name[t.name] = &t;
    for (auto& t : tw.gq.tensors) tw.q_by_name[t.name] = &t;
  }
  Twin tw;
};

TEST_F(LstmTwin, WholeModelRowsMatchTheRuntimesTensors) {
  DebugReport r = runDebugger(tw, DebugMode::WholeModel);
  EXPECT_EQ(r.layers.size(), 4u);
  int checked = 0;
  for (const LayerRow& row : r.layers) {
    if (row.op_name != "RESHAPE" && row.op_name != "FULLY_CONNECTED" && row.op_name != "SOFTMAX") continue;
    const GoldenTensor* gq = tw.q_by_name.at(row.tensor_name);
    const GoldenTensor* gf = tw.f_by_name.at(row.tensor_name);  // the twin keeps tensor names
    std::vector<float> q = goldenReal(tw.q, *gq), f = goldenReal(tw.f, *gf);
    std::vector<double> diff(q.size());
    for (size_t i = 0; i < q.size(); ++i) diff[i] = static_cast<double>(q[i]) - f[i];
    Stats s = statsOf(diff);
    SCOPED_TRACE(row.op_name);
    EXPECT_EQ(row.stats.num_elements, static_cast<int64_t>(q.size()));
    // Both runs reproduce the runtime's tensors bit for bit (the float LSTM with TFLite's Eigen gate functions,
    // the float FC without fused multiply-adds), so the rows equal the independent computation.
    const double rel = 1e-6;
    expectRelative(row.stats.mean_squared_error, s.mse, rel, "mean_squared_error");
    expectRelative(row.stats.max_abs_error, s.max_abs, rel, "max_abs_error");
    expectRelative(row.stats.stddev, s.stddev, rel, "stddev");
    expectRelative(row.stats.mean_error, s.mean, rel, "mean_error");
    expectRelative(row.range, 255.0 * gq->scale[0], 1e-9, "range");
    expectRelative(row.rmse_over_scale, std::sqrt(s.mse) / gq->scale[0], rel, "rmse/scale");
    ++checked;
  }
  EXPECT_EQ(checked, 3);
}

TEST_F(LstmTwin, PerLayerRowsRecomputeTheFloatOpOnDequantizedInputs) {
  DebugReport r = runDebugger(tw, DebugMode::PerLayer);
  const Subgraph& qs = tw.q.subgraphs[0];
  const Subgraph& fs = tw.f.subgraphs[0];
  int checked = 0;
  for (const LayerRow& row : r.layers) {
    if (row.op_name != "FULLY_CONNECTED" && row.op_name != "SOFTMAX") continue;
    const Op& qop = qs.ops[static_cast<size_t>(row.op_index)];
    std::vector<float> x = goldenReal(tw.q, *tw.q_by_name.at(qs.tensors[static_cast<size_t>(qop.inputs[0])].name));
    std::vector<float> q = goldenReal(tw.q, *tw.q_by_name.at(row.tensor_name));
    std::vector<float> f(q.size());
    if (row.op_name == "FULLY_CONNECTED") {
      // The float model's own weights and bias for this op (matched by output name).
      const Op* fop = nullptr;
      for (const Op& op : fs.ops)
        if (fs.tensors[static_cast<size_t>(op.outputs[0])].name == row.tensor_name) fop = &op;
      ASSERT_NE(fop, nullptr);
      std::vector<float> w = constantRealValues(tw.f, fs.tensors[static_cast<size_t>(fop->inputs[1])]);
      std::vector<float> b = constantRealValues(tw.f, fs.tensors[static_cast<size_t>(fop->inputs[2])]);
      size_t units = b.size(), depth = x.size();
      // The bias first, then each product rounded and added in order, as the runtime's float FC does.
      for (size_t u = 0; u < units; ++u) {
        float acc = b[u];
        for (size_t k = 0; k < depth; ++k) acc += x[k] * w[u * depth + k];
        f[u] = acc;
      }
    } else if (row.op_name == "SOFTMAX") {
      float max = *std::max_element(x.begin(), x.end()), sum = 0;
      for (float v : x) sum += std::exp(v - max);
      for (size_t i = 0; i < x.size(); ++i) f[i] = std::exp(x[i] - max) / sum;
    } else {
      continue;
    }
    std::vector<double> diff(q.size());
    for (size_t i = 0; i < q.size(); ++i) diff[i] = static_cast<double>(q[i]) - f[i];
    Stats s = statsOf(diff);
    SCOPED_TRACE(row.op_name);
    expectRelative(row.stats.mean_squared_error, s.mse, 1e-6, "mean_squared_error");
    expectRelative(row.stats.max_abs_error, s.max_abs, 1e-6, "max_abs_error");
    expectRelative(row.stats.stddev, s.stddev, 1e-6, "stddev");
    expectRelative(row.stats.mean_error, s.mean, 1e-6, "mean_error");
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

}  // namespace
}  // namespace ql::test
