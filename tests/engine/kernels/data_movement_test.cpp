// The data-movement kernels no shared model uses (DEPTH_TO_SPACE, SPACE_TO_DEPTH, EXPAND_DIMS, SQUEEZE, GATHER,
// TILE, SLICE, PADV2, SPLIT_V, UNPACK): hand-computed cases, and the same ops in float and int8 against the real
// runtime. OpModel also checks that each computes its output shape from its inputs, not from the file.
#include <numeric>
#include <random>

#include <gtest/gtest.h>

#include "support/op_model.h"
#include "support/random_data.h"
#include "support/runtime_check.h"
#include "support/test_support.h"
#include "util/error.h"

namespace ql::test {
namespace {

std::vector<float> iota(size_t n) {
  std::vector<float> v(n);
  std::iota(v.begin(), v.end(), 0.f);
  return v;
}

TEST(DataMovement, DepthToSpaceMovesChannelBlocksIntoPixels) {
  OpModel m;
  int in = m.input({DType::Float32, {1, 1, 2, 4}});
  int out = m.output({DType::Float32, {1, 2, 4, 1}});
  m.op("DEPTH_TO_SPACE", {in}, {out}, "DepthToSpaceOptions", {{"block_size", 2}});
  m.setInput<float>(0, iota(8));
  m.invoke();
  EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{1, 2, 4, 1}));
  // Pixel (0,0) holds channels 0..3 as a 2x2 block: row 0 gets 0,1, row 1 gets 2,3.
  EXPECT_EQ(m.output<float>(0), (std::vector<float>{0, 1, 4, 5, 2, 3, 6, 7}));
}

TEST(DataMovement, SpaceToDepthIsTheInverse) {
  OpModel m;
  int in = m.input({DType::Float32, {1, 2, 4, 1}});
  int out = m.output({DType::Float32, {1, 1, 2, 4}});
  m.op("SPACE_TO_DEPTH", {in}, {out}, "SpaceToDepthOptions", {{"block_size", 2}});
  m.setInput<float>(0, {0, 1, 4, 5, 2, 3, 6, 7});
  m.invoke();
  EXPECT_EQ(m.output<float>(0), iota(8));
}

TEST(DataMovement, ExpandDimsAndSqueezeOnlyChangeTheShape) {
  OpModel e;
  int in = e.input({DType::Float32, {2, 3}});
  int axis = e.constant<int32_t>({DType::Int32, {1}}, {-1});
  int out = e.output({DType::Float32, {2, 3, 1}});
  e.op("EXPAND_DIMS", {in, axis}, {out}, "ExpandDimsOptions");
  e.setInput<float>(0, iota(6));
  e.invoke();
  EXPECT_EQ(e.outputShape(0), (std::vector<int32_t>{2, 3, 1}));
  EXPECT_EQ(e.output<float>(0), iota(6));

  OpModel s;
  int sin = s.input({DType::Float32, {1, 2, 1, 3}});
  int sout = s.output({DType::Float32, {2, 1, 3}});
  s.op("SQUEEZE", {sin}, {sout}, "SqueezeOptions", {{"squeeze_dims", {0}}});
  s.setInput<float>(0, iota(6));
  s.invoke();
  EXPECT_EQ(s.outputShape(0), (std::vector<int32_t>{2, 1, 3}));
}

TEST(DataMovement, GatherTakesRowsAlongTheAxis) {
  OpModel m;
  int params = m.input({DType::Float32, {2, 3}});
  int idx = m.constant<int32_t>({DType::Int32, {2}}, {2, 0});
  int out = m.output({DType::Float32, {2, 2}});
  m.op("GATHER", {params, idx}, {out}, "GatherOptions", {{"axis", 1}});
  m.setInput<float>(0, iota(6));
  m.invoke();
  EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{2, 2}));
  EXPECT_EQ(m.output<float>(0), (std::vector<float>{2, 0, 5, 3}));
}

TEST(DataMovement, TileRepeatsEachAxis) {
  OpModel m;
  int in = m.input({DType::Float32, {2, 2}});
  int mult = m.constant<int32_t>({DType::Int32, {2}}, {2, 1});
  int out = m.output({DType::Float32, {4, 2}});
  m.op("TILE", {in, mult}, {out}, "TileOptions");
  m.setInput<float>(0, iota(4));
  m.invoke();
  EXPECT_EQ(m.output<float>(0), (std::vector<float>{0, 1, 2, 3, 0, 1, 2, 3}));
}

TEST(DataMovement, SliceWithSizeMinusOneRunsToTheEnd) {
  OpModel m;
  int in = m.input({DType::Float32, {3, 3}});
  int begin = m.constant<int32_t>({DType::Int32, {2}}, {1, 1});
  int size = m.constant<int32_t>({DType::Int32, {2}}, {-1, 1});
  int out = m.output({DType::Float32, {2, 1}});
  m.op("SLICE", {in, begin, size}, {out}, "SliceOptions");
  m.setInput<float>(0, iota(9));
  m.invoke();
  EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{2, 1}));
  EXPECT_EQ(m.output<float>(0), (std::vector<float>{4, 7}));
}

