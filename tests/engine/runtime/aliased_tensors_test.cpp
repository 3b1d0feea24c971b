// A damaged file whose op writes a model input, its own input, a tensor another op writes or one an earlier op
// reads is refused before running, naming the op and the tensor (the run fuzzer's RESIZE_BILINEAR resized the input it was reading).
#include <memory>

#include <gtest/gtest.h>

#include "model/model_builder.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"
#include "util/error.h"

namespace ql::test {
namespace {

// x -> RELU -> y, with the RELU's output replaced by `written`.
std::shared_ptr<const Model> reluWriting(bool to_input, bool twice) {
  auto m = std::make_shared<Model>(emptyModel());
  Subgraph& sg = m->subgraphs[0];
  Tensor t;
  t.shape = {1, 4};
  int32_t x = addTensor(sg, t), y = addTensor(sg, t);
  sg.inputs = {x};
  sg.outputs = {y};
  sg.ops.push_back(makeOp(*m, "RELU", {x}, {to_input ? x : y}));
  if (twice) sg.ops.push_back(makeOp(*m, "RELU", {x}, {y}));
  return m;
}

TEST(AliasedTensors, AnOpWritingAModelInputOrATensorWrittenTwiceIsRefused) {
  EXPECT_NO_THROW(Interpreter{reluWriting(false, false)});
  Error input = thrownError([] { Interpreter interp{reluWriting(true, false)}; });
  EXPECT_EQ(input.kind(), ErrorKind::BadInput);
  EXPECT_NE(std::string(input.what()).find("op 0 (RELU) writes tensor 0"), std::string::npos) << input.what();
  Error twice = thrownError([] { Interpreter interp{reluWriting(false, true)}; });
  EXPECT_NE(std::string(twice.what()).find("which op 0 writes too"), std::string::npos) << twice.what();
}

// x -> RELU(reads s) -> y; then RELU writes s: a tensor read by op 0 before op 1 writes it (the run fuzzer's SOFTMAX
// overwrote an LSTM's state that way, with a smaller shape than the LSTM had been prepared for).
TEST(AliasedTensors, ATensorReadBeforeAnOpWritesItIsRefused) {
  auto m = std::make_shared<Model>(emptyModel());
  Subgraph& sg = m->subgraphs[0];
  Tensor t;
  t.shape = {1, 4};
  int32_t x = addTensor(sg, t), s = addTensor(sg, t), y = addTensor(sg, t);
  sg.inputs = {x};
  sg.outputs = {y};
  sg.ops.push_back(makeOp(*m, "ADD", {x, s}, {y}));
  sg.ops.push_back(makeOp(*m, "RELU", {x}, {s}));
  Error e = thrownError([&] { Interpreter interp{std::shared_ptr<const Model>(m)}; });
  EXPECT_EQ(e.kind(), ErrorKind::BadInput);
  EXPECT_NE(std::string(e.what()).find("op 1 (RELU) writes tensor 1"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("which op 0 reads before it is written"), std::string::npos) << e.what();
}

}  // namespace
}  // namespace ql::test
