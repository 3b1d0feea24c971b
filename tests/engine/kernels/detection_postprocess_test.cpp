// TFLite_Detection_PostProcess alone, built with the project's writer: the same four outputs as the real
// runtime on random scores with real SSD anchors, for several option sets.
#include <filesystem>
#include <random>

#include "model/model_builder.h"
#include "model/reader.h"
#include "model/tensor_values.h"
#include "model/writer.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

struct PostProcessCase {
  std::string name;
  nlohmann::json options;
};

// The anchors of the classic COCO SSD (its constant anchor tensor, dequantized).
std::vector<float> cocoAnchors(int* count) {
  Model m = readModel(sharedDir() + "/models/coco_ssd_mobilenet_v1_1.0_quant.tflite");
  const Subgraph& sg = m.subgraphs[0];
  for (const Op& op : sg.ops)
    if (m.opName(op) == "TFLite_Detection_PostProcess") {
      const Tensor& a = sg.tensors[static_cast<size_t>(op.inputs[2])];
      *count = a.shape[0];
      return constantRealValues(m, a);
    }
  return {};
}

Model postProcessModel(const std::vector<float>& anchors, int boxes, int classes, const nlohmann::json& options) {
  Model m = emptyModel("post-process only");
  Subgraph& sg = m.subgraphs[0];
  int enc = addTensor(sg, {"box_encodings", DType::Float32, {1, boxes, 4}});
  int cls = addTensor(sg, {"class_predictions", DType::Float32, {1, boxes, classes + 1}});
  Tensor anc{"anchors", DType::Float32, {boxes, 4}};
  anc.buffer = addBuffer(m, Bytes::copyOf(anchors.data(), anchors.size() * sizeof(float)));
  int a = addTensor(sg, anc);
  int det = options["max_detections"].get<int>() * options.value("max_classes_per_detection", 1);
  // Static output shapes, so LiteRT can size them.
  int o0 = addTensor(sg, {"boxes", DType::Float32, {1, det, 4}});
  int o1 = addTensor(sg, {"classes", DType::Float32, {1, det}});
  int o2 = addTensor(sg, {"scores", DType::Float32, {1, det}});
  int o3 = addTensor(sg, {"count", DType::Float32, {1}});
  sg.inputs = {enc, cls};
  sg.outputs = {o0, o1, o2, o3};
  sg.ops.push_back(makeOp(m, "TFLite_Detection_PostProcess", {enc, cls, a}, {o0, o1, o2, o3}, "", options));
  return m;
}

std::vector<float> floats(const std::vector<uint8_t>& b) {
  std::vector<float> v(b.size() / 4);
  std::memcpy(v.data(), b.data(), v.size() * 4);
  return v;
}

TEST(DetectionPostProcess, MatchesTheRealRuntimeOnRandomScores) {
  QL_REQUIRE_SHARED();
  QL_REQUIRE_ORACLE(oracle);
  int boxes = 0;
  std::vector<float> anchors = cocoAnchors(&boxes);
  ASSERT_EQ(boxes, 1917);
  const int classes = 90;
  std::mt19937 rng(7);
  std::normal_distribution<float> enc_dist(0.f, 1.f);
  std::vector<float> enc(static_cast<size_t>(boxes) * 4);
  for (float& v : enc) v = enc_dist(rng);
  // Distinct scores: a shuffled ramp, so no two tie.
  std::vector<float> scores(static_cast<size_t>(boxes) * (classes + 1));
  for (size_t i = 0; i < scores.size(); ++i) scores[i] = static_cast<float>(i) / static_cast<float>(scores.size());
  std::shuffle(scores.begin(), scores.end(), rng);

  auto base = [](bool regular, int max_det, int per_det, float score_thr, float iou_thr) {
    return nlohmann::json{{"max_detections", max_det}, {"max_classes_per_detection", per_det},
                          {"detections_per_class", 100}, {"use_regular_nms", regular},
                          {"nms_score_threshold", score_thr}, {"nms_iou_threshold", iou_thr},
                          {"num_classes", 90}, {"y_scale", 10.0}, {"x_scale", 10.0}, {"h_scale", 5.0},
                          {"w_scale", 5.0}};
  };
  std::vector<PostProcessCase> cases = {
      {"fast", base(false, 10, 1, 0.3f, 0.6f)},
      {"fast_3_classes", base(false, 8, 3, 0.5f, 0.5f)},
      {"regular", base(true, 10, 1, 0.3f, 0.6f)},
      {"regular_strict", base(true, 25, 1, 0.9f, 0.3f)},
  };
  std::string dir = makeTempDir("postprocess");
  writeBytes(dir + "/enc.bin", std::vector<uint8_t>(reinterpret_cast<uint8_t*>(enc.data()),
                                                    reinterpret_cast<uint8_t*>(enc.data()) + enc.size() * 4));
  writeBytes(dir + "/cls.bin", std::vector<uint8_t>(reinterpret_cast<uint8_t*>(scores.data()),
                                                    reinterpret_cast<uint8_t*>(scores.data()) + scores.size() * 4));
  for (const PostProcessCase& c : cases) {
    SCOPED_TRACE(c.name);
    Model m = postProcessModel(anchors, boxes, classes, c.options);
    std::string path = dir + "/" + c.name + ".tflite";
    writeModel(m, path);
    auto ref = runOracle(oracle + "/litert_run.mjs", path, {dir + "/enc.bin", dir + "/cls.bin"}, dir + "/" + c.name);
    ASSERT_EQ(ref.size(), 4u);
    Model loaded = readModel(path);
    Interpreter interp(loaded);
    interp.setInput(0, enc.data(), enc.size() * 4);
    interp.setInput(1, scores.data(), scores.size() * 4);
    interp.invoke();
    std::vector<float> ref_count = floats(readBytes(ref[3]));
    int n = static_cast<int>(ref_count[0]);
    EXPECT_EQ(interp.output(3).data<float>()[0], ref_count[0]);
    EXPECT_GT(n, 0);
    for (size_t k = 0; k < 3; ++k) {
      std::vector<float> expected = floats(readBytes(ref[k]));
      const float* actual = interp.output(k).data<float>();
      size_t per = k == 0 ? 4 : 1;
      for (size_t i = 0; i < static_cast<size_t>(n) * per; ++i)
        EXPECT_NEAR(actual[i], expected[i], 1e-5f) << "output " << k << " element " << i;
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ql::test