TEST(DataMovement, PadV2PadsWithTheGivenValue) {
  OpModel m;
  int in = m.input({DType::Float32, {2}});
  int pads = m.constant<int32_t>({DType::Int32, {1, 2}}, {1, 2});
  int value = m.constant<float>({DType::Float32, {1}}, {-3.5f});
  int out = m.output({DType::Float32, {5}});
  m.op("PADV2", {in, pads, value}, {out}, "PadV2Options");
  m.setInput<float>(0, {1, 2});
  m.invoke();
  EXPECT_EQ(m.output<float>(0), (std::vector<float>{-3.5f, 1, 2, -3.5f, -3.5f}));
}

TEST(DataMovement, SplitVWithAnInferredSizeAndUnpack) {
  OpModel m;
  int in = m.input({DType::Float32, {2, 4}});
  int sizes = m.constant<int32_t>({DType::Int32, {2}}, {1, -1});
  int axis = m.constant<int32_t>({DType::Int32, {}}, {1});
  int a = m.output({DType::Float32, {2, 1}});
  int b = m.output({DType::Float32, {2, 3}});
  m.op("SPLIT_V", {in, sizes, axis}, {a, b}, "SplitVOptions", {{"num_splits", 2}});
  m.setInput<float>(0, iota(8));
  m.invoke();
  EXPECT_EQ(m.outputShape(1), (std::vector<int32_t>{2, 3}));
  EXPECT_EQ(m.output<float>(0), (std::vector<float>{0, 4}));
  EXPECT_EQ(m.output<float>(1), (std::vector<float>{1, 2, 3, 5, 6, 7}));

  OpModel u;
  int uin = u.input({DType::Float32, {2, 3}});
  int u0 = u.output({DType::Float32, {2}});
  int u1 = u.output({DType::Float32, {2}});
  int u2 = u.output({DType::Float32, {2}});
  u.op("UNPACK", {uin}, {u0, u1, u2}, "UnpackOptions", {{"num", 3}, {"axis", 1}});
  u.setInput<float>(0, iota(6));
  u.invoke();
  EXPECT_EQ(u.output<float>(2), (std::vector<float>{2, 5}));
}

// Damaged files the run fuzzer made: an output of another type than the data, split sizes that add up only
// with a negative one, scalars to concatenate or split. All are refused in prepare instead of copied past a
// tensor's end.
TEST(DataMovement, AnOutputOfAnotherTypeAndANegativeSplitSizeAreRefused) {
  OpModel c;
  int a = c.input({DType::Float32, {2, 2}});
  int b = c.input({DType::Float32, {2, 2}});
  int out = c.output({DType::UInt8, {2, 4}, {0.1f}, {0}});
  c.op("CONCATENATION", {a, b}, {out}, "ConcatenationOptions", {{"axis", 1}});
  EXPECT_THROW(c.interpreter(), Error);

  OpModel s;
  int in = s.input({DType::Float32, {2, 4}});
  int sizes = s.constant<int32_t>({DType::Int32, {2}}, {-2, 6});
  int axis = s.constant<int32_t>({DType::Int32, {}}, {1});
  int o1 = s.output({DType::Float32, {2, 1}});
  int o2 = s.output({DType::Float32, {2, 3}});
  s.op("SPLIT_V", {in, sizes, axis}, {o1, o2}, "SplitVOptions", {{"num_splits", 2}});
  EXPECT_THROW(s.interpreter(), Error);

  OpModel scalars;
  int x = scalars.input({DType::Float32, {}});
  int y = scalars.input({DType::Float32, {}});
  int xy = scalars.output({DType::Float32, {2}});
  scalars.op("CONCATENATION", {x, y}, {xy}, "ConcatenationOptions", {{"axis", 0}});
  EXPECT_THROW(scalars.interpreter(), Error);

  OpModel unpack;
  int one = unpack.input({DType::Float32, {}});
  int part = unpack.output({DType::Float32, {}});
  unpack.op("UNPACK", {one}, {part}, "UnpackOptions", {{"num", 1}, {"axis", 0}});
  EXPECT_THROW(unpack.interpreter(), Error);
}

