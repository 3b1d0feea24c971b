// imagesByHarm: the images where a model does worst next to the first one come first: by the drop of the image's
// own score, then by the lowest agreement; images with nothing measured are left out.
#include "analysis/evaluation/image_harm.h"

#include <gtest/gtest.h>

namespace ql {
namespace {

ModelResult modelWith(const std::vector<std::pair<double, double>>& score_and_agreement) {
  ModelResult m;
  for (const auto& [score, agreement] : score_and_agreement) {
    ImageResult im;
    im.score = score;
    im.agreement = agreement;
    m.images.push_back(im);
  }
  return m;
}

std::vector<size_t> order(const std::vector<ImageHarm>& h) {
  std::vector<size_t> out;
  for (const ImageHarm& x : h) out.push_back(x.image);
  return out;
}

TEST(ImagesByHarm, ScoreDropFirstThenAgreement) {
  EvaluationResult r;
  r.models.push_back(modelWith({{0.9, -1}, {0.5, -1}, {0.8, -1}, {0.7, -1}, {-1, -1}}));
  r.models.push_back(modelWith({{0.9, 0.6}, {0.1, 0.9}, {0.8, 0.4}, {0.6, 1.0}, {-1, -1}}));
  const std::vector<ImageHarm> h = imagesByHarm(r, 1);
  // Image 1 lost 0.4, image 3 lost 0.1; images 0 and 2 lost nothing (2 agrees less); image 4 has nothing.
  EXPECT_EQ(order(h), (std::vector<size_t>{1, 3, 2, 0}));
  EXPECT_NEAR(h[0].drop, 0.4, 1e-12);
  EXPECT_EQ(h[0].reference, 0.5);
  EXPECT_EQ(h[0].score, 0.1);
  EXPECT_EQ(h[0].agreement, 0.9);
}

TEST(ImagesByHarm, WithoutAnnotationsByAgreement) {
  EvaluationResult r;
  r.models.push_back(modelWith({{-1, -1}, {-1, -1}, {-1, -1}}));
  r.models.push_back(modelWith({{-1, 1.0}, {-1, 0.2}, {-1, 0.7}}));
  EXPECT_EQ(order(imagesByHarm(r, 1)), (std::vector<size_t>{1, 2, 0}));
  EXPECT_TRUE(imagesByHarm(r, 0).empty());
  EXPECT_TRUE(imagesByHarm(r, 2).empty());
}

}  // namespace
}  // namespace ql
