// AVERAGE_POOL_2D and MAX_POOL_2D on hand-computed cases, and every op of this helper's families (pooling,
// reduce, resize, quantize/dequantize/cast, arg min/max) cut out of each golden model and fed the real runtime's
// inputs: the per-model, per-op tally the other family test files refer to is printed here.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "model/quantization_kind.h"
#include "model/reader.h"
#include "model/writer.h"
#include "runtime/interpreter.h"
#include "support/feed_check.h"
#include "support/op_isolation.h"
#include "support/op_model.h"
#include "support/tensor_compare.h"
#include "model/tensor_values.h"  // halfToFloat
#include "support/test_support.h"

namespace ql::test {

// A one-op model run by the real runtime (litert_run) and by quantlens in both arithmetics, compared with the
// bars of tensor_compare.h. Defined below; reduce_, resize_, quantize_ and arg_minmax_test.cpp declare it too.
struct OracleProbe {
  TensorComparison deployed, reference;
  std::vector<uint8_t> oracle, ours_deployed, ours_reference;
};
// inputs[k] empty: random bytes of input k's type (floats uniform in [-4, 4]).
OracleProbe probeAgainstOracle(OpModel& m, const std::string& oracle_dir, std::vector<std::vector<uint8_t>> inputs,
                               std::mt19937& rng);
std::vector<uint8_t> randomTensorBytes(DType type, const std::vector<int32_t>& shape, std::mt19937& rng,
                                       float lo = -4.f, float hi = 4.f);

namespace {

// --- hand-computed cases ------------------------------------------------------------------------------------

nlohmann::json poolOptions(int fh, int fw, int sh, int sw, const std::string& padding,
                           const std::string& activation = "NONE") {
  return {{"filter_height", fh}, {"filter_width", fw}, {"stride_h", sh},
          {"stride_w", sw},      {"padding", padding}, {"fused_activation_function", activation}};
}

template <typename T>
std::vector<T> runPool(const std::string& op, const TensorSpec& in, const TensorSpec& out, const std::vector<T>& x,
                       const nlohmann::json& options, Arithmetic arithmetic = Arithmetic::Deployed,
                       std::vector<int32_t>* shape = nullptr) {
  OpModel m;
  int i = m.input(in);
  int o = m.output(out);
  m.op(op, {i}, {o}, "Pool2DOptions", options);
  m.interpreter(arithmetic);
  m.setInput<T>(0, x);
  m.invoke();
  if (shape) *shape = m.outputShape(0);
  return m.output<T>(0);
}

TEST(PoolingKernels, FloatAverageValidStride2) {
  // 1x4x4x1, 2x2 windows, stride 2: the mean of each quadrant.
  std::vector<float> x{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  std::vector<int32_t> shape;
  auto y = runPool<float>("AVERAGE_POOL_2D", {DType::Float32, {1, 4, 4, 1}}, {DType::Float32, {1, 2, 2, 1}}, x,
                          poolOptions(2, 2, 2, 2, "VALID"), Arithmetic::Deployed, &shape);
  EXPECT_EQ(shape, (std::vector<int32_t>{1, 2, 2, 1}));
  EXPECT_EQ(y, (std::vector<float>{3.5f, 5.5f, 11.5f, 13.5f}));
}

TEST(PoolingKernels, FloatAverageSameNeverAveragesThePadding) {
  // 1x3x3x1, 2x2 windows, stride 1, SAME: out 3x3; the last row/column windows hang over the edge and average
  // only the pixels inside (TFLite divides by the clipped window's size).
  std::vector<float> x{1, 2, 3, 4, 5, 6, 7, 8, 9};
  auto y = runPool<float>("AVERAGE_POOL_2D", {DType::Float32, {1, 3, 3, 1}}, {DType::Float32, {1, 3, 3, 1}}, x,
                          poolOptions(2, 2, 1, 1, "SAME"));
  EXPECT_EQ(y, (std::vector<float>{3, 4, 4.5f, 6, 7, 7.5f, 7.5f, 8.5f, 9}));
}

TEST(PoolingKernels, FloatMaxSameWithRelu6) {
  std::vector<float> x{-1, 2, 9, -4, 5, -6, 7, -8, 1};
  auto y = runPool<float>("MAX_POOL_2D", {DType::Float32, {1, 3, 3, 1}}, {DType::Float32, {1, 2, 2, 1}}, x,
                          poolOptions(2, 2, 2, 2, "SAME", "RELU6"));
  // windows: {-1,2,-4,5}=5, {9,-6}=9->6, {7,-8}=7->6, {1}=1
  EXPECT_EQ(y, (std::vector<float>{5, 6, 6, 1}));
}

TEST(PoolingKernels, FloatMaxAllNegativeWithoutActivation) {
  std::vector<float> x{-3, -2, -5, -7};
  auto y = runPool<float>("MAX_POOL_2D", {DType::Float32, {1, 2, 2, 1}}, {DType::Float32, {1, 1, 1, 1}}, x,
                          poolOptions(2, 2, 2, 2, "VALID"));
  EXPECT_EQ(y, (std::vector<float>{-2}));
}

TEST(PoolingKernels, Int8AverageRoundsHalfAwayFromZeroOnRawValues) {
  // TFLite's quantized average pool divides the raw sum (zero point included) with rounding half away from zero:
  // sum 3 over 2 -> 2, sum -3 over 2 -> -2, sum -5 / 4 = -1.25 -> -1, sum -6 / 4 = -1.5 -> -2.
  TensorSpec in{DType::Int8, {1, 1, 8, 1}, {0.5f}, {-128}};
  TensorSpec out{DType::Int8, {1, 1, 4, 1}, {0.5f}, {-128}};
  auto y = runPool<int8_t>("AVERAGE_POOL_2D", in, out, {1, 2, -1, -2, -1, -4, -7, 1},
                           poolOptions(1, 2, 1, 2, "VALID"));
  EXPECT_EQ(y, (std::vector<int8_t>{2, -2, -3, -3}));
  auto z = runPool<int8_t>("AVERAGE_POOL_2D", {DType::Int8, {1, 1, 4, 1}, {0.5f}, {-128}},
                           {DType::Int8, {1, 1, 1, 1}, {0.5f}, {-128}}, {-2, -1, -1, -2},
                           poolOptions(1, 4, 1, 4, "VALID"));
  EXPECT_EQ(z, (std::vector<int8_t>{-2}));  // -6 / 4 = -1.5 -> -2
  auto w = runPool<int8_t>("AVERAGE_POOL_2D", {DType::Int8, {1, 1, 4, 1}, {0.5f}, {-128}},
                           {DType::Int8, {1, 1, 1, 1}, {0.5f}, {-128}}, {-2, -1, -1, -1},
                           poolOptions(1, 4, 1, 4, "VALID"));
  EXPECT_EQ(w, (std::vector<int8_t>{-1}));  // -5 / 4 = -1.25 -> -1
}

TEST(PoolingKernels, Int8SaturatedValuesStayInRange) {
  TensorSpec in{DType::Int8, {1, 2, 2, 2}, {0.1f}, {3}};
  TensorSpec out{DType::Int8, {1, 1, 1, 2}, {0.1f}, {3}};
  std::vector<int8_t> x{127, -128, 127, -128, 127, -128, 127, -128};
  EXPECT_EQ(runPool<int8_t>("AVERAGE_POOL_2D", in, out, x, poolOptions(2, 2, 2, 2, "VALID")),
            (std::vector<int8_t>{127, -128}));
  EXPECT_EQ(runPool<int8_t>("MAX_POOL_2D", in, out, x, poolOptions(2, 2, 2, 2, "VALID")),
            (std::vector<int8_t>{127, -128}));
}

TEST(PoolingKernels, UInt8AverageWithReluClampsAtTheZeroPoint) {
  // zero point 100: RELU clamps at q = 100. Means: (90+94)/2 = 92 -> 100; (110+113)/2 = 111.5 -> 112.
  TensorSpec in{DType::UInt8, {1, 1, 4, 1}, {0.25f}, {100}};
  TensorSpec out{DType::UInt8, {1, 1, 2, 1}, {0.25f}, {100}};
  auto y = runPool<uint8_t>("AVERAGE_POOL_2D", in, out, {90, 94, 110, 113}, poolOptions(1, 2, 1, 2, "VALID", "RELU"));
  EXPECT_EQ(y, (std::vector<uint8_t>{100, 112}));
}

TEST(PoolingKernels, Int8MaxPoolMultiChannelStride) {
  // 1x2x4x2 (two channels), 2x2 windows, stride 2 -> 1x1x2x2.
  TensorSpec in{DType::Int8, {1, 2, 4, 2}, {1.f}, {0}};
  TensorSpec out{DType::Int8, {1, 1, 2, 2}, {1.f}, {0}};
  std::vector<int8_t> x{1, -1, 2, -2, 3, -3, 4, -4,  //
                        5, -5, 6, -6, 7, -7, 8, -8};
  EXPECT_EQ(runPool<int8_t>("MAX_POOL_2D", in, out, x, poolOptions(2, 2, 2, 2, "VALID")),
            (std::vector<int8_t>{6, -1, 8, -3}));
}

TEST(PoolingKernels, Int16AverageAndMax) {
  TensorSpec in{DType::Int16, {1, 1, 2, 1}, {0.001f}, {0}};
  TensorSpec out{DType::Int16, {1, 1, 1, 1}, {0.001f}, {0}};
  EXPECT_EQ(runPool<int16_t>("AVERAGE_POOL_2D", in, out, {-30001, -30000}, poolOptions(1, 2, 1, 2, "VALID")),
            (std::vector<int16_t>{-30001}));  // -60001 / 2 = -30000.5 -> -30001
  EXPECT_EQ(runPool<int16_t>("MAX_POOL_2D", in, out, {-30001, 32767}, poolOptions(1, 2, 1, 2, "VALID")),
            (std::vector<int16_t>{32767}));
}

TEST(PoolingKernels, BadShapesAndOptionsAreRejected) {
  EXPECT_ANY_THROW(runPool<float>("MAX_POOL_2D", {DType::Float32, {4, 4}}, {DType::Float32, {2, 2}},
                                  std::vector<float>(16), poolOptions(2, 2, 2, 2, "VALID")));
  EXPECT_ANY_THROW(runPool<float>("MAX_POOL_2D", {DType::Float32, {1, 4, 4, 1}}, {DType::Float32, {1, 2, 2, 1}},
                                  std::vector<float>(16), poolOptions(0, 2, 2, 2, "VALID")));
}

}  // namespace

// --- the real runtime on one-op models (also used by reduce_, resize_, quantize_ and arg_minmax_test.cpp) -----

OracleProbe probeAgainstOracle(OpModel& m, const std::string& oracle_dir, std::vector<std::vector<uint8_t>> inputs,
                               std::mt19937& rng) {
  m.interpreter();  // writes and reads the model back
  const Model& model = m.model();
  const Subgraph& sg = model.subgraphs[0];
  static int counter = 0;
  std::string dir = makeTempDir("family_oracle" + std::to_string(counter++));
  std::string path = dir + "/m.tflite";
  writeModel(model, path);
  std::vector<std::string> files;
  inputs.resize(sg.inputs.size());
  for (size_t k = 0; k < sg.inputs.size(); ++k) {
    const Tensor& t = sg.tensors[static_cast<size_t>(sg.inputs[k])];
    if (inputs[k].empty()) inputs[k] = randomTensorBytes(t.type, t.shape, rng);
    files.push_back(dir + "/in" + std::to_string(k) + ".bin");
    writeBytes(files.back(), inputs[k]);
  }
  OracleProbe r;
  auto outs = runOracle(oracle_dir + "/litert_run.mjs", path, files, dir + "/out");
  if (outs.empty()) throw std::runtime_error("the reference runner returned no output");
  r.oracle = readBytes(outs[0]);
  const Tensor& out = sg.tensors[static_cast<size_t>(sg.outputs.at(0))];
  const bool quantized = out.quant.hasScale() && out.type != DType::Float32;
  for (Arithmetic a : {Arithmetic::Deployed, Arithmetic::Reference}) {
    InterpreterOptions o;
    o.arithmetic = a;
    Interpreter interp(std::make_shared<const Model>(model), o);
    for (size_t k = 0; k < inputs.size(); ++k) interp.setInput(k, inputs[k].data(), inputs[k].size());
    interp.invoke();
    const RuntimeTensor& t = interp.output(0);
    std::vector<uint8_t> ours(t.raw(), t.raw() + t.bytes());
    TensorComparison c = compareTensors(dtypeLowerName(out.type), quantized, r.oracle, ours);
    (a == Arithmetic::Deployed ? r.deployed : r.reference) = c;
    (a == Arithmetic::Deployed ? r.ours_deployed : r.ours_reference) = std::move(ours);
  }
  std::filesystem::remove_all(dir);
  return r;
}

std::vector<uint8_t> randomTensorBytes(DType type, const std::vector<int32_t>& shape, std::mt19937& rng, float lo,
                                       float hi) {
  const size_t n = static_cast<size_t>(std::max<int64_t>(elementCount(shape), 0));
  std::vector<uint8_t> bytes(n * dtypeSize(type));
  std::uniform_real_distribution<float> real(lo, hi);
  for (size_t i = 0; i < n; ++i) {
    if (type == DType::Float32) {
      float v = real(rng);
      std::memcpy(&bytes[4 * i], &v, 4);
    } else if (type == DType::Float16) {
      // A random finite half: sign, exponent 5..20 (|x| in ~[1e-3, 64)), mantissa.
      uint16_t h = static_cast<uint16_t>(((rng() & 1u) << 15) | ((5u + rng() % 16u) << 10) | (rng() & 0x3ffu));
      std::memcpy(&bytes[2 * i], &h, 2);
    } else if (type == DType::Bool) {
      bytes[i] = static_cast<uint8_t>(rng() & 1u);
    } else {
      for (size_t b = 0; b < dtypeSize(type); ++b) bytes[i * dtypeSize(type) + b] = static_cast<uint8_t>(rng());
    }
  }
  return bytes;
}

namespace {

// --- the real runtime on pooling models built here --------------------------------------------------------------

TEST(PoolingOracle, AverageAndMaxMatchTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(7);
  struct Case {
    DType type;
    float scale;
    int zp;
    int fh, fw, sh, sw;
    const char* padding;
    const char* activation;
  };
  const Case cases[] = {
      {DType::Float32, 0, 0, 3, 3, 2, 2, "SAME", "NONE"},    {DType::Float32, 0, 0, 2, 3, 1, 2, "VALID", "RELU6"},
      {DType::Float32, 0, 0, 5, 5, 1, 1, "SAME", "RELU"},    {DType::Float32, 0, 0, 7, 4, 3, 2, "SAME", "NONE"},
      {DType::Int8, 0.05f, -3, 3, 3, 2, 2, "SAME", "NONE"},  {DType::Int8, 0.05f, -3, 3, 2, 1, 1, "SAME", "RELU6"},
      {DType::Int8, 0.02f, 100, 2, 2, 2, 2, "VALID", "RELU"}, {DType::UInt8, 0.05f, 128, 3, 3, 2, 2, "SAME", "NONE"},
      {DType::UInt8, 0.03f, 7, 3, 3, 1, 1, "SAME", "RELU6"},  {DType::UInt8, 0.1f, 200, 5, 5, 2, 2, "SAME", "RELU"},
      {DType::Int16, 0.001f, 0, 3, 3, 2, 2, "SAME", "NONE"},
  };
  for (const char* op : {"AVERAGE_POOL_2D", "MAX_POOL_2D"})
    for (const Case& c : cases) {
      const bool q = c.type != DType::Float32;
      SCOPED_TRACE(std::string(op) + " " + dtypeName(c.type) + " " + c.padding + " " + c.activation);
      const int h = 7, w = 9, ch = 5;
      const int oh = std::string(c.padding) == "SAME" ? (h + c.sh - 1) / c.sh : (h - c.fh) / c.sh + 1;
      const int ow = std::string(c.padding) == "SAME" ? (w + c.sw - 1) / c.sw : (w - c.fw) / c.sw + 1;
      TensorSpec in{c.type, {2, h, w, ch}}, out{c.type, {2, oh, ow, ch}};
      if (q) in.scale = out.scale = {c.scale}, in.zero_point = out.zero_point = {c.zp};
      OpModel m;
      int i = m.input(in);
      int o = m.output(out);
      m.op(op, {i}, {o}, "Pool2DOptions", poolOptions(c.fh, c.fw, c.sh, c.sw, c.padding, c.activation));
      OracleProbe p = probeAgainstOracle(m, oracle, {}, rng);
      EXPECT_EQ(p.oracle, p.ours_deployed) << p.deployed.detail;  // bit for bit
      std::cout << op << " " << dtypeName(c.type) << " " << c.padding << " " << c.activation << ": deployed "
                << p.deployed.detail << " | reference " << p.reference.detail << "\n";
    }
}

// --- golden models: each op of these families cut out and fed the real runtime's inputs ----------------------

const std::set<std::string>& familyOps() {
  static const std::set<std::string> ops = {"AVERAGE_POOL_2D", "MAX_POOL_2D", "MEAN",     "SUM",
                                            "REDUCE_MAX",      "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR",
                                            "QUANTIZE",        "DEQUANTIZE",  "CAST",     "ARG_MAX",
                                            "ARG_MIN"};
  return ops;
}

// A golden model with its reference tensors by index; the ones it left out (too large, constant-derived) listed.
struct GoldenContext {
  explicit GoldenContext(const std::string& name) : golden(readGolden(name)), model(readModel(golden.model_path)) {
    for (const GoldenTensor& gt : golden.tensors) tensors[gt.index] = &gt;
    for (const char* key : {"omitted_for_size", "constant_derived_left_out"})
      if (golden.manifest.contains(key))
        for (auto& v : golden.manifest[key])
          if (v.is_number_integer()) omitted.insert(v.get<int>());
  }
  bool has(int tensor) const { return tensors.count(tensor) && !omitted.count(tensor); }
  // "MEAN INT8->INT8"
  std::string key(const Op& op) const {
    const Subgraph& sg = model.subgraphs[0];
    return model.opName(op) + " " + dtypeName(sg.tensors[static_cast<size_t>(op.inputs.at(0))].type) + "->" +
           dtypeName(sg.tensors[static_cast<size_t>(op.outputs.at(0))].type);
  }

