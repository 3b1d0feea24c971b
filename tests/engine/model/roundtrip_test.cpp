// Read, write, read again: the same graph, the same trailing bytes, and outputs byte-identical to the original's
// in the real runtime.
#include <filesystem>

#include "model/model_json.h"
#include "model/reader.h"
#include "model/writer.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

nlohmann::json graphOf(const Model& m) {
  nlohmann::json j = modelToJson(m);
  j.erase("file");
  return j;
}

TEST(RoundTrip, EverySharedModelReadsBackAsTheSameGraph) {
  QL_REQUIRE_SHARED();
  for (const std::string& path : sharedModels()) {
    SCOPED_TRACE(path);
    Model a = readModel(path);
    std::vector<uint8_t> bytes = serializeModel(a);
    Model b = readModelFromBytes(Bytes::own(bytes), "rewritten " + path);
    EXPECT_EQ(graphOf(a), graphOf(b));
    ASSERT_EQ(a.buffers.size(), b.buffers.size());
    for (size_t i = 0; i < a.buffers.size(); ++i) {
      ASSERT_EQ(a.buffers[i].size, b.buffers[i].size) << "buffer " << i;
      if (a.buffers[i].size) {
        EXPECT_EQ(0, std::memcmp(a.buffers[i].data, b.buffers[i].data, a.buffers[i].size)) << "buffer " << i;
      }
    }
    ASSERT_EQ(a.trailing.size, b.trailing.size);
    if (a.trailing.size) {
      EXPECT_EQ(0, std::memcmp(a.trailing.data, b.trailing.data, a.trailing.size));
    }
    // Options tables survive for ops the engine does not run too: compare the raw blobs.
    for (size_t s = 0; s < a.subgraphs.size(); ++s)
      for (size_t o = 0; o < a.subgraphs[s].ops.size(); ++o) {
        EXPECT_EQ(a.subgraphs[s].ops[o].builtin_options.bytes, b.subgraphs[s].ops[o].builtin_options.bytes);
        EXPECT_EQ(a.subgraphs[s].ops[o].custom_options, b.subgraphs[s].ops[o].custom_options);
      }
  }
}

TEST(RoundTrip, KeepsTheZipAppendedToMobilenet) {
  QL_REQUIRE_SHARED();
  Model m = readModel(sharedDir() + "/models/mobilenet_v1_0.25_128_quant.tflite");
  ASSERT_GT(m.trailing.size, 4u);
  EXPECT_EQ(0, std::memcmp(m.trailing.data, "PK\x03\x04", 4)) << "trailing data should be the label zip";
}

TEST(RoundTrip, RewrittenFilesRunByteIdenticallyInTheReferenceRuntime) {
  QL_REQUIRE_SHARED();
  QL_REQUIRE_ORACLE(oracle);
  std::string dir = makeTempDir("roundtrip");
  for (const std::string& name : goldenModelNames()) {
    SCOPED_TRACE(name);
    Golden g = readGolden(name);
    std::string runner = oracleRunnerFor(g, oracle);
    std::string rewritten = dir + "/" + name + ".tflite";
    writeModel(readModel(g.model_path), rewritten);
    auto a = runOracle(runner, g.model_path, g.inputs, dir + "/" + name + "_orig");
    auto b = runOracle(runner, rewritten, g.inputs, dir + "/" + name + "_rewritten");
    ASSERT_EQ(a.size(), b.size());
    ASSERT_FALSE(a.empty());
    for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(readBytes(a[i]), readBytes(b[i])) << "output " << i;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ql::test
