// The debugger's samples from files (`quantlens-cli debug` and the app's layer error dock): the float model gets
// the file's input, the quantized one the same real values in its own type, each read only when asked for; a
// model with more than one input is refused naming the quantized file.
#include <cmath>

#include "analysis/debug_samples.h"
#include "model/model_builder.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

// input [1,2,2,1] of `type` (int8: scale 0.5, zero point -3) -> RELU -> output; `inputs` such inputs.
std::shared_ptr<const Model> reluModel(DType type, int inputs, const std::string& path) {
  Model m = emptyModel();
  Subgraph& sg = m.subgraphs[0];
  std::vector<int32_t> in;
  for (int i = 0; i < inputs; ++i) {
    Tensor t;
    t.name = "in" + std::to_string(i);
    t.type = type;
    t.shape = {1, 2, 2, 1};
    if (type == DType::Int8) t.quant.scale = {0.5f}, t.quant.zero_point = {-3};
    in.push_back(addTensor(sg, t));
  }
  Tensor out;
  out.name = "out";
  out.type = type;
  out.shape = {1, 2, 2, 1};
  out.quant = sg.tensors[static_cast<size_t>(in[0])].quant;
  const int32_t o = addTensor(sg, out);
  sg.inputs = in;
  sg.outputs = {o};
  sg.ops.push_back(makeOp(m, "RELU", {in[0]}, {o}));
  m.path = path;
  return std::make_shared<const Model>(std::move(m));
}

TEST(DebugSamples, FloatFileAndTheSameRealValuesQuantized) {
  const std::string dir = makeTempDir("debug-samples");
  const std::vector<float> real = {-1.0f, 0.0f, 1.0f, 3.0f};
  writeBytes(dir + "/x.bin", std::vector<uint8_t>(reinterpret_cast<const uint8_t*>(real.data()),
                                                  reinterpret_cast<const uint8_t*>(real.data() + real.size())));
  auto f = reluModel(DType::Float32, 1, dir + "/f.tflite");
  auto q = reluModel(DType::Int8, 1, dir + "/q.tflite");
  SampleSource samples = fileSamples(f, q, {dir + "/x.bin"}, PreprocessOptions{});
  ASSERT_EQ(samples.count, 1u);
  f.reset();  // the source keeps the models alive
  q.reset();
  DebugSample s = samples.sample(0);
  EXPECT_EQ(s.description, dir + "/x.bin");
  ASSERT_EQ(s.float_inputs.size(), 1u);
  EXPECT_EQ(s.float_inputs[0], readBytes(dir + "/x.bin"));
  ASSERT_EQ(s.quant_inputs.size(), 1u);
  const std::vector<int8_t> expected = {-5, -3, -1, 3};  // round(x / 0.5) - 3
  ASSERT_EQ(s.quant_inputs[0].size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(static_cast<int8_t>(s.quant_inputs[0][i]), expected[i]) << i;
}

TEST(DebugSamples, ModelsWithTwoInputsAreRefusedNamingTheQuantizedFile) {
  auto f = reluModel(DType::Float32, 2, "f.tflite");
  auto q = reluModel(DType::Int8, 2, "q.tflite");
  Error e = thrownError([&] { fileSamples(f, q, {"x.bin"}, PreprocessOptions{}); });
  EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
  EXPECT_NE(std::string(e.what()).find("q.tflite: the debugger takes models with one input; this one has 2"),
            std::string::npos)
      << e.what();
}

}  // namespace
}  // namespace ql::test
