// debugReportFromJson reads back what debugReportJson writes: every field of rows, per-channel detail, outputs,
// unmatched ops and warnings; NaN (written as null) reads back as NaN; the twin's added warning is not doubled;
// anything else is a BadInput naming the source.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "analysis/debug_report.h"
#include "support/test_support.h"

namespace ql {
namespace {

DebugReport sample(bool twin) {
  DebugReport r;
  r.mode = DebugMode::WholeModel;
  r.dequantized_twin = twin;
  r.inputs = {"cat.bmp", "dog.png"};
  LayerRow a;
  a.op_index = 3;
  a.op_name = "CONV_2D";
  a.tensor_idx = 17;
  a.tensor_name = "conv/Relu6";
  a.stats = {1024, 0.125, -0.0078125, 1.0 / 3.0, 0.1 + 0.2};
  a.scale = 0.0235294122248888;
  a.zero_point = -128;
  a.range = 255 * a.scale;
  a.rmse_over_scale = 0.2886751345948129;
  a.per_channel.axis = 0;
  a.per_channel.per_channel_quantization = true;
  a.per_channel.channels = {{0, 0.01, 0, 0.004, 1e-5, 0.31622776601683794}, {1, 0.02, 0, 0.009, 4e-5, 0.3162}};
  LayerRow b;
  b.op_index = 4;
  b.op_name = "SOFTMAX";
  b.tensor_idx = 18;
  b.tensor_name = "probs";
  b.stats = {10, std::numeric_limits<double>::quiet_NaN(), 0, 0, 0};
  b.scale = 1.0 / 256;
  b.rmse_over_scale = std::numeric_limits<double>::quiet_NaN();
  r.layers = {a, b};
  r.outputs = {{18, "probs", 1e-6, 0.0039, 0.75}, {19, "boxes", 2e-6, 0.5, -1}};
  r.unmatched = {7};
  r.unmatched_names = {"QUANTIZE"};
  r.warnings = {{"not_twins", "the models differ in op count"}};
  return r;
}

TEST(DebugReportJson, RoundTripsEveryField) {
  for (bool twin : {false, true}) {
    const DebugReport original = sample(twin);
    const nlohmann::json written = debugReportJson(original);
    // Through text, as a session file holds it.
    const DebugReport back = debugReportFromJson(nlohmann::json::parse(written.dump()), "s.qlsession");
    EXPECT_EQ(debugReportJson(back), written);
    EXPECT_EQ(debugReportCsv(back), debugReportCsv(original));
    EXPECT_EQ(back.mode, DebugMode::WholeModel);
    EXPECT_EQ(back.dequantized_twin, twin);
    ASSERT_EQ(back.layers.size(), 2u);
    EXPECT_EQ(back.layers[0].stats.max_abs_error, 1.0 / 3.0);  // exactly: doubles keep every digit
    EXPECT_EQ(back.layers[0].per_channel.channels.size(), 2u);
    EXPECT_TRUE(back.layers[0].per_channel.per_channel_quantization);
    EXPECT_FALSE(back.layers[1].per_channel.present());
    EXPECT_TRUE(std::isnan(back.layers[1].stats.stddev));
    EXPECT_TRUE(std::isnan(back.layers[1].rmse_over_scale));
    EXPECT_EQ(back.outputs[0].top1_agreement, 0.75);
    EXPECT_EQ(back.outputs[1].top1_agreement, -1);
    EXPECT_EQ(back.unmatched, std::vector<int>{7});
    ASSERT_EQ(back.warnings.size(), 1u);  // the twin's warning is written, not read back as the report's own
    EXPECT_EQ(back.warnings[0].kind, "not_twins");
  }
}

TEST(DebugReportJson, BadReportsNameTheSource) {
  const nlohmann::json good = debugReportJson(sample(false));
  nlohmann::json no_layers = good;
  no_layers.erase("layers");
  nlohmann::json bad_mode = good;
  bad_mode["mode"] = "sideways";
  nlohmann::json bad_type = good;
  bad_type["layers"][0]["op_index"] = "three";
  for (const nlohmann::json& j : {no_layers, bad_mode, bad_type, nlohmann::json::array()}) {
    const Error e = test::thrownError([&] { debugReportFromJson(j, "my.qlsession"); });
    EXPECT_EQ(e.kind(), ErrorKind::BadInput) << e.what();
    EXPECT_NE(std::string(e.what()).find("my.qlsession"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ql
