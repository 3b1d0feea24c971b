// FULLY_CONNECTED: hand-computed cases (zero points, keep_num_dims, per-channel, saturation, 16x8, hybrid), the
// fast path against the plain loops on random shapes (bit for bit for quantized and hybrid kernels), and the 16x8
// and hybrid kernels against the real runtime (no golden model has them; the golden models' FULLY_CONNECTED ops
// are checked in conv_test.cpp's ConvFamilyGolden).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "kernels/gemm_dispatch.h"
#include "model/dtype.h"
#include "model/quantization_kind.h"
#include "model/writer.h"
#include "support/kernel_path.h"
#include "support/op_model.h"
#include "support/random_data.h"
#include "support/runtime_check.h"
#include "support/tensor_compare.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

nlohmann::json fcOptions(const char* act = "NONE", bool keep_num_dims = false, bool asymmetric = false) {
  return {{"fused_activation_function", act}, {"keep_num_dims", keep_num_dims},
          {"asymmetric_quantize_inputs", asymmetric}};
}

TEST(FullyConnected, Uint8WithZeroPointsAndKeepNumDims) {
  OpModel m;
  int in = m.input({DType::UInt8, {1, 2, 2}, {1.0f}, {128}});
  int w = m.constant<uint8_t>({DType::UInt8, {1, 2}, {1.0f}, {128}}, {129, 127});  // weights +1, -1
  int out = m.output({DType::UInt8, {1, 2, 1}, {1.0f}, {128}});
  m.op("FULLY_CONNECTED", {in, w, -1}, {out}, "FullyConnectedOptions", fcOptions("NONE", true));
  m.setInput<uint8_t>(0, {138, 130, 120, 125});  // rows (10, 2) and (-8, -3)
  m.invoke();
  EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{1, 2, 1}));
  EXPECT_EQ(m.output<uint8_t>(0), (std::vector<uint8_t>{136, 123}));  // 10-2=8, -8+3=-5
}

TEST(FullyConnected, FlattensLeadingDimensionsWithoutKeepNumDims) {
  OpModel m;
  int in = m.input({DType::Float32, {2, 1, 3}});
  int w = m.constant<float>({DType::Float32, {2, 3}}, {1, 0, 0, 0, 1, 1});
  int b = m.constant<float>({DType::Float32, {2}}, {0.5f, -100.f});
  int out = m.output({DType::Float32, {2, 2}});
  m.op("FULLY_CONNECTED", {in, w, b}, {out}, "FullyConnectedOptions", fcOptions("RELU"));
  m.setInput<float>(0, {1, 2, 3, 4, 5, 6});
  m.invoke();
  EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{2, 2}));
  EXPECT_EQ(m.output<float>(0), (std::vector<float>{1.5f, 0.f, 4.5f, 0.f}));
}

TEST(FullyConnected, Int8PerChannelWeightsAndSaturation) {
  for (Arithmetic arithmetic : {Arithmetic::Deployed, Arithmetic::Reference}) {
    OpModel m;
    int in = m.input({DType::Int8, {1, 2}, {0.5f}, {-1}});
    int w = m.constant<int8_t>({DType::Int8, {2, 2}, {0.5f, 2.0f}, {0, 0}}, {2, 4, 127, 127});
    int b = m.constant<int32_t>({DType::Int32, {2}, {0.25f, 1.f}, {0, 0}}, {-4, 0});
    int out = m.output({DType::Int8, {1, 2}, {1.0f}, {0}});
    m.op("FULLY_CONNECTED", {in, w, b}, {out}, "FullyConnectedOptions", fcOptions());
    m.interpreter(arithmetic);
    m.setInput<int8_t>(0, {3, 1});  // x - zp = 4, 2
    m.invoke();
    // unit 0: acc = 8 + 8 - 4 = 12, * 0.25 = 3; unit 1: acc = 6 * 127 = 762, * 1 -> saturates at 127
    EXPECT_EQ(m.output<int8_t>(0), (std::vector<int8_t>{3, 127}));
  }
}

