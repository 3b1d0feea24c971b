// ADD, SUB, MUL, DIV, SQUARED_DIFFERENCE, MINIMUM, MAXIMUM on hand-computed cases (broadcasting, fused
// activations, saturation, both arithmetics, int16 and 32/64-bit integers); then, for all four families
// (binary, unary, activations, softmax): one-op models against the real runtime (the oracle) and every family op
// cut out of each golden model and fed the real runtime's inputs.
#include <cmath>
#include <cstring>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <filesystem>
#include <functional>
#include <random>

#include <gtest/gtest.h>

#include "model/model_builder.h"
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
namespace {

// A model of one op with random inputs, run by the real runtime (the oracle) and by quantlens in both
// arithmetics: how ops of all four families that no golden model has are checked.
struct OneOpInput {
  TensorSpec spec;
  std::vector<uint8_t> constant;  // empty: a model input with random values
};
struct OneOpCase {
  std::string op, options_table;
  nlohmann::json options = nlohmann::json::object();
  std::vector<OneOpInput> inputs;
  TensorSpec output;
  int32_t version = 1;
  float float_lo = -4, float_hi = 4;
  double float_tolerance = 1e-5;
  std::string runner = "litert";
  std::function<void(size_t, std::vector<uint8_t>&)> adjust;  // reshapes random input i (e.g. no zero divisors)
};
struct OracleOutcome {
  TensorComparison deployed, reference;
};


OracleOutcome runOneOpAgainstOracle(const OneOpCase& c, std::mt19937& rng) {
  Model m = emptyModel(c.op);
  Subgraph& sg = m.subgraphs[0];
  auto tensorOf = [](const TensorSpec& spec, const std::string& name) {
    Tensor t;
    t.name = name;
    t.type = spec.type;
    t.shape = spec.shape;
    t.quant.scale = spec.scale;
    t.quant.zero_point = spec.zero_point;
    if (!spec.scale.empty() && spec.zero_point.empty()) t.quant.zero_point.assign(spec.scale.size(), 0);
    t.quant.quantized_dimension = spec.quantized_dimension;
    return t;
  };
  std::vector<int32_t> op_inputs;
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    Tensor t = tensorOf(c.inputs[i].spec, "in" + std::to_string(i));
    if (!c.inputs[i].constant.empty())
      t.buffer = addBuffer(m, Bytes::copyOf(c.inputs[i].constant.data(), c.inputs[i].constant.size()));
    const int32_t index = addTensor(sg, t);
    op_inputs.push_back(index);
    if (c.inputs[i].constant.empty()) sg.inputs.push_back(index);
  }
  const int32_t out = addTensor(sg, tensorOf(c.output, "out"));
  sg.outputs = {out};
  sg.ops.push_back(makeOp(m, c.op, op_inputs, {out}, c.options_table, c.options, c.version));

  const std::string dir = makeTempDir("ew_oracle");
  const std::string path = dir + "/m.tflite";
  writeModel(m, path);
  Model loaded = readModel(path);

  // Random inputs: every byte pattern for integer types, c.float_lo..c.float_hi for float.
  std::vector<std::vector<uint8_t>> inputs;
  std::vector<std::string> files;
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    if (!c.inputs[i].constant.empty()) continue;
    const TensorSpec& spec = c.inputs[i].spec;
    std::vector<uint8_t> bytes(static_cast<size_t>(elementCount(spec.shape)) * dtypeSize(spec.type));
    if (spec.type == DType::Float32) {
      std::uniform_real_distribution<float> fd(c.float_lo, c.float_hi);
      for (size_t k = 0; k < bytes.size(); k += 4) {
        const float v = fd(rng);
        std::memcpy(&bytes[k], &v, 4);
      }
    } else {
      for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    }
    if (c.adjust) c.adjust(inputs.size(), bytes);
    files.push_back(dir + "/in" + std::to_string(inputs.size()) + ".bin");
    writeBytes(files.back(), bytes);
    inputs.push_back(std::move(bytes));
  }
  std::string oracle_why;
  const std::string oracle = oracleDir(&oracle_why);
  auto ref = runOracle(oracle + (c.runner == "tfjs" ? "/tfjs_tflite_run.cjs" : "/litert_run.mjs"), path, files,
                       dir + "/out");
  OracleOutcome outcome;
  if (ref.size() != 1) throw std::runtime_error("the reference runner gave no single output for " + c.op);
  const std::vector<uint8_t> expected = readBytes(ref[0]);
  const bool quantized = !c.output.scale.empty();
  for (Arithmetic arithmetic : {Arithmetic::Deployed, Arithmetic::Reference}) {
    InterpreterOptions opts;
    opts.arithmetic = arithmetic;
    Interpreter interp(std::make_shared<const Model>(loaded), opts);
    for (size_t k = 0; k < inputs.size(); ++k) interp.setInput(k, inputs[k].data(), inputs[k].size());
    interp.invoke();
    const RuntimeTensor& o = interp.output(0);
    TensorComparison cmp = compareTensors(dtypeLowerName(c.output.type), quantized, expected,
                                          std::vector<uint8_t>(o.raw(), o.raw() + o.bytes()), c.float_tolerance);
    (arithmetic == Arithmetic::Deployed ? outcome.deployed : outcome.reference) = cmp;
  }
  std::filesystem::remove_all(dir);
  return outcome;
}

// --- hand-computed cases ------------------------------------------------------------------------------------

template <typename T>
std::vector<T> runBinary(const std::string& op, const TensorSpec& a, const TensorSpec& b, const TensorSpec& out,
                         const std::vector<T>& av, const std::vector<T>& bv, const nlohmann::json& options = {},
                         Arithmetic arithmetic = Arithmetic::Deployed) {
  static const std::map<std::string, std::string> kTables = {
      {"ADD", "AddOptions"}, {"SUB", "SubOptions"}, {"MUL", "MulOptions"}, {"DIV", "DivOptions"},
      {"SQUARED_DIFFERENCE", "SquaredDifferenceOptions"}, {"MINIMUM", "MaximumMinimumOptions"},
      {"MAXIMUM", "MaximumMinimumOptions"}};
  OpModel m;
  int ia = m.input(a);
  int ib = m.input(b);
  int io = m.output(out);
  m.op(op, {ia, ib}, {io}, kTables.at(op), options.is_null() ? nlohmann::json::object() : options);
  m.interpreter(arithmetic);
  m.setInput<T>(0, av);
  m.setInput<T>(1, bv);
  m.invoke();
  return m.output<T>(0);
}

