// `quantlens-cli run`: its arguments, its error lines and the golden-format dump it writes.
#include <filesystem>
#include <set>

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

// input -> RELU -> RELU -> output: with --all-tensors the run writes the middle tensor too.
std::string writeTwoReluModel(const std::string& dir) {
  Model m = emptyModel("two relus");
  Subgraph& sg = m.subgraphs[0];
  const int32_t x = addTensor(sg, {"x", DType::Float32, {1, 4}});
  const int32_t mid = addTensor(sg, {"mid", DType::Float32, {1, 4}});
  const int32_t y = addTensor(sg, {"y", DType::Float32, {1, 4}});
  sg.ops.push_back(makeOp(m, "RELU", {x}, {mid}));
  sg.ops.push_back(makeOp(m, "RELU", {mid}, {y}));
  sg.inputs = {x};
  sg.outputs = {y};
  std::string path = dir + "/relus.tflite";
  writeModel(m, path);
  return path;
}

TEST(RunCommand, RefusesAnOutDirectoryHoldingSomethingElseUnlessForced) {
  const std::string dir = makeTempDir("run");
  const std::string model = writeTwoReluModel(dir);
  const std::string bin = dir + "/in.bin";
  writeBytes(bin, std::vector<uint8_t>(16, 0));
  // A directory of reference tensors another runtime wrote.
  const std::string ref = dir + "/reference";
  std::filesystem::create_directories(ref);
  const std::string foreign = R"({"runtime": "LiteRT 2.5.3", "tensors": []})";
  writeBytes(ref + "/manifest.json", std::vector<uint8_t>(foreign.begin(), foreign.end()));
  writeBytes(ref + "/t2.bin", std::vector<uint8_t>(16, 7));
  ProcResult r = runProcess({cliPath(), "run", model, "--input", bin, "--out", ref}, 30);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(ref), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(readBytes(ref + "/t2.bin"), std::vector<uint8_t>(16, 7)) << "the reference tensor was overwritten";
  // A plain file there, too.
  writeBytes(dir + "/notes", {'x'});
  r = runProcess({cliPath(), "run", model, "--input", bin, "--out", dir + "/notes"}, 30);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  // Forced: written into, the foreign manifest replaced, nothing else of it removed.
  writeBytes(ref + "/readme.txt", {'k'});
  r = runProcess({cliPath(), "run", model, "--input", bin, "--out", ref, "--force"}, 30);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(readJson(ref + "/manifest.json")["runtime"].get<std::string>().rfind("quantlens", 0), 0u);
  EXPECT_TRUE(std::filesystem::exists(ref + "/readme.txt"));
  std::filesystem::remove_all(dir);
}

TEST(RunCommand, RunsAgainIntoItsOwnOutputLeavingNoStaleTensor) {
  const std::string dir = makeTempDir("run");
  const std::string model = writeTwoReluModel(dir);
  const std::string bin = dir + "/in.bin";
  writeBytes(bin, std::vector<uint8_t>(16, 0));
  const std::string out = dir + "/out";
  ProcResult r = runProcess({cliPath(), "run", model, "--input", bin, "--out", out, "--all-tensors"}, 30);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(std::filesystem::exists(out + "/t1.bin"));  // the middle tensor
  // The empty directory another run left is fine too.
  std::filesystem::create_directories(dir + "/empty");
  r = runProcess({cliPath(), "run", model, "--input", bin, "--out", dir + "/empty"}, 30);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Again into the same directory, outputs only: the old run's middle tensor is gone.
  r = runProcess({cliPath(), "run", model, "--input", bin, "--out", out}, 30);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(out)) files.insert(e.path().filename().string());
  EXPECT_EQ(files, (std::set<std::string>{"manifest.json", "in0.bin", "t2.bin"}));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ql::test
