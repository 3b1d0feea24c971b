// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR on hand-computed cases (align_corners, half_pixel_centers, legacy
// mode, both arithmetics, 8-bit rounding) and on one-op models compared with the real runtime. The golden
// models' resizes are checked op by op in pooling_test.cpp (FamilyGolden).
#include <cmath>
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

void buildResize(OpModel& m, const std::string& op, const TensorSpec& in, int out_h, int out_w, bool align,
                 bool half) {
  TensorSpec out = in;
  out.shape = {in.shape[0], out_h, out_w, in.shape[3]};
  int i = m.input(in);
  int s = m.constant<int32_t>({DType::Int32, {2}}, {out_h, out_w});
  int o = m.output(out);
  const std::string table = op == "RESIZE_BILINEAR" ? "ResizeBilinearOptions" : "ResizeNearestNeighborOptions";
  m.op(op, {i, s}, {o}, table, {{"align_corners", align}, {"half_pixel_centers", half}});
}

template <typename T>
std::vector<T> runResize(const std::string& op, const TensorSpec& in, int out_h, int out_w, bool align, bool half,
                         const std::vector<T>& x, Arithmetic arithmetic = Arithmetic::Deployed) {
  OpModel m;
  buildResize(m, op, in, out_h, out_w, align, half);
  m.interpreter(arithmetic);
  m.setInput<T>(0, x);
  m.invoke();
  EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{in.shape[0], out_h, out_w, in.shape[3]}));
  return m.output<T>(0);
}

// --- hand-computed cases ------------------------------------------------------------------------------------

TEST(ResizeKernels, BilinearFloatLegacyAlignAndHalfPixel) {
  TensorSpec in{DType::Float32, {1, 1, 2, 1}};
  std::vector<float> x{0, 8};
  for (Arithmetic a : {Arithmetic::Deployed, Arithmetic::Reference}) {
    // Legacy (neither flag): source x = o * 2/4 = 0, 0.5, 1, 1.5 (clamped to the last pixel).
    EXPECT_EQ(runResize<float>("RESIZE_BILINEAR", in, 1, 4, false, false, x, a), (std::vector<float>{0, 4, 8, 8}));
    // align_corners: scale (2 - 1) / (3 - 1) = 0.5: 0, 0.5, 1.
    EXPECT_EQ(runResize<float>("RESIZE_BILINEAR", in, 1, 3, true, false, x, a), (std::vector<float>{0, 4, 8}));
    // half_pixel_centers: (o + 0.5) * 0.5 - 0.5 = -0.25 (the first pixel), 0.25, 0.75, 1.25 (the last).
    EXPECT_EQ(runResize<float>("RESIZE_BILINEAR", in, 1, 4, false, true, x, a), (std::vector<float>{0, 2, 6, 8}));
  }
}

TEST(ResizeKernels, BilinearUInt8RoundsInEachArithmetic) {
  // 1x1x2x1 {0, 3} to width 4, legacy: source 0, 0.5, 1, 1.5: 0, 1.5, 3, 3.
  TensorSpec in{DType::UInt8, {1, 1, 2, 1}, {0.1f}, {0}};
  // XNNPACK: (0 * 2^22 + 3 * 1024 * 2048 + 2^21) >> 22 = 1.5 + 0.5 -> 2 (half up).
  EXPECT_EQ(runResize<uint8_t>("RESIZE_BILINEAR", in, 1, 4, false, false, {0, 3}),
            (std::vector<uint8_t>{0, 2, 3, 3}));
  // TFLite's reference uint8: 1.5 + 0.5 truncated -> 2.
  EXPECT_EQ(runResize<uint8_t>("RESIZE_BILINEAR", in, 1, 4, false, false, {0, 3}, Arithmetic::Reference),
            (std::vector<uint8_t>{0, 2, 3, 3}));
}

TEST(ResizeKernels, BilinearInt8NegativeHalvesDependOnTheArithmetic) {
  // {-3, 0} at source 0.5: -1.5. XNNPACK floors after adding 2^21 (-1.5 + 0.5 -> -1); TFLite's integer kernel
  // rounds half away from zero (-2).
  TensorSpec in{DType::Int8, {1, 1, 2, 1}, {0.1f}, {0}};
  EXPECT_EQ(runResize<int8_t>("RESIZE_BILINEAR", in, 1, 4, false, false, {-3, 0}),
            (std::vector<int8_t>{-3, -1, 0, 0}));
  EXPECT_EQ(runResize<int8_t>("RESIZE_BILINEAR", in, 1, 4, false, false, {-3, 0}, Arithmetic::Reference),
            (std::vector<int8_t>{-3, -2, 0, 0}));
}