// Each op once in float and once in int8 (same scale in and out, as converters make them), in the real runtime.
TEST(DataMovementOracle, MatchesTheRealRuntime) {
  QL_REQUIRE_ORACLE(oracle);
  std::mt19937 rng(17);
  for (bool int8 : {false, true}) {
    const DType type = int8 ? DType::Int8 : DType::Float32;
    auto spec = [&](std::vector<int32_t> shape) {
      return int8 ? TensorSpec{type, std::move(shape), {0.05f}, {-3}} : TensorSpec{type, std::move(shape)};
    };
    auto input = [&](size_t n) {
      return int8 ? bytesOf(randomValues<int8_t>(rng, n, -128, 127)) : bytesOf(randomFloats(rng, n, -4.f, 4.f));
    };
    const std::string kind = int8 ? " int8" : " float";
    {
      OpModel m;
      int in = m.input(spec({1, 3, 2, 8}));
      int out = m.output(spec({1, 6, 4, 2}));
      m.op("DEPTH_TO_SPACE", {in}, {out}, "DepthToSpaceOptions", {{"block_size", 2}});
      expectMatchesRuntime(m, input(48), oracle + "/litert_run.mjs", "DEPTH_TO_SPACE" + kind);
    }
    {
      OpModel m;
      int in = m.input(spec({1, 6, 4, 2}));
      int out = m.output(spec({1, 3, 2, 8}));
      m.op("SPACE_TO_DEPTH", {in}, {out}, "SpaceToDepthOptions", {{"block_size", 2}});
      expectMatchesRuntime(m, input(48), oracle + "/litert_run.mjs", "SPACE_TO_DEPTH" + kind);
    }
    {
      OpModel m;
      int in = m.input(spec({3, 5, 2}));
      int idx = m.constant<int32_t>({DType::Int32, {2, 2}}, {4, 0, 1, 4});
      int out = m.output(spec({3, 2, 2, 2}));
      m.op("GATHER", {in, idx}, {out}, "GatherOptions", {{"axis", 1}});
      expectMatchesRuntime(m, input(30), oracle + "/litert_run.mjs", "GATHER" + kind);
    }
    {
      OpModel m;
      int in = m.input(spec({2, 3, 2}));
      int mult = m.constant<int32_t>({DType::Int32, {3}}, {2, 1, 3});
      int out = m.output(spec({4, 3, 6}));
      m.op("TILE", {in, mult}, {out}, "TileOptions");
      expectMatchesRuntime(m, input(12), oracle + "/litert_run.mjs", "TILE" + kind);
    }
    {
      OpModel m;
      int in = m.input(spec({1, 5, 4, 3}));
      int begin = m.constant<int32_t>({DType::Int32, {4}}, {0, 1, 2, 0});
      int size = m.constant<int32_t>({DType::Int32, {4}}, {-1, 3, -1, 2});
      int out = m.output(spec({1, 3, 2, 2}));
      m.op("SLICE", {in, begin, size}, {out}, "SliceOptions");
      expectMatchesRuntime(m, input(60), oracle + "/litert_run.mjs", "SLICE" + kind);
    }
    {
      OpModel m;
      int in = m.input(spec({1, 3, 3, 2}));
      int pads = m.constant<int32_t>({DType::Int32, {4, 2}}, {0, 0, 1, 2, 2, 0, 0, 1});
      int value = int8 ? m.constant<int8_t>(spec({1}), {17}) : m.constant<float>(spec({1}), {0.75f});
      int out = m.output(spec({1, 6, 5, 3}));
      m.op("PADV2", {in, pads, value}, {out}, "PadV2Options");
      expectMatchesRuntime(m, input(18), oracle + "/litert_run.mjs", "PADV2" + kind);
    }
    {
      OpModel m;
      int in = m.input(spec({2, 7, 3}));
      int sizes = m.constant<int32_t>({DType::Int32, {3}}, {2, -1, 1});
      int axis = m.constant<int32_t>({DType::Int32, {1}}, {1});
      int a = m.output(spec({2, 2, 3}));
      int b = m.output(spec({2, 4, 3}));
      int c = m.output(spec({2, 1, 3}));
      m.op("SPLIT_V", {in, sizes, axis}, {a, b, c}, "SplitVOptions", {{"num_splits", 3}});
      expectMatchesRuntime(m, input(42), oracle + "/litert_run.mjs", "SPLIT_V" + kind);
    }
    {
      OpModel m;
      int in = m.input(spec({2, 3, 4}));
      int a = m.output(spec({2, 4}));
      int b = m.output(spec({2, 4}));
      int c = m.output(spec({2, 4}));
      m.op("UNPACK", {in}, {a, b, c}, "UnpackOptions", {{"num", 3}, {"axis", 1}});
      expectMatchesRuntime(m, input(24), oracle + "/litert_run.mjs", "UNPACK" + kind);
    }
    {
      OpModel m;
      int in = m.input(spec({1, 4, 1, 3}));
      int axis = m.constant<int32_t>({DType::Int32, {1}}, {0});
      int mid = m.intermediate(spec({1, 1, 4, 1, 3}));
      int out = m.output(spec({4, 3}));
      m.op("EXPAND_DIMS", {in, axis}, {mid}, "ExpandDimsOptions");
      m.op("SQUEEZE", {mid}, {out}, "SqueezeOptions", {{"squeeze_dims", nlohmann::json::array()}});
      expectMatchesRuntime(m, input(12), oracle + "/litert_run.mjs", "EXPAND_DIMS + SQUEEZE" + kind);
    }
  }
}

}  // namespace
}  // namespace ql::test