TEST(FullyConnected, Int16x8WithInt64AndInt32Bias) {
  for (bool wide_bias : {true, false}) {
    OpModel m;
    int in = m.input({DType::Int16, {2, 2}, {0.5f}, {0}});
    int w = m.constant<int8_t>({DType::Int8, {1, 2}, {0.5f}, {0}}, {2, -1});
    int b = wide_bias ? m.constant<int64_t>({DType::Int64, {1}, {0.25f}, {0}}, {40000})
                      : m.constant<int32_t>({DType::Int32, {1}, {0.25f}, {0}}, {40000});
    int out = m.output({DType::Int16, {2, 1}, {0.5f}, {0}});
    m.op("FULLY_CONNECTED", {in, w, b}, {out}, "FullyConnectedOptions", fcOptions("RELU_N1_TO_1"));
    m.setInput<int16_t>(0, {-30000, 0, 1, 3});
    m.invoke();
    // multiplier 0.5: row 0 acc = -60000 + 40000 = -20000 -> -10000, clamped to -1 / 0.5 = -2;
    // row 1 acc = 2 - 3 + 40000 -> 19999.5 -> clamped to 2
    EXPECT_EQ(m.output<int16_t>(0), (std::vector<int16_t>{-2, 2}));
  }
}

TEST(FullyConnected, HybridQuantizesInputsPerRow) {
  OpModel m;
  int in = m.input({DType::Float32, {2, 3}});
  int w = m.constant<int8_t>({DType::Int8, {1, 3}, {0.5f}, {0}}, {2, 2, 2});  // real weights 1, 1, 1
  int out = m.output({DType::Float32, {2, 1}});
  m.op("FULLY_CONNECTED", {in, w, -1}, {out}, "FullyConnectedOptions", fcOptions("NONE", false, true));
  m.setInput<float>(0, {1.f, 2.f, 3.f, -0.5f, 0.f, 0.5f});
  m.invoke();
  auto y = m.output<float>(0);
  EXPECT_NEAR(y[0], 6.f, 6.f * 0.01f);  // within the on-the-fly quantization error
  EXPECT_NEAR(y[1], 0.f, 0.01f);
}

TEST(FullyConnected, HybridSymmetricPerChannel) {
  OpModel m;
  int in = m.input({DType::Float32, {1, 2}});
  int w = m.constant<int8_t>({DType::Int8, {2, 2}, {0.5f, 0.25f}, {0, 0}}, {2, 0, 0, 4});
  int b = m.constant<float>({DType::Float32, {2}}, {1.f, -1.f});
  int out = m.output({DType::Float32, {1, 2}});
  m.op("FULLY_CONNECTED", {in, w, b}, {out}, "FullyConnectedOptions", fcOptions());
  m.setInput<float>(0, {1.f, -0.5f});  // scale 1/127: q = 127, -64 (half away from zero)
  m.invoke();
  auto y = m.output<float>(0);
  EXPECT_NEAR(y[0], 1.f + 254.f * (0.5f / 127.f), 1e-6f);    // 127 * 2
  EXPECT_NEAR(y[1], -1.f - 256.f * (0.25f / 127.f), 1e-6f);  // -64 * 4
}

// ---- fast path against the plain loops -----------------------------------------------------------------------------

std::vector<SimdLevel> levelsToTest() {
  std::vector<SimdLevel> out{SimdLevel::Generic};
  if (cpuSimdLevel() >= SimdLevel::Avx2) out.push_back(SimdLevel::Avx2);
  if (cpuSimdLevel() >= SimdLevel::Avx512Vnni) out.push_back(SimdLevel::Avx512Vnni);
  return out;
}

std::vector<uint8_t> runPath(OpModel& m, bool fast, SimdLevel level) {
  ScopedKernelPath path(fast, level);
  m.invoke();
  const RuntimeTensor& t = m.interpreter().output(0);
  return std::vector<uint8_t>(t.raw(), t.raw() + t.bytes());
}

enum class Kind { Float, UInt8, Int8, Hybrid };