  Golden golden;
  Model model;
  std::map<int, const GoldenTensor*> tensors;
  std::set<int> omitted;
  std::map<int, std::vector<uint8_t>> derived;  // tensors we computed ourselves, by index
};

std::vector<std::vector<uint8_t>> runIsolated(GoldenContext& g, const IsolatedOp& iso,
                                              const std::vector<std::vector<uint8_t>>& inputs, Arithmetic arithmetic);

// The bytes of a source tensor as the real runtime saw them: the golden tensor, the golden model input, or (when
// the golden left it out) our own: a float16 constant decoded, or the producing op run on golden inputs.
bool sourceBytes(GoldenContext& g, int tensor, int depth, std::vector<uint8_t>* bytes, bool* ours) {
  const Subgraph& sg = g.model.subgraphs[0];
  if (g.has(tensor)) {
    *bytes = readBytes(g.tensors.at(tensor)->file);
    return true;
  }
  auto in = std::find(sg.inputs.begin(), sg.inputs.end(), tensor);
  if (in != sg.inputs.end()) {
    *bytes = readBytes(g.golden.inputs[static_cast<size_t>(in - sg.inputs.begin())]);
    return true;
  }
  *ours = true;
  auto d = g.derived.find(tensor);
  if (d != g.derived.end()) {
    *bytes = d->second;
    return true;
  }
  if (depth > 3) return false;
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const Op& op = sg.ops[i];
    auto out = std::find(op.outputs.begin(), op.outputs.end(), tensor);
    if (out == op.outputs.end()) continue;
    const Tensor& first = sg.tensors[static_cast<size_t>(op.inputs.at(0))];
    const Bytes& data = g.model.dataOf(first);
    if (g.model.opName(op) == "DEQUANTIZE" && first.type == DType::Float16 && !data.empty()) {
      bytes->resize(data.size * 2);
      for (size_t k = 0; k < data.size / 2; ++k) {
        uint16_t h;
        std::memcpy(&h, data.data + 2 * k, 2);
        float f = halfToFloat(h);
        std::memcpy(bytes->data() + 4 * k, &f, 4);
      }
      g.derived[tensor] = *bytes;
      return true;
    }
    IsolatedOp iso = isolateOp(g.model, static_cast<int>(i));
    if (!unsupportedOps(iso.model).empty()) return false;
    std::vector<std::vector<uint8_t>> inputs;
    for (int src : iso.source_inputs) {
      std::vector<uint8_t> b;
      bool unused = false;
      if (!sourceBytes(g, src, depth + 1, &b, &unused)) return false;
      inputs.push_back(std::move(b));
    }
    auto outs = runIsolated(g, iso, inputs, Arithmetic::Deployed);
    for (size_t k = 0; k < iso.source_outputs.size(); ++k) g.derived[iso.source_outputs[k]] = outs[k];
    *bytes = g.derived[tensor];
    return true;
  }
  return false;
}

std::vector<std::vector<uint8_t>> runIsolated(GoldenContext& g, const IsolatedOp& iso,
                                              const std::vector<std::vector<uint8_t>>& inputs, Arithmetic arithmetic) {
  InterpreterOptions opts;
  opts.arithmetic = arithmetic;
  Interpreter interp(std::make_shared<const Model>(iso.model), opts);
  for (size_t k = 0; k < inputs.size(); ++k) {
    RuntimeTensor& t = interp.input(k);
    auto gt = g.tensors.find(iso.source_inputs[k]);
    if (inputs[k].size() != t.bytes() && gt != g.tensors.end()) {
      // A golden tensor of another shape than the file's (dynamic shapes): take its shape.
      std::vector<int32_t> shape(gt->second->shape.begin(), gt->second->shape.end());
      t.assign(shape, inputs[k].data(), inputs[k].size());
    } else {
      interp.setInput(k, inputs[k].data(), inputs[k].size());
    }
  }
  interp.invoke();
  std::vector<std::vector<uint8_t>> outs;
  for (size_t k = 0; k < iso.source_outputs.size(); ++k) {
    const RuntimeTensor& out = interp.output(k);
    outs.emplace_back(out.raw(), out.raw() + out.bytes());
  }
  return outs;
}

struct Tally {
  int tensors = 0, pass = 0, exact = 0;
  double worst = 0, min_exact = 1;
};

// Golden models with an op of these families; FamilyLeftOut: those whose golden left out such an op's output.
class FamilyGolden : public ::testing::TestWithParam<std::string> {};
class FamilyLeftOut : public ::testing::TestWithParam<std::string> {};

TEST_P(FamilyGolden, EachOpInIsolationMatchesTheRealRuntime) {
  QL_REQUIRE_SHARED();
  GoldenContext g(GetParam());
  const Model& model = g.model;
  const Subgraph& sg = model.subgraphs[0];
  std::map<std::string, Tally> deployed, reference;
  std::map<std::string, int> not_compared;
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const std::string name = model.opName(sg.ops[i]);
    if (!familyOps().count(name)) continue;
    const std::string key = g.key(sg.ops[i]);
    IsolatedOp iso = isolateOp(model, static_cast<int>(i));
    std::vector<std::vector<uint8_t>> inputs;
    bool have_all = true, ours = false;
    for (int src : iso.source_inputs) {
      std::vector<uint8_t> b;
      have_all = have_all && sourceBytes(g, src, 0, &b, &ours);
      inputs.push_back(std::move(b));
    }
    bool have_outputs = true;
    for (int src : iso.source_outputs) have_outputs = have_outputs && g.has(src);
    if (!have_all || !have_outputs) {
      ++not_compared[key];
      continue;
    }
    for (Arithmetic arithmetic : {Arithmetic::Deployed, Arithmetic::Reference}) {
      auto outs = runIsolated(g, iso, inputs, arithmetic);
      for (size_t k = 0; k < iso.source_outputs.size(); ++k) {
        const int src = iso.source_outputs[k];
        const GoldenTensor* gt = g.tensors[src];
        IntegerPolicy policy = (name == "ARG_MAX" || name == "ARG_MIN") ? IntegerPolicy::ArgMinMax : IntegerPolicy::Exact;
        TensorComparison c = compareTensors(gt->dtype, isQuantizedTensor(sg.tensors[static_cast<size_t>(src)]),
                                            readBytes(gt->file), outs[k], floatTolerance(model), policy);
        Tally& t = (arithmetic == Arithmetic::Deployed ? deployed : reference)[key + (ours ? " (fed ours)" : "")];
        ++t.tensors;
        t.pass += c.ok;
        t.exact += c.exact_fraction == 1.0;
        t.worst = std::max(t.worst, c.max_abs_diff);
        t.min_exact = std::min(t.min_exact, c.exact_fraction);
        if (arithmetic == Arithmetic::Deployed && !c.ok)
          ADD_FAILURE() << GetParam() << " op " << i << " (" << name << ") tensor " << src << ": " << c.detail;
      }
    }
  }
  std::ostringstream report;
  for (const auto& [key, t] : deployed) {
    const Tally& r = reference[key];
    report << "  " << GetParam() << " " << key << ": deployed " << t.pass << "/" << t.tensors << " match ("
           << t.exact << " bit-exact, worst " << t.min_exact * 100 << "% exact, max diff " << t.worst
           << "); reference " << r.pass << "/" << r.tensors << " (" << r.exact << " bit-exact, worst "
           << r.min_exact * 100 << "% exact, max diff " << r.worst << ")\n";
  }
  for (const auto& [key, n] : not_compared)
    report << "  " << GetParam() << " " << key << ": " << n << " not compared (golden lacks an input or output)\n";
  std::cout << report.str();
}

// The ops whose output the golden left out (deeplabv3's 33x33 -> 513x513 RESIZE_BILINEAR, DEQUANTIZE of float16
// weights): cut out, fed the golden inputs (or ours), run alone in the real runtime and compared bit for bit.
// DEQUANTIZE of constants: a few per model, they are all alike.
TEST_P(FamilyLeftOut, OpsWhoseOutputTheGoldenLeftOutMatchTheRealRuntimeAlone) {
  QL_REQUIRE_SHARED();
  GoldenContext g(GetParam());
  const Subgraph& sg = g.model.subgraphs[0];
  std::vector<int> left_out;
  std::map<std::string, int> per_key;
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const Op& op = sg.ops[i];
    if (!familyOps().count(g.model.opName(op)) || g.has(op.outputs.at(0))) continue;
    if (++per_key[g.key(op)] <= 3) left_out.push_back(static_cast<int>(i));
  }
  ASSERT_FALSE(left_out.empty()) << GetParam() << ": the golden has every output of these families";
  QL_REQUIRE_ORACLE(oracle);
  const std::string runner = oracleRunnerFor(g.golden, oracle);
  const std::string dir = makeTempDir("family-left-out");
  std::map<std::string, std::pair<int, int>> tally;  // key -> (bit-exact, compared)
  for (int i : left_out) {
    const std::string key = g.key(sg.ops[static_cast<size_t>(i)]);
    IsolatedOp iso = isolateOp(g.model, i);
    std::vector<std::vector<uint8_t>> inputs;
    std::vector<std::string> files;
    bool ours = false;
    for (int src : iso.source_inputs) {
      std::vector<uint8_t> b;
      ASSERT_TRUE(sourceBytes(g, src, 0, &b, &ours)) << "op " << i << ": input " << src << " unavailable";
      files.push_back(dir + "/in" + std::to_string(files.size()) + ".bin");
      writeBytes(files.back(), b);
      inputs.push_back(std::move(b));
    }
    // The runtime does not compute an op whose inputs are all constant (it hands back an unset buffer): such an
    // op's constants are fed to it as inputs instead.
    Model fed = iso.model;
    Subgraph& fsg = fed.subgraphs[0];
    if (fsg.inputs.empty())
      for (int32_t t : fsg.ops[0].inputs) {
        if (t < 0) continue;
        Tensor& ft = fsg.tensors[static_cast<size_t>(t)];
        const Bytes& data = fed.dataOf(ft);
        files.push_back(dir + "/in" + std::to_string(files.size()) + ".bin");
        writeBytes(files.back(), std::vector<uint8_t>(data.data, data.data + data.size));
        ft.buffer = 0;
        fsg.inputs.push_back(t);
      }
    writeModel(fed, dir + "/op.tflite");
    auto ref = runOracle(runner, dir + "/op.tflite", files, dir + "/out");
    ASSERT_EQ(ref.size(), 1u);
    std::vector<uint8_t> expected = readBytes(ref[0]), actual = runIsolated(g, iso, inputs, Arithmetic::Deployed)[0];
    const Tensor& t = sg.tensors[static_cast<size_t>(iso.source_outputs[0])];
    TensorComparison c = compareTensors(dtypeLowerName(t.type), isQuantizedTensor(t), expected, actual);
    EXPECT_EQ(expected, actual) << GetParam() << " op " << i << " (" << key << "): " << c.detail;
    auto& [exact, compared] = tally[key + (ours ? " (fed ours)" : "")];
    exact += expected == actual;
    ++compared;
  }
  std::filesystem::remove_all(dir);
  for (const auto& [key, n] : tally)
    std::cout << "  " << GetParam() << " " << key << ": " << n.first << "/" << n.second
              << " left out by the golden match the runtime run alone bit for bit\n";
}

INSTANTIATE_TEST_SUITE_P(Golden, FamilyGolden, ::testing::ValuesIn(goldenNamesWithOps(familyOps())),
                         [](const auto& param_info) { return paramName(param_info.param); });
INSTANTIATE_TEST_SUITE_P(Golden, FamilyLeftOut, ::testing::ValuesIn(goldenNamesWithOps(familyOps(), true)),
                         [](const auto& param_info) { return paramName(param_info.param); });

}  // namespace
}  // namespace ql::test
