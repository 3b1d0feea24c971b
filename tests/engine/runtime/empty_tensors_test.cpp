// An op whose outputs hold no element (a dimension of 0) is not evaluated: there is nothing to write, and its
// loops over the other dimensions could run for hours. The run fuzzer's case, an AVERAGE_POOL_2D over a
// [1,50331712,1064967,0] input, ran past its 10 s limit before.
#include <gtest/gtest.h>

#include "support/op_model.h"

namespace ql::test {
namespace {

TEST(EmptyTensors, AnOpWithNothingToWriteReturnsAtOnce) {
  OpModel m;
  int in = m.input({DType::Float32, {1, 1 << 20, 1 << 20, 0}});
  int out = m.output({DType::Float32, {1, 1 << 20, 1 << 20, 0}});
  m.op("AVERAGE_POOL_2D", {in}, {out}, "Pool2DOptions",
       {{"padding", "SAME"}, {"stride_w", 1}, {"stride_h", 1}, {"filter_width", 3}, {"filter_height", 3}});
  m.setInput<float>(0, {});
  m.invoke();  // 2^40 windows of nothing before
  EXPECT_EQ(m.outputShape(0), (std::vector<int32_t>{1, 1 << 20, 1 << 20, 0}));
  EXPECT_TRUE(m.output<float>(0).empty());
}

}  // namespace
}  // namespace ql::test