TEST(BinaryKernels, FloatOpsBroadcastOverSixDimensions) {
  TensorSpec a{DType::Float32, {2, 1, 1, 1, 1, 3}};
  TensorSpec b{DType::Float32, {1, 1, 1, 1, 2, 1}};
  TensorSpec out{DType::Float32, {2, 1, 1, 1, 2, 3}};
  std::vector<float> av{1, 2, 3, 4, 5, 6}, bv{10, -2};
  EXPECT_EQ(runBinary<float>("ADD", a, b, out, av, bv),
            (std::vector<float>{11, 12, 13, -1, 0, 1, 14, 15, 16, 2, 3, 4}));
  EXPECT_EQ(runBinary<float>("SUB", a, b, out, av, bv),
            (std::vector<float>{-9, -8, -7, 3, 4, 5, -6, -5, -4, 6, 7, 8}));
  EXPECT_EQ(runBinary<float>("MUL", a, b, out, av, bv),
            (std::vector<float>{10, 20, 30, -2, -4, -6, 40, 50, 60, -8, -10, -12}));
  EXPECT_EQ(runBinary<float>("MAXIMUM", a, b, out, av, bv),
            (std::vector<float>{10, 10, 10, 1, 2, 3, 10, 10, 10, 4, 5, 6}));
  EXPECT_EQ(runBinary<float>("MINIMUM", a, b, out, av, bv),
            (std::vector<float>{1, 2, 3, -2, -2, -2, 4, 5, 6, -2, -2, -2}));
  EXPECT_EQ(runBinary<float>("SQUARED_DIFFERENCE", a, b, out, av, bv),
            (std::vector<float>{81, 64, 49, 9, 16, 25, 36, 25, 16, 36, 49, 64}));
  EXPECT_EQ(runBinary<float>("DIV", a, b, out, av, bv),
            (std::vector<float>{0.1f, 0.2f, 0.3f, -0.5f, -1, -1.5f, 0.4f, 0.5f, 0.6f, -2, -2.5f, -3}));
}

TEST(BinaryKernels, FloatFusedActivationsClamp) {
  TensorSpec s{DType::Float32, {4}};
  std::vector<float> av{-3, 0.5f, 2, 9}, bv{0, 0, 0, 0};
  EXPECT_EQ(runBinary<float>("ADD", s, s, s, av, bv, {{"fused_activation_function", "RELU6"}}),
            (std::vector<float>{0, 0.5f, 2, 6}));
  EXPECT_EQ(runBinary<float>("SUB", s, s, s, av, bv, {{"fused_activation_function", "RELU_N1_TO_1"}}),
            (std::vector<float>{-1, 0.5f, 1, 1}));
  EXPECT_EQ(
      runBinary<float>("MUL", s, s, s, av, std::vector<float>{1, 1, 1, 1}, {{"fused_activation_function", "RELU"}}),
      (std::vector<float>{0, 0.5f, 2, 9}));
}

TEST(BinaryKernels, IntegerOpsWithActivationAndWrapAround) {
  TensorSpec s{DType::Int32, {4}};
  std::vector<int32_t> av{-7, 7, 2147483647, 9}, bv{2, 2, 1, -4};
  EXPECT_EQ(runBinary<int32_t>("ADD", s, s, s, av, bv), (std::vector<int32_t>{-5, 9, -2147483647 - 1, 5}));
  EXPECT_EQ(runBinary<int32_t>("ADD", s, s, s, av, bv, {{"fused_activation_function", "RELU6"}}),
            (std::vector<int32_t>{0, 6, 0, 5}));
  EXPECT_EQ(runBinary<int32_t>("DIV", s, s, s, av, bv), (std::vector<int32_t>{-3, 3, 2147483647, -2}));
  EXPECT_EQ(runBinary<int32_t>("SQUARED_DIFFERENCE", s, s, s, std::vector<int32_t>{-7, 7, 0, 9}, bv),
            (std::vector<int32_t>{81, 25, 1, 169}));
  TensorSpec l{DType::Int64, {2}};
  EXPECT_EQ(runBinary<int64_t>("MUL", l, l, l, std::vector<int64_t>{int64_t{1} << 40, -3},
                               std::vector<int64_t>{4, 5}),
            (std::vector<int64_t>{int64_t{1} << 42, -15}));
  EXPECT_EQ(runBinary<int64_t>("MAXIMUM", l, l, l, std::vector<int64_t>{int64_t{1} << 40, -3},
                               std::vector<int64_t>{4, 5}),
            (std::vector<int64_t>{int64_t{1} << 40, 5}));
}

TEST(BinaryKernels, IntegerDivisionByZeroIsAnError) {
  TensorSpec s{DType::Int32, {2}};
  EXPECT_ANY_THROW(runBinary<int32_t>("DIV", s, s, s, std::vector<int32_t>{1, 2}, std::vector<int32_t>{1, 0}));
}

TEST(BinaryKernels, QuantizedAddNonZeroZeroPointsBothArithmetics) {
  // a = 0.5 (q - 3), b = 0.25 (q + 4), out = 0.4 (q - 10). 9 -> 3, 12 -> 4: 7 / 0.4 = 17.5 -> 18 (+10).
  for (Arithmetic arithmetic : {Arithmetic::Deployed, Arithmetic::Reference}) {
    auto out = runBinary<int8_t>("ADD", {DType::Int8, {3}, {0.5f}, {3}}, {DType::Int8, {3}, {0.25f}, {-4}},
                                 {DType::Int8, {3}, {0.4f}, {10}}, {9, 3, -128}, {12, -4, -128}, {}, arithmetic);
    EXPECT_EQ(out, (std::vector<int8_t>{28, 10, -128})) << (arithmetic == Arithmetic::Deployed ? "deployed" : "ref");
  }
}