// A random FULLY_CONNECTED into `m`; returns the input bytes.
std::vector<uint8_t> buildFc(OpModel& m, Kind kind, std::mt19937& rng, std::string* what) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int batches = pick(1, 9), depth = pick(1, 300), units = pick(1, 70);
  const bool bias = pick(0, 4) != 0, per_channel = pick(0, 1) == 1, asymmetric = pick(0, 1) == 1;
  const char* act = std::vector<const char*>{"NONE", "RELU", "RELU6", "RELU_N1_TO_1"}[static_cast<size_t>(pick(0, 3))];
  std::ostringstream os;
  os << "batches " << batches << " depth " << depth << " units " << units << " " << act << (bias ? "" : " no bias")
     << (per_channel ? " per-channel" : "") << (asymmetric ? " asymmetric" : "");
  const size_t wn = static_cast<size_t>(units) * depth, xn = static_cast<size_t>(batches) * depth;
  int in = -1, w = -1, b = -1, out = -1;
  std::vector<uint8_t> input;
  if (kind == Kind::Float || kind == Kind::Hybrid) {
    in = m.input({DType::Float32, {batches, depth}});
    out = m.output({DType::Float32, {batches, units}});
    if (kind == Kind::Float) {
      w = m.constant<float>({DType::Float32, {units, depth}}, randomFloats(rng, wn, -1, 1));
    } else {
      std::vector<float> s = randomFloats(rng, per_channel ? static_cast<size_t>(units) : 1, 0.002f, 0.02f);
      w = m.constant<int8_t>({DType::Int8, {units, depth}, s, std::vector<int64_t>(s.size(), 0)},
                             randomValues<int8_t>(rng, wn, -127, 127));
    }
    if (bias) b = m.constant<float>({DType::Float32, {units}}, randomFloats(rng, static_cast<size_t>(units), -1, 1));
    input = bytesOf(randomFloats(rng, xn, -2.f, 3.f));
  } else {
    const DType t = kind == Kind::UInt8 ? DType::UInt8 : DType::Int8;
    const int32_t in_zp = kind == Kind::UInt8 ? pick(0, 255) : pick(-128, 127);
    const int32_t out_zp = kind == Kind::UInt8 ? pick(0, 255) : pick(-128, 127);
    const int32_t w_zp = kind == Kind::UInt8 ? std::vector<int>{128, 0, 255, pick(0, 255)}[static_cast<size_t>(pick(0, 3))] : 0;
    std::vector<float> s = randomFloats(rng, per_channel && kind == Kind::Int8 ? static_cast<size_t>(units) : 1, 0.005f, 0.03f);
    os << " zp " << in_zp << "/" << w_zp << "/" << out_zp;
    TensorSpec ws{t, {units, depth}, s, std::vector<int64_t>(s.size(), w_zp)};
    double w_square = 0;
    if (kind == Kind::UInt8) {
      std::vector<uint8_t> wv = randomValues<uint8_t>(rng, wn, 0, 255);
      for (uint8_t v : wv) w_square += (v - w_zp) * (v - w_zp);
      w = m.constant<uint8_t>(ws, wv);
    } else {
      std::vector<int8_t> wv = randomValues<int8_t>(rng, wn, -127, 127);
      for (int8_t v : wv) w_square += (v - w_zp) * (v - w_zp);
      w = m.constant<int8_t>(ws, wv);
    }
    w_square /= static_cast<double>(wn);
    // Inputs +-60 around their zero point; 3 standard deviations of the sums reach the edge of the output range.
    const float in_scale = 0.05f;
    const double sum_sd = std::sqrt(depth * 1200.0 * w_square) + 1.0;
    const float out_scale = static_cast<float>(in_scale * s[0] * 3.0 * sum_sd / 127.0);
    in = m.input({t, {batches, depth}, {in_scale}, {in_zp}});
    out = m.output({t, {batches, units}, {out_scale}, {out_zp}});
    if (bias) {
      std::vector<float> bs;
      for (float v : s) bs.push_back(v * in_scale);
      b = m.constant<int32_t>({DType::Int32, {units}, bs, std::vector<int64_t>(bs.size(), 0)},
                              randomValues<int32_t>(rng, static_cast<size_t>(units), -3000, 3000));
    }
    input.resize(xn);
    std::uniform_int_distribution<int> spread(-60, 60);
    for (auto& x : input) {
      const int v = in_zp + spread(rng);
      x = static_cast<uint8_t>(kind == Kind::UInt8 ? std::min(255, std::max(0, v)) : std::min(127, std::max(-128, v)));
    }
  }
  m.op("FULLY_CONNECTED", {in, w, b}, {out}, "FullyConnectedOptions", fcOptions(act, false, asymmetric));
  *what = os.str();
  return input;
}

