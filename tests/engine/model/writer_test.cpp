// The writer on models built in code: every field survives, outputs never overwrite inputs, writes are atomic.
#include <filesystem>

#include "model/model_builder.h"
#include "model/reader.h"
#include "model/writer.h"
#include "support/test_support.h"
#include "util/error.h"

namespace ql::test {
namespace {

Model smallConvModel() {
  Model m = emptyModel("writer test");
  Subgraph& sg = m.subgraphs[0];
  Tensor in{"input", DType::Int8, {1, 4, 4, 2}};
  in.quant.scale = {0.5f};
  in.quant.zero_point = {-3};
  in.shape_signature = {-1, 4, 4, 2};
  std::vector<int8_t> w(3 * 3 * 3 * 2, 1);
  Tensor weights{"weights", DType::Int8, {3, 3, 3, 2}};
  weights.buffer = addBuffer(m, Bytes::copyOf(w.data(), w.size()));
  weights.quant.scale = {0.1f, 0.2f, 0.3f};
  weights.quant.zero_point = {0, 0, 0};
  weights.quant.quantized_dimension = 0;
  Tensor out{"output", DType::Int8, {1, 4, 4, 3}};
  out.quant.scale = {0.25f};
  out.quant.zero_point = {5};
  int32_t i = addTensor(sg, in), k = addTensor(sg, weights), o = addTensor(sg, out);
  sg.inputs = {i};
  sg.outputs = {o};
  sg.ops.push_back(makeOp(m, "CONV_2D", {i, k, -1}, {o}, "Conv2DOptions",
                          {{"padding", "SAME"}, {"stride_w", 1}, {"stride_h", 1}, {"fused_activation_function", "RELU6"}}));
  m.signatures.push_back({"serving_default", 0, {{"x", 0}}, {{"y", 2}}});
  m.metadata.push_back({"min_runtime_version", addBuffer(m, Bytes::copyOf("1.14.0", 6))});
  std::string zip = "PK\x03\x04 pretend zip";
  m.trailing = Bytes::copyOf(zip.data(), zip.size());
  return m;
}

TEST(Writer, EveryFieldOfABuiltModelSurvives) {
  Model m = smallConvModel();
  Model r = readModelFromBytes(Bytes::own(serializeModel(m)), "built");
  ASSERT_EQ(r.subgraphs.size(), 1u);
  const Subgraph& sg = r.subgraphs[0];
  ASSERT_EQ(sg.tensors.size(), 3u);
  EXPECT_EQ(sg.tensors[0].name, "input");
  EXPECT_EQ(sg.tensors[0].shape_signature, (std::vector<int32_t>{-1, 4, 4, 2}));
  EXPECT_EQ(sg.tensors[0].quant.zero_point, (std::vector<int64_t>{-3}));
  EXPECT_EQ(sg.tensors[1].quant.scale, (std::vector<float>{0.1f, 0.2f, 0.3f}));
  EXPECT_EQ(r.dataOf(sg.tensors[1]).size, 54u);
  ASSERT_EQ(sg.ops.size(), 1u);
  EXPECT_EQ(r.opName(sg.ops[0]), "CONV_2D");
  EXPECT_EQ(sg.ops[0].inputs, (std::vector<int32_t>{0, 1, -1}));
  EXPECT_EQ(sg.ops[0].options["padding"], "SAME");
  EXPECT_EQ(sg.ops[0].options["fused_activation_function"], "RELU6");
  EXPECT_EQ(sg.ops[0].options["dilation_h_factor"], 1);
  ASSERT_EQ(r.signatures.size(), 1u);
  EXPECT_EQ(r.signatures[0].outputs[0].name, "y");
  ASSERT_EQ(r.metadata.size(), 1u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(r.buffers[r.metadata[0].buffer].data), 6), "1.14.0");
  ASSERT_EQ(r.trailing.size, m.trailing.size);
  EXPECT_EQ(0, std::memcmp(r.trailing.data, m.trailing.data, m.trailing.size));
}

TEST(Writer, CustomOpOptionsAreAFlexbufferMap) {
  Model m = emptyModel();
  Subgraph& sg = m.subgraphs[0];
  int32_t a = addTensor(sg, {"a", DType::Float32, {1, 4}}), b = addTensor(sg, {"b", DType::Float32, {1, 4}});
  sg.ops.push_back(makeOp(m, "MyCustomOp", {a}, {b}, "", {{"alpha", 0.5}, {"count", 3}, {"on", true}}));
  Model r = readModelFromBytes(Bytes::own(serializeModel(m)), "built");
  const Op& op = r.subgraphs[0].ops[0];
  EXPECT_TRUE(r.isCustom(op));
  EXPECT_EQ(r.opName(op), "MyCustomOp");
  EXPECT_EQ(op.options["alpha"], 0.5);
  EXPECT_EQ(op.options["count"], 3);
  EXPECT_EQ(op.options["on"], true);
}

TEST(Writer, RefusesToOverwriteTheInputModel) {
  std::string dir = makeTempDir("writer");
  std::string path = dir + "/m.tflite";
  writeModel(smallConvModel(), path);
  Model m = readModel(path);
  auto before = readBytes(path);
  EXPECT_THROW(writeModel(m, path), Error);
  EXPECT_EQ(readBytes(path), before);
  writeModel(m, dir + "/copy.tflite");
  // No temporary files are left behind.
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 2);
  std::filesystem::remove_all(dir);
}

TEST(Writer, DropUnusedBuffersRenumbersTheRest) {
  Model m = smallConvModel();
  uint32_t orphan = addBuffer(m, Bytes::copyOf("xxxx", 4));
  (void)orphan;
  size_t before = m.buffers.size();
  dropUnusedBuffers(m);
  EXPECT_EQ(m.buffers.size(), before - 1);
  EXPECT_EQ(m.dataOf(m.subgraphs[0].tensors[1]).size, 54u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(m.buffers[m.metadata[0].buffer].data), 6), "1.14.0");
}

}  // namespace
}  // namespace ql::test
