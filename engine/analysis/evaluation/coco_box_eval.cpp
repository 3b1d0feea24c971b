#include "analysis/evaluation/coco_box_eval.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ql {

namespace {

// numpy.linspace: start + i * step, the last value set to `stop` exactly.
template <size_t N>
std::array<double, N> linspace(double start, double stop) {
  std::array<double, N> out{};
  const double step = (stop - start) / static_cast<double>(N - 1);
  for (size_t i = 0; i < N; ++i) out[i] = static_cast<double>(i) * step + start;
  out[N - 1] = stop;
  return out;
}

constexpr double kAreaBounds[4][2] = {{0, 1e10}, {0, 32.0 * 32}, {32.0 * 32, 96.0 * 96}, {96.0 * 96, 1e10}};
constexpr size_t kAreaCount = 4;
constexpr double kEpsilon = 2.220446049250313e-16;  // numpy.spacing(1), keeps 0/0 out of the precision

bool outside(double area, size_t range) { return area < kAreaBounds[range][0] || area > kAreaBounds[range][1]; }

// Indices of `dets` by descending score; ties keep their order (pycocotools sorts with a stable mergesort).
std::vector<size_t> byDescendingScore(const std::vector<const ScoredBox*>& dets) {
  std::vector<size_t> order(dets.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return dets[a]->score > dets[b]->score; });
  return order;
}

// COCOeval.evaluateImg for one image, category and area range; `iou[d][g]` for the sorted detections.
BoxEvaluation::Matches matchImage(const std::vector<const ScoredBox*>& dets,
                                  const std::vector<const GroundTruthBox*>& gts,
                                  const std::vector<std::vector<double>>& iou, size_t range) {
  BoxEvaluation::Matches m;
  m.present = true;
  const size_t nd = dets.size();
  // Ground truth that counts first, ignored after (stable), so a match to a real box is found before an ignored one.
  std::vector<size_t> gorder(gts.size());
  std::iota(gorder.begin(), gorder.end(), 0);
  std::vector<bool> g_ignored(gts.size());
  for (size_t g = 0; g < gts.size(); ++g)
    g_ignored[g] = gts[g]->ignore || gts[g]->crowd || outside(gts[g]->area, range);
  std::stable_sort(gorder.begin(), gorder.end(), [&](size_t a, size_t b) { return !g_ignored[a] && g_ignored[b]; });
  for (size_t g = 0; g < gts.size(); ++g) m.counted_truth += g_ignored[g] ? 0 : 1;

  m.scores.resize(nd);
  m.matched.assign(nd, {});
  m.ignored.assign(nd, {});
  for (size_t d = 0; d < nd; ++d) m.scores[d] = dets[d]->score;
  const auto& thresholds = iouThresholds();
  for (size_t t = 0; t < kIouThresholdCount; ++t) {
    std::vector<bool> g_taken(gts.size(), false);
    for (size_t d = 0; d < nd; ++d) {
      double best = std::min(thresholds[t], 1 - 1e-10);
      long match = -1;  // position in gorder
      for (size_t k = 0; k < gorder.size(); ++k) {
        const size_t g = gorder[k];
        if (g_taken[g] && !gts[g]->crowd) continue;  // a crowd region takes any number of detections
        // Matched to a box that counts: an ignored one (all after it) cannot replace it.
        if (match >= 0 && !g_ignored[gorder[static_cast<size_t>(match)]] && g_ignored[g]) break;
        if (iou[d][g] < best) continue;
        best = iou[d][g];  // an equal IoU later in the order wins, as in pycocotools
        match = static_cast<long>(k);
      }
      if (match < 0) continue;
      const size_t g = gorder[static_cast<size_t>(match)];
      m.matched[d][t] = true;
      m.ignored[d][t] = g_ignored[g];
      g_taken[g] = true;
    }
    // Unmatched detections of a size outside the range are not false positives of that range.
    for (size_t d = 0; d < nd; ++d)
      if (!m.matched[d][t] && outside(dets[d]->box.w * dets[d]->box.h, range)) m.ignored[d][t] = true;
  }
  return m;
}

}  // namespace

const std::array<double, kIouThresholdCount>& iouThresholds() {
  static const auto t = linspace<kIouThresholdCount>(0.5, 0.95);
  return t;
}

const std::array<double, kRecallPointCount>& recallThresholds() {
  static const auto r = linspace<kRecallPointCount>(0.0, 1.0);
  return r;
}

double cocoBoxIou(const EvalBox& d, const EvalBox& g, bool truth_is_crowd) {
  const double w = std::min(d.x + d.w, g.x + g.w) - std::max(d.x, g.x);
  if (w <= 0) return 0;
  const double h = std::min(d.y + d.h, g.y + g.h) - std::max(d.y, g.y);
  if (h <= 0) return 0;
  const double inter = w * h;
  const double uni = truth_is_crowd ? d.w * d.h : d.w * d.h + g.w * g.h - inter;
  return inter / uni;
}

