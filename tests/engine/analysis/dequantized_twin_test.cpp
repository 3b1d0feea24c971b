// The dequantized twin: a float model of the same graph that the real runtime loads and runs.
#include <filesystem>

#include "analysis/dequantized_twin.h"
#include "model/quantization_kind.h"
#include "model/reader.h"
#include "model/tensor_values.h"
#include "model/writer.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

bool isQuantizedModel(const Model& m) { return quantizationKind(m) != QuantizationKind::Float; }

TEST(DequantizedTwin, HasNoQuantizedTensorAndKeepsEveryComputeOp) {
  QL_REQUIRE_SHARED();
  for (const std::string& path : sharedModels()) {
    Model q = readModel(path);
    if (!isQuantizedModel(q) || q.subgraphs.size() != 1) continue;
    SCOPED_TRACE(path);
    DequantizedTwin twin = makeDequantizedTwin(q);
    const Subgraph& sg = twin.model.subgraphs[0];
    for (const Op& op : sg.ops) {
      EXPECT_NE(twin.model.opName(op), "QUANTIZE");
      EXPECT_NE(twin.model.opName(op), "DEQUANTIZE");
      for (int32_t i : op.inputs) {
        if (i < 0) continue;
        const Tensor& t = sg.tensors[static_cast<size_t>(i)];
        EXPECT_FALSE(t.quant.hasScale()) << t.name;
        EXPECT_NE(t.type, DType::Float16) << t.name;
      }
    }
    size_t kept = 0;
    for (size_t i = 0; i < q.subgraphs[0].ops.size(); ++i) {
      std::string name = q.opName(q.subgraphs[0].ops[i]);
      if (twin.op_of_quant[i] >= 0) {
        ++kept;
        EXPECT_EQ(twin.model.opName(sg.ops[static_cast<size_t>(twin.op_of_quant[i])]), name);
      } else {
        EXPECT_TRUE(name == "QUANTIZE" || name == "DEQUANTIZE") << name;
      }
    }
    EXPECT_EQ(kept, sg.ops.size());
  }
}

TEST(DequantizedTwin, WeightsAreTheDequantizedValues) {
  QL_REQUIRE_SHARED();
  Model q = readModel(sharedDir() + "/models/mobilenet_v1_0.25_128_quant.tflite");
  DequantizedTwin twin = makeDequantizedTwin(q);
  const Op& conv = q.subgraphs[0].ops[0];
  const Tensor& qw = q.subgraphs[0].tensors[static_cast<size_t>(conv.inputs[1])];
  const Tensor& fw = twin.model.subgraphs[0].tensors[static_cast<size_t>(conv.inputs[1])];
  std::vector<float> expected = constantRealValues(q, qw), actual = constantRealValues(twin.model, fw);
  ASSERT_EQ(expected.size(), actual.size());
  EXPECT_EQ(expected, actual);
  EXPECT_EQ(fw.type, DType::Float32);
}

TEST(DequantizedTwin, RunsInTheReferenceRuntimeOnTheGoldenInputs) {
  QL_REQUIRE_SHARED();
  QL_REQUIRE_ORACLE(oracle);
  std::string dir = makeTempDir("twin");
  int ran = 0;
  for (const std::string& name : goldenModelNames()) {
    Golden g = readGolden(name);
    Model q = readModel(g.model_path);
    if (!isQuantizedModel(q) || q.subgraphs.size() != 1) continue;
    SCOPED_TRACE(name);
    DequantizedTwin twin = makeDequantizedTwin(q);
    std::string path = dir + "/" + name + ".twin.tflite";
    writeModel(twin.model, path);
    // The twin takes the real values of the quantized model's inputs.
    std::vector<std::string> inputs;
    for (size_t i = 0; i < g.inputs.size(); ++i) {
      const Tensor& t = q.subgraphs[0].tensors[static_cast<size_t>(q.subgraphs[0].inputs[i])];
      std::vector<uint8_t> raw = readBytes(g.inputs[i]);
      std::vector<float> real = realValues(t.type, t.shape, t.quant, raw.data(), raw.size());
      std::vector<uint8_t> bytes(real.size() * 4);
      std::memcpy(bytes.data(), real.data(), bytes.size());
      inputs.push_back(dir + "/" + name + "_in" + std::to_string(i) + ".bin");
      writeBytes(inputs.back(), bytes);
    }
    auto outs = runOracle(oracleRunnerFor(g, oracle), path, inputs, dir + "/" + name + "_out");
    EXPECT_EQ(outs.size(), twin.model.subgraphs[0].outputs.size());
    ++ran;
  }
  EXPECT_GT(ran, 5);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ql::test
