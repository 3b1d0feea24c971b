// A flatbuffer's Verifier checks vectors' length words but not the alignment of 64-bit elements, so a damaged
// file can place a zero_point or a [long] option at an address that is not a multiple of 8. The reader refuses
// such a file instead of reading it (undefined behaviour the fuzzer found).
#include <cstring>

#include <flatbuffers/flatbuffers.h>

#include "model/model_builder.h"
#include "model/options_codec.h"
#include "model/reader.h"
#include "model/writer.h"
#include "support/test_support.h"
#include "util/error.h"

namespace ql::test {
namespace {

// The same bytes starting 4 bytes past an 8-byte boundary: offsets inside a flatbuffer are relative, so the
// Verifier still accepts it, but every 64-bit vector element moves off its alignment.
Bytes shiftedByFour(const std::vector<uint8_t>& bytes) {
  auto storage = std::make_shared<std::vector<uint64_t>>(bytes.size() / 8 + 2);
  uint8_t* start = reinterpret_cast<uint8_t*>(storage->data()) + 4;
  std::memcpy(start, bytes.data(), bytes.size());
  return {start, bytes.size(), storage};
}

Model quantizedIdentityModel() {
  Model m = emptyModel("misaligned test");
  Subgraph& sg = m.subgraphs[0];
  Tensor in{"input", DType::Int8, {1, 4}};
  in.quant.scale = {0.5f};
  in.quant.zero_point = {-3};
  Tensor out{"output", DType::Int8, {1, 4}};
  out.quant = in.quant;
  int32_t i = addTensor(sg, in), o = addTensor(sg, out);
  sg.inputs = {i};
  sg.outputs = {o};
  sg.ops.push_back(makeOp(m, "RELU", {i}, {o}));
  return m;
}

TEST(MisalignedVectors, AlignedModelLoads) {
  std::vector<uint8_t> bytes = serializeModel(quantizedIdentityModel());
  Model m = readModelFromBytes(Bytes::copyOf(bytes.data(), bytes.size()), "aligned.tflite");
  EXPECT_EQ(m.subgraphs[0].tensors[0].quant.zero_point, std::vector<int64_t>{-3});
}

TEST(MisalignedVectors, MisalignedZeroPointIsRefusedNamingTheFile) {
  std::vector<uint8_t> bytes = serializeModel(quantizedIdentityModel());
  try {
    readModelFromBytes(shiftedByFour(bytes), "shifted.tflite");
    FAIL() << "a misaligned zero_point vector was read";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shifted.tflite"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("aligned"), std::string::npos) << e.what();
  }
}

TEST(MisalignedVectors, OptionsWithA64BitVectorAreCheckedWhereTheyLie) {
  TableBlob blob = unionTableFromJson("tflite.BuiltinOptions2", "StablehloSliceOptions",
                                     {{"start_indices", {0, 1}}, {"limit_indices", {2, 3}}, {"strides", {1, 1}}});
  auto aligned = std::make_shared<std::vector<uint64_t>>(blob.bytes.size() / 8 + 2);
  std::memcpy(aligned->data(), blob.bytes.data(), blob.bytes.size());
  const uint8_t* at0 = reinterpret_cast<const uint8_t*>(aligned->data());
  EXPECT_TRUE(unionTableWideVectorsAligned("tflite.BuiltinOptions2", blob.type, flatbuffers::GetRoot<void>(at0)));
  Bytes shifted = shiftedByFour(blob.bytes);
  EXPECT_FALSE(
      unionTableWideVectorsAligned("tflite.BuiltinOptions2", blob.type, flatbuffers::GetRoot<void>(shifted.data)));
}

}  // namespace
}  // namespace ql::test