BoxEvaluation::BoxEvaluation(const std::vector<ImageBoxes>& images, int num_categories)
    : images_(images.size()), categories_(std::max(0, num_categories)) {
  matches_.resize(images_ * static_cast<size_t>(categories_) * kAreaCount);
  for (size_t i = 0; i < images_; ++i) {
    std::vector<std::vector<const GroundTruthBox*>> gts(static_cast<size_t>(categories_));
    std::vector<std::vector<const ScoredBox*>> dts(static_cast<size_t>(categories_));
    for (const GroundTruthBox& g : images[i].truth)
      if (g.category >= 0 && g.category < categories_) gts[static_cast<size_t>(g.category)].push_back(&g);
    for (const ScoredBox& d : images[i].detections)
      if (d.category >= 0 && d.category < categories_) dts[static_cast<size_t>(d.category)].push_back(&d);
    for (int c = 0; c < categories_; ++c) {
      const auto& g = gts[static_cast<size_t>(c)];
      const auto& all_d = dts[static_cast<size_t>(c)];
      if (g.empty() && all_d.empty()) continue;
      std::vector<size_t> order = byDescendingScore(all_d);
      order.resize(std::min(order.size(), kMaxDetectionsPerImage));
      std::vector<const ScoredBox*> d;
      for (size_t k : order) d.push_back(all_d[k]);
      std::vector<std::vector<double>> iou(d.size(), std::vector<double>(g.size()));
      for (size_t a = 0; a < d.size(); ++a)
        for (size_t b = 0; b < g.size(); ++b) iou[a][b] = cocoBoxIou(d[a]->box, g[b]->box, g[b]->crowd);
      for (size_t r = 0; r < kAreaCount; ++r)
        matches_[(i * static_cast<size_t>(categories_) + static_cast<size_t>(c)) * kAreaCount + r] =
            matchImage(d, g, iou, r);
    }
  }
}

const BoxEvaluation::Matches& BoxEvaluation::at(size_t image, int category, AreaRange area) const {
  return matches_[(image * static_cast<size_t>(categories_) + static_cast<size_t>(category)) * kAreaCount +
                  static_cast<size_t>(area)];
}

// COCOeval.accumulate for one category and area range at 100 detections per image.
BoxEvaluation::Accumulated BoxEvaluation::accumulate(int category, AreaRange area, size_t first_image,
                                                     size_t image_count) const {
  Accumulated out;
  struct Entry {
    float score;
    const Matches* m;
    size_t d;
  };
  std::vector<Entry> entries;
  size_t counted = 0;
  for (size_t i = first_image; i < first_image + image_count; ++i) {
    const Matches& m = at(i, category, area);
    if (!m.present) continue;
    counted += m.counted_truth;
    for (size_t d = 0; d < m.scores.size(); ++d) entries.push_back({m.scores[d], &m, d});
  }
  if (counted == 0) return out;
  out.valid = true;
  // Images in order, then a stable sort by score: ties across images keep the image order.
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.score > b.score; });
  const auto& recall_points = recallThresholds();
  const size_t nd = entries.size();
  std::vector<double> rc(nd), pr(nd);
  for (size_t t = 0; t < kIouThresholdCount; ++t) {
    double tp = 0, fp = 0;
    for (size_t k = 0; k < nd; ++k) {
      const Entry& e = entries[k];
      if (!e.m->ignored[e.d][t]) (e.m->matched[e.d][t] ? tp : fp) += 1;
      rc[k] = tp / static_cast<double>(counted);
      pr[k] = tp / (fp + tp + kEpsilon);
    }
    out.recall[t] = nd ? rc[nd - 1] : 0;
    // The precision envelope: at each recall, the best precision reached at that recall or beyond.
    for (size_t k = nd; k-- > 1;) pr[k - 1] = std::max(pr[k - 1], pr[k]);
    for (size_t r = 0; r < kRecallPointCount; ++r) {
      const size_t k = static_cast<size_t>(std::lower_bound(rc.begin(), rc.end(), recall_points[r]) - rc.begin());
      out.precision[t][r] = k < nd ? pr[k] : 0;  // recall never reached: precision 0
    }
  }
  return out;
}

namespace {
double meanOf(const std::array<double, kRecallPointCount>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}
double meanOrMinusOne(const std::vector<double>& v) {
  return v.empty() ? -1 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}
}  // namespace

BoxMetrics BoxEvaluation::metrics() const {
  BoxMetrics out;
  std::vector<double> all, at50, at75, recall;
  std::array<std::vector<double>, kAreaCount> by_area;
  for (int c = 0; c < categories_; ++c) {
    CategoryAp cat;
    cat.category = c;
    for (size_t i = 0; i < images_; ++i) cat.ground_truth += at(i, c, AreaRange::All).counted_truth;
    for (size_t r = 0; r < kAreaCount; ++r) {
      const Accumulated a = accumulate(c, static_cast<AreaRange>(r), 0, images_);
      if (!a.valid) continue;
      double ap = 0;
      for (const auto& p : a.precision) ap += meanOf(p);
      ap /= kIouThresholdCount;
      by_area[r].push_back(ap);
      if (r != 0) continue;
      cat.ap = ap;
      cat.ap50 = meanOf(a.precision[0]);
      cat.ap75 = meanOf(a.precision[5]);
      cat.recall = std::accumulate(a.recall.begin(), a.recall.end(), 0.0) / kIouThresholdCount;
      cat.precision50 = a.precision[0];
      at50.push_back(cat.ap50);
      at75.push_back(cat.ap75);
      recall.push_back(cat.recall);
    }
    out.per_category.push_back(cat);
  }
  out.map = meanOrMinusOne(by_area[0]);
  out.map50 = meanOrMinusOne(at50);
  out.map75 = meanOrMinusOne(at75);
  out.map_small = meanOrMinusOne(by_area[1]);
  out.map_medium = meanOrMinusOne(by_area[2]);
  out.map_large = meanOrMinusOne(by_area[3]);
  out.ar100 = meanOrMinusOne(recall);
  return out;
}

double BoxEvaluation::imageMap(size_t image) const {
  std::vector<double> aps;
  for (int c = 0; c < categories_; ++c) {
    const Accumulated a = accumulate(c, AreaRange::All, image, 1);
    if (!a.valid) continue;
    double ap = 0;
    for (const auto& p : a.precision) ap += meanOf(p);
    aps.push_back(ap / kIouThresholdCount);
  }
  return meanOrMinusOne(aps);
}

}  // namespace ql