// An output scale far finer than the inputs' makes ADD's output multiplier 1 or more, which TFLite's reference ADD
// shifts by a negative amount (undefined; the run fuzzer's finding). It now multiplies with saturation: 10 and -10
// at a step of 1e-7 saturate the int8 output.
TEST(BinaryKernels, QuantizedAddIntoAFarFinerOutputSaturates) {
  auto out = runBinary<int8_t>("ADD", {DType::Int8, {2}, {1.f}, {0}}, {DType::Int8, {2}, {1.f}, {0}},
                               {DType::Int8, {2}, {1e-7f}, {0}}, {4, -4}, {6, -6}, {}, Arithmetic::Reference);
  EXPECT_EQ(out, (std::vector<int8_t>{127, -128}));
}

TEST(BinaryKernels, QuantizedSubBroadcastsAndFusesRelu) {
  for (Arithmetic arithmetic : {Arithmetic::Deployed, Arithmetic::Reference}) {
    auto out = runBinary<uint8_t>("SUB", {DType::UInt8, {2, 2}, {0.1f}, {128}}, {DType::UInt8, {1, 2}, {0.1f}, {128}},
                                  {DType::UInt8, {2, 2}, {0.2f}, {0}}, {138, 148, 118, 255}, {128, 138},
                                  {{"fused_activation_function", "RELU"}}, arithmetic);
    // (1 - 0), (2 - 1), (-1 - 0) -> relu 0, (12.7 - 1) / 0.2 = 58.5: XNNPACK rounds the tie up (+0.5 bias),
    // TFLite's double rounding too.
    EXPECT_EQ(out, (std::vector<uint8_t>{5, 5, 0, 59}));
  }
}

TEST(BinaryKernels, QuantizedAddArithmeticsDifferOnNegativeTies) {
  // (1 + 2) / 2 = 1.5 and (-1 - 2) / 2 = -1.5. XNNPACK adds 2^(shift-1) and shifts arithmetically: 2 and -1.
  // TFLite's rescaling rounds the negative tie away from zero: 2 and -2.
  TensorSpec a{DType::Int8, {2}, {1.f}, {0}}, o{DType::Int8, {2}, {2.f}, {0}};
  EXPECT_EQ(runBinary<int8_t>("ADD", a, a, o, {1, -1}, {2, -2}, {}, Arithmetic::Deployed),
            (std::vector<int8_t>{2, -1}));
  EXPECT_EQ(runBinary<int8_t>("ADD", a, a, o, {1, -1}, {2, -2}, {}, Arithmetic::Reference),
            (std::vector<int8_t>{2, -2}));
}

TEST(BinaryKernels, QuantizedMulRoundsTiesDifferentlyPerArithmetic) {
  // a * b = +-5 on scale 1, out scale 2: +-2.5. XNNPACK rounds half to even (2, -2); TFLite's doubling high
  // multiply nudges ties upward (3, -2).
  TensorSpec s{DType::Int8, {2}, {1.f}, {0}}, o{DType::Int8, {2}, {2.f}, {0}};
  EXPECT_EQ(runBinary<int8_t>("MUL", s, s, o, {5, -5}, {1, 1}, {}, Arithmetic::Deployed),
            (std::vector<int8_t>{2, -2}));
  EXPECT_EQ(runBinary<int8_t>("MUL", s, s, o, {5, -5}, {1, 1}, {}, Arithmetic::Reference),
            (std::vector<int8_t>{3, -2}));
}

TEST(BinaryKernels, QuantizedMulSaturatesAndClampsToRelu6) {
  for (Arithmetic arithmetic : {Arithmetic::Deployed, Arithmetic::Reference}) {
    auto out = runBinary<int8_t>("MUL", {DType::Int8, {3}, {0.5f}, {0}}, {DType::Int8, {3}, {0.5f}, {0}},
                                 {DType::Int8, {3}, {0.1f}, {-128}}, {127, 4, -10}, {127, 4, 10},
                                 {{"fused_activation_function", "RELU6"}}, arithmetic);
    // 63.5^2 -> relu6 6 (q -68); 2 * 2 = 4 -> 40 steps (q -88); -25 -> relu 0 (q -128).
    EXPECT_EQ(out, (std::vector<int8_t>{-68, -88, -128}));
  }
}

TEST(BinaryKernels, Int16AddGeneralScaleAndPowerOfTwo) {
  // General scales: left shift 15, TFLite's rescaling. 1000 * 0.001 + 2000 * 0.002 = 5 on scale 0.003 -> 1667.
  auto general = runBinary<int16_t>("ADD", {DType::Int16, {2}, {0.001f}, {0}}, {DType::Int16, {2}, {0.002f}, {0}},
                                    {DType::Int16, {2}, {0.003f}, {0}}, {1000, -32768}, {2000, -32768});
  EXPECT_EQ(general, (std::vector<int16_t>{1667, -32768}));
  // Power-of-two scales (the LSTM case): the input on the finer scale is shifted right with rounding and the
  // sum saturates.
  auto pot = runBinary<int16_t>("ADD", {DType::Int16, {3}, {1.f / 4096}, {0}}, {DType::Int16, {3}, {1.f / 1024}, {0}},
                                {DType::Int16, {3}, {1.f / 1024}, {0}}, {6, -6, 32767}, {100, 100, 32767});
  EXPECT_EQ(pot, (std::vector<int16_t>{102, 98, 32767}));
}

TEST(BinaryKernels, Int16SubPowerOfTwoAndMul) {
  auto sub = runBinary<int16_t>("SUB", {DType::Int16, {2}, {1.f / 1024}, {0}}, {DType::Int16, {2}, {1.f / 4096}, {0}},
                                {DType::Int16, {2}, {1.f / 1024}, {0}}, {100, -32768}, {6, 32767});
  EXPECT_EQ(sub, (std::vector<int16_t>{98, -32768}));
  // 0.5 * 0.25 on scale 1/32768 each: 16384 * 8192 * 2^-15 = 4096 on the output scale 1/32768.
  auto mul = runBinary<int16_t>("MUL", {DType::Int16, {2}, {1.f / 32768}, {0}}, {DType::Int16, {2}, {1.f / 32768}, {0}},
                                {DType::Int16, {2}, {1.f / 32768}, {0}}, {16384, -32768}, {8192, -32768});
  EXPECT_EQ(mul, (std::vector<int16_t>{4096, 32767}));
}

