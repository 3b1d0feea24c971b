// Matching float ops to quantized ones on the real pairs in ../shared/models.
#include <iostream>

#include "analysis/op_matching.h"
#include "model/reader.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

struct Pair {
  Model f, q;
  OpMatching m;
};

Pair matchPair(const std::string& float_name, const std::string& quant_name) {
  Pair p{readModel(sharedDir() + "/models/" + float_name + ".tflite"),
         readModel(sharedDir() + "/models/" + quant_name + ".tflite"), {}};
  p.m = matchOps(p.f, p.q);
  return p;
}

bool warnsNotTwins(const OpMatching& m) {
  for (auto& w : m.warnings)
    if (w.kind == "not_twins") return true;
  return false;
}

TEST(OpMatching, TheLstmTwinMatchesEveryOpWithoutWarning) {
  QL_REQUIRE_SHARED();
  Pair p = matchPair("trained_lstm", "trained_lstm_int8");
  EXPECT_EQ(p.m.matchedCount(), p.q.subgraphs[0].ops.size());
  EXPECT_TRUE(p.m.unmatched.empty());
  EXPECT_FALSE(warnsNotTwins(p.m));
  for (double d : p.m.weight_disagreement) EXPECT_LE(d, 0.0);
}

TEST(OpMatching, LookAlikePairsWithDifferentWeightsWarnNotTwins) {
  QL_REQUIRE_SHARED();
  EXPECT_TRUE(warnsNotTwins(matchPair("hello_world_float", "hello_world_int8").m));
  EXPECT_TRUE(warnsNotTwins(matchPair("conv_fc_mnist_float", "conv_fc_mnist_a8w8").m));
}

TEST(OpMatching, YoloTwinWithRenamedFusedOpsMatchesAtLeast95Percent) {
  QL_REQUIRE_SHARED();
  Pair p = matchPair("yolov9t_320_float16", "yolov9t_320_full_integer_quant");
  size_t total = p.q.subgraphs[0].ops.size();
  size_t agreeing = 0, by_name = 0;
  for (size_t i = 0; i < total; ++i) {
    if (p.m.kind[i] == MatchKind::ByName) ++by_name;
    bool matched = p.m.kind[i] != MatchKind::Unmatched;
    // A matched op with weights counts only when they agree within half a quantization step.
    if (matched && p.m.weight_disagreement[i] <= 0.0) ++agreeing;
  }
  std::cout << "yolov9t: " << p.m.matchedCount() << "/" << total << " matched (" << by_name << " by name), "
            << agreeing << " with agreeing weights, " << p.m.unmatched.size() << " unmatched\n";
  EXPECT_GE(agreeing * 100, total * 95);
  EXPECT_EQ(p.m.unmatched.size(), total - p.m.matchedCount());
  EXPECT_FALSE(warnsNotTwins(p.m));
}

}  // namespace
}  // namespace ql::test
