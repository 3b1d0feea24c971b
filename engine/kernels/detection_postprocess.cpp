// The custom op TFLite_Detection_PostProcess that ends SSD detectors: decode box encodings against anchors,
// then non-maximum suppression, fast (class-agnostic on each box's best classes) or regular (per class), as
// TFLite's kernel does. Ties go to the lower anchor index (stable sorts). Quantized inputs are dequantized.
// Outputs: boxes [1,M,4] (ymin, xmin, ymax, xmax), classes [1,M], scores [1,M], count [1], with
// M = max_detections * max_classes_per_detection; the file leaves their shapes empty, so prepare sizes them.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "kernels/families.h"
#include "model/tensor_values.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

struct PostProcessOptions {
  int max_detections = 0, max_classes_per_detection = 1, detections_per_class = 100, num_classes = 0;
  bool use_regular_nms = false;
  float score_threshold = 0, iou_threshold = 0;
  float y_scale = 10, x_scale = 10, h_scale = 5, w_scale = 5;
};

struct Box {
  float ymin, xmin, ymax, xmax;
};

float iou(const Box& a, const Box& b) {
  const float area_a = (a.ymax - a.ymin) * (a.xmax - a.xmin);
  const float area_b = (b.ymax - b.ymin) * (b.xmax - b.xmin);
  if (area_a <= 0 || area_b <= 0) return 0.0f;
  const float h = std::max(std::min(a.ymax, b.ymax) - std::max(a.ymin, b.ymin), 0.0f);
  const float w = std::max(std::min(a.xmax, b.xmax) - std::max(a.xmin, b.xmin), 0.0f);
  const float inter = h * w;
  return inter / (area_a + area_b - inter);
}

// Indices of `values` from the highest; equal values keep index order.
std::vector<int> decreasingOrder(const std::vector<float>& values) {
  std::vector<int> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return values[static_cast<size_t>(a)] > values[static_cast<size_t>(b)]; });
  return order;
}

// Greedy NMS on one score per box: at most `limit` boxes, in decreasing score order.
std::vector<int> nmsSingleClass(const std::vector<Box>& boxes, const std::vector<float>& scores, int limit,
                                const PostProcessOptions& o) {
  std::vector<int> kept_index;
  std::vector<float> kept_score;
  for (size_t i = 0; i < scores.size(); ++i)
    if (scores[i] >= o.score_threshold) kept_index.push_back(static_cast<int>(i)), kept_score.push_back(scores[i]);
  std::vector<int> order = decreasingOrder(kept_score);
  const size_t n = order.size();
  const size_t output_size = std::min(n, static_cast<size_t>(std::max(limit, 0)));
  std::vector<bool> active(n, true);
  std::vector<int> selected;
  for (size_t i = 0; i < n && selected.size() < output_size; ++i) {
    if (!active[i]) continue;
    const int box_i = kept_index[static_cast<size_t>(order[i])];
    selected.push_back(box_i);
    for (size_t j = i + 1; j < n; ++j)
      if (active[j] && iou(boxes[static_cast<size_t>(box_i)], boxes[static_cast<size_t>(kept_index[static_cast<size_t>(order[j])])]) >
                           o.iou_threshold)
        active[j] = false;
  }
  return selected;
}

class DetectionPostProcessKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    if (ctx.inputCount() < 3 || ctx.out.size() < 4) ctx.invalid("needs 3 inputs and 4 outputs");
    o_.max_detections = static_cast<int>(ctx.intOption("max_detections", 0));
    o_.max_classes_per_detection = static_cast<int>(ctx.intOption("max_classes_per_detection", 1));
    o_.detections_per_class = static_cast<int>(ctx.intOption("detections_per_class", 100));
    o_.num_classes = static_cast<int>(ctx.intOption("num_classes", 0));
    o_.use_regular_nms = ctx.boolOption("use_regular_nms", false);
    o_.score_threshold = static_cast<float>(ctx.floatOption("nms_score_threshold", 0));
    o_.iou_threshold = static_cast<float>(ctx.floatOption("nms_iou_threshold", 0));
    o_.y_scale = static_cast<float>(ctx.floatOption("y_scale", 10));
    o_.x_scale = static_cast<float>(ctx.floatOption("x_scale", 10));
    o_.h_scale = static_cast<float>(ctx.floatOption("h_scale", 5));
    o_.w_scale = static_cast<float>(ctx.floatOption("w_scale", 5));
    if (o_.max_detections <= 0 || o_.num_classes <= 0 || o_.max_classes_per_detection <= 0)
      ctx.invalid("max_detections, num_classes and max_classes_per_detection must be positive");
    const RuntimeTensor& enc = ctx.input(0);
    const RuntimeTensor& cls = ctx.input(1);
    const RuntimeTensor& anchors = ctx.input(2);
    if (enc.rank() != 3 || enc.dim(0) != 1 || enc.dim(2) < 4) ctx.invalid("box encodings must be [1, boxes, >=4]");
    boxes_ = enc.dim(1);
    if (cls.rank() != 3 || cls.dim(1) != boxes_ || cls.dim(2) < o_.num_classes)
      ctx.invalid("class predictions must be [1, boxes, classes (+ background)]");
    if (anchors.rank() != 2 || anchors.dim(0) != boxes_ || anchors.dim(1) != 4) ctx.invalid("anchors must be [boxes, 4]");
    for (size_t i = 0; i < 4; ++i)
      if (ctx.output(i).type() != DType::Float32) ctx.unsupported("outputs other than float32");
    const int m = o_.max_detections * o_.max_classes_per_detection;
    ctx.output(0).resize({1, m, 4});
    ctx.output(1).resize({1, m});
    ctx.output(2).resize({1, m});
    ctx.output(3).resize({1});
  }

  void eval(KernelContext& ctx) override {
    const RuntimeTensor& enc_t = ctx.input(0);
    const RuntimeTensor& cls_t = ctx.input(1);
    const RuntimeTensor& anc_t = ctx.input(2);
    std::vector<float> enc = realValues(enc_t.type(), enc_t.shape(), enc_t.quant(), enc_t.raw(), enc_t.bytes());
    std::vector<float> scores = realValues(cls_t.type(), cls_t.shape(), cls_t.quant(), cls_t.raw(), cls_t.bytes());
    std::vector<float> anchors = realValues(anc_t.type(), anc_t.shape(), anc_t.quant(), anc_t.raw(), anc_t.bytes());
    const int coords = enc_t.dim(2);
    std::vector<Box> decoded(static_cast<size_t>(boxes_));
    for (int b = 0; b < boxes_; ++b) {
      const float* e = &enc[static_cast<size_t>(b) * coords];
      const float* a = &anchors[static_cast<size_t>(b) * 4];  // ycenter, xcenter, h, w
      const float yc = e[0] / o_.y_scale * a[2] + a[0];
      const float xc = e[1] / o_.x_scale * a[3] + a[1];
      const float half_h = 0.5f * std::exp(e[2] / o_.h_scale) * a[2];
      const float half_w = 0.5f * std::exp(e[3] / o_.w_scale) * a[3];
      decoded[static_cast<size_t>(b)] = {yc - half_h, xc - half_w, yc + half_h, xc + half_w};
    }
    const int with_background = cls_t.dim(2);
    const int label_offset = with_background - o_.num_classes;

    float* out_boxes = ctx.output(0).mutableData<float>();
    float* out_classes = ctx.output(1).mutableData<float>();
    float* out_scores = ctx.output(2).mutableData<float>();
    std::memset(out_boxes, 0, ctx.output(0).bytes());
    std::memset(out_classes, 0, ctx.output(1).bytes());
    std::memset(out_scores, 0, ctx.output(2).bytes());
    auto write = [&](int slot, int box, int cls, float score) {
      std::memcpy(out_boxes + slot * 4, &decoded[static_cast<size_t>(box)], 4 * sizeof(float));
      out_classes[slot] = static_cast<float>(cls);
      out_scores[slot] = score;
    };
    auto score_of = [&](int box, int cls) {
      return scores[static_cast<size_t>(box) * with_background + label_offset + cls];
    };

    int count = 0;
    if (!o_.use_regular_nms) {
      // Fast: each box's best classes; NMS once on each box's top score.
      const int per_anchor = std::min(o_.max_classes_per_detection, o_.num_classes);
      std::vector<float> best(static_cast<size_t>(boxes_));
      std::vector<std::vector<int>> top(static_cast<size_t>(boxes_));
      for (int b = 0; b < boxes_; ++b) {
        std::vector<float> row(static_cast<size_t>(o_.num_classes));
        for (int c = 0; c < o_.num_classes; ++c) row[static_cast<size_t>(c)] = score_of(b, c);
        std::vector<int> order = decreasingOrder(row);
        order.resize(static_cast<size_t>(per_anchor));
        best[static_cast<size_t>(b)] = row[static_cast<size_t>(order[0])];
        top[static_cast<size_t>(b)] = std::move(order);
      }
      std::vector<int> selected = nmsSingleClass(decoded, best, o_.max_detections, o_);
      for (int box : selected) {
        for (int c = 0; c < per_anchor; ++c) {
          int cls = top[static_cast<size_t>(box)][static_cast<size_t>(c)];
          write(o_.max_classes_per_detection * count + c, box, cls, score_of(box, cls));
        }
        ++count;
      }
    } else {
      // Regular: NMS per class, then the best max_detections over all classes.
      std::vector<int> kept_box, kept_class;
      std::vector<float> kept_score;
      for (int c = 0; c < o_.num_classes; ++c) {
        std::vector<float> class_scores(static_cast<size_t>(boxes_));
        for (int b = 0; b < boxes_; ++b) class_scores[static_cast<size_t>(b)] = score_of(b, c);
        for (int box : nmsSingleClass(decoded, class_scores, o_.detections_per_class, o_)) {
          kept_box.push_back(box), kept_class.push_back(c), kept_score.push_back(class_scores[static_cast<size_t>(box)]);
        }
      }
      // Candidates of equal score rank by anchor, then class: the order TFLite's merge keeps.
      std::vector<int> order(kept_score.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        float sa = kept_score[static_cast<size_t>(a)], sb = kept_score[static_cast<size_t>(b)];
        if (sa != sb) return sa > sb;
        return kept_box[static_cast<size_t>(a)] < kept_box[static_cast<size_t>(b)];
      });
      for (int k : order) {
        if (count >= o_.max_detections) break;
        write(count, kept_box[static_cast<size_t>(k)], kept_class[static_cast<size_t>(k)], kept_score[static_cast<size_t>(k)]);
        ++count;
      }
    }
    ctx.output(3).mutableData<float>()[0] = static_cast<float>(count);
  }

 private:
  PostProcessOptions o_;
  int boxes_ = 0;
};

}  // namespace

void registerDetectionPostProcessKernels(KernelRegistry& r) {
  r.add("TFLite_Detection_PostProcess", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 3 || !ctx.in[0] || !ctx.in[1] || !ctx.in[2]) return nullptr;
    return std::make_unique<DetectionPostProcessKernel>();
  });
}

}  // namespace ql