TEST(ResizeKernels, BilinearTwoDimensionsAndChannels) {
  // 1x2x2x2 to 1x3x3x2 with align_corners: corners kept, centre the mean of the four.
  TensorSpec in{DType::Float32, {1, 2, 2, 2}};
  std::vector<float> x{0, 10, 4, 20, 8, 30, 12, 40};
  auto y = runResize<float>("RESIZE_BILINEAR", in, 3, 3, true, false, x);
  EXPECT_EQ(y, (std::vector<float>{0, 10, 2, 15, 4, 20, 4, 20, 6, 25, 8, 30, 8, 30, 10, 35, 12, 40}));
}

TEST(ResizeKernels, NearestNeighborModes) {
  TensorSpec in{DType::Float32, {1, 1, 3, 1}};
  std::vector<float> x{1, 2, 3};
  // Legacy: floor(o * 3/5) = 0, 0, 1, 1, 2.
  EXPECT_EQ(runResize<float>("RESIZE_NEAREST_NEIGHBOR", in, 1, 5, false, false, x),
            (std::vector<float>{1, 1, 2, 2, 3}));
  // align_corners: round(o * 2/4) = 0, 1 (0.5 rounds away from zero), 1, 2 (1.5), 2.
  EXPECT_EQ(runResize<float>("RESIZE_NEAREST_NEIGHBOR", in, 1, 5, true, false, x),
            (std::vector<float>{1, 2, 2, 3, 3}));
  // half_pixel_centers: floor((o + 0.5) * 0.6) = 0, 0, 1, 2, 2.
  EXPECT_EQ(runResize<float>("RESIZE_NEAREST_NEIGHBOR", in, 1, 5, false, true, x),
            (std::vector<float>{1, 1, 2, 3, 3}));
  // Downsampling 7 -> 3 in 8 bits: TFLite's optimized kernel (Deployed) takes (o * ((7 << 16) / 3 + 1)) >> 16 =
  // 0, 2, 4; its reference floor(o * 2.3333333f) also 0, 2, 4 here.
  TensorSpec q{DType::Int8, {1, 1, 7, 1}, {1.f}, {0}};
  std::vector<int8_t> v{0, 1, 2, 3, 4, 5, 6};
  for (Arithmetic a : {Arithmetic::Deployed, Arithmetic::Reference})
    EXPECT_EQ(runResize<int8_t>("RESIZE_NEAREST_NEIGHBOR", q, 1, 3, false, false, v, a),
              (std::vector<int8_t>{0, 2, 4}));
}

TEST(ResizeKernels, BadSizesAreRejected) {
  EXPECT_ANY_THROW(runResize<float>("RESIZE_BILINEAR", {DType::Float32, {1, 2, 2, 1}}, 0, 3, false, false,
                                    std::vector<float>(4)));
  EXPECT_ANY_THROW(runResize<float>("RESIZE_NEAREST_NEIGHBOR", {DType::Float32, {1, 2, 2, 1}}, 2, 2, true, true,
                                    std::vector<float>(4)));
}

// --- the real runtime ----------------------------------------------------------------------------------------

TEST(ResizeOracle, BilinearAndNearestMatchTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(5);
  struct Case {
    int in_h, in_w, out_h, out_w;
    bool align, half;
  };
  const Case cases[] = {
      {5, 7, 11, 13, false, false}, {5, 7, 11, 13, true, false}, {5, 7, 11, 13, false, true},
      {9, 8, 4, 3, false, true},    {9, 8, 4, 3, false, false},  {33, 33, 513, 513, true, false},
      {3, 4, 7, 9, true, false},    {1, 1, 5, 4, true, false},   {2, 26, 3, 22, false, false},
  };
  for (const char* op : {"RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"})
    for (DType type : {DType::Float32, DType::UInt8, DType::Int8, DType::Int16})
      for (const Case& c : cases) {
        if (c.out_h > 100 && type != DType::UInt8) continue;  // deeplab's 33 -> 513 upsampling, in its type only
        TensorSpec in{type, {1, c.in_h, c.in_w, c.out_h > 100 ? 3 : 6}};
        if (type != DType::Float32)
          in.scale = {0.05f}, in.zero_point = {type == DType::UInt8 ? 128 : type == DType::Int8 ? -7 : 0};
        std::string what = std::string(op) + " " + dtypeName(type) + " " + std::to_string(c.in_h) + "x" +
                           std::to_string(c.in_w) + "->" + std::to_string(c.out_h) + "x" + std::to_string(c.out_w) +
                           (c.align ? " align_corners" : "") + (c.half ? " half_pixel" : "");
        SCOPED_TRACE(what);
        OpModel m;
        buildResize(m, op, in, c.out_h, c.out_w, c.align, c.half);
        OracleProbe p = probeAgainstOracle(m, oracle, {}, rng);
        EXPECT_EQ(p.oracle, p.ours_deployed) << p.deployed.detail;  // bit for bit
        std::cout << what << ": deployed " << p.deployed.detail << " | reference " << p.reference.detail << "\n";
      }
}

}  // namespace
}  // namespace ql::test