TEST(BinaryKernels, QuantizedMinimumMaximumCompareRawValues) {
  TensorSpec s{DType::Int8, {3}, {0.5f}, {-3}};
  EXPECT_EQ(runBinary<int8_t>("MAXIMUM", s, s, s, {-128, 5, 127}, {0, 6, -1}), (std::vector<int8_t>{0, 6, 127}));
  EXPECT_EQ(runBinary<int8_t>("MINIMUM", s, s, s, {-128, 5, 127}, {0, 6, -1}), (std::vector<int8_t>{-128, 5, -1}));
}

TEST(BinaryKernels, QuantizedDivAndSquaredDifference) {
  // 3.0 / 1.5 = 2 on scale 0.1 -> 20; -3.0 / 1.5 = -2 -> -20 (+5).
  auto div = runBinary<int8_t>("DIV", {DType::Int8, {2}, {0.1f}, {0}}, {DType::Int8, {2}, {0.05f}, {2}},
                               {DType::Int8, {2}, {0.1f}, {5}}, {30, -30}, {32, 32});
  EXPECT_EQ(div, (std::vector<int8_t>{25, -15}));
  auto sq = runBinary<int8_t>("SQUARED_DIFFERENCE", {DType::Int8, {2}, {0.5f}, {0}}, {DType::Int8, {2}, {0.5f}, {0}},
                              {DType::Int8, {2}, {0.25f}, {-128}}, {6, -128}, {2, 127});
  EXPECT_EQ(sq, (std::vector<int8_t>{-112, 127}));  // (3 - 1)^2 = 4 -> 16; saturates
}

TEST(BinaryKernels, ShapesThatDoNotBroadcastAreInvalid) {
  EXPECT_ANY_THROW(runBinary<float>("ADD", {DType::Float32, {2}}, {DType::Float32, {3}}, {DType::Float32, {3}},
                                    std::vector<float>{1, 2}, std::vector<float>{1, 2, 3}));
}

// --- one-op models against the real runtime ------------------------------------------------------------------

void reportOracle(const std::string& what, const OracleOutcome& o) {
  std::cout << "  " << what << ": deployed " << (o.deployed.ok ? "matches" : "DIFFERS") << " ("
            << o.deployed.exact_fraction * 100 << "% exact, max diff " << o.deployed.max_abs_diff << "); reference "
            << o.reference.exact_fraction * 100 << "% exact, max diff " << o.reference.max_abs_diff << "\n";
  EXPECT_TRUE(o.deployed.ok) << what << ": " << o.deployed.detail;
}

OneOpCase binaryCase(const std::string& op, const TensorSpec& a, const TensorSpec& b, const TensorSpec& out,
                     const nlohmann::json& options = nlohmann::json::object()) {
  static const std::map<std::string, std::string> kTables = {
      {"ADD", "AddOptions"}, {"SUB", "SubOptions"}, {"MUL", "MulOptions"}, {"DIV", "DivOptions"},
      {"SQUARED_DIFFERENCE", "SquaredDifferenceOptions"}, {"MINIMUM", "MaximumMinimumOptions"},
      {"MAXIMUM", "MaximumMinimumOptions"}};
  OneOpCase c;
  c.op = op;
  c.options_table = kTables.at(op);
  c.options = options;
  c.inputs = {{a, {}}, {b, {}}};
  c.output = out;
  return c;
}

// Divisors away from the zero point, so that integer DIV has no division by zero.
std::function<void(size_t, std::vector<uint8_t>&)> nonZeroDivisor(DType type, int32_t zero_point) {
  return [type, zero_point](size_t input, std::vector<uint8_t>& bytes) {
    if (input != 1) return;
    if (type == DType::Int32) {
      for (size_t k = 0; k < bytes.size(); k += 4) {
        int32_t v = static_cast<int32_t>(bytes[k] % 200) - 100;
        if (v == 0) v = 7;
        std::memcpy(&bytes[k], &v, 4);
      }
      return;
    }
    for (auto& b : bytes) {
      const int32_t v = type == DType::Int8 ? static_cast<int8_t>(b) : b;
      if (v == zero_point) b = static_cast<uint8_t>(b + 1);
    }
  };
}

