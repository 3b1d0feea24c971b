// TRANSPOSE_CONV (no shared model has one) built with the project's writer and compared with the real runtime.
#include <filesystem>
#include <random>

#include "model/model_builder.h"
#include "model/reader.h"
#include "model/writer.h"
#include "runtime/interpreter.h"
#include "support/tensor_compare.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

template <typename T>
Bytes bytesOf(const std::vector<T>& v) {
  return Bytes::copyOf(v.data(), v.size() * sizeof(T));
}

Model transposeConvModel(DType type, const char* padding, int stride, std::mt19937& rng) {
  Model m = emptyModel("transpose conv");
  Subgraph& sg = m.subgraphs[0];
  const int in_h = 5, in_w = 4, in_c = 3, out_c = 2, k = 3;
  int out_h = std::string(padding) == "SAME" ? in_h * stride : (in_h - 1) * stride + k;
  int out_w = std::string(padding) == "SAME" ? in_w * stride : (in_w - 1) * stride + k;
  const bool q = type == DType::Int8;
  Tensor shape{"output_shape", DType::Int32, {4}};
  shape.buffer = addBuffer(m, bytesOf(std::vector<int32_t>{1, out_h, out_w, out_c}));
  Tensor w{"weights", type, {out_c, k, k, in_c}};
  std::uniform_int_distribution<int> qd(-127, 127);
  std::uniform_real_distribution<float> fd(-1.f, 1.f);
  size_t wn = static_cast<size_t>(out_c) * k * k * in_c;
  if (q) {
    std::vector<int8_t> wv(wn);
    for (auto& v : wv) v = static_cast<int8_t>(qd(rng));
    w.buffer = addBuffer(m, bytesOf(wv));
    w.quant.scale = {0.01f};
    w.quant.zero_point = {0};
  } else {
    std::vector<float> wv(wn);
    for (auto& v : wv) v = fd(rng);
    w.buffer = addBuffer(m, bytesOf(wv));
  }
  Tensor in{"input", type, {1, in_h, in_w, in_c}};
  Tensor out{"output", type, {1, out_h, out_w, out_c}};
  if (q) {
    in.quant.scale = {0.05f}, in.quant.zero_point = {-3};
    out.quant.scale = {0.1f}, out.quant.zero_point = {2};
  }
  int s = addTensor(sg, shape), wi = addTensor(sg, w), ii = addTensor(sg, in), oi = addTensor(sg, out);
  sg.inputs = {ii};
  sg.outputs = {oi};
  sg.ops.push_back(makeOp(m, "TRANSPOSE_CONV", {s, wi, ii}, {oi}, "TransposeConvOptions",
                          {{"padding", padding}, {"stride_w", stride}, {"stride_h", stride}}, q ? 3 : 1));
  return m;
}

TEST(TransposeConv, MatchesTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(11);
  std::string dir = makeTempDir("tconv");
  for (DType type : {DType::Float32, DType::Int8})
    for (const char* padding : {"SAME", "VALID"})
      for (int stride : {1, 2}) {
        SCOPED_TRACE(std::string(dtypeName(type)) + " " + padding + " stride " + std::to_string(stride));
        Model m = transposeConvModel(type, padding, stride, rng);
        std::string path = dir + "/m.tflite";
        writeModel(m, path);
        Model loaded = readModel(path);
        Interpreter interp(std::make_shared<const Model>(std::move(loaded)));
        std::vector<uint8_t> input(interp.input(0).bytes());
        if (type == DType::Int8) {
          for (auto& b : input) b = static_cast<uint8_t>(rng());
        } else {
          std::uniform_real_distribution<float> fd(-1.f, 1.f);
          for (size_t i = 0; i < input.size(); i += 4) {
            float v = fd(rng);
            std::memcpy(&input[i], &v, 4);
          }
        }
        writeBytes(dir + "/in.bin", input);
        auto ref = runOracle(oracle + "/litert_run.mjs", path, {dir + "/in.bin"}, dir + "/out");
        ASSERT_EQ(ref.size(), 1u);
        interp.setInput(0, input.data(), input.size());
        interp.invoke();
        const RuntimeTensor& o = interp.output(0);
        TensorComparison c = compareTensors(dtypeLowerName(type), type == DType::Int8, readBytes(ref[0]),
                                            std::vector<uint8_t>(o.raw(), o.raw() + o.bytes()));
        EXPECT_TRUE(c.ok) << c.detail;
      }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ql::test
