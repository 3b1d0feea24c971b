// Whole models run by quantlens on the golden inputs (no feeding): the results a user looks at agree with the
// real runtime's: the same top-1 class, the same segmentation mask, the same detections, the same face anchors.
#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/detections.h"
#include "model/reader.h"
#include "model/tensor_values.h"
#include "runtime/interpreter.h"
#include "support/tensor_compare.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

class GoldenEndToEnd : public ::testing::TestWithParam<std::string> {};

std::vector<float> realOf(const Tensor& t, const std::vector<int32_t>& shape, const std::vector<uint8_t>& bytes) {
  return realValues(t.type, shape, t.quant, bytes.data(), bytes.size());
}

size_t argmax(const float* v, size_t n) { return static_cast<size_t>(std::max_element(v, v + n) - v); }

TEST_P(GoldenEndToEnd, ResultsAgreeWithTheRealRuntime) {
  QL_REQUIRE_SHARED();
  const std::string name = GetParam();
  Golden g = readGolden(name);
  Model model = readModel(g.model_path);
  if (!unsupportedOps(model).empty()) GTEST_SKIP() << name << ": ops without a kernel: " << unsupportedOps(model)[0];
  Interpreter interp(std::make_shared<const Model>(model));
  for (size_t i = 0; i < g.inputs.size(); ++i) {
    auto bytes = readBytes(g.inputs[i]);
    interp.setInput(i, bytes.data(), bytes.size());
  }
  interp.invoke();
  const Subgraph& sg = model.subgraphs[0];
  std::map<int, const GoldenTensor*> golden;
  for (const GoldenTensor& gt : g.tensors) golden[gt.index] = &gt;

  // Detectors: compare detections.
  int pp = detectionPostProcessOp(model);
  if (pp >= 0) {
    const Op& op = sg.ops[static_cast<size_t>(pp)];
    auto values = [&](int k) {
      const GoldenTensor* gt = golden.at(op.outputs[static_cast<size_t>(k)]);
      auto b = readBytes(gt->file);
      std::vector<float> v(b.size() / 4);
      std::memcpy(v.data(), b.data(), b.size());
      return v;
    };
    std::vector<float> boxes = values(0), classes = values(1), scores = values(2), count = values(3);
    std::vector<Detection> ours = readDetections(interp, 0.f, {});
    ASSERT_EQ(static_cast<float>(ours.size()), count[0]);
    // Each of the runtime's detections has one of ours of the same class, score within 0.01, IoU >= 0.95 (order
    // may differ where scores are close).
    // Dynamic-range models are held to the same bar: they quantize every layer's float input on the fly, so
    // this only holds because the float paths sum in the runtime's order (a last-bit difference would move
    // elements across a quantization step and drift the scores).
    std::vector<bool> used(ours.size(), false);
    for (size_t i = 0; i < ours.size(); ++i) {
      Detection ref{boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3], static_cast<int>(classes[i]), "", scores[i]};
      bool found = false;
      for (size_t j = 0; j < ours.size() && !found; ++j)
        if (!used[j] && ours[j].cls == ref.cls && std::fabs(ours[j].score - ref.score) <= 0.01f &&
            intersectionOverUnion(ours[j], ref) >= 0.95f)
          used[j] = found = true;
      EXPECT_TRUE(found) << name << ": no detection like the runtime's #" << i << " (class " << ref.cls
                         << ", score " << ref.score << ")";
    }
    return;
  }
  int checked = 0;
  for (size_t k = 0; k < sg.outputs.size(); ++k) {
    int index = sg.outputs[k];
    const Tensor& t = sg.tensors[static_cast<size_t>(index)];
    auto it = golden.find(index);
    ASSERT_NE(it, golden.end()) << "golden has no output " << index;
    const RuntimeTensor& mine = interp.tensor(index);
    std::vector<uint8_t> mine_bytes(mine.raw(), mine.raw() + mine.bytes());
    std::vector<uint8_t> ref_bytes = readBytes(it->second->file);
    ASSERT_EQ(mine_bytes.size(), ref_bytes.size());
    ++checked;
    if (t.type == DType::Int64 || t.type == DType::Int32) {
      // A segmentation mask (ARG_MAX): the same class on 99.9% of pixels.
      TensorComparison c = compareTensors(dtypeLowerName(t.type), false, ref_bytes, mine_bytes, 0, IntegerPolicy::ArgMinMax);
      EXPECT_TRUE(c.ok) << name << " output " << index << ": " << c.detail;
      std::cout << name << ": mask " << c.exact_fraction * 100 << "% equal\n";
      continue;
    }
    std::vector<float> a = realOf(t, mine.shape(), mine_bytes), b = realOf(t, mine.shape(), ref_bytes);
    if (name == "face_detection_short_range" && t.shape.size() == 3 && t.shape[2] == 1) {
      // BlazeFace classificators: the same anchors above a 0.5 score.
      int same = 0, faces = 0;
      for (size_t i = 0; i < a.size(); ++i) {
        bool x = 1 / (1 + std::exp(-a[i])) > 0.5f, y = 1 / (1 + std::exp(-b[i])) > 0.5f;
        same += x == y;
        faces += y;
      }
      EXPECT_EQ(same, static_cast<int>(a.size()));
      std::cout << name << ": " << faces << " anchors above 0.5, all agree\n";
      continue;
    }
    if (t.shape.size() == 2 && t.shape[0] == 1 && t.shape[1] > 1) {
      EXPECT_EQ(argmax(a.data(), a.size()), argmax(b.data(), b.size())) << name << ": top-1 class differs";
      std::cout << name << ": top-1 class " << argmax(a.data(), a.size()) << " agrees\n";
      continue;
    }
    // Other outputs (raw boxes, regressors, features): close to the reference as a whole.
    double max_mag = 0, max_diff = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      max_mag = std::max(max_mag, std::fabs(static_cast<double>(b[i])));
      max_diff = std::max(max_diff, std::fabs(static_cast<double>(a[i]) - b[i]));
    }
    double step = t.quant.hasScale() ? t.quant.scale[0] : 0;
    EXPECT_LE(max_diff, std::max(2 * step, 1e-3 * max_mag)) << name << " output " << index;
    std::cout << name << ": output " << index << " max diff " << max_diff << " (magnitude " << max_mag << ")\n";
  }
  EXPECT_GT(checked, 0);
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenEndToEnd, ::testing::ValuesIn(goldenNamesForParams()),
                         [](const auto& param_info) { return paramName(param_info.param); });

}  // namespace
}  // namespace ql::test
