// MEAN, SUM and REDUCE_MAX on hand-computed cases (axes, negative axes, keep_dims, both arithmetics, saturation)
// and on one-op models compared with the real runtime. The golden models' reductions are checked op by op in
// pooling_test.cpp (FamilyGolden).
#include <cmath>
#include <cstring>
#include <iostream>
#include <random>

#include <gtest/gtest.h>

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

// A reduction model: input `in`, constant axes, output `out`.
void buildReduce(OpModel& m, const std::string& op, const TensorSpec& in, const std::vector<int32_t>& axes,
                 const TensorSpec& out, bool keep_dims) {
  int i = m.input(in);
  int a = m.constant<int32_t>({DType::Int32, {static_cast<int32_t>(axes.size())}}, axes);
  int o = m.output(out);
  m.op(op, {i, a}, {o}, "ReducerOptions", {{"keep_dims", keep_dims}});
}

template <typename T>
std::vector<T> runReduce(const std::string& op, const TensorSpec& in, const std::vector<int32_t>& axes,
                         const TensorSpec& out, bool keep_dims, const std::vector<T>& x,
                         Arithmetic arithmetic = Arithmetic::Deployed, std::vector<int32_t>* shape = nullptr) {
  OpModel m;
  buildReduce(m, op, in, axes, out, keep_dims);
  m.interpreter(arithmetic);
  m.setInput<T>(0, x);
  m.invoke();
  if (shape) *shape = m.outputShape(0);
  return m.output<T>(0);
}

// --- hand-computed cases ------------------------------------------------------------------------------------

TEST(ReduceKernels, FloatMeanSumMaxOverOneAxis) {
  // [2, 3]: rows {1, 2, 3}, {4, 5, 9}.
  std::vector<float> x{1, 2, 3, 4, 5, 9};
  std::vector<int32_t> shape;
  for (Arithmetic a : {Arithmetic::Deployed, Arithmetic::Reference}) {
    EXPECT_EQ(runReduce<float>("MEAN", {DType::Float32, {2, 3}}, {1}, {DType::Float32, {2}}, false, x, a, &shape),
              (std::vector<float>{2, 6}));
    EXPECT_EQ(shape, (std::vector<int32_t>{2}));
    EXPECT_EQ(runReduce<float>("SUM", {DType::Float32, {2, 3}}, {0}, {DType::Float32, {1, 3}}, true, x, a, &shape),
              (std::vector<float>{5, 7, 12}));
    EXPECT_EQ(shape, (std::vector<int32_t>{1, 3}));
    EXPECT_EQ(runReduce<float>("REDUCE_MAX", {DType::Float32, {2, 3}}, {-1}, {DType::Float32, {2}}, false, x, a),
              (std::vector<float>{3, 9}));
  }
}

// Dims of 1 leave the plan no dim at all: MEAN and SUM give the value back (the run fuzzer's file made the float
// path ask such a plan for its innermost dim).
TEST(ReduceKernels, FloatMeanAndSumOverDimsOfOneAreTheValue) {
  for (Arithmetic a : {Arithmetic::Deployed, Arithmetic::Reference}) {
    EXPECT_EQ(runReduce<float>("MEAN", {DType::Float32, {1, 1}}, {0}, {DType::Float32, {1}}, false, {2.5f}, a),
              (std::vector<float>{2.5f}));
    EXPECT_EQ(runReduce<float>("SUM", {DType::Float32, {1, 1, 1}}, {1, 2}, {DType::Float32, {1, 1, 1}}, true, {-4.f}, a),
              (std::vector<float>{-4.f}));
  }
}