void checkFastAgainstPlain(Kind kind, int cases, uint32_t seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < cases; ++i) {
    const uint32_t case_seed = static_cast<uint32_t>(rng());
    for (Arithmetic arithmetic : {Arithmetic::Deployed, Arithmetic::Reference}) {
      if ((kind == Kind::Float || kind == Kind::Hybrid) && arithmetic == Arithmetic::Reference) continue;
      std::mt19937 data(case_seed);
      OpModel m;
      std::string what;
      std::vector<uint8_t> input = buildFc(m, kind, data, &what);
      SCOPED_TRACE(what + (arithmetic == Arithmetic::Reference ? " reference" : " deployed"));
      m.interpreter(arithmetic).setInput(0, input.data(), input.size());
      const std::vector<uint8_t> plain = runPath(m, false, SimdLevel::Generic);
      for (SimdLevel level : levelsToTest()) {
        const std::vector<uint8_t> fast = runPath(m, true, level);
        ASSERT_EQ(plain, fast) << simdLevelName(level);  // float too: neither path fuses multiply-adds
      }
    }
  }
}

TEST(FullyConnectedFastPath, Int8MatchesThePlainLoopsBitForBit) { checkFastAgainstPlain(Kind::Int8, 60, 11); }
TEST(FullyConnectedFastPath, Uint8MatchesThePlainLoopsBitForBit) { checkFastAgainstPlain(Kind::UInt8, 60, 12); }
TEST(FullyConnectedFastPath, HybridMatchesThePlainLoopsBitForBit) { checkFastAgainstPlain(Kind::Hybrid, 40, 13); }
TEST(FullyConnectedFastPath, FloatMatchesThePlainLoopsBitForBit) { checkFastAgainstPlain(Kind::Float, 40, 14); }

// ---- the real runtime ------------------------------------------------------------------------------------------------
// 16x8 against LiteRT 2.5.3 (litert_run); hybrid against the TFLite build the golden models' hybrid ops came from
// (tfjs_tflite_run): LiteRT 2.5.3 hands hybrid FULLY_CONNECTED to XNNPACK's dynamically quantized kernel, which
// always quantizes asymmetrically and rounds half to even.

TEST(FullyConnectedOracle, Int16x8MatchesTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(31);
  for (bool wide_bias : {true, false})
    for (bool per_channel : {false, true}) {
      SCOPED_TRACE(std::string(wide_bias ? "int64 bias" : "int32 bias") + (per_channel ? " per-channel" : ""));
      OpModel m;
      const int depth = 40, units = 12;
      std::vector<float> s = randomFloats(rng, per_channel ? units : 1, 0.002f, 0.01f);
      int w = m.constant<int8_t>({DType::Int8, {units, depth}, s, std::vector<int64_t>(s.size(), 0)},
                                 randomValues<int8_t>(rng, static_cast<size_t>(units) * depth, -127, 127));
      std::vector<float> bs;
      for (float v : s) bs.push_back(v * 0.01f);
      int b = wide_bias ? m.constant<int64_t>({DType::Int64, {units}, bs, std::vector<int64_t>(bs.size(), 0)},
                                              randomValues<int64_t>(rng, units, -900000, 900000))
                        : m.constant<int32_t>({DType::Int32, {units}, bs, std::vector<int64_t>(bs.size(), 0)},
                                              randomValues<int32_t>(rng, units, -900000, 900000));
      int in = m.input({DType::Int16, {3, depth}, {0.01f}, {0}});
      int out = m.output({DType::Int16, {3, units}, {0.03f}, {0}});
      m.op("FULLY_CONNECTED", {in, w, b}, {out}, "FullyConnectedOptions", fcOptions("RELU"), 7);
      expectMatchesRuntime(m, bytesOf(randomValues<int16_t>(rng, 3 * depth, -20000, 20000)),
                           oracle + "/litert_run.mjs", "", 1e-5);
    }
}

