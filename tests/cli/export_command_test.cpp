// `quantlens-cli export`: selections from the command line, the report, and never overwriting an input.
#include <filesystem>
#include <fstream>

#include "model/reader.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

TEST(ExportCommand, KeepsTypesInFloatAndWritesTheSegmentReport) {
  QL_REQUIRE_SHARED();
  std::string dir = makeTempDir("export-cli");
  std::string q = sharedDir() + "/models/coco_ssd_mobilenet_v1_1.0_quant.tflite";
  ProcResult r = runProcess({cliPath(), "export", "--quant", q, "--keep-float-type", "LOGISTIC,CONCATENATION", "-o",
                             dir + "/out.tflite", "--report-json", dir + "/report.json"},
                            120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("computes in float32"), std::string::npos) << r.out;
  Model m = readModel(dir + "/out.tflite");
  nlohmann::json rep = readJson(dir + "/report.json");
  int acc = rep["accelerator_ops"], cpu = rep["cpu_ops"];
  EXPECT_EQ(acc + cpu, static_cast<int>(m.subgraphs[0].ops.size()));
  EXPECT_GT(acc, 0);
  ASSERT_FALSE(rep["segments"].empty());
  EXPECT_EQ(rep["segments"][0]["runs_on"], "accelerator");
  EXPECT_EQ(rep["segments"][0]["kind"], "int8");
  // The first CONCATENATION was selected: the accelerator stops at or before its DEQUANTIZE.
  for (auto& s : rep["segments"]) {
    if (s["runs_on"] == "accelerator") {
      EXPECT_EQ(s["kind"], "int8");
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(ExportCommand, FromADebugCsvWithAThreshold) {
  QL_REQUIRE_SHARED();
  std::string dir = makeTempDir("export-csv");
  std::string q = sharedDir() + "/models/mobilenet_v1_0.25_128_quant.tflite";
  ASSERT_EQ(runProcess({cliPath(), "debug", "--quant", q, "--input", sharedDir() + "/images/cat.bmp", "--csv",
                        dir + "/layers.csv"},
                       120)
                .exit_code,
            0);
  ProcResult r = runProcess({cliPath(), "export", "--quant", q, "--from-csv", dir + "/layers.csv", "--threshold",
                             "0.27", "-o", dir + "/out.tflite"},
                            120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The layers above 0.27 (a handful, not all and not none) computed in float.
  size_t lines = 0, pos = 0;
  while ((pos = r.out.find("computes in float32", pos)) != std::string::npos) ++lines, ++pos;
  EXPECT_GT(lines, 0u);
  EXPECT_LT(lines, 31u);
  std::filesystem::remove_all(dir);
}

TEST(ExportCommand, RefusesToOverwriteTheInputAndUnknownSelections) {
  QL_REQUIRE_SHARED();
  std::string q = sharedDir() + "/models/mobilenet_v1_0.25_128_quant.tflite";
  auto before = readBytes(q);
  ProcResult same = runProcess({cliPath(), "export", "--quant", q, "--first", "2", "-o", q}, 60);
  EXPECT_EQ(same.exit_code, 2) << same.err;
  EXPECT_EQ(readBytes(q), before);
  ProcResult bad = runProcess({cliPath(), "export", "--quant", q, "--keep-float", "no_such_tensor", "-o", "/tmp/x.tflite"}, 60);
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("no_such_tensor"), std::string::npos);
  ProcResult fp = runProcess({cliPath(), "export", "--quant", sharedDir() + "/models/hello_world_float.tflite", "--first",
                              "1", "-o", "/tmp/x.tflite"},
                             60);
  EXPECT_EQ(fp.exit_code, 3) << fp.err;
}

}  // namespace
}  // namespace ql::test