TEST(BinaryKernels, QuantizedAndIntegerOpsMatchTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(7);
  const TensorSpec i8a{DType::Int8, {2, 3, 8}, {0.05f}, {-3}}, i8b{DType::Int8, {8}, {0.08f}, {10}};
  const TensorSpec i8o{DType::Int8, {2, 3, 8}, {0.1f}, {2}};
  const TensorSpec u8a{DType::UInt8, {2, 1, 8}, {0.03f}, {128}}, u8b{DType::UInt8, {1, 4, 8}, {0.02f}, {100}};
  const TensorSpec u8o{DType::UInt8, {2, 4, 8}, {0.04f}, {120}};
  struct Named {
    std::string what;
    OneOpCase c;
  };
  std::vector<Named> cases = {
      {"ADD int8 broadcast", binaryCase("ADD", i8a, i8b, i8o)},
      {"ADD int8 relu", binaryCase("ADD", i8a, i8b, i8o, {{"fused_activation_function", "RELU"}})},
      {"ADD uint8 broadcast relu6", binaryCase("ADD", u8a, u8b, u8o, {{"fused_activation_function", "RELU6"}})},
      {"ADD int8 beyond XNNPACK's scale ratio",
       binaryCase("ADD", {DType::Int8, {64}, {0.5f}, {0}}, {DType::Int8, {64}, {0.001f}, {3}},
                  {DType::Int8, {64}, {0.0015f}, {-1}})},
      {"SUB int8 relu6", binaryCase("SUB", i8a, i8b, i8o, {{"fused_activation_function", "RELU6"}})},
      {"SUB uint8 broadcast", binaryCase("SUB", u8a, u8b, u8o)},
      {"MUL int8 broadcast", binaryCase("MUL", i8a, i8b, {DType::Int8, {2, 3, 8}, {0.02f}, {-5}})},
      {"MUL uint8 broadcast relu", binaryCase("MUL", u8a, u8b, u8o, {{"fused_activation_function", "RELU"}})},
      {"MUL int8 below XNNPACK's scale ratio",
       binaryCase("MUL", {DType::Int8, {64}, {0.001f}, {0}}, {DType::Int8, {64}, {0.001f}, {4}},
                  {DType::Int8, {64}, {0.5f}, {0}})},
      {"ADD int16 general scales",
       binaryCase("ADD", {DType::Int16, {4, 16}, {0.0007f}, {0}}, {DType::Int16, {16}, {0.0003f}, {0}},
                  {DType::Int16, {4, 16}, {0.001f}, {0}})},
      {"ADD int16 power-of-two scales",
       binaryCase("ADD", {DType::Int16, {64}, {1.f / 4096}, {0}}, {DType::Int16, {64}, {1.f / 1024}, {0}},
                  {DType::Int16, {64}, {1.f / 1024}, {0}})},
      {"SUB int16 general scales",
       binaryCase("SUB", {DType::Int16, {64}, {0.0007f}, {0}}, {DType::Int16, {64}, {0.0003f}, {0}},
                  {DType::Int16, {64}, {0.001f}, {0}})},
      {"MUL int16", binaryCase("MUL", {DType::Int16, {4, 16}, {0.0007f}, {0}}, {DType::Int16, {16}, {0.0003f}, {0}},
                               {DType::Int16, {4, 16}, {0.00002f}, {0}})},
      {"MAXIMUM int8 broadcast",
       binaryCase("MAXIMUM", i8a, {DType::Int8, {8}, {0.05f}, {-3}}, {DType::Int8, {2, 3, 8}, {0.05f}, {-3}})},
      {"MINIMUM uint8", binaryCase("MINIMUM", u8a, {DType::UInt8, {2, 1, 8}, {0.03f}, {128}},
                                   {DType::UInt8, {2, 1, 8}, {0.03f}, {128}})},
      {"SQUARED_DIFFERENCE int8",
       binaryCase("SQUARED_DIFFERENCE", i8a, i8b, {DType::Int8, {2, 3, 8}, {0.05f}, {-128}})},
      {"ADD int32 broadcast", binaryCase("ADD", {DType::Int32, {3, 8}}, {DType::Int32, {8}}, {DType::Int32, {3, 8}})},
      {"MUL int32", binaryCase("MUL", {DType::Int32, {3, 8}}, {DType::Int32, {3, 8}}, {DType::Int32, {3, 8}})},
      {"SUB int32 relu6", binaryCase("SUB", {DType::Int32, {24}}, {DType::Int32, {24}}, {DType::Int32, {24}},
                                     {{"fused_activation_function", "RELU6"}})},
      {"MAXIMUM int32", binaryCase("MAXIMUM", {DType::Int32, {24}}, {DType::Int32, {24}}, {DType::Int32, {24}})},
  };
  {
    OneOpCase c = binaryCase("DIV", {DType::UInt8, {64}, {0.05f}, {10}}, {DType::UInt8, {64}, {0.02f}, {128}},
                             {DType::UInt8, {64}, {0.3f}, {128}});
    c.adjust = nonZeroDivisor(DType::UInt8, 128);
    cases.push_back({"DIV uint8", c});
  }
  {
    OneOpCase c = binaryCase("DIV", {DType::Int32, {32}}, {DType::Int32, {32}}, {DType::Int32, {32}});
    c.adjust = nonZeroDivisor(DType::Int32, 0);
    cases.push_back({"DIV int32", c});
  }
  for (const char* op : {"ADD", "SUB", "MUL", "DIV", "SQUARED_DIFFERENCE", "MINIMUM", "MAXIMUM"}) {
    OneOpCase c = binaryCase(op, {DType::Float32, {2, 3, 8}}, {DType::Float32, {3, 1}}, {DType::Float32, {2, 3, 8}});
    if (std::string(op) == "ADD") c.options = {{"fused_activation_function", "RELU6"}};
    cases.push_back({std::string(op) + " float broadcast", c});
  }
  for (const Named& n : cases) reportOracle(n.what, runOneOpAgainstOracle(n.c, rng));
}

OneOpCase unaryCase(const std::string& op, const TensorSpec& in, const TensorSpec& out,
                    const std::string& options_table = {}, const nlohmann::json& options = nlohmann::json::object()) {
  OneOpCase c;
  c.op = op;
  c.options_table = options_table;
  c.options = options;
  c.inputs = {{in, {}}};
  c.output = out;
  return c;
}

// Random int8 inputs at or above the zero point (for LOG, SQRT, RSQRT).
std::function<void(size_t, std::vector<uint8_t>&)> nonNegativeInt8(int32_t zero_point) {
  return [zero_point](size_t, std::vector<uint8_t>& bytes) {
    for (auto& b : bytes) b = static_cast<uint8_t>(static_cast<int8_t>(zero_point + b % (128 - zero_point)));
  };
}

// The 256 int8 values in order, whatever the random bytes were.
void everyInt8Value(size_t, std::vector<uint8_t>& bytes) {
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i);
}

void runCases(const std::vector<std::pair<std::string, OneOpCase>>& cases, std::mt19937& rng) {
  for (const auto& [what, c] : cases) {
    try {
      reportOracle(what, runOneOpAgainstOracle(c, rng));
    } catch (const std::runtime_error& e) {
      // Ops or types newer than the oracle's TFLite build: nothing to compare with.
      std::cout << "  " << what << ": the real runtime refuses it (" << std::string(e.what()).substr(0, 160) << ")\n";
    }
  }
}

