// An 8-bit tensor's zero point must be one of its values: a file with another is refused on reading, naming the
// tensor (kernels fold zero points into int32 sums that such a value would overflow).
#include <gtest/gtest.h>

#include "model/model_builder.h"
#include "model/reader.h"
#include "model/writer.h"
#include "support/test_support.h"
#include "util/error.h"

namespace ql::test {
namespace {

Model oneTensor(DType type, int64_t zero_point) {
  Model m = emptyModel();
  Tensor t;
  t.name = "x";
  t.type = type;
  t.shape = {2};
  t.quant.scale = {0.5f};
  t.quant.zero_point = {zero_point};
  m.subgraphs[0].inputs = {addTensor(m.subgraphs[0], t)};
  m.subgraphs[0].outputs = m.subgraphs[0].inputs;
  return m;
}

TEST(ZeroPointRange, EightBitZeroPointsOutsideTheirTypeAreRefusedNamingTheTensor) {
  EXPECT_NO_THROW(readModelFromBytes(Bytes::own(serializeModel(oneTensor(DType::Int8, -128))), "ok.tflite"));
  EXPECT_NO_THROW(readModelFromBytes(Bytes::own(serializeModel(oneTensor(DType::UInt8, 255))), "ok.tflite"));
  for (auto [type, zp] : {std::pair{DType::Int8, int64_t{128}}, std::pair{DType::UInt8, int64_t{-1}},
                          std::pair{DType::Int8, int64_t{788529024}}}) {
    Error e = thrownError([&] { readModelFromBytes(Bytes::own(serializeModel(oneTensor(type, zp))), "bad.tflite"); });
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("'x': zero point " + std::to_string(zp)), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ql::test
