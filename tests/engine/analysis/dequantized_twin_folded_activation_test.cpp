// Converters fold ReLU6 into an output's quantization range and leave the op's activation NONE; the dequantized
// twin puts the clamp back, in the decoded options and in the options table it writes.
#include <cmath>
#include <set>

#include "analysis/dequantized_twin.h"
#include "model/model_builder.h"
#include "model/reader.h"
#include "model/writer.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

// uint8 ADD of two inputs; its output quantized with `scale` and `zero_point`.
Model quantizedAdd(float scale, int64_t zero_point) {
  Model m = emptyModel();
  Subgraph& sg = m.subgraphs[0];
  auto tensor = [&](const std::string& name, float s, int64_t zp) {
    Tensor t;
    t.name = name;
    t.type = DType::UInt8;
    t.shape = {1, 4};
    t.quant.scale = {s};
    t.quant.zero_point = {zp};
    return addTensor(sg, t);
  };
  const int32_t a = tensor("a", 0.05f, 128), b = tensor("b", 0.05f, 128), out = tensor("out/Relu6", scale, zero_point);
  sg.inputs = {a, b};
  sg.outputs = {out};
  sg.ops.push_back(makeOp(m, "ADD", {a, b}, {out}, "AddOptions", {{"fused_activation_function", "NONE"}}));
  return m;
}

std::string activationAfterWriting(const Model& twin) {
  const std::vector<uint8_t> bytes = serializeModel(twin);
  Model back = readModelFromBytes(Bytes::copyOf(bytes.data(), bytes.size()), "twin");
  return back.subgraphs[0].ops[0].options["fused_activation_function"];
}

TEST(DequantizedTwinFoldedActivation, RangeZeroToSixBecomesRelu6) {
  DequantizedTwin twin = makeDequantizedTwin(quantizedAdd(6.f / 255, 0));
  EXPECT_EQ(twin.model.subgraphs[0].ops[0].options["fused_activation_function"], "RELU6");
  EXPECT_EQ(activationAfterWriting(twin.model), "RELU6");
}

TEST(DequantizedTwinFoldedActivation, RangeFromZeroBecomesReluAndASignedRangeStays) {
  EXPECT_EQ(activationAfterWriting(makeDequantizedTwin(quantizedAdd(0.1f, 0)).model), "RELU");
  EXPECT_EQ(activationAfterWriting(makeDequantizedTwin(quantizedAdd(1.f / 127.5f, 127)).model), "RELU_N1_TO_1");
  EXPECT_EQ(activationAfterWriting(makeDequantizedTwin(quantizedAdd(0.1f, 128)).model), "NONE");
}

TEST(DequantizedTwinFoldedActivation, TheTwinOfTocosSsdDetectsWhatTheQuantizedModelDetects) {
  QL_REQUIRE_SHARED();
  const std::string dir = makeTempDir("twin-ssd");
  const std::string quant = sharedDir() + "/models/coco_ssd_mobilenet_v1_1.0_quant.tflite";
  ASSERT_EQ(runProcess({cliPath(), "dequantize", quant, "-o", dir + "/twin.tflite"}, 300).exit_code, 0);
  auto top = [&](const std::string& model) {
    ProcResult r = runProcess({cliPath(), "detect", model, sharedDir() + "/images/table.jpg", "--json"}, 300);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out)["detections"];
  };
  nlohmann::json q = top(quant), t = top(dir + "/twin.tflite");
  ASSERT_FALSE(t.empty());  // before the fix its activations overflowed to inf and every box was infinite
  for (const auto& d : t) EXPECT_LE(std::abs(d["box"][0].get<double>()), 2.0) << d.dump();
  std::set<int> qc, tc;
  for (const auto& d : q) qc.insert(d["class"].get<int>());
  for (const auto& d : t) tc.insert(d["class"].get<int>());
  EXPECT_EQ(qc, tc);
}

}  // namespace
}  // namespace ql::test
