// ARG_MAX and ARG_MIN on hand-computed cases (ties, NaN, negative axes, int32/int64 outputs, every input type) and
// on one-op models compared with the real runtime. deeplabv3's ARG_MAX is checked in pooling_test.cpp
// (FamilyGolden), fed our own RESIZE_BILINEAR output since the golden leaves that tensor out for size.
#include <cmath>
#include <cstring>
#include <iostream>
#include <limits>
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

void buildArg(OpModel& m, const std::string& op, const TensorSpec& in, int32_t axis, DType out_type) {
  std::vector<int32_t> out_shape = in.shape;
  out_shape.erase(out_shape.begin() + (axis < 0 ? axis + static_cast<int32_t>(in.shape.size()) : axis));
  int i = m.input(in);
  int a = m.constant<int32_t>({DType::Int32, {1}}, {axis});
  int o = m.output({out_type, out_shape});
  const bool is_max = op == "ARG_MAX";
  m.op(op, {i, a}, {o}, is_max ? "ArgMaxOptions" : "ArgMinOptions", {{"output_type", dtypeName(out_type)}});
}

template <typename Out, typename In>
std::vector<Out> runArg(const std::string& op, const TensorSpec& in, int32_t axis, const std::vector<In>& x,
                        std::vector<int32_t>* shape = nullptr) {
  OpModel m;
  buildArg(m, op, in, axis, sizeof(Out) == 8 ? DType::Int64 : DType::Int32);
  m.setInput<In>(0, x);
  m.invoke();
  if (shape) *shape = m.outputShape(0);
  return m.output<Out>(0);
}

TEST(ArgMinMaxKernels, TiesGoToTheLowestIndex) {
  // [2, 4]: rows {3, 7, 7, 1}, {5, 5, 2, 2}.
  std::vector<float> x{3, 7, 7, 1, 5, 5, 2, 2};
  std::vector<int32_t> shape;
  EXPECT_EQ(runArg<int32_t>("ARG_MAX", {DType::Float32, {2, 4}}, 1, x, &shape), (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(shape, (std::vector<int32_t>{2}));
  EXPECT_EQ(runArg<int64_t>("ARG_MIN", {DType::Float32, {2, 4}}, -1, x), (std::vector<int64_t>{3, 2}));
  // Along axis 0: column-wise.
  EXPECT_EQ(runArg<int64_t>("ARG_MAX", {DType::Float32, {2, 4}}, 0, x, &shape), (std::vector<int64_t>{1, 0, 0, 1}));
  EXPECT_EQ(shape, (std::vector<int32_t>{4}));
}

TEST(ArgMinMaxKernels, NaNIsNeverPreferredOverAnEarlierNumber) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(runArg<int32_t>("ARG_MAX", {DType::Float32, {4}}, 0, std::vector<float>{1, nan, 0.5f, 2}),
            (std::vector<int32_t>{3}));
  // A leading NaN compares false with everything and stays.
  EXPECT_EQ(runArg<int32_t>("ARG_MIN", {DType::Float32, {3}}, 0, std::vector<float>{nan, -1, -2}),
            (std::vector<int32_t>{0}));
}

TEST(ArgMinMaxKernels, QuantizedAndIntegerInputs) {
  // uint8 deeplab-style: [1, 2, 2, 3] over the channels.
  std::vector<uint8_t> u{0, 200, 200, 9, 8, 7, 255, 255, 0, 1, 2, 3};
  std::vector<int32_t> shape;
  EXPECT_EQ(runArg<int64_t>("ARG_MAX", {DType::UInt8, {1, 2, 2, 3}, {0.1f}, {34}}, 3, u, &shape),
            (std::vector<int64_t>{1, 0, 0, 2}));
  EXPECT_EQ(shape, (std::vector<int32_t>{1, 2, 2}));
  EXPECT_EQ(runArg<int32_t>("ARG_MIN", {DType::Int8, {4}, {0.1f}, {0}}, 0, std::vector<int8_t>{5, -128, 0, -128}),
            (std::vector<int32_t>{1}));
  EXPECT_EQ(runArg<int32_t>("ARG_MAX", {DType::Int32, {3}}, 0, std::vector<int32_t>{-5, INT32_MAX, 0}),
            (std::vector<int32_t>{1}));
  EXPECT_EQ(runArg<int32_t>("ARG_MIN", {DType::Int16, {3}}, 0, std::vector<int16_t>{4, -32768, -32768}),
            (std::vector<int32_t>{1}));
  EXPECT_EQ(runArg<int32_t>("ARG_MAX", {DType::Int64, {2}}, 0, std::vector<int64_t>{-1, INT64_MIN}),
            (std::vector<int32_t>{0}));
  EXPECT_EQ(runArg<int32_t>("ARG_MAX", {DType::Bool, {3}}, 0, std::vector<uint8_t>{0, 1, 1}),
            (std::vector<int32_t>{1}));
}

TEST(ArgMinMaxKernels, BadAxisIsRejected) {
  OpModel m;
  int i = m.input({DType::Float32, {2, 3}});
  int a = m.constant<int32_t>({DType::Int32, {1}}, {2});
  int o = m.output({DType::Int32, {2}});
  m.op("ARG_MAX", {i, a}, {o}, "ArgMaxOptions", {{"output_type", "INT32"}});
  EXPECT_ANY_THROW(m.interpreter());
}

TEST(ArgMinMaxOracle, MatchesTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(17);
  struct Case {
    DType type;
    std::vector<int32_t> shape;
    int32_t axis;
  };
  const Case cases[] = {
      {DType::Float32, {2, 7, 5, 21}, 3}, {DType::Float32, {3, 9, 4}, 1}, {DType::UInt8, {1, 13, 11, 21}, -1},
      {DType::UInt8, {6, 40}, 0},         {DType::Int8, {5, 6, 7}, 2},    {DType::Int32, {4, 33}, 1},
  };
  for (const char* op : {"ARG_MAX", "ARG_MIN"})
    for (const Case& c : cases)
      for (DType out : {DType::Int32, DType::Int64}) {
        std::string what = std::string(op) + " " + dtypeName(c.type) + " axis " + std::to_string(c.axis) + " -> " +
                           dtypeName(out);
        SCOPED_TRACE(what);
        TensorSpec in{c.type, c.shape};
        if (c.type == DType::UInt8 || c.type == DType::Int8) in.scale = {0.2f}, in.zero_point = {3};
        OpModel m;
        buildArg(m, op, in, c.axis, out);
        // Few distinct values, so that ties are common.
        std::vector<uint8_t> x = randomTensorBytes(c.type, c.shape, rng, -2.f, 2.f);
        if (c.type == DType::Float32)
          for (size_t k = 0; k < x.size(); k += 4) {
            float v;
            std::memcpy(&v, &x[k], 4);
            v = std::round(v);
            std::memcpy(&x[k], &v, 4);
          }
        else if (c.type != DType::Int32)
          for (auto& b : x) b = static_cast<uint8_t>(b % 4);
        OracleProbe p = probeAgainstOracle(m, oracle, {x}, rng);
        EXPECT_EQ(p.oracle, p.ours_deployed) << p.deployed.detail;
        std::cout << what << ": " << p.deployed.detail << "\n";
      }
}

}  // namespace
}  // namespace ql::test
