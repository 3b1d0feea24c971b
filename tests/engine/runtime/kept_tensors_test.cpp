// keep_tensors: after a run every intermediate tensor is readable with the values `run --all-tensors` writes,
// in storage of its own counted in the memory limit; off, tensors share the arena (nothing kept or copied).
#include <filesystem>

#include "model/reader.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"
#include "util/error.h"

namespace ql::test {
namespace {

TEST(KeptTensors, EveryIntermediateTensorHasTheValuesRunAllTensorsWrites) {
  QL_REQUIRE_SHARED();
  Golden g = readGolden("mobilenet_v1_0.25_128_quant");
  std::string dir = makeTempDir("kept");
  ProcResult r = runProcess({cliPath(), "run", g.model_path, "--input", g.inputs[0], "--out", dir + "/all",
                             "--all-tensors"},
                            120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json manifest = readJson(dir + "/all/manifest.json");

  auto model = std::make_shared<const Model>(readModel(g.model_path));
  InterpreterOptions o;
  o.keep_tensors = true;
  Interpreter interp(model, o);
  EXPECT_TRUE(interp.keepsTensors());
  EXPECT_EQ(interp.arenaBytes(), 0u) << "kept tensors live in storage of their own";
  std::vector<uint8_t> in = readBytes(g.inputs[0]);
  interp.setInput(0, in.data(), in.size());
  interp.invoke();
  const Subgraph& sg = model->subgraphs[0];
  size_t compared = 0;
  for (const auto& t : manifest["tensors"]) {
    int index = t["tensor_index"].get<int>();
    const RuntimeTensor& kept = interp.tensor(index);
    const Tensor& stored = sg.tensors[static_cast<size_t>(index)];
    EXPECT_EQ(dtypeName(kept.type()), dtypeName(stored.type));
    EXPECT_EQ(nlohmann::json(kept.shape()), t["shape"]) << index;
    EXPECT_EQ(&kept.quant(), &stored.quant) << "quantization comes with the tensor";
    std::vector<uint8_t> written = readBytes(dir + "/all/" + t["file"].get<std::string>());
    ASSERT_EQ(written.size(), kept.bytes()) << index;
    EXPECT_EQ(std::memcmp(written.data(), kept.raw(), written.size()), 0) << "tensor " << index << " differs";
    ++compared;
  }
  // Every tensor an op writes was in the dump: nothing kept is missing from the comparison.
  size_t produced = 0;
  for (const Op& op : sg.ops) produced += op.outputs.size();
  EXPECT_EQ(compared, produced);
  EXPECT_GE(interp.memory().peak(), interp.unplannedBytes());
  std::filesystem::remove_all(dir);
}

TEST(KeptTensors, KeptTensorsCountInTheMemoryLimit) {
  QL_REQUIRE_SHARED();
  auto model = std::make_shared<const Model>(readModel(sharedDir() + "/models/mobilenet_v2_quantized_1x3x224x224.tflite"));
  Interpreter plain(model);
  size_t arena = plain.arenaBytes(), unplanned = plain.unplannedBytes();
  // A limit the arena run fits in (with the input and output) but one buffer per tensor does not.
  InterpreterOptions o;
  o.max_memory = arena + (size_t{1} << 20);
  ASSERT_GT(unplanned, o.max_memory + (size_t{1} << 20)) << "arena " << arena << ", unplanned " << unplanned;
  Interpreter fits(model, o);
  std::vector<uint8_t> zeros(fits.input(0).bytes(), 0);
  fits.setInput(0, zeros.data(), zeros.size());
  fits.invoke();
  o.keep_tensors = true;
  try {
    Interpreter kept(model, o);
    kept.setInput(0, zeros.data(), zeros.size());
    kept.invoke();
    FAIL() << "keeping every tensor passed a limit of " << o.max_memory << " bytes";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("memory limit"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ql::test
