// Memory planning: intermediate tensors share one arena where their lifetimes do not overlap, and results do not
// change (the golden tests run with it too).
#include "model/reader.h"
#include "runtime/interpreter.h"
#include "support/op_model.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

TEST(MemoryPlan, ArenaIsMuchSmallerThanOneBufferPerTensor) {
  QL_REQUIRE_SHARED();
  for (const char* name : {"coco_ssd_mobilenet_v1_1.0_quant", "mobilenet_v2_quantized_1x3x224x224"}) {
    Model m = readModel(sharedDir() + "/models/" + name + ".tflite");
    Interpreter interp(std::make_shared<const Model>(std::move(m)));
    std::cout << name << ": arena " << interp.arenaBytes() / 1024 << " KiB for " << interp.unplannedBytes() / 1024
              << " KiB of intermediate tensors\n";
    EXPECT_GT(interp.arenaBytes(), 0u);
    EXPECT_LT(interp.arenaBytes() * 3, interp.unplannedBytes());
  }
}

TEST(MemoryPlan, AChainReusesMemoryAndKeepsResults) {
  // x -> relu -> a -> relu6 -> b -> relu -> c -> neg -> y: a and c may share memory, b may not share with a or c.
  OpModel m;
  int x = m.input({DType::Float32, {1, 1024}});
  int a = m.intermediate({DType::Float32, {1, 1024}});
  int b = m.intermediate({DType::Float32, {1, 1024}});
  int c = m.intermediate({DType::Float32, {1, 1024}});
  int y = m.output({DType::Float32, {1, 1024}});
  m.op("RELU", {x}, {a});
  m.op("RELU6", {a}, {b});
  m.op("RELU", {b}, {c});
  m.op("NEG", {c}, {y});
  std::vector<float> in(1024);
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i % 13) - 6.f;
  m.setInput(0, in);
  m.invoke();
  EXPECT_LT(m.interpreter().arenaBytes(), m.interpreter().unplannedBytes());
  auto out = m.output<float>(0);
  for (size_t i = 0; i < in.size(); ++i) ASSERT_EQ(out[i], -std::min(std::max(in[i], 0.f), 6.f)) << i;
}

}  // namespace
}  // namespace ql::test
