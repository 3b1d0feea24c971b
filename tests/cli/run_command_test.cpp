// `quantlens-cli run`: its arguments, its error lines and the golden-format dump it writes.
#include <filesystem>

#include "model/model_builder.h"
#include "model/writer.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

// A model with no ops whose output is its input: enough to exercise argument and input handling.
std::string writePassThroughModel(const std::string& dir) {
  Model m = emptyModel("pass-through");
  Subgraph& sg = m.subgraphs[0];
  int32_t t = addTensor(sg, {"x", DType::Float32, {1, 2, 2, 3}});
  sg.inputs = {t};
  sg.outputs = {t};
  std::string path = dir + "/pass.tflite";
  writeModel(m, path);
  return path;
}

TEST(RunCommand, WrongInputCountNamesTheModel) {
  std::string dir = makeTempDir("run");
  std::string model = writePassThroughModel(dir);
  ProcResult r = runProcess({cliPath(), "run", model, "--out", dir + "/out"}, 30);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(model), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

TEST(RunCommand, RawInputOfTheWrongSizeNamesTheFile) {
  std::string dir = makeTempDir("run");
  std::string model = writePassThroughModel(dir);
  std::string bin = dir + "/in.bin";
  writeBytes(bin, std::vector<uint8_t>(7, 0));
  ProcResult r = runProcess({cliPath(), "run", model, "--input", bin, "--out", dir + "/out"}, 30);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(bin), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("48"), std::string::npos) << "should say how many bytes are needed: " << r.err;
  std::filesystem::remove_all(dir);
}

TEST(RunCommand, MissingOutIsAnArgumentError) {
  ProcResult r = runProcess({cliPath(), "run", "model.tflite", "--input", "x.bin"}, 30);
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST(RunCommand, FeedDirectoryWithoutManifestNamesIt) {
  std::string dir = makeTempDir("run");
  std::string model = writePassThroughModel(dir);
  std::string bin = dir + "/in.bin";
  writeBytes(bin, std::vector<uint8_t>(48, 0));
  ProcResult r = runProcess({cliPath(), "run", model, "--input", bin, "--out", dir + "/out", "--feed", dir}, 30);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(dir + "/manifest.json"), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

TEST(RunCommand, WritesAManifestInTheGoldenFormat) {
  std::string dir = makeTempDir("run");
  std::string model = writePassThroughModel(dir);
  std::string bin = dir + "/in.bin";
  writeBytes(bin, std::vector<uint8_t>(48, 1));
  ProcResult r = runProcess({cliPath(), "run", model, "--input", bin, "--out", dir + "/out"}, 30);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json m = readJson(dir + "/out/manifest.json");
  EXPECT_EQ(m["model"], model);
  EXPECT_EQ(m["runtime"].get<std::string>().rfind("quantlens ", 0), 0u);
  EXPECT_EQ(m["inputs"], nlohmann::json::array({"in0.bin"}));
  EXPECT_EQ(m["model_outputs"], nlohmann::json::array({0}));
  EXPECT_EQ(m["all_tensors"], false);
  ASSERT_EQ(m["tensors"].size(), 1u);
  EXPECT_EQ(m["tensors"][0]["dtype"], "float32");
  EXPECT_EQ(m["tensors"][0]["shape"], nlohmann::json::array({1, 2, 2, 3}));
  EXPECT_EQ(readBytes(dir + "/out/t0.bin"), std::vector<uint8_t>(48, 1));
  EXPECT_EQ(readBytes(dir + "/out/in0.bin"), std::vector<uint8_t>(48, 1));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ql::test
