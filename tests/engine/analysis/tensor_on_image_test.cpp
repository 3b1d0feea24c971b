// One tensor on one image, paired per layer: a float and an int8 model of two RELUs built with the writer, where
// the int8 model's first RELU clips by construction (its output holds [0, 25.5]). The histograms count every
// element, the clipped share is the float values outside the range, the second op is paired with the float RELU
// on the *dequantized* (already clipped) values, and a 4-D activation gives one map per channel.
#include <cmath>
#include <memory>

#include <gtest/gtest.h>

#include "analysis/op_matching.h"
#include "analysis/tensor_on_image.h"
#include "model/model_builder.h"
#include "model/reader.h"
#include "model/writer.h"
#include "util/error.h"

namespace ql::test {
namespace {

constexpr float kOutScale = 0.1f;
constexpr int64_t kOutZeroPoint = -128;  // int8 output range: 0.1 x (-128 + 128) .. 0.1 x (127 + 128) = [0, 25.5]

// in [1,2,2,2] -> RELU -> mid -> RELU -> out; int8: the input with scale 1, the others with [0, 25.5].
std::shared_ptr<const Model> chain(bool quantized) {
  Model m = emptyModel();
  Subgraph& sg = m.subgraphs[0];
  auto tensor = [&](const char* name, float scale, int64_t zp) {
    Tensor t;
    t.name = name;
    t.shape = {1, 2, 2, 2};
    if (quantized) {
      t.type = DType::Int8;
      t.quant.scale = {scale};
      t.quant.zero_point = {zp};
    }
    return addTensor(sg, t);
  };
  const int32_t in = tensor("in", 1.f, 0), mid = tensor("mid", kOutScale, kOutZeroPoint),
                out = tensor("out", kOutScale, kOutZeroPoint);
  sg.ops.push_back(makeOp(m, "RELU", {in}, {mid}));
  sg.ops.push_back(makeOp(m, "RELU", {mid}, {out}));
  sg.inputs = {in};
  sg.outputs = {out};
  return std::make_shared<const Model>(readModelFromBytes(Bytes::own(serializeModel(m)), quantized ? "q" : "f"));
}

std::vector<uint8_t> bytesOf(const std::vector<float>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(float));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// NHWC [1,2,2,2]: channel 0 is elements 0, 2, 4, 6; channel 1 elements 1, 3, 5, 7. 30, 40 and 100 are beyond
// 25.5, all in channel 1.
const std::vector<float> kInput{-5, 3, 0, 30, 10, 40, 20, 100};

struct Pair {
  std::shared_ptr<const Model> f = chain(false), q = chain(true);
  std::shared_ptr<const OpMatching> matching = std::make_shared<const OpMatching>(matchOps(*f, *q));
  std::unique_ptr<ImageTensors> run;
  Pair() {
    std::vector<uint8_t> q_in;
    for (float v : kInput) q_in.push_back(static_cast<uint8_t>(static_cast<int8_t>(std::min(127.f, v))));
    run = std::make_unique<ImageTensors>(f, q, matching, std::vector<std::vector<uint8_t>>{bytesOf(kInput)},
                                         std::vector<std::vector<uint8_t>>{q_in});
  }
};

TEST(TensorOnImage, HistogramsCountEveryElementAndTheClippedShareIsTheFloatValuesOutsideTheRange) {
  Pair p;
  ASSERT_EQ(p.matching->float_op[0], 0);
  const TensorOnImage t = tensorOnImage(*p.run, 0);
  EXPECT_EQ(t.tensor_name, "mid");
  EXPECT_EQ(t.op_name, "RELU");
  EXPECT_EQ(t.elements, 8);
  EXPECT_EQ(t.shape, (std::vector<int32_t>{1, 2, 2, 2}));
  ASSERT_TRUE(t.has_float) << t.note;
  ASSERT_TRUE(t.quantized);
  EXPECT_NEAR(t.range_lo, 0.0, 1e-6);
  EXPECT_NEAR(t.range_hi, 25.5, 1e-5);
  EXPECT_EQ(t.float_histogram.total(), 8);
  EXPECT_EQ(t.quant_histogram.total(), 8);
  EXPECT_EQ(t.error_histogram.total(), 8);
  EXPECT_EQ(t.float_histogram.lo, t.quant_histogram.lo);  // common bins
  EXPECT_EQ(t.float_histogram.hi, t.quant_histogram.hi);
  EXPECT_EQ(t.clipped, 3);  // 30, 40, 100
  EXPECT_DOUBLE_EQ(t.clipped_share, 3.0 / 8.0);
  // Errors: 25.5 - 30, 25.5 - 40, 25.5 - 100; the rest exact.
  EXPECT_NEAR(t.error.max_abs_error, 74.5, 1e-4);
  EXPECT_NEAR(t.error.mean_error, (-4.5 - 14.5 - 74.5) / 8.0, 1e-4);
}

TEST(TensorOnImage, TheNextOpIsPairedWithTheFloatOpOnTheDequantizedInputs) {
  Pair p;
  const TensorOnImage t = tensorOnImage(*p.run, 1);
  EXPECT_EQ(t.tensor_name, "out");
  ASSERT_TRUE(t.has_float) << t.note;
  // The float RELU read the clipped values: nothing left to clip, no error (whole-model would show 74.5).
  EXPECT_EQ(t.clipped, 0);
  EXPECT_DOUBLE_EQ(t.clipped_share, 0.0);
  EXPECT_NEAR(t.error.max_abs_error, 0.0, 1e-6);
  EXPECT_EQ(p.run->floatValues(t.tensor), p.run->quantValues(t.tensor));
}

TEST(TensorOnImage, FourDimensionalActivationsGiveAMapPerChannelWorstFirst) {
  Pair p;
  const TensorOnImage t = tensorOnImage(*p.run, 0);
  ASSERT_EQ(t.channel_rmse.size(), 2u);
  EXPECT_DOUBLE_EQ(t.channel_rmse[0], 0.0);
  EXPECT_NEAR(t.channel_rmse[1], std::sqrt((4.5 * 4.5 + 14.5 * 14.5 + 74.5 * 74.5) / 4.0), 1e-3);
  ASSERT_EQ(t.channel_maps.size(), 2u);
  const ChannelMap& worst = t.channel_maps[0];
  EXPECT_EQ(worst.channel, 1);
  EXPECT_EQ(worst.width, 2);
  EXPECT_EQ(worst.height, 2);
  EXPECT_EQ(worst.float_plane, (std::vector<float>{3, 30, 40, 100}));
  EXPECT_NEAR(worst.quant_plane[3], 25.5f, 1e-5f);
  EXPECT_NEAR(worst.error_plane[3], -74.5f, 1e-4f);
  EXPECT_NEAR(worst.error_abs_max, 74.5f, 1e-4f);
  EXPECT_FLOAT_EQ(worst.value_hi, 100.f);
  EXPECT_EQ(t.channel_maps[1].float_plane, (std::vector<float>{0, 0, 10, 20}));
  // Planes larger than max_plane are box-averaged.
  TensorOnImageOptions small;
  small.max_plane = 1;
  small.max_channels = 1;
  const TensorOnImage s = tensorOnImage(*p.run, 0, small);
  ASSERT_EQ(s.channel_maps.size(), 1u);
  EXPECT_EQ(s.channel_maps[0].width, 1);
  EXPECT_FLOAT_EQ(s.channel_maps[0].float_plane[0], (3 + 30 + 40 + 100) / 4.f);
}

TEST(TensorOnImage, OpsOutOfRangeAreBadInput) {
  Pair p;
  EXPECT_THROW(tensorOnImage(*p.run, 2), Error);
  EXPECT_THROW(tensorOnImage(*p.run, 0, {}, 1), Error);
}

TEST(TensorOnImage, ClippedShareCountsBothSides) {
  int64_t n = 0;
  EXPECT_DOUBLE_EQ(clippedShare({-2, -1, 0, 1, 2}, -1, 1, &n), 2.0 / 5.0);
  EXPECT_EQ(n, 2);
  EXPECT_DOUBLE_EQ(clippedShare({}, 0, 1), 0.0);
}

}  // namespace
}  // namespace ql::test
