// QUANTIZE, DEQUANTIZE and CAST on hand-computed cases (ties, saturation, NaN, both arithmetics, which requantizations
// XNNPACK takes) and on one-op models compared with the real runtime. The golden models' ops are checked op by op
// in pooling_test.cpp (FamilyGolden).
#include <cmath>
#include <cstring>
#include <iostream>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "model/tensor_values.h"
#include "support/op_model.h"
#include "support/tensor_compare.h"
#include "support/test_support.h"

namespace ql::test {

// Defined in pooling_test.cpp.
struct OracleProbe {
  TensorComparison deployed, reference;
  std::vector<uint8_t> oracle, ours_deployed, ours_reference;
};
OracleProbe probeAgainstOracle(OpModel& m, const std::string& oracle_dir, std::vector<std::vector<uint8_t>> inputs,
                               std::mt19937& rng);
std::vector<uint8_t> randomTensorBytes(DType type, const std::vector<int32_t>& shape, std::mt19937& rng,
                                       float lo = -4.f, float hi = 4.f);

namespace {

void buildUnary(OpModel& m, const std::string& op, const TensorSpec& in, const TensorSpec& out) {
  int i = m.input(in);
  int o = m.output(out);
  if (op == "CAST")
    m.op(op, {i}, {o}, "CastOptions", {{"in_data_type", dtypeName(in.type)}, {"out_data_type", dtypeName(out.type)}});
  else
    m.op(op, {i}, {o});
}

template <typename Out, typename In>
std::vector<Out> runUnary(const std::string& op, const TensorSpec& in, const TensorSpec& out, const std::vector<In>& x,
                          Arithmetic arithmetic = Arithmetic::Deployed) {
  OpModel m;
  buildUnary(m, op, in, out);
  m.interpreter(arithmetic);
  m.setInput<In>(0, x);
  m.invoke();
  return m.output<Out>(0);
}

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

// --- QUANTIZE -------------------------------------------------------------------------------------------------------

TEST(QuantizeKernels, FloatToInt8TiesDependOnTheArithmetic) {
  // scale 0.5, zp 1: 1.25 / 0.5 = 2.5, -1.25 -> -2.5, 0.75 -> 1.5.
  TensorSpec in{DType::Float32, {6}}, out{DType::Int8, {6}, {0.5f}, {1}};
  std::vector<float> x{1.25f, -1.25f, 0.75f, 1000.f, -1000.f, kNaN};
  // XNNPACK: half to even (2, -2, 2), saturation, NaN -> 127.
  EXPECT_EQ(runUnary<int8_t>("QUANTIZE", in, out, x), (std::vector<int8_t>{3, -1, 3, 127, -128, 127}));
  // TFLite: half away from zero (3, -3, 2); NaN -> the zero point.
  EXPECT_EQ(runUnary<int8_t>("QUANTIZE", in, out, x, Arithmetic::Reference),
            (std::vector<int8_t>{4, -2, 3, 127, -128, 1}));
}

TEST(QuantizeKernels, FloatToUInt8AndInt16) {
  TensorSpec in{DType::Float32, {4}};
  std::vector<float> x{0.f, 0.3f, -kInf, kInf};
  EXPECT_EQ(runUnary<uint8_t>("QUANTIZE", in, {DType::UInt8, {4}, {0.1f}, {128}}, x),
            (std::vector<uint8_t>{128, 131, 0, 255}));
  // int16 is TFLite's kernel in both arithmetics: 0.25 / 0.5 = 0.5 -> 1 (half away from zero).
  std::vector<float> y{0.25f, -0.25f, 20000.f, -20000.f};
  for (Arithmetic a : {Arithmetic::Deployed, Arithmetic::Reference})
    EXPECT_EQ(runUnary<int16_t>("QUANTIZE", in, {DType::Int16, {4}, {0.5f}, {0}}, y, a),
              (std::vector<int16_t>{1, -1, 32767, -32768}));
}

TEST(QuantizeKernels, FloatToPerChannelInt8) {
  // Two channels along the last axis, scales 0.5 and 0.25.
  TensorSpec in{DType::Float32, {2, 2}}, out{DType::Int8, {2, 2}, {0.5f, 0.25f}, {0, 2}, 1};
  EXPECT_EQ(runUnary<int8_t>("QUANTIZE", in, out, std::vector<float>{1.f, 1.f, -1.f, 0.125f}),
            (std::vector<int8_t>{2, 6, -2, 3}));  // 0.125 / 0.25 = 0.5 -> 1, + 2
}

TEST(QuantizeKernels, Int8RequantizeFollowsXnnpacksEightBitRatio) {
  // s_in / s_out = 0.3 / 0.7: XNNPACK's m = lrintf(256 * 0.428571) = 110, ((x - zp_in) * 110 + 128) >> 8.
  TensorSpec in{DType::Int8, {4}, {0.3f}, {-5}}, out{DType::Int8, {4}, {0.7f}, {3}};
  std::vector<int8_t> x{-5, 2, 100, -128};
  // x - zp = 0, 7, 105, -123: (0 + 128) >> 8 = 0; (770 + 128) >> 8 = 3; (11550 + 128) >> 8 = 45;
  // (-13530 + 128) >> 8 = -53 (floor).
  EXPECT_EQ(runUnary<int8_t>("QUANTIZE", in, out, x), (std::vector<int8_t>{3, 6, 48, -50}));
  // TFLite: round(x * 0.428571): 0, 3, 45, -52.71 -> -53.
  EXPECT_EQ(runUnary<int8_t>("QUANTIZE", in, out, x, Arithmetic::Reference), (std::vector<int8_t>{3, 6, 48, -50}));
}

TEST(QuantizeKernels, RatioOutsideXnnpacksRangeIsTflitesRequantize) {
  // s_in / s_out = 1/512 < 1/256: XNNPACK refuses it; TFLite's multiplier 2^30 with shift -8 rounds twice (x / 2
  // to nearest, then / 256 half away from zero): 255 -> 128 -> 0.5 -> 1, 200 -> 100 -> 0.39 -> 0.
  TensorSpec in{DType::UInt8, {3}, {1.f}, {0}}, out{DType::UInt8, {3}, {512.f}, {0}};
  EXPECT_EQ(runUnary<uint8_t>("QUANTIZE", in, out, std::vector<uint8_t>{255, 0, 200}),
            (std::vector<uint8_t>{1, 0, 0}));
  // int16 is TFLite's in both arithmetics: 256 -> 0.5 -> 1, -256 -> -1, 767 -> 384 -> 1.5 -> 2.
  TensorSpec in2{DType::Int16, {3}, {1.f}, {0}}, out2{DType::Int16, {3}, {512.f}, {0}};
  for (Arithmetic a : {Arithmetic::Deployed, Arithmetic::Reference})
    EXPECT_EQ(runUnary<int16_t>("QUANTIZE", in2, out2, std::vector<int16_t>{256, -256, 767}, a),
              (std::vector<int16_t>{1, -1, 2}));
}

TEST(QuantizeKernels, MixedSignednessRequantizes) {
  // int8 -> uint8 with the same scale and zero points -128 / 0: a shift by 128.
  TensorSpec in{DType::Int8, {3}, {0.1f}, {-128}}, out{DType::UInt8, {3}, {0.1f}, {0}};
  for (Arithmetic a : {Arithmetic::Deployed, Arithmetic::Reference})
    EXPECT_EQ(runUnary<uint8_t>("QUANTIZE", in, out, std::vector<int8_t>{-128, 0, 127}, a),
              (std::vector<uint8_t>{0, 128, 255}));
  TensorSpec back_in{DType::UInt8, {2}, {0.1f}, {0}}, back_out{DType::Int8, {2}, {0.2f}, {0}};
  EXPECT_EQ(runUnary<int8_t>("QUANTIZE", back_in, back_out, std::vector<uint8_t>{255, 3}),
            (std::vector<int8_t>{127, 2}));  // 127.5 -> 127 (saturated), 1.5 -> 2
}

// --- DEQUANTIZE -----------------------------------------------------------------------------------------------------

TEST(QuantizeKernels, DequantizeEveryInputType) {
  EXPECT_EQ(runUnary<float>("DEQUANTIZE", {DType::Int8, {3}, {0.5f}, {-1}}, {DType::Float32, {3}},
                            std::vector<int8_t>{-128, -1, 127}),
            (std::vector<float>{-63.5f, 0.f, 64.f}));
  EXPECT_EQ(runUnary<float>("DEQUANTIZE", {DType::UInt8, {2}, {0.25f}, {128}}, {DType::Float32, {2}},
                            std::vector<uint8_t>{0, 255}),
            (std::vector<float>{-32.f, 31.75f}));
  EXPECT_EQ(runUnary<float>("DEQUANTIZE", {DType::Int16, {2}, {0.001f}, {0}}, {DType::Float32, {2}},
                            std::vector<int16_t>{-32768, 1000}),
            (std::vector<float>{0.001f * -32768.f, 0.001f * 1000.f}));
  std::vector<uint16_t> halves{floatToHalf(1.5f), floatToHalf(-65504.f), 0x7c00 /* inf */, 0x0001 /* 2^-24 */};
  EXPECT_EQ(runUnary<float>("DEQUANTIZE", {DType::Float16, {4}}, {DType::Float32, {4}}, halves),
            (std::vector<float>{1.5f, -65504.f, kInf, std::ldexp(1.f, -24)}));
}

TEST(QuantizeKernels, DequantizePerChannel) {
  TensorSpec in{DType::Int8, {2, 2}, {0.5f, 2.f}, {0, 0}, 0};
  EXPECT_EQ(runUnary<float>("DEQUANTIZE", in, {DType::Float32, {2, 2}}, std::vector<int8_t>{2, 4, 2, 4}),
            (std::vector<float>{1, 2, 4, 8}));
}

// --- CAST -----------------------------------------------------------------------------------------------------------

TEST(QuantizeKernels, CastFloatToIntegersTruncates) {
  std::vector<float> x{2.7f, -2.7f, 300.f, -300.f, kNaN, 1e10f};
  // int32 saturates, NaN to the maximum.
  EXPECT_EQ(runUnary<int32_t>("CAST", {DType::Float32, {6}}, {DType::Int32, {6}}, x),
            (std::vector<int32_t>{2, -2, 300, -300, INT32_MAX, INT32_MAX}));
  // uint8 and int16 clamp to their range first, NaN -> 0.
  EXPECT_EQ(runUnary<uint8_t>("CAST", {DType::Float32, {6}}, {DType::UInt8, {6}}, x),
            (std::vector<uint8_t>{2, 0, 255, 0, 0, 255}));
  EXPECT_EQ(runUnary<int16_t>("CAST", {DType::Float32, {6}}, {DType::Int16, {6}}, x),
            (std::vector<int16_t>{2, -2, 300, -300, 0, 32767}));
  // int8 is a plain conversion: through a saturated int32, then the low byte (300 -> 44, 1e10 -> INT32_MAX -> -1).
  EXPECT_EQ(runUnary<int8_t>("CAST", {DType::Float32, {6}}, {DType::Int8, {6}}, x),
            (std::vector<int8_t>{2, -2, 44, -44, 0, -1}));
  EXPECT_EQ(runUnary<int64_t>("CAST", {DType::Float32, {6}}, {DType::Int64, {6}}, x),
            (std::vector<int64_t>{2, -2, 300, -300, 0, 10000000000LL}));
}

TEST(QuantizeKernels, CastBoolsAndIntegers) {
  // bool is one byte 0/1.
  auto b = runUnary<uint8_t>("CAST", {DType::Float32, {4}}, {DType::Bool, {4}}, std::vector<float>{0.f, -0.f, 0.1f, kNaN});
  EXPECT_EQ(b, (std::vector<uint8_t>{0, 0, 1, 1}));
  EXPECT_EQ(runUnary<float>("CAST", {DType::Bool, {2}}, {DType::Float32, {2}}, std::vector<uint8_t>{1, 0}),
            (std::vector<float>{1, 0}));
  // Integers wrap.
  EXPECT_EQ(runUnary<int8_t>("CAST", {DType::UInt8, {2}}, {DType::Int8, {2}}, std::vector<uint8_t>{200, 5}),
            (std::vector<int8_t>{-56, 5}));
  EXPECT_EQ(runUnary<int32_t>("CAST", {DType::Int64, {2}}, {DType::Int32, {2}},
                              std::vector<int64_t>{(int64_t{1} << 32) + 7, -1}),
            (std::vector<int32_t>{7, -1}));
  EXPECT_EQ(runUnary<int16_t>("CAST", {DType::Int32, {2}}, {DType::Int16, {2}}, std::vector<int32_t>{70000, -3}),
            (std::vector<int16_t>{4464, -3}));
  EXPECT_EQ(runUnary<float>("CAST", {DType::Int32, {2}}, {DType::Float32, {2}}, std::vector<int32_t>{16777217, -5}),
            (std::vector<float>{16777216.f, -5.f}));
}

TEST(QuantizeKernels, CastThroughFloat16) {
  std::vector<uint16_t> h{floatToHalf(2.5f), floatToHalf(-7.75f)};
  EXPECT_EQ(runUnary<int32_t>("CAST", {DType::Float16, {2}}, {DType::Int32, {2}}, h), (std::vector<int32_t>{2, -7}));
  // Halves cast plainly: 65504 to int16 wraps through int32.
  EXPECT_EQ(runUnary<int16_t>("CAST", {DType::Float16, {1}}, {DType::Int16, {1}}, std::vector<uint16_t>{0x7bff}),
            (std::vector<int16_t>{-32}));
  EXPECT_EQ(runUnary<uint16_t>("CAST", {DType::Float32, {2}}, {DType::Float16, {2}}, std::vector<float>{2.5f, -7.75f}),
            h);
}

TEST(QuantizeKernels, UnsupportedCombinationsHaveNoKernel) {
  EXPECT_ANY_THROW(runUnary<float>("QUANTIZE", {DType::Float32, {1}}, {DType::Float32, {1}}, std::vector<float>{1}));
  EXPECT_ANY_THROW(runUnary<int8_t>("QUANTIZE", {DType::Float32, {1}}, {DType::Int8, {1}}, std::vector<float>{1}));
  EXPECT_ANY_THROW(runUnary<int32_t>("DEQUANTIZE", {DType::Int8, {1}, {1.f}}, {DType::Int32, {1}},
                                     std::vector<int8_t>{1}));
}

// --- the real runtime -----------------------------------------------------------------------------------------------

std::vector<uint8_t> specialFloats(size_t n, float scale, std::mt19937& rng) {
  // Random values, exact ties k + 0.5 steps, out-of-range values and NaN / infinities.
  std::vector<float> v(n);
  std::uniform_real_distribution<float> real(-300.f, 300.f);
  for (size_t i = 0; i < n; ++i) {
    switch (i % 8) {
      case 0: v[i] = (static_cast<float>(static_cast<int>(rng() % 301) - 150) + 0.5f) * scale; break;
      case 1: v[i] = real(rng) * scale; break;
      case 2: v[i] = real(rng) * 10.f; break;
      default: v[i] = real(rng) * scale * 0.5f; break;
    }
  }
  v[3] = kNaN, v[11] = kInf, v[19] = -kInf, v[27] = 1e30f, v[35] = -1e30f;
  std::vector<uint8_t> bytes(n * 4);
  std::memcpy(bytes.data(), v.data(), bytes.size());
  return bytes;
}

// Halves of every magnitude, with the largest finite ones, infinities and NaN.
std::vector<uint8_t> specialHalves(size_t n, std::mt19937& rng) {
  std::vector<uint16_t> h(n);
  for (auto& v : h) {
    v = static_cast<uint16_t>(rng() & 0xffffu);
    if ((v & 0x7c00u) == 0x7c00u && (v & 0x3ffu) != 0) v = 0x7e00;  // one NaN pattern: payloads are not compared
  }
  const uint16_t special[] = {0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x5c00 /* 256 */, 0xd8b3 /* -150.4 */};
  for (size_t k = 0; k < sizeof(special) / sizeof(special[0]) && k * 5 < n; ++k) h[k * 5] = special[k];
  std::vector<uint8_t> bytes(n * 2);
  std::memcpy(bytes.data(), h.data(), bytes.size());
  return bytes;
}

TEST(QuantizeOracle, QuantizeDequantizeMatchTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(9);
  const std::vector<int32_t> shape{2, 5, 3, 11};
  struct Case {
    DType in, out;
    float in_scale, out_scale;
    int in_zp, out_zp;
  };
  const Case cases[] = {
      {DType::Float32, DType::Int8, 0, 0.05f, 0, -3},      {DType::Float32, DType::UInt8, 0, 0.05f, 0, 131},
      {DType::Float32, DType::Int16, 0, 0.01f, 0, 0},      {DType::Int8, DType::Int8, 0.3f, 0.7f, -5, 3},
      {DType::Int8, DType::Int8, 0.05f, 0.011f, 9, -1},    {DType::Int8, DType::Int8, 0.002f, 1.f, 0, 0},
      {DType::UInt8, DType::UInt8, 0.012298397f, 0.029082999f, 0, 0},
      {DType::UInt8, DType::UInt8, 1.f, 0.003f, 128, 3},   {DType::Int8, DType::UInt8, 0.1f, 0.13f, -2, 120},
      {DType::UInt8, DType::Int8, 0.1f, 0.07f, 128, -1},   {DType::Int16, DType::Int16, 0.001f, 0.0007f, 0, 0},
      {DType::Int16, DType::Int8, 0.001f, 0.2f, 0, 4},     {DType::Int8, DType::Int16, 0.1f, 0.001f, 3, 0},
      {DType::Int8, DType::Float32, 0.03f, 0, -7, 0},      {DType::UInt8, DType::Float32, 0.03f, 0, 200, 0},
      {DType::Int16, DType::Float32, 0.0003f, 0, 0, 0},    {DType::Float16, DType::Float32, 0, 0, 0, 0},
  };
  for (const Case& c : cases) {
    const bool dequantize = c.out == DType::Float32;
    const char* op = dequantize ? "DEQUANTIZE" : "QUANTIZE";
    std::string what = std::string(op) + " " + dtypeName(c.in) + "->" + dtypeName(c.out) + " " +
                       std::to_string(c.in_scale) + "/" + std::to_string(c.out_scale);
    SCOPED_TRACE(what);
    TensorSpec in{c.in, shape}, out{c.out, shape};
    if (c.in != DType::Float32 && c.in != DType::Float16) in.scale = {c.in_scale}, in.zero_point = {c.in_zp};
    if (c.out != DType::Float32) out.scale = {c.out_scale}, out.zero_point = {c.out_zp};
    OpModel m;
    buildUnary(m, op, in, out);
    const auto n = static_cast<size_t>(elementCount(shape));
    std::vector<uint8_t> x = c.in == DType::Float32   ? specialFloats(n, c.out_scale, rng)
                             : c.in == DType::Float16 ? specialHalves(n, rng)
                                                      : randomTensorBytes(c.in, shape, rng);
    OracleProbe p = probeAgainstOracle(m, oracle, {x}, rng);
    EXPECT_EQ(p.oracle, p.ours_deployed) << p.deployed.detail;  // bit for bit
    std::cout << what << ": deployed " << p.deployed.detail << " | reference " << p.reference.detail << "\n";
  }
}

TEST(QuantizeOracle, CastMatchesTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(13);
  const std::vector<int32_t> shape{64};
  const std::pair<DType, DType> cases[] = {
      {DType::Float32, DType::Int32}, {DType::Float32, DType::UInt8}, {DType::Float32, DType::Int8},
      {DType::Float32, DType::Int16}, {DType::Float32, DType::Int64}, {DType::Float32, DType::Bool},
      {DType::Int32, DType::Float32}, {DType::Int64, DType::Int32},   {DType::UInt8, DType::Int8},
      {DType::Int8, DType::Float32},  {DType::Bool, DType::Float32},  {DType::Int32, DType::Int16},
      {DType::Int32, DType::Bool},    {DType::Int16, DType::Int32},   {DType::Float32, DType::UInt16},
      {DType::Float32, DType::UInt32}, {DType::Float16, DType::Int16}, {DType::Float16, DType::Float32},
      {DType::Float16, DType::Int32}, {DType::Float16, DType::UInt8},  {DType::Float16, DType::Int8},
      {DType::Float32, DType::Float16}, {DType::Int32, DType::Float16},
  };
  for (const auto& [from, to] : cases) {
    std::string what = std::string("CAST ") + dtypeName(from) + "->" + dtypeName(to);
    SCOPED_TRACE(what);
    OpModel m;
    buildUnary(m, "CAST", {from, shape}, {to, shape});
    std::vector<uint8_t> x = from == DType::Float32   ? specialFloats(64, 1.f, rng)
                             : from == DType::Float16 ? specialHalves(64, rng)
                                                      : randomTensorBytes(from, shape, rng);
    OracleProbe p = probeAgainstOracle(m, oracle, {x}, rng);
    EXPECT_EQ(p.oracle, p.ours_deployed) << p.deployed.detail;  // bit for bit
    std::cout << what << ": " << p.deployed.detail << "\n";
  }
}

}  // namespace
}  // namespace ql::test