TEST(ReduceKernels, FloatMeanOverSeveralAxesWithRepeatsAndNegatives) {
  // [2, 2, 2]: mean over axes {0, 2} (given as {2, -3, 0}) leaves axis 1.
  std::vector<float> x{1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<int32_t> shape;
  auto y = runReduce<float>("MEAN", {DType::Float32, {2, 2, 2}}, {2, -3, 0}, {DType::Float32, {1, 2, 1}}, true, x,
                            Arithmetic::Deployed, &shape);
  EXPECT_EQ(shape, (std::vector<int32_t>{1, 2, 1}));
  EXPECT_EQ(y, (std::vector<float>{(1 + 2 + 5 + 6) / 4.f, (3 + 4 + 7 + 8) / 4.f}));
  // Every axis: one value.
  auto all = runReduce<float>("SUM", {DType::Float32, {2, 2, 2}}, {0, 1, 2}, {DType::Float32, {}}, false, x);
  EXPECT_EQ(all, (std::vector<float>{36}));
}

TEST(ReduceKernels, QuantizedMeanDeployedIsXnnpacksFloatConversion) {
  // int8, s_in 0.5 zp 3 -> s_out 0.25 zp -2; sum over 4 raw values.
  // Deployed: y = nearbyint(sum * (2 * 1/4) + (-2 - 4 * 3 * 0.5)) = nearbyint(sum / 2 - 8).
  //   {10, 11, 12, 12}: sum 45 -> 22.5 - 8 = 14.5 -> 14 (half to even).
  //   {10, 11, 12, 14}: sum 47 -> 15.5 -> 16.
  TensorSpec in{DType::Int8, {2, 4}, {0.5f}, {3}};
  TensorSpec out{DType::Int8, {2}, {0.25f}, {-2}};
  std::vector<int8_t> x{10, 11, 12, 12, 10, 11, 12, 14};
  EXPECT_EQ(runReduce<int8_t>("MEAN", in, {1}, out, false, x), (std::vector<int8_t>{14, 16}));
  // Reference (TFLite's fixed point): (sum - 4 * 3) * 2 / 4 = 16.5 -> 17 and 17.5 -> 18 (half away from zero),
  // plus the zero point -2.
  EXPECT_EQ(runReduce<int8_t>("MEAN", in, {1}, out, false, x, Arithmetic::Reference), (std::vector<int8_t>{15, 16}));
}

TEST(ReduceKernels, QuantizedSumSaturatesAndMaxKeepsRawValues) {
  TensorSpec in{DType::UInt8, {1, 3}, {1.f}, {10}};
  TensorSpec out{DType::UInt8, {1}, {1.f}, {10}};
  std::vector<uint8_t> x{200, 100, 50};
  // (200 + 100 + 50 - 3 * 10) + 10 = 330 -> 255.
  for (Arithmetic a : {Arithmetic::Deployed, Arithmetic::Reference})
    EXPECT_EQ(runReduce<uint8_t>("SUM", in, {1}, out, false, x, a), (std::vector<uint8_t>{255}));
  // REDUCE_MAX is not rescaled, even when the output's quantization differs.
  TensorSpec other{DType::UInt8, {1}, {3.f}, {0}};
  EXPECT_EQ(runReduce<uint8_t>("REDUCE_MAX", in, {1}, other, false, x), (std::vector<uint8_t>{200}));
}

TEST(ReduceKernels, Int8MeanOfSaturatedValues) {
  TensorSpec in{DType::Int8, {1, 2, 2, 1}, {0.1f}, {0}};
  TensorSpec out{DType::Int8, {1, 1, 1, 1}, {0.05f}, {0}};
  // mean 12.7 / 0.05 = 254 -> 127; mean -12.8 -> -256 -> -128.
  for (Arithmetic a : {Arithmetic::Deployed, Arithmetic::Reference}) {
    EXPECT_EQ(runReduce<int8_t>("MEAN", in, {1, 2}, out, true, {127, 127, 127, 127}, a), (std::vector<int8_t>{127}));
    EXPECT_EQ(runReduce<int8_t>("MEAN", in, {1, 2}, out, true, {-128, -128, -128, -128}, a),
              (std::vector<int8_t>{-128}));
  }
}

TEST(ReduceKernels, Int16MeanUsesTflitesFixedPoint) {
  TensorSpec in{DType::Int16, {1, 3}, {0.01f}, {0}};
  TensorSpec out{DType::Int16, {1}, {0.01f}, {0}};
  // (100 + 200 + 301) / 3 = 200.33 -> 200.
  for (Arithmetic a : {Arithmetic::Deployed, Arithmetic::Reference})
    EXPECT_EQ(runReduce<int16_t>("MEAN", in, {1}, out, false, {100, 200, 301}, a), (std::vector<int16_t>{200}));
}

TEST(ReduceKernels, AxisOutOfRangeIsRejected) {
  EXPECT_ANY_THROW(runReduce<float>("MEAN", {DType::Float32, {2, 3}}, {2}, {DType::Float32, {2}}, false,
                                    std::vector<float>(6)));
}

// --- the real runtime ----------------------------------------------------------------------------------------

TEST(ReduceOracle, MeanSumMaxMatchTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(3);
  struct Case {
    std::vector<int32_t> shape, axes;
    bool keep;
  };
  const Case shapes[] = {
      {{1, 7, 7, 40}, {1, 2}, true},  {{2, 5, 37}, {2}, false},           {{3, 4, 5, 6}, {0, 2}, false},
      {{4, 50}, {0, -1}, false},      {{2, 3, 4, 5, 6}, {1, 3, 4}, true},  {{6, 19}, {1}, true},
  };
  struct Quant {
    DType type;
    float in_scale, out_scale;
    int in_zp, out_zp;
  };
  const Quant quants[] = {{DType::Float32, 0, 0, 0, 0}, {DType::Int8, 0.07f, 0.031f, 5, -20},
                          {DType::UInt8, 0.02f, 0.013f, 128, 100}, {DType::Int16, 0.001f, 0.0007f, 0, 0}};
  for (const char* op : {"MEAN", "SUM", "REDUCE_MAX"})
    for (const Quant& q : quants)
      for (const Case& c : shapes) {
        std::vector<int32_t> out_shape;
        std::vector<bool> reduced(c.shape.size(), false);
        for (int32_t a : c.axes) reduced[static_cast<size_t>(a < 0 ? a + static_cast<int>(c.shape.size()) : a)] = true;
        for (size_t d = 0; d < c.shape.size(); ++d)
          if (!reduced[d] || c.keep) out_shape.push_back(reduced[d] ? 1 : c.shape[d]);
        TensorSpec in{q.type, c.shape}, out{q.type, out_shape};
        if (q.type != DType::Float32) {
          in.scale = {q.in_scale}, in.zero_point = {q.in_zp};
          // SUM of many values needs a wider output step to stay in range; REDUCE_MAX keeps the input's.
          float s = std::string(op) == "SUM" ? q.out_scale * 8 : q.out_scale;
          out.scale = {std::string(op) == "REDUCE_MAX" ? q.in_scale : s};
          out.zero_point = {std::string(op) == "REDUCE_MAX" ? q.in_zp : q.out_zp};
        }
        std::string what = std::string(op) + " " + dtypeName(q.type) + " shape " + std::to_string(c.shape.size()) +
                           "-D axes " + std::to_string(c.axes.size()) + (c.keep ? " keep" : "");
        SCOPED_TRACE(what);
        OpModel m;
        buildReduce(m, op, in, c.axes, out, c.keep);
        OracleProbe p = probeAgainstOracle(m, oracle, {}, rng);
        EXPECT_EQ(p.oracle, p.ours_deployed) << p.deployed.detail;  // bit for bit
        std::cout << what << ": deployed " << p.deployed.detail << " | reference " << p.reference.detail << "\n";
      }
}

// max |ours - theirs| / |theirs| over two float32 tensors.
double worstRelativeDifference(const std::vector<uint8_t>& theirs_bytes, const std::vector<uint8_t>& ours_bytes) {
  std::vector<float> theirs(theirs_bytes.size() / 4), ours(ours_bytes.size() / 4);
  if (theirs.size() != ours.size()) return INFINITY;
  std::memcpy(theirs.data(), theirs_bytes.data(), theirs_bytes.size());
  std::memcpy(ours.data(), ours_bytes.data(), ours_bytes.size());
  double worst = 0;
  for (size_t c = 0; c < theirs.size(); ++c)
    worst = std::max(worst, std::fabs(static_cast<double>(ours[c]) - theirs[c]) /
                                std::max(1e-30, std::fabs(static_cast<double>(theirs[c]))));
  return worst;
}

// The global mean (and sum) of a large plane, a squeeze-excite block's (150x150 and 300x300), NHWC over axes 1 and 2
// (XNNPACK's discontiguous reduction: each channel's rows added in order) and NCHW over axes 2 and 3 (its
// contiguous one: rsum's four-accumulator order per row): LiteRT's output, bit for bit, where a plain running sum
// of a row would drift from it.
TEST(ReduceOracle, MeanAndSumOverLargePlanesMatchTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(11);
  for (const char* op : {"MEAN", "SUM"})
    for (int side : {150, 300})
      for (int channels : {16, 72})
        for (bool keep : {true, false})
          for (bool nchw : {false, true}) {
            const std::string what = std::string(op) + " " + std::to_string(side) + "x" + std::to_string(side) +
                                     "x" + std::to_string(channels) + (keep ? " keep" : "") + (nchw ? " NCHW" : "");
            SCOPED_TRACE(what);
            const std::vector<int32_t> shape =
                nchw ? std::vector<int32_t>{1, channels, side, side} : std::vector<int32_t>{1, side, side, channels};
            const std::vector<int32_t> kept = !keep ? std::vector<int32_t>{1, channels}
                                              : nchw ? std::vector<int32_t>{1, channels, 1, 1}
                                                     : std::vector<int32_t>{1, 1, 1, channels};
            OpModel m;
            buildReduce(m, op, {DType::Float32, shape}, nchw ? std::vector<int32_t>{2, 3} : std::vector<int32_t>{1, 2},
                        {DType::Float32, kept}, keep);
            // Activations after a hard-swish: mostly positive, so the sums grow and rounding shows.
            OracleProbe p = probeAgainstOracle(m, oracle, {randomTensorBytes(DType::Float32, shape, rng, -0.3f, 6.f)},
                                               rng);
            const double worst = worstRelativeDifference(p.oracle, p.ours_deployed);
            EXPECT_LE(worst, 1e-6);
            // Reference arithmetic (TFLite's reference kernel: one running sum, then a division) for scale.
            std::cout << what << ": worst relative difference " << worst << " (reference arithmetic "
                      << worstRelativeDifference(p.oracle, p.ours_reference) << ")\n";
          }
}

}  // namespace
}  // namespace ql::test