TEST(ActivationKernels, MatchTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(8);
  const std::vector<int32_t> shape{2, 5, 16};
  const TensorSpec i8{DType::Int8, shape, {0.06f}, {5}}, u8{DType::UInt8, shape, {0.05f}, {120}};
  const TensorSpec i16{DType::Int16, shape, {0.0005f}, {0}}, f32{DType::Float32, shape};
  std::vector<std::pair<std::string, OneOpCase>> cases = {
      {"RELU int8 rescaled", unaryCase("RELU", i8, {DType::Int8, shape, {0.03f}, {-128}})},
      {"RELU6 uint8", unaryCase("RELU6", u8, {DType::UInt8, shape, {0.025f}, {0}})},
      {"RELU_N1_TO_1 int8", unaryCase("RELU_N1_TO_1", i8, {DType::Int8, shape, {0.01f}, {0}})},
      {"RELU int16", unaryCase("RELU", i16, {DType::Int16, shape, {0.0004f}, {0}})},
      {"LEAKY_RELU int8", unaryCase("LEAKY_RELU", i8, {DType::Int8, shape, {0.05f}, {-20}}, "LeakyReluOptions",
                                    {{"alpha", 0.1}})},
      {"LEAKY_RELU uint8", unaryCase("LEAKY_RELU", u8, {DType::UInt8, shape, {0.04f}, {90}}, "LeakyReluOptions",
                                     {{"alpha", 0.3}})},
      {"LEAKY_RELU int16", unaryCase("LEAKY_RELU", i16, {DType::Int16, shape, {0.0004f}, {0}}, "LeakyReluOptions",
                                     {{"alpha", 0.2}})},
      {"LOGISTIC int8", unaryCase("LOGISTIC", i8, {DType::Int8, shape, {1.f / 256}, {-128}})},
      {"LOGISTIC int8 coarse input", unaryCase("LOGISTIC", {DType::Int8, shape, {0.17f}, {-7}},
                                               {DType::Int8, shape, {1.f / 256}, {-128}})},
      {"LOGISTIC uint8", unaryCase("LOGISTIC", u8, {DType::UInt8, shape, {1.f / 256}, {0}})},
      {"LOGISTIC int16 power-of-two", unaryCase("LOGISTIC", {DType::Int16, shape, {1.f / 4096}, {0}},
                                                {DType::Int16, shape, {1.f / 32768}, {0}})},
      {"LOGISTIC int16 general", unaryCase("LOGISTIC", i16, {DType::Int16, shape, {1.f / 32768}, {0}})},
      {"TANH int8", unaryCase("TANH", i8, {DType::Int8, shape, {1.f / 128}, {0}})},
      {"TANH uint8", unaryCase("TANH", u8, {DType::UInt8, shape, {1.f / 128}, {128}})},
      {"TANH int16 power-of-two", unaryCase("TANH", {DType::Int16, shape, {1.f / 4096}, {0}},
                                            {DType::Int16, shape, {1.f / 32768}, {0}})},
      {"TANH int16 general", unaryCase("TANH", i16, {DType::Int16, shape, {1.f / 32768}, {0}})},
      {"HARD_SWISH int8", unaryCase("HARD_SWISH", i8, {DType::Int8, shape, {0.04f}, {-60}})},
      {"HARD_SWISH uint8", unaryCase("HARD_SWISH", u8, {DType::UInt8, shape, {0.03f}, {20}})},
  };
  for (const char* op : {"RELU", "RELU6", "RELU_N1_TO_1", "LOGISTIC", "TANH", "HARD_SWISH"})
    cases.push_back({std::string(op) + " float", unaryCase(op, f32, f32)});
  cases.push_back({"LEAKY_RELU float", unaryCase("LEAKY_RELU", f32, f32, "LeakyReluOptions", {{"alpha", 0.25}})});
  // PRELU with a per-channel alpha constant broadcast over the last axis.
  auto prelu = [&](DType type, const TensorSpec& in, const TensorSpec& alpha_spec, const TensorSpec& out) {
    std::vector<uint8_t> alpha(16 * dtypeSize(type));
    for (size_t k = 0; k < alpha.size(); ++k) alpha[k] = static_cast<uint8_t>(rng());
    if (type == DType::Float32)
      for (size_t k = 0; k < 16; ++k) {
        const float v = 0.05f * static_cast<float>(k) - 0.3f;
        std::memcpy(&alpha[k * 4], &v, 4);
      }
    OneOpCase c = unaryCase("PRELU", in, out);
    c.inputs.push_back({alpha_spec, alpha});
    return c;
  };
  {
    // An input scale where XNNPACK's table (double exp, half to even) and TFLite's (expf, half away) differ in
    // two entries: which one the runtime builds shows in those.
    OneOpCase c = unaryCase("LOGISTIC", {DType::Int8, {256}, {0x1.c919a4p-8f}, {15}},
                            {DType::Int8, {256}, {1.f / 256}, {-128}});
    c.adjust = everyInt8Value;
    cases.push_back({"LOGISTIC int8, every input, tables differ", c});
    // The 2022 build (tfjs-tflite) has XNNPACK's older table (sigmoid in float, lrintf(y / s) + Z): it differs
    // from the current one in one of these entries, within the one-step bar.
    c.runner = "tfjs";
    cases.push_back({"LOGISTIC int8, every input, tables differ (tfjs-tflite)", c});
  }
  cases.push_back({"PRELU float", prelu(DType::Float32, f32, {DType::Float32, {16}}, f32)});
  cases.push_back({"PRELU int8", prelu(DType::Int8, i8, {DType::Int8, {16}, {0.004f}, {3}},
                                       {DType::Int8, shape, {0.05f}, {-10}})});
  cases.push_back({"PRELU uint8", prelu(DType::UInt8, u8, {DType::UInt8, {16}, {0.003f}, {128}},
                                        {DType::UInt8, shape, {0.04f}, {100}})});
  runCases(cases, rng);
}

