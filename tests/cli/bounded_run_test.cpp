// Runs stay bounded: output shapes come from the op's inputs (a stored shape that differs gives a warning, not
// an allocation), and a run that would pass --max-memory stops before allocating, naming the tensor.
#include <filesystem>

#include "model/model_builder.h"
#include "model/writer.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

// x [1,4,4,1] float -> RESIZE_BILINEAR to `size` -> y, whose stored shape is `stored_y`.
std::string writeResizeModel(const std::string& path, int32_t size, std::vector<int32_t> stored_y) {
  Model m = emptyModel("resize");
  Subgraph& sg = m.subgraphs[0];
  int32_t x = addTensor(sg, {"x", DType::Float32, {1, 4, 4, 1}});
  std::vector<int32_t> hw{size, size};
  uint32_t b = addBuffer(m, Bytes::copyOf(hw.data(), hw.size() * sizeof(int32_t)));
  Tensor size_t_{"size", DType::Int32, {2}};
  size_t_.buffer = b;
  int32_t s = addTensor(sg, size_t_);
  int32_t y = addTensor(sg, {"y", DType::Float32, std::move(stored_y)});
  sg.ops.push_back(makeOp(m, "RESIZE_BILINEAR", {x, s}, {y}, "ResizeBilinearOptions", nlohmann::json::object()));
  sg.inputs = {x};
  sg.outputs = {y};
  writeModel(m, path);
  return path;
}

TEST(BoundedRun, AStoredShapeThatDiffersIsWarnedAboutAndTheComputedOneUsed) {
  std::string dir = makeTempDir("bounded");
  std::string model = writeResizeModel(dir + "/m.tflite", 8, {1, 2130706464});
  std::string bin = dir + "/in.bin";
  writeBytes(bin, std::vector<uint8_t>(16 * 4, 0));
  for (const char* command : {"inspect", "run"}) {
    std::vector<std::string> argv{cliPath(), command, model};
    if (std::string(command) == "run") argv.insert(argv.end(), {"--input", bin, "--out", dir + "/out"});
    ProcResult r = runProcess(argv, 30, size_t{1} << 30);
    ASSERT_EQ(r.exit_code, 0) << command << ": " << r.err;
    EXPECT_NE(r.err.find("warning: tensor 2 'y': the file stores shape [1,2130706464] but op 0 (RESIZE_BILINEAR) "
                         "computes [1,8,8,1]"),
              std::string::npos)
        << command << ": " << r.err;
  }
  nlohmann::json m = readJson(dir + "/out/manifest.json");
  EXPECT_EQ(m["tensors"][0]["shape"], nlohmann::json::array({1, 8, 8, 1}));
  EXPECT_EQ(std::filesystem::file_size(dir + "/out/t2.bin"), 64u * 4);
  std::filesystem::remove_all(dir);
}

TEST(BoundedRun, ARunOverMaxMemoryStopsBeforeAllocatingAndNamesTheTensor) {
  std::string dir = makeTempDir("bounded");
  // 30000 x 30000 floats: 3.4 GiB, stored honestly.
  std::string model = writeResizeModel(dir + "/m.tflite", 30000, {1, 30000, 30000, 1});
  std::string bin = dir + "/in.bin";
  writeBytes(bin, std::vector<uint8_t>(16 * 4, 0));
  // The 1 GiB address-space guard makes an allocation of the tensor fail rather than succeed lazily.
  ProcResult r = runProcess({cliPath(), "run", model, "--input", bin, "--out", dir + "/out", "--max-memory", "512"},
                            30, size_t{1} << 30);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(model), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("tensor 2 'y' [1,30000,30000,1] FLOAT32 needs 3600000000 bytes"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("memory limit of 512 MB"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/out/manifest.json"));
  std::filesystem::remove_all(dir);
}

TEST(BoundedRun, MaxMemoryIsAnOptionOfEveryCommandThatRunsAModel) {
  for (const char* command : {"run", "detect", "debug"}) {
    ProcResult r = runProcess({cliPath(), command, "--help"}, 30);
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find("--max-memory"), std::string::npos) << command << ": " << r.out;
  }
}

}  // namespace
}  // namespace ql::test