TEST(FullyConnectedOracle, Int16x8RoundsTiesLikeTheRealRuntime) {
  // Multiplier 0.25 on sums -6, 10, ...: exact halves. LiteRT rounds them half up with int32 sums and half away
  // from zero with int64 sums (an int64 bias).
  QL_REQUIRE_ORACLE(oracle);
  for (int bias : {0, 32, 64}) {
    SCOPED_TRACE("bias " + std::to_string(bias));
    OpModel m;
    int in = m.input({DType::Int16, {8, 1}, {0.5f}, {0}});
    int w = m.constant<int8_t>({DType::Int8, {1, 1}, {0.5f}, {0}}, {1});
    int b = bias == 64 ? m.constant<int64_t>({DType::Int64, {1}, {0.25f}, {0}}, {0})
            : bias == 32 ? m.constant<int32_t>({DType::Int32, {1}, {0.25f}, {0}}, {0})
                         : -1;
    int out = m.output({DType::Int16, {8, 1}, {1.0f}, {0}});
    m.op("FULLY_CONNECTED", {in, w, b}, {out}, "FullyConnectedOptions", fcOptions(), 7);
    expectMatchesRuntime(m, bytesOf(std::vector<int16_t>{-6, 10, -10, 6, 2, -2, -14, 14}), oracle + "/litert_run.mjs", "",
                         1e-5);
    EXPECT_EQ(m.output<int16_t>(0), bias == 64 ? (std::vector<int16_t>{-2, 3, -3, 2, 1, -1, -4, 4})
                                               : (std::vector<int16_t>{-1, 3, -2, 2, 1, 0, -3, 4}));
  }
}

TEST(FullyConnectedOracle, HybridMatchesTheRuntimeTheGoldenModelsCameFrom) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(32);
  for (bool asymmetric : {false, true}) {
    SCOPED_TRACE(asymmetric ? "asymmetric" : "symmetric");
    OpModel m;
    const int depth = 64, units = 24;
    int w = m.constant<int8_t>({DType::Int8, {units, depth}, {0.006f}, {0}},
                               randomValues<int8_t>(rng, static_cast<size_t>(units) * depth, -127, 127));
    int b = m.constant<float>({DType::Float32, {units}}, randomFloats(rng, units, -1, 1));
    int in = m.input({DType::Float32, {2, depth}});
    int out = m.output({DType::Float32, {2, units}});
    m.op("FULLY_CONNECTED", {in, w, b}, {out}, "FullyConnectedOptions", fcOptions("NONE", false, asymmetric), 9);
    // Row 1 holds values on exact halves of its quantization grid (range [0, 255/64]).
    std::vector<float> x = randomFloats(rng, 2 * depth, -1.f, 3.f);
    const std::vector<float> ties{0.f, 3.984375f, 0.0234375f, 0.0390625f, 0.0546875f, 1.0f};
    for (size_t i = 0; i < static_cast<size_t>(depth); ++i) x[static_cast<size_t>(depth) + i] = ties[i % ties.size()];
    expectMatchesRuntime(m, bytesOf(x), oracle + "/tfjs_tflite_run.cjs", "", 1e-4);
  }
}

TEST(FullyConnectedOracle, HybridPerChannelIsCloseToTheRealRuntime) {
  // Per-channel hybrid FULLY_CONNECTED (op version 12) is newer than the tfjs build; LiteRT 2.5.3 runs it through
  // XNNPACK, whose quantization of the input differs from TFLite's only on exact halves, absent from random data.
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(33);
  OpModel m;
  const int depth = 64, units = 24;
  std::vector<float> s = randomFloats(rng, units, 0.002f, 0.01f);
  int w = m.constant<int8_t>({DType::Int8, {units, depth}, s, std::vector<int64_t>(s.size(), 0)},
                             randomValues<int8_t>(rng, static_cast<size_t>(units) * depth, -127, 127));
  int b = m.constant<float>({DType::Float32, {units}}, randomFloats(rng, units, -1, 1));
  int in = m.input({DType::Float32, {2, depth}});
  int out = m.output({DType::Float32, {2, units}});
  m.op("FULLY_CONNECTED", {in, w, b}, {out}, "FullyConnectedOptions", fcOptions("NONE", false, true), 12);
  expectMatchesRuntime(m, bytesOf(randomFloats(rng, 2 * depth, -1.f, 3.f)), oracle + "/litert_run.mjs", "", 1e-4);
}

}  // namespace
}  // namespace ql::test