TEST(UnaryKernels, MatchTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(9);
  const std::vector<int32_t> shape{3, 32};
  const TensorSpec i8{DType::Int8, shape, {0.05f}, {-4}}, f32{DType::Float32, shape};
  std::vector<std::pair<std::string, OneOpCase>> cases = {
      {"ABS int8 rescaled", unaryCase("ABS", i8, {DType::Int8, shape, {0.03f}, {-128}})},
      {"ABS int8 same scale", unaryCase("ABS", i8, {DType::Int8, shape, {0.05f}, {-4}})},
      {"ABS int16", unaryCase("ABS", {DType::Int16, shape, {0.001f}, {0}}, {DType::Int16, shape, {0.0007f}, {0}})},
      {"ABS int32", unaryCase("ABS", {DType::Int32, shape}, {DType::Int32, shape})},
      {"NEG int8", unaryCase("NEG", i8, i8)},
      {"NEG int32", unaryCase("NEG", {DType::Int32, shape}, {DType::Int32, shape})},
      {"EXP int8", unaryCase("EXP", {DType::Int8, shape, {0.02f}, {0}}, {DType::Int8, shape, {0.06f}, {-128}})},
  };
  for (const char* op : {"ABS", "NEG", "EXP"}) cases.push_back({std::string(op) + " float", unaryCase(op, f32, f32)});
  for (const char* op : {"LOG", "SQRT", "RSQRT"}) {
    OneOpCase c = unaryCase(op, f32, f32);
    c.float_lo = 0.01f, c.float_hi = 8.0f;
    cases.push_back({std::string(op) + " float", c});
  }
  {
    OneOpCase c = unaryCase("LOG", {DType::Int8, shape, {0.05f}, {-100}}, {DType::Int8, shape, {0.03f}, {60}});
    c.adjust = nonNegativeInt8(-100);
    cases.push_back({"LOG int8", c});
  }
  {
    OneOpCase c = unaryCase("SQRT", {DType::Int8, shape, {0.05f}, {-100}}, {DType::Int8, shape, {0.02f}, {-128}});
    c.adjust = nonNegativeInt8(-100);
    cases.push_back({"SQRT int8", c});
  }
  {
    OneOpCase c = unaryCase("RSQRT", {DType::Int8, shape, {0.05f}, {-100}}, {DType::Int8, shape, {0.02f}, {-128}});
    c.adjust = nonNegativeInt8(-100);
    cases.push_back({"RSQRT int8", c});
  }
  runCases(cases, rng);
}

TEST(SoftmaxKernels, MatchTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(10);
  const std::vector<int32_t> shape{4, 3, 21};
  auto softmax = [](const TensorSpec& in, const TensorSpec& out, double beta) {
    return unaryCase("SOFTMAX", in, out, "SoftmaxOptions", {{"beta", beta}});
  };
  std::vector<std::pair<std::string, OneOpCase>> cases = {
      {"SOFTMAX int8", softmax({DType::Int8, shape, {0.1f}, {3}}, {DType::Int8, shape, {1.f / 256}, {-128}}, 1.0)},
      {"SOFTMAX int8 beta 0.5",
       softmax({DType::Int8, shape, {0.07f}, {-9}}, {DType::Int8, shape, {1.f / 256}, {-128}}, 0.5)},
      {"SOFTMAX uint8", softmax({DType::UInt8, shape, {0.08f}, {128}}, {DType::UInt8, shape, {1.f / 256}, {0}}, 1.0)},
      {"SOFTMAX int8 to int16",
       softmax({DType::Int8, shape, {0.1f}, {3}}, {DType::Int16, shape, {1.f / 65536}, {-32768}}, 1.0)},
      {"SOFTMAX int16",
       softmax({DType::Int16, shape, {0.0004f}, {0}}, {DType::Int16, shape, {1.f / 32768}, {0}}, 1.0)},
      {"SOFTMAX float", softmax({DType::Float32, shape}, {DType::Float32, shape}, 1.0)},
      {"SOFTMAX float beta 0.7", softmax({DType::Float32, shape}, {DType::Float32, shape}, 0.7)},
      {"LOG_SOFTMAX int8", unaryCase("LOG_SOFTMAX", {DType::Int8, shape, {0.1f}, {3}},
                                     {DType::Int8, shape, {16.f / 256}, {127}}, "LogSoftmaxOptions")},
      {"LOG_SOFTMAX uint8", unaryCase("LOG_SOFTMAX", {DType::UInt8, shape, {0.06f}, {128}},
                                      {DType::UInt8, shape, {16.f / 256}, {255}}, "LogSoftmaxOptions")},
      {"LOG_SOFTMAX float", unaryCase("LOG_SOFTMAX", {DType::Float32, shape}, {DType::Float32, shape},
                                      "LogSoftmaxOptions")},
  };
  {
    // Rows where TFLite's optimized kernel (float exp table) and its reference kernel (fixed point) round one
    // probability differently: the runtime's choice shows in them.
    OneOpCase c = softmax({DType::Int8, {7, 21}, {0.1f}, {3}}, {DType::Int8, {7, 21}, {1.f / 256}, {-128}}, 1.0);
    c.adjust = [](size_t, std::vector<uint8_t>& bytes) {
      static const int8_t kRows[7][21] = {
          {42, -62, 20, 107, -112, 58, 77, 42, 35, 75, -100, -22, 85, 34, -84, -22, -10, -36, -46, -120, 30},
          {-104, 84, 102, 37, 50, -65, -6, 16, -105, -92, 38, -24, 15, -32, -8, 38, 5, 87, 66, 106, -108},
          {-97, 49, 33, 79, 10, -42, -56, 116, 28, 9, 48, -49, 63, 105, -13, -98, -36, 23, 106, 55, -69},
          {-19, -7, 124, 37, 21, 78, -66, -51, -85, -61, -45, 23, -7, -71, -32, -69, 42, -59, -82, 92, -66},
          {108, 108, -122, -103, -36, -64, 96, -102, -68, -118, -48, -101, 8, 53, 116, -127, -60, -6, -65, 15, -116},
          {49, -3, -122, 40, -14, -53, -46, 40, -81, 59, -31, 67, -58, -111, 93, 25, -33, -16, 54, 54, -116},
          {-126, -14, -37, 37, -81, -96, 88, 30, 118, -82, -28, 92, 58, 101, 79, -86, 88, 4, -70, 14, 37}};
      std::memcpy(bytes.data(), kRows, sizeof(kRows));
    };
    cases.push_back({"SOFTMAX int8, rows where the two kernels differ", c});
  }
  runCases(cases, rng);
}

// --- golden models: each op of these families cut out and fed the real runtime's inputs ----------------------

