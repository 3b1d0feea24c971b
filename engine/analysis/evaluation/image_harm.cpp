#include "analysis/evaluation/image_harm.h"

#include <algorithm>

namespace ql {

std::vector<ImageHarm> imagesByHarm(const EvaluationResult& r, size_t model) {
  std::vector<ImageHarm> out;
  if (model == 0 || model >= r.models.size()) return out;
  const ModelResult& ref = r.models[0];
  const ModelResult& m = r.models[model];
  for (size_t i = 0; i < m.images.size() && i < ref.images.size(); ++i) {
    ImageHarm h;
    h.image = i;
    h.reference = ref.images[i].score;
    h.score = m.images[i].score;
    h.agreement = m.images[i].agreement;
    if (h.reference >= 0 && h.score >= 0) h.drop = h.reference - h.score;
    if (h.score < 0 && h.agreement < 0) continue;
    out.push_back(h);
  }
  // An image without an agreement sorts after those with one: it says nothing about what changed.
  auto agreement = [](const ImageHarm& h) { return h.agreement < 0 ? 2.0 : h.agreement; };
  std::stable_sort(out.begin(), out.end(), [&](const ImageHarm& a, const ImageHarm& b) {
    if (a.drop != b.drop) return a.drop > b.drop;
    return agreement(a) < agreement(b);
  });
  return out;
}

}  // namespace ql
