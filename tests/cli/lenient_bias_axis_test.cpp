// A converter-made int8 model whose 1-D bias carries quantized_dimension 3 (the weights' axis of a depthwise
// conv) is read as TFLite Micro reads it: with a warning, along axis 0; it runs as the same model with axis 0
// does, and what quantlens exports from it says axis 0.
#include <filesystem>

#include "model/model_builder.h"
#include "model/reader.h"
#include "model/writer.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

// x int8 [1,3,3,2] -> CONV_2D (3 output channels, 1x1, per-channel weights and bias) -> y int8 [1,3,3,3].
std::string writeConvModel(const std::string& path, int32_t bias_axis) {
  Model m = emptyModel("lenient bias axis");
  Subgraph& sg = m.subgraphs[0];
  Tensor x{"x", DType::Int8, {1, 3, 3, 2}};
  x.quant.scale = {0.05f};
  x.quant.zero_point = {-3};
  Tensor w{"w", DType::Int8, {3, 1, 1, 2}};
  std::vector<int8_t> wv{10, -20, 30, 40, -50, 60};
  w.buffer = addBuffer(m, Bytes::copyOf(wv.data(), wv.size()));
  w.quant.scale = {0.01f, 0.02f, 0.03f};
  w.quant.zero_point = {0, 0, 0};
  Tensor b{"b", DType::Int32, {3}};
  std::vector<int32_t> bv{100, -200, 300};
  b.buffer = addBuffer(m, Bytes::copyOf(bv.data(), bv.size() * sizeof(int32_t)));
  b.quant.scale = {0.0005f, 0.001f, 0.0015f};
  b.quant.zero_point = {0, 0, 0};
  b.quant.quantized_dimension = bias_axis;
  Tensor y{"y", DType::Int8, {1, 3, 3, 3}};
  y.quant.scale = {0.1f};
  y.quant.zero_point = {5};
  int32_t xi = addTensor(sg, x), wi = addTensor(sg, w), bi = addTensor(sg, b), yi = addTensor(sg, y);
  sg.ops.push_back(makeOp(m, "CONV_2D", {xi, wi, bi}, {yi}, "Conv2DOptions",
                          {{"padding", "VALID"}, {"stride_w", 1}, {"stride_h", 1}}));
  sg.inputs = {xi};
  sg.outputs = {yi};
  writeModel(m, path);
  return path;
}

TEST(LenientBiasAxis, ReadWithAWarningRunAsAxis0AndExportedWithAxis0) {
  std::string dir = makeTempDir("lenient");
  std::string bad = writeConvModel(dir + "/axis3.tflite", 3);
  std::string good = writeConvModel(dir + "/axis0.tflite", 0);

  Model read = readModel(bad);
  ASSERT_EQ(read.load_warnings.size(), 1u);
  EXPECT_EQ(read.subgraphs[0].tensors[2].quant.quantized_dimension, 0);
  EXPECT_TRUE(readModel(good).load_warnings.empty());

  ProcResult inspect = runProcess({cliPath(), "inspect", bad}, 30);
  EXPECT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_NE(inspect.err.find("warning: subgraph 0 tensor 2 'b': quantized_dimension 3 is not an axis of its shape "
                             "[3]; axis 0 is used"),
            std::string::npos)
      << inspect.err;

  std::vector<uint8_t> in(18);
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<uint8_t>(static_cast<int8_t>(i * 13 - 100));
  writeBytes(dir + "/in.bin", in);
  for (const std::string* model : {&bad, &good}) {
    ProcResult r = runProcess({cliPath(), "run", *model, "--input", dir + "/in.bin", "--out", *model + ".out"}, 30);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::vector<uint8_t> from_bad = readBytes(bad + ".out/t3.bin"), from_good = readBytes(good + ".out/t3.bin");
  EXPECT_EQ(from_bad.size(), 27u);
  EXPECT_EQ(from_bad, from_good);

  ProcResult ex = runProcess({cliPath(), "export", "--quant", bad, "--first", "0", "-o", dir + "/exported.tflite"}, 30);
  ASSERT_EQ(ex.exit_code, 0) << ex.err;
  Model exported = readModel(dir + "/exported.tflite");
  EXPECT_TRUE(exported.load_warnings.empty()) << exported.load_warnings[0];
  const Subgraph& sg = exported.subgraphs[0];
  for (const Tensor& t : sg.tensors)
    if (t.name == "b") {
      EXPECT_EQ(t.quant.quantized_dimension, 0);
    }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ql::test
