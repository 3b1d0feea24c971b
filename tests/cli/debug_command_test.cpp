// `quantlens-cli debug` on a real model and a real photo: the CSV contract and sane per-layer numbers.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/quantization_kind.h"
#include "model/reader.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

std::vector<std::string> splitCsvLine(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) out.emplace_back();
    else out.back() += c;
  }
  return out;
}

TEST(DebugCommand, MobilenetWithItsDequantizedTwinGivesOneSaneRowPerQuantizedOutput) {
  QL_REQUIRE_SHARED();
  std::string dir = makeTempDir("debug");
  std::string model = sharedDir() + "/models/mobilenet_v1_0.25_128_quant.tflite";
  ProcResult r = runProcess({cliPath(), "debug", "--quant", model, "--input", sharedDir() + "/images/cat.bmp", "--csv",
                             dir + "/layers.csv", "--json", dir + "/report.json"},
                            120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("debug: [1/1]"), std::string::npos) << "progress goes to stderr";

  std::ifstream csv(dir + "/layers.csv");
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header,
            "op_name,tensor_idx,num_elements,stddev,mean_error,max_abs_error,mean_squared_error,scale,zero_point,"
            "tensor_name,range,rmse/scale");
  Model q = readModel(model);
  size_t quantized_outputs = 0;
  for (const Op& op : q.subgraphs[0].ops)
    for (int32_t t : op.outputs) quantized_outputs += isQuantizedTensor(q.subgraphs[0].tensors[static_cast<size_t>(t)]);
  size_t rows = 0, conv_rows = 0;
  std::string line;
  while (std::getline(csv, line)) {
    auto f = splitCsvLine(line);
    ASSERT_EQ(f.size(), 12u) << line;
    ++rows;
    double rmse_over_scale = std::stod(f[11]);
    if (f[0] == "CONV_2D" || f[0] == "DEPTHWISE_CONV_2D") {
      ++conv_rows;
      EXPECT_GE(rmse_over_scale, 0.05) << line;
      EXPECT_LE(rmse_over_scale, 0.6) << line;
    }
    EXPECT_NEAR(std::stod(f[10]), 255 * std::stod(f[7]), 1e-6 * 255 * std::stod(f[7]));  // range = 255 * scale
  }
  EXPECT_EQ(rows, quantized_outputs);
  EXPECT_EQ(conv_rows, 28u);

  nlohmann::json j = readJson(dir + "/report.json");
  EXPECT_EQ(j["float_reference"], "dequantized twin");
  EXPECT_EQ(j["mode"], "per-layer");
  EXPECT_EQ(j["layers"].size(), rows);
  EXPECT_TRUE(j["layers"][0].contains("per_channel"));
  EXPECT_EQ(j["outputs"][0]["top1_agreement"], 1.0);
  std::filesystem::remove_all(dir);
}

TEST(DebugCommand, LookAlikePairIsReportedAsNotTwins) {
  QL_REQUIRE_SHARED();
  std::string dir = makeTempDir("debug");
  std::string in = dir + "/x.bin";
  float x = 1.0f;
  writeBytes(in, std::vector<uint8_t>(reinterpret_cast<uint8_t*>(&x), reinterpret_cast<uint8_t*>(&x) + 4));
  ProcResult r = runProcess({cliPath(), "debug", "--quant", sharedDir() + "/models/hello_world_int8.tflite", "--float",
                             sharedDir() + "/models/hello_world_float.tflite", "--input", in, "--json",
                             dir + "/report.json"},
                            120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = readJson(dir + "/report.json");
  bool warned = false;
  for (auto& w : j["warnings"]) warned = warned || w["kind"] == "not_twins";
  EXPECT_TRUE(warned) << j["warnings"];
  EXPECT_EQ(j["float_reference"], "model");
  std::filesystem::remove_all(dir);
}

TEST(DebugCommand, OutputEqualToAnInputModelIsRefused) {
  QL_REQUIRE_SHARED();
  std::string model = sharedDir() + "/models/mobilenet_v1_0.25_128_quant.tflite";
  ProcResult r = runProcess({cliPath(), "debug", "--quant", model, "--input", sharedDir() + "/images/cat.bmp", "--csv",
                             model},
                            60);
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace
}  // namespace ql::test