const std::set<std::string>& familyOps() {
  static const std::set<std::string> ops = {
      "ADD",  "SUB",  "MUL", "DIV", "SQUARED_DIFFERENCE", "MINIMUM", "MAXIMUM",    "RSQRT",     "SQRT",
      "EXP",  "LOG",  "ABS", "NEG", "RELU",               "RELU6",   "RELU_N1_TO_1", "LEAKY_RELU", "PRELU",
      "LOGISTIC", "TANH", "HARD_SWISH", "SOFTMAX", "LOG_SOFTMAX"};
  return ops;
}

// A tensor the golden left out because it follows from the file alone: the float32 output of DEQUANTIZE of a
// float16 constant.
bool constantDerivedValue(const Model& model, int tensor, std::vector<uint8_t>* bytes) {
  const Subgraph& sg = model.subgraphs[0];
  for (const Op& op : sg.ops) {
    if (op.outputs.empty() || op.outputs[0] != tensor || model.opName(op) != "DEQUANTIZE") continue;
    const Tensor& in = sg.tensors[static_cast<size_t>(op.inputs.at(0))];
    const Bytes& data = model.dataOf(in);
    if (in.type != DType::Float16 || data.empty()) return false;
    bytes->resize(data.size * 2);
    for (size_t i = 0; i < data.size / 2; ++i) {
      uint16_t h;
      std::memcpy(&h, data.data + 2 * i, 2);
      float f = halfToFloat(h);
      std::memcpy(bytes->data() + 4 * i, &f, 4);
    }
    return true;
  }
  return false;
}

struct Tally {
  int tensors = 0, pass = 0, exact = 0;
  double worst = 0;
};

struct OpKey {
  std::string op, dtype;
  bool operator<(const OpKey& o) const { return std::tie(op, dtype) < std::tie(o.op, o.dtype); }
};

class ElementwiseGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ElementwiseGolden, EachFamilyOpInIsolationMatchesTheRealRuntime) {
  QL_REQUIRE_SHARED();
  Golden g = readGolden(GetParam());
  Model model = readModel(g.model_path);
  const Subgraph& sg = model.subgraphs[0];
  std::map<int, const GoldenTensor*> golden;
  for (const GoldenTensor& gt : g.tensors) golden[gt.index] = &gt;
  std::set<int> omitted;
  if (g.manifest.contains("omitted_for_size"))
    for (auto& v : g.manifest["omitted_for_size"])
      if (v.is_number_integer()) omitted.insert(v.get<int>());

  std::map<OpKey, Tally> deployed, reference;
  int not_fed = 0;
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const std::string name = model.opName(sg.ops[i]);
    if (!familyOps().count(name)) continue;
    IsolatedOp iso = isolateOp(model, static_cast<int>(i));
    std::vector<std::vector<uint8_t>> inputs;
    bool have_all = true;
    for (int src : iso.source_inputs) {
      auto it = golden.find(src);
      auto in = std::find(sg.inputs.begin(), sg.inputs.end(), src);
      std::vector<uint8_t> bytes;
      if (it != golden.end() && !omitted.count(src)) inputs.push_back(readBytes(it->second->file));
      else if (in != sg.inputs.end())
        inputs.push_back(readBytes(g.inputs[static_cast<size_t>(in - sg.inputs.begin())]));
      else if (constantDerivedValue(model, src, &bytes)) inputs.push_back(bytes);
      else have_all = false;
    }
    bool have_outputs = true;
    for (int src : iso.source_outputs) have_outputs = have_outputs && golden.count(src) && !omitted.count(src);
    if (!have_all || !have_outputs) {
      ++not_fed;
      continue;
    }
    const Tensor& out_tensor = sg.tensors[static_cast<size_t>(iso.source_outputs[0])];
    OpKey key{name, dtypeName(out_tensor.type)};
    for (Arithmetic arithmetic : {Arithmetic::Deployed, Arithmetic::Reference}) {
      InterpreterOptions opts;
      opts.arithmetic = arithmetic;
      Interpreter interp(std::make_shared<const Model>(iso.model), opts);
      for (size_t k = 0; k < inputs.size(); ++k) {
        RuntimeTensor& t = interp.input(k);
        if (inputs[k].size() != t.bytes()) {
          const GoldenTensor* gt = golden[iso.source_inputs[k]];
          t.assign(std::vector<int32_t>(gt->shape.begin(), gt->shape.end()), inputs[k].data(), inputs[k].size());
        } else {
          interp.setInput(k, inputs[k].data(), inputs[k].size());
        }
      }
      interp.invoke();
      for (size_t k = 0; k < iso.source_outputs.size(); ++k) {
        const int src = iso.source_outputs[k];
        const GoldenTensor* gt = golden[src];
        const RuntimeTensor& out = interp.output(k);
        std::vector<uint8_t> actual(out.raw(), out.raw() + out.bytes());
        TensorComparison c = compareTensors(gt->dtype, isQuantizedTensor(sg.tensors[static_cast<size_t>(src)]),
                                            readBytes(gt->file), actual, floatTolerance(model));
        Tally& t = (arithmetic == Arithmetic::Deployed ? deployed : reference)[key];
        ++t.tensors;
        t.pass += c.ok;
        t.exact += c.exact_fraction == 1.0;
        t.worst = std::max(t.worst, c.max_abs_diff);
        if (arithmetic == Arithmetic::Deployed && !c.ok)
          ADD_FAILURE() << GetParam() << " op " << i << " (" << name << ") tensor " << src << ": " << c.detail;
      }
    }
  }
  std::ostringstream report;
  for (const auto& [key, t] : deployed) {
    const Tally& r = reference[key];
    report << "  " << GetParam() << " " << key.op << " " << key.dtype << ": " << t.pass << "/" << t.tensors
           << " match deployed (" << t.exact << " bit-exact, max diff " << t.worst << "); reference " << r.pass
           << "/" << r.tensors << " (" << r.exact << " bit-exact, max diff " << r.worst << ")\n";
  }
  if (not_fed) report << "  " << GetParam() << ": " << not_fed << " family ops not fed (golden lacks a tensor)\n";
  std::cout << report.str();
}

INSTANTIATE_TEST_SUITE_P(Golden, ElementwiseGolden, ::testing::ValuesIn(goldenNamesForParams()),
                         [](const auto& param_info) { return paramName(param_info.param); });

}  // namespace
}  // namespace ql::test
