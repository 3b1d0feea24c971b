// The quantizer's graph rewrite on a model built here: a fused RELU6 bounds its op's range, LOGISTIC gets the fixed
// 1/256 output, CONCATENATION requantizes inputs of other scales to its own, RESHAPE shares its input's parameters,
// a float constant becomes an int8 one, the edges get QUANTIZE / DEQUANTIZE, and the result computes what the
// float model computes within a few quantization steps.
#include <cmath>
#include <cstring>

#include "analysis/quantize/quantize_model.h"
#include "model/model_builder.h"
#include "model/tensor_values.h"
#include "runtime/interpreter.h"
#include <gtest/gtest.h>

namespace ql {
namespace {

struct Built {
  Model model;
  int y = 0, z = 0, w = 0, out = 0;
};

// x[1,4] -> MUL(x, 2, RELU6) = y;  LOGISTIC(x) = z;  CONCATENATION(y, z) = w[1,8];  RESHAPE(w) = out[2,4]
Built build() {
  Built b;
  b.model = emptyModel("rewrite test");
  Model& m = b.model;
  Subgraph& sg = m.subgraphs[0];
  auto tensor = [&](const std::string& name, std::vector<int32_t> shape, DType type = DType::Float32) {
    Tensor t;
    t.name = name;
    t.shape = std::move(shape);
    t.type = type;
    return addTensor(sg, t);
  };
  int x = tensor("x", {1, 4});
  float two = 2.f;
  Tensor c;
  c.name = "two";
  c.shape = {1};
  c.buffer = addBuffer(m, Bytes::copyOf(&two, sizeof two));
  int ct = addTensor(sg, c);
  b.y = tensor("y", {1, 4});
  b.z = tensor("z", {1, 4});
  b.w = tensor("w", {1, 8});
  int32_t shape[2] = {2, 4};
  Tensor s;
  s.name = "shape";
  s.type = DType::Int32;
  s.shape = {2};
  s.buffer = addBuffer(m, Bytes::copyOf(shape, sizeof shape));
  int st = addTensor(sg, s);
  b.out = tensor("out", {2, 4});
  sg.inputs = {x};
  sg.outputs = {b.out};
  sg.ops.push_back(makeOp(m, "MUL", {x, ct}, {b.y}, "MulOptions", {{"fused_activation_function", "RELU6"}}));
  sg.ops.push_back(makeOp(m, "LOGISTIC", {x}, {b.z}));
  sg.ops.push_back(makeOp(m, "CONCATENATION", {b.y, b.z}, {b.w}, "ConcatenationOptions", {{"axis", 1}}));
  sg.ops.push_back(makeOp(m, "RESHAPE", {b.w, st}, {b.out}));
  return b;
}

CalibrationSet ramp() {
  CalibrationSet set;
  set.count = 20;
  set.load = [](size_t i) {
    std::vector<float> v(4);
    for (size_t k = 0; k < 4; ++k) v[k] = -10.f + 20.f * static_cast<float>(i * 4 + k) / 79.f;
    std::vector<uint8_t> bytes(16);
    std::memcpy(bytes.data(), v.data(), 16);
    return CalibrationSample{"ramp " + std::to_string(i), {bytes}};
  };
  return set;
}

const Tensor* byName(const Model& m, const std::string& name) {
  for (const Tensor& t : m.subgraphs[0].tensors)
    if (t.name == name) return &t;
  return nullptr;
}

TEST(QuantizeRewrite, FollowsTheSpecificationsRulesOpByOp) {
  Built b = build();
  NoProgress quiet;
  QuantizeResult r = quantizeModel(b.model, ramp(), QuantizeOptions{}, quiet);
  const Model& q = r.model;
  const Subgraph& sg = q.subgraphs[0];
  // Fused RELU6 folded into the range: [0, 6] although 2x reaches 20.
  const Tensor* y = byName(q, "y");
  ASSERT_TRUE(y);
  EXPECT_EQ(y->type, DType::Int8);
  EXPECT_FLOAT_EQ(y->quant.scale[0], 6.f / 255.f);
  EXPECT_EQ(y->quant.zero_point[0], -128);
  // LOGISTIC: the fixed output parameters.
  const Tensor* z = byName(q, "z");
  EXPECT_FLOAT_EQ(z->quant.scale[0], 1.f / 256.f);
  EXPECT_EQ(z->quant.zero_point[0], -128);
  // CONCATENATION: its calibrated range ([0, 6]), and both inputs requantized where they differ from it (z only).
  const Tensor* w = byName(q, "w");
  EXPECT_FLOAT_EQ(w->quant.scale[0], 6.f / 255.f);
  int requantize = 0;
  for (const Op& op : sg.ops) {
    std::string name = q.opName(op);
    if (name == "QUANTIZE" && sg.tensors[static_cast<size_t>(op.inputs[0])].type == DType::Int8) {
      ++requantize;
      EXPECT_EQ(sg.tensors[static_cast<size_t>(op.inputs[0])].name, "z");
      EXPECT_EQ(sg.tensors[static_cast<size_t>(op.outputs[0])].quant.scale, w->quant.scale);
    }
    if (name == "CONCATENATION") {
      for (int32_t in : op.inputs) EXPECT_EQ(sg.tensors[static_cast<size_t>(in)].quant.scale, w->quant.scale);
    }
    if (name == "MUL") {
      const Tensor& two = sg.tensors[static_cast<size_t>(op.inputs[1])];
      EXPECT_EQ(two.type, DType::Int8);  // the float constant, quantized as an activation
      EXPECT_NEAR(constantRealValues(q, two)[0], 2.f, two.quant.scale[0]);
    }
  }
  EXPECT_EQ(requantize, 1);
  // RESHAPE shares its input's parameters; the model output is float behind a DEQUANTIZE.
  const Tensor* inner_out = byName(q, "out/int8");
  ASSERT_TRUE(inner_out);
  EXPECT_EQ(inner_out->quant.scale, w->quant.scale);
  EXPECT_EQ(inner_out->quant.zero_point, w->quant.zero_point);
  EXPECT_EQ(sg.tensors[static_cast<size_t>(sg.outputs[0])].type, DType::Float32);
  EXPECT_EQ(q.opName(sg.ops.front()), "QUANTIZE");
  EXPECT_EQ(q.opName(sg.ops.back()), "DEQUANTIZE");
  // Versions: the int8 kernels' (MUL and CONCATENATION 2, RESHAPE 1).
  for (const Op& op : sg.ops) {
    if (q.opName(op) == "MUL" || q.opName(op) == "CONCATENATION") {
      EXPECT_GE(q.opcodeOf(op).version, 2);
    }
  }

  // It computes what the float model computes, within two steps of the output scale.
  Interpreter fi(b.model), qi(q);
  float x[4] = {-3.f, -0.2f, 0.7f, 2.5f};
  fi.setInput(0, x, sizeof x);
  qi.setInput(0, x, sizeof x);
  fi.invoke();
  qi.invoke();
  for (int k = 0; k < 8; ++k)
    EXPECT_NEAR(qi.output(0).data<float>()[k], fi.output(0).data<float>()[k], 2 * w->quant.scale[0]) << k;
}

TEST(QuantizeRewrite, IntegerIoTypesAtTheEdges) {
  Built b = build();
  NoProgress quiet;
  QuantizeOptions o;
  o.io = IoType::UInt8;
  QuantizeResult r = quantizeModel(b.model, ramp(), o, quiet);
  const Subgraph& sg = r.model.subgraphs[0];
  const Tensor& in = sg.tensors[static_cast<size_t>(sg.inputs[0])];
  const Tensor& out = sg.tensors[static_cast<size_t>(sg.outputs[0])];
  EXPECT_EQ(in.type, DType::UInt8);
  EXPECT_EQ(out.type, DType::UInt8);
  const Tensor* inner = byName(r.model, "x/int8");
  ASSERT_TRUE(inner);
  EXPECT_EQ(in.quant.zero_point[0], inner->quant.zero_point[0] + 128);
  EXPECT_EQ(in.quant.scale, inner->quant.scale);
  o.io = IoType::Int8;
  r = quantizeModel(b.model, ramp(), o, quiet);
  EXPECT_EQ(r.model.subgraphs[0].tensors[static_cast<size_t>(r.model.subgraphs[0].inputs[0])].type, DType::Int8);
  EXPECT_EQ(r.model.subgraphs[0].ops.size(), 5u);  // the four ops and the one requantize
}

}  // namespace
}  // namespace ql
