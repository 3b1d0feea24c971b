// The fast paths of the convolution and fully connected kernels (int16 dot products, AVX2 where the CPU has it)
// give the same bytes as the plain reference loops (QUANTLENS_PLAIN_KERNELS=1), tensor by tensor, on real models.
#include <filesystem>

#include "support/test_support.h"

namespace ql::test {
namespace {

TEST(FastKernels, GiveTheSameTensorsAsThePlainLoops) {
  QL_REQUIRE_SHARED();
  std::string dir = makeTempDir("fast");
  for (const char* name : {"mobilenet_v2_quantized_1x3x224x224", "coco_ssd_mobilenet_v1_1.0_quant", "trained_lstm_int8",
                           "mobilenet_v1_0.25_128_quant"}) {
    SCOPED_TRACE(name);
    Golden g = readGolden(name);
    std::string fast = dir + "/" + name + "_fast", plain = dir + "/" + name + "_plain";
    ProcResult a = runProcess({cliPath(), "run", g.model_path, "--input", g.inputs[0], "--out", fast, "--all-tensors"}, 300);
    ProcResult b = runProcess({"env", "QUANTLENS_PLAIN_KERNELS=1", cliPath(), "run", g.model_path, "--input", g.inputs[0],
                               "--out", plain, "--all-tensors"},
                              300);
    ASSERT_EQ(a.exit_code, 0) << a.err;
    ASSERT_EQ(b.exit_code, 0) << b.err;
    int compared = 0;
    for (auto& e : std::filesystem::directory_iterator(fast)) {
      std::string file = e.path().filename().string();
      if (file == "manifest.json") continue;
      EXPECT_EQ(readBytes(e.path().string()), readBytes(plain + "/" + file)) << file;
      ++compared;
    }
    EXPECT_GT(compared, 3);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ql::test
