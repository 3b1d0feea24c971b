// The ways a float-fallback selection is made: the last N ops, and the rows of a debugger report above a
// threshold (rows without a value never chosen).
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "analysis/quant_debugger.h"
#include "analysis/selection.h"
#include "model/model_builder.h"
#include "util/error.h"

namespace ql::test {
namespace {

Model chainOf(int ops) {
  Model m = emptyModel();
  Subgraph& sg = m.subgraphs[0];
  Tensor t;
  t.shape = {1, 4};
  int32_t prev = addTensor(sg, t);
  sg.inputs = {prev};
  for (int i = 0; i < ops; ++i) {
    int32_t next = addTensor(sg, t);
    sg.ops.push_back(makeOp(m, "RELU", {prev}, {next}));
    prev = next;
  }
  sg.outputs = {prev};
  return m;
}

TEST(Selection, LastNOpsAreTheTailInExecutionOrder) {
  Model m = chainOf(5);
  EXPECT_EQ(selectLast(m, 2).ops, (std::set<int>{3, 4}));
  EXPECT_EQ(selectLast(m, 9).ops, (std::set<int>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(selectLast(m, 0).ops.empty());
  EXPECT_THROW(selectLast(m, -1), Error);
}

TEST(Selection, AboveThresholdIsStrictAndSkipsRowsWithoutAValue) {
  DebugReport r;
  auto row = [&](int op, double scale, double rmse) {
    LayerRow l;
    l.op_index = op;
    l.scale = scale;
    l.rmse_over_scale = rmse;
    r.layers.push_back(l);
  };
  row(0, 0.1, 0.25);   // exactly at the threshold: not above
  row(1, 0.1, 0.2501);
  row(2, 0.0, 5.0);    // no scale: no value
  row(3, 0.1, std::numeric_limits<double>::quiet_NaN());
  row(4, 0.1, 0.9);
  EXPECT_EQ(selectAboveThreshold(r, 0.25).ops, (std::set<int>{1, 4}));
  EXPECT_TRUE(selectAboveThreshold(r, 1.0).ops.empty());
}

}  // namespace
}  // namespace ql::test
