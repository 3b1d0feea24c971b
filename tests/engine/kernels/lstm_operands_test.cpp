// A damaged LSTM is refused in prepare, naming the operand, instead of read past its end (the run fuzzer found
// an int8 LSTM whose input weight had lost its shape). Each gate weight of the shared LSTMs in turn gets a wrong
// shape; every one must fail cleanly with BadInput.
#include <memory>

#include <gtest/gtest.h>

#include "model/reader.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"
#include "util/error.h"

namespace ql::test {
namespace {

TEST(LstmOperands, AGateWeightOfTheWrongShapeIsRefusedNamingIt) {
  QL_REQUIRE_SHARED();
  checkLabelAllows("golden");
  for (const char* name : {"trained_lstm", "trained_lstm_int8"}) {
    const Model original = readModel(sharedDir() + "/models/" + name + ".tflite");
    const Op& lstm = original.subgraphs[0].ops.at(0);
    ASSERT_EQ(original.opName(lstm), "UNIDIRECTIONAL_SEQUENCE_LSTM") << name;
    for (int input = 1; input <= 8; ++input) {
      const int32_t t = lstm.inputs.at(static_cast<size_t>(input));
      if (t < 0) continue;  // CIFG: no input gate
      for (std::vector<int32_t> shape : {std::vector<int32_t>{}, std::vector<int32_t>{3}, std::vector<int32_t>{1, 1}}) {
        auto damaged = std::make_shared<Model>(original);
        damaged->subgraphs[0].tensors[static_cast<size_t>(t)].shape = shape;
        Error e = thrownError([&] { Interpreter interp{std::shared_ptr<const Model>(damaged)}; });
        EXPECT_EQ(e.kind(), ErrorKind::BadInput) << name << " input " << input << ": " << e.what();
        // The forget gate's weights set the sizes the others are checked against: when one of those is 2-D but
        // wrong, the mismatch is reported on another weight.
        const bool sets_sizes = (input == 2 || input == 6) && shape.size() == 2;
        const std::string named = sets_sizes ? "weight (input " : "(input " + std::to_string(input) + ")";
        EXPECT_NE(std::string(e.what()).find(named), std::string::npos) << e.what();
      }
    }
  }
}

// The states of the float LSTM are read and written as float: a state tensor of another type (the run fuzzer's
// file) is refused, naming the input, instead of read past its end.
TEST(LstmOperands, AFloatLstmStateOfAnotherTypeIsRefused) {
  QL_REQUIRE_SHARED();
  checkLabelAllows("golden");
  const Model original = readModel(sharedDir() + "/models/trained_lstm.tflite");
  const Op& lstm = original.subgraphs[0].ops.at(0);
  for (size_t input : {size_t{18}, size_t{19}}) {  // output state, cell state
    auto damaged = std::make_shared<Model>(original);
    damaged->subgraphs[0].tensors[static_cast<size_t>(lstm.inputs.at(input))].type = DType::Int8;
    Error e = thrownError([&] { Interpreter interp{std::shared_ptr<const Model>(damaged)}; });
    EXPECT_EQ(e.kind(), ErrorKind::BadInput) << e.what();
    EXPECT_NE(std::string(e.what()).find("input " + std::to_string(input)), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ql::test
