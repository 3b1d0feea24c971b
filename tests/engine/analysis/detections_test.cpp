// Detections read from TFLite_Detection_PostProcess outputs, label files (text, .pbtxt, zipped in the model), and
// `quantlens-cli detect` end to end: on a tiny detector built in code, and on the classic COCO SSD with the photo
// TFLite's own Android test uses.
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "analysis/detections.h"
#include "analysis/labels.h"
#include "model/model_builder.h"
#include "model/reader.h"
#include "model/writer.h"
#include "runtime/interpreter.h"
#include "support/op_model.h"
#include "support/test_support.h"
#include "util/error.h"

namespace ql::test {
namespace {

constexpr const char* kOp = "TFLite_Detection_PostProcess";

ErrorKind errorKindOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  return ErrorKind::Internal;
}

std::string writeText(const std::string& dir, const std::string& name, const std::string& text) {
  std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// ------------------------------------------------------------------------------------------------------------
// Labels

TEST(Labels, TextFileLineIIsClassI) {
  std::string dir = makeTempDir("labels");
  EXPECT_EQ(loadLabels(writeText(dir, "l.txt", "person\r\nbicycle\n\ncar\n\n\n")),
            (std::vector<std::string>{"person", "bicycle", "", "car"}));
  EXPECT_EQ(errorKindOf([&] { loadLabels(writeText(dir, "empty.txt", "\n\n")); }), ErrorKind::BadInput);
  EXPECT_EQ(errorKindOf([&] { loadLabels(dir + "/missing.txt"); }), ErrorKind::BadInput);
  std::filesystem::remove_all(dir);
}

TEST(Labels, PbtxtLabelMapIdOneIsClassZero) {
  std::string dir = makeTempDir("labels");
  std::string map = R"(
    item { id: 2 name: 'dog' }
    item {
      name: "/m/01yrx"
      id: 1
      display_name: "cat"
    }
    item { id: 4 name: 'bird' }
  )";
  EXPECT_EQ(loadLabels(writeText(dir, "m.pbtxt", map)), (std::vector<std::string>{"cat", "dog", "", "bird"}));
  EXPECT_EQ(errorKindOf([&] { loadLabels(writeText(dir, "bad.pbtxt", "nothing here")); }), ErrorKind::BadInput);
  EXPECT_EQ(errorKindOf([&] { loadLabels(writeText(dir, "noid.pbtxt", "item { name: 'x' }")); }), ErrorKind::BadInput);
  std::filesystem::remove_all(dir);
}

TEST(Labels, PetsLabelMap) {
  QL_REQUIRE_SHARED();
  std::vector<std::string> labels = loadLabels(sharedDir() + "/images/pets_label_map.pbtxt");
  ASSERT_EQ(labels.size(), 37u);
  EXPECT_EQ(labels[0], "Abyssinian");
  EXPECT_EQ(labels[1], "american_bulldog");
}

// A zip archive of stored (method 0) or deflated (method 8) entries, as TFLite metadata packs label files.
std::vector<uint8_t> zipOf(const std::vector<std::pair<std::string, std::string>>& files, bool compress) {
  std::vector<uint8_t> out;
  auto u16 = [&](uint32_t v) { out.push_back(v & 0xff), out.push_back((v >> 8) & 0xff); };
  auto u32 = [&](uint32_t v) { u16(v & 0xffff), u16(v >> 16); };
  for (const auto& [name, text] : files) {
    std::string body = text;
    if (compress) {
      z_stream s{};
      deflateInit2(&s, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
      body.resize(deflateBound(&s, static_cast<uLong>(text.size())));
      s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
      s.avail_in = static_cast<uInt>(text.size());
      s.next_out = reinterpret_cast<Bytef*>(body.data());
      s.avail_out = static_cast<uInt>(body.size());
      deflate(&s, Z_FINISH);
      body.resize(s.total_out);
      deflateEnd(&s);
    }
    u32(0x04034b50), u16(20), u16(0), u16(compress ? 8 : 0), u16(0), u16(0);
    u32(static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size()))));
    u32(static_cast<uint32_t>(body.size())), u32(static_cast<uint32_t>(text.size()));
    u16(static_cast<uint32_t>(name.size())), u16(0);
    out.insert(out.end(), name.begin(), name.end());
    out.insert(out.end(), body.begin(), body.end());
  }
  return out;  // local entries are all the reader needs
}

TEST(Labels, FromAZipAppendedToTheModelOrInAMetadataBuffer) {
  for (bool deflate : {false, true}) {
    SCOPED_TRACE(deflate ? "deflated" : "stored");
    std::vector<uint8_t> zip = zipOf({{"readme.md", "not labels"}, {"labelmap.txt", "cat\ndog\n"}}, deflate);
    Model appended = emptyModel();
    appended.trailing = Bytes::own(zip);
    EXPECT_EQ(labelsFromModel(appended), (std::vector<std::string>{"cat", "dog"}));

    Model in_metadata = emptyModel();
    in_metadata.metadata.push_back({"labels", addBuffer(in_metadata, Bytes::own(zip))});
    EXPECT_EQ(labelsFromModel(in_metadata), (std::vector<std::string>{"cat", "dog"}));
  }
  EXPECT_TRUE(labelsFromModel(emptyModel()).empty());
  Model broken = emptyModel();
  broken.trailing = Bytes::own({'P', 'K', 3, 4, 0, 0});
  EXPECT_TRUE(labelsFromModel(broken).empty());
}

TEST(Labels, FromARealModelsMetadata) {
  QL_REQUIRE_SHARED();
  Model m = readModel(sharedDir() + "/models/mobilenet_v1_0.25_128_quant.tflite");
  std::vector<std::string> labels = labelsFromModel(m);
  ASSERT_EQ(labels.size(), 1001u);
  EXPECT_EQ(labels[0], "background");
  EXPECT_EQ(labels[1], "tench, Tinca tinca");
}

TEST(Labels, ABackgroundFirstLineIsDroppedWhenThereIsOneLabelTooMany) {
  std::vector<std::string> with_background{"???", "person", "bicycle"};
  EXPECT_EQ(alignLabelsToClasses(with_background, 2), (std::vector<std::string>{"person", "bicycle"}));
  EXPECT_EQ(alignLabelsToClasses({"background", "a"}, 1), (std::vector<std::string>{"a"}));
  EXPECT_EQ(alignLabelsToClasses(with_background, 3), with_background);  // as many labels as classes
  EXPECT_EQ(alignLabelsToClasses({"zebra", "a"}, 1), (std::vector<std::string>{"zebra", "a"}));  // not background
  EXPECT_EQ(alignLabelsToClasses(with_background, -1), with_background);                         // unknown class count
}

// ------------------------------------------------------------------------------------------------------------
// Reading detections

// A tensor with constant contents, as the op's outputs would hold them.
struct HeldTensor {
  Tensor t;
  Bytes data;
  RuntimeTensor rt;
  template <typename T>
  HeldTensor(DType type, std::vector<int32_t> shape, const std::vector<T>& values, std::vector<float> scale = {},
             std::vector<int64_t> zp = {}) {
    t.type = type;
    t.shape = std::move(shape);
    t.quant.scale = std::move(scale);
    t.quant.zero_point = std::move(zp);
    data = Bytes::copyOf(values.data(), values.size() * sizeof(T));
    rt = RuntimeTensor(t, data);
  }
  HeldTensor(const HeldTensor&) = delete;
};

TEST(Detections, FromFloatOutputsAboveTheThresholdWithLabels) {
  HeldTensor boxes(DType::Float32, {1, 3, 4},
                   std::vector<float>{0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.5f, 0.9f, 0.9f, 0.7f, 0.7f, 0.8f, 0.8f});
  HeldTensor classes(DType::Float32, {1, 3}, std::vector<float>{1, 0, 2});
  HeldTensor scores(DType::Float32, {1, 3}, std::vector<float>{0.9f, 0.4f, 0.35f});
  HeldTensor count(DType::Float32, {1}, std::vector<float>{2});  // the third slot is past the count
  std::vector<Detection> d = detectionsFromOutputs(boxes.rt, classes.rt, scores.rt, count.rt, 0.3f, {"cat", "dog"});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].cls, 1);
  EXPECT_EQ(d[0].label, "dog");
  EXPECT_FLOAT_EQ(d[0].score, 0.9f);
  EXPECT_FLOAT_EQ(d[0].ymin, 0.1f);
  EXPECT_FLOAT_EQ(d[0].xmin, 0.2f);
  EXPECT_FLOAT_EQ(d[0].ymax, 0.3f);
  EXPECT_FLOAT_EQ(d[0].xmax, 0.4f);
  EXPECT_EQ(d[1].cls, 0);
  EXPECT_EQ(d[1].label, "cat");
  // A higher threshold keeps the first only; a class past the labels has no label.
  d = detectionsFromOutputs(boxes.rt, classes.rt, scores.rt, count.rt, 0.5f, {});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].label, "");
}

TEST(Detections, QuantizedOutputsAreDequantized) {
  // r = scale * (q - zero_point)
  HeldTensor boxes(DType::UInt8, {1, 1, 4}, std::vector<uint8_t>{10, 20, 110, 120}, {0.01f}, {10});
  HeldTensor classes(DType::UInt8, {1, 1}, std::vector<uint8_t>{7}, {1.0f}, {0});
  HeldTensor scores(DType::Int8, {1, 1}, std::vector<int8_t>{64}, {1.0f / 128}, {0});
  HeldTensor count(DType::Int32, {1}, std::vector<int32_t>{1});
  std::vector<Detection> d = detectionsFromOutputs(boxes.rt, classes.rt, scores.rt, count.rt, 0.0f, {});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_FLOAT_EQ(d[0].ymin, 0.0f);
  EXPECT_FLOAT_EQ(d[0].xmin, 0.1f);
  EXPECT_FLOAT_EQ(d[0].ymax, 1.0f);
  EXPECT_FLOAT_EQ(d[0].xmax, 1.1f);
  EXPECT_EQ(d[0].cls, 7);
  EXPECT_FLOAT_EQ(d[0].score, 0.5f);
}

TEST(Detections, OutputsThatDoNotFitAreBadInput) {
  HeldTensor boxes(DType::Float32, {1, 2, 4}, std::vector<float>(8, 0.5f));
  HeldTensor classes(DType::Float32, {1, 2}, std::vector<float>{0, 1});
  HeldTensor scores(DType::Float32, {1, 2}, std::vector<float>{0.9f, 0.8f});
  HeldTensor too_many(DType::Float32, {1}, std::vector<float>{3});
  HeldTensor negative(DType::Float32, {1}, std::vector<float>{-1});
  HeldTensor short_boxes(DType::Float32, {1, 1, 4}, std::vector<float>(4, 0.5f));
  HeldTensor two(DType::Float32, {1}, std::vector<float>{2});
  EXPECT_EQ(errorKindOf([&] { detectionsFromOutputs(boxes.rt, classes.rt, scores.rt, too_many.rt, 0, {}); }),
            ErrorKind::BadInput);
  EXPECT_EQ(errorKindOf([&] { detectionsFromOutputs(boxes.rt, classes.rt, scores.rt, negative.rt, 0, {}); }),
            ErrorKind::BadInput);
  EXPECT_EQ(errorKindOf([&] { detectionsFromOutputs(short_boxes.rt, classes.rt, scores.rt, two.rt, 0, {}); }),
            ErrorKind::BadInput);
  EXPECT_EQ(detectionsFromOutputs(boxes.rt, classes.rt, scores.rt, two.rt, 0, {}).size(), 2u);
}

TEST(Detections, FromAnInterpreterRunningThePostProcessOp) {
  OpModel m;
  int enc = m.input({DType::Float32, {1, 2, 4}});
  int cls = m.input({DType::Float32, {1, 2, 3}});
  int anc =
      m.constant({DType::Float32, {2, 4}}, std::vector<float>{0.25f, 0.25f, 0.5f, 0.5f, 0.75f, 0.75f, 0.5f, 0.5f});
  int o[4];
  for (int& i : o) i = m.output({DType::Float32, {}});
  m.op(kOp, {enc, cls, anc}, {o[0], o[1], o[2], o[3]}, "",
       {{"max_detections", 5},
        {"max_classes_per_detection", 1},
        {"num_classes", 2},
        {"nms_score_threshold", 0.1},
        {"nms_iou_threshold", 0.5},
        {"y_scale", 10.0},
        {"x_scale", 10.0},
        {"h_scale", 5.0},
        {"w_scale", 5.0}});
  m.setInput(0, std::vector<float>(8, 0.0f));
  m.setInput(1, std::vector<float>{0.0f, 0.2f, 0.7f, 0.0f, 0.95f, 0.1f});
  m.invoke();
  EXPECT_EQ(detectionPostProcessOp(m.model()), 0);
  EXPECT_EQ(detectionClassCount(m.model()), 2);
  std::vector<Detection> d = readDetections(m.interpreter(), 0.5f, {"cat", "dog"});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].label, "cat");
  EXPECT_FLOAT_EQ(d[0].score, 0.95f);
  EXPECT_FLOAT_EQ(d[0].ymin, 0.5f);
  EXPECT_FLOAT_EQ(d[0].xmax, 1.0f);
  EXPECT_EQ(d[1].label, "dog");
  EXPECT_FLOAT_EQ(d[1].ymin, 0.0f);
  EXPECT_FLOAT_EQ(d[1].ymax, 0.5f);

  OpModel other;
  int x = other.input({DType::Float32, {1, 2}});
  int y = other.output({DType::Float32, {1, 2}});
  other.op("RELU", {x}, {y});
  other.invoke();  // builds the model (model() is the one read back)
  EXPECT_EQ(detectionPostProcessOp(other.model()), -1);
  EXPECT_EQ(detectionClassCount(other.model()), -1);
  EXPECT_EQ(errorKindOf([&] { readDetections(other.interpreter(), 0.5f, {}); }), ErrorKind::Unsupported);
}

TEST(Detections, IouAndJson) {
  Detection a{0.0f, 0.0f, 1.0f, 1.0f, 3, "cup", 0.5f};
  Detection b{0.0f, 0.5f, 1.0f, 1.5f, 3, "", 0.25f};
  EXPECT_FLOAT_EQ(intersectionOverUnion(a, a), 1.0f);
  EXPECT_FLOAT_EQ(intersectionOverUnion(a, b), 1.0f / 3.0f);
  Detection empty{0.5f, 0.5f, 0.5f, 0.5f, 0, "", 0};
  EXPECT_EQ(intersectionOverUnion(empty, empty), 0.0f);
  nlohmann::json j = detectionToJson(a);
  EXPECT_EQ(j["box"], nlohmann::json::parse("[0.0, 0.0, 1.0, 1.0]"));
  EXPECT_EQ(j["class"], 3);
  EXPECT_EQ(j["label"], "cup");
  EXPECT_EQ(j["score"], 0.5);
}

// ------------------------------------------------------------------------------------------------------------
// `quantlens-cli detect`

// A 24-bit BMP of `w` x `h` RGB pixels (rows top to bottom).
std::vector<uint8_t> bmpOf(int w, int h, const std::vector<uint8_t>& rgb) {
  const int row = (3 * w + 3) / 4 * 4;
  const uint32_t size = 54 + static_cast<uint32_t>(row * h);
  std::vector<uint8_t> out;
  auto u16 = [&](uint32_t v) { out.push_back(v & 0xff), out.push_back((v >> 8) & 0xff); };
  auto u32 = [&](uint32_t v) { u16(v & 0xffff), u16(v >> 16); };
  out.push_back('B'), out.push_back('M'), u32(size), u32(0), u32(54);
  u32(40), u32(static_cast<uint32_t>(w)), u32(static_cast<uint32_t>(h)), u16(1), u16(24), u32(0),
      u32(static_cast<uint32_t>(row * h)), u32(2835), u32(2835), u32(0), u32(0);
  for (int y = h - 1; y >= 0; --y) {
    for (int x = 0; x < w; ++x) {
      const uint8_t* p = &rgb[static_cast<size_t>((y * w + x) * 3)];
      out.push_back(p[2]), out.push_back(p[1]), out.push_back(p[0]);  // BGR
    }
    for (int pad = 3 * w; pad < row; ++pad) out.push_back(0);
  }
  return out;
}

// A detector small enough to check by hand: a 4x4 RGB float image whose 16 pixels are 16 anchors (the cells of a
// 4x4 grid); RESHAPE makes the pixels class predictions [1,16,3]: R is the background, G class 0, B class 1.
// The box encodings are constant zeros, so each detection is its cell. Labels are zipped after the flatbuffer.
Model tinyDetector(bool with_labels) {
  Model m = emptyModel("tiny detector");
  Subgraph& sg = m.subgraphs[0];
  int image = addTensor(sg, {"image", DType::Float32, {1, 4, 4, 3}});
  std::vector<int32_t> new_shape{1, 16, 3};
  Tensor shape_t{"shape", DType::Int32, {3}};
  shape_t.buffer = addBuffer(m, Bytes::copyOf(new_shape.data(), 12));
  int shape = addTensor(sg, shape_t);
  int scores = addTensor(sg, {"scores", DType::Float32, {1, 16, 3}});
  std::vector<float> zeros(64, 0.0f), anchors;
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x)
      for (float v : {(y + 0.5f) / 4, (x + 0.5f) / 4, 0.25f, 0.25f}) anchors.push_back(v);
  Tensor enc_t{"box_encodings", DType::Float32, {1, 16, 4}};
  enc_t.buffer = addBuffer(m, Bytes::copyOf(zeros.data(), zeros.size() * 4));
  int enc = addTensor(sg, enc_t);
  Tensor anc_t{"anchors", DType::Float32, {16, 4}};
  anc_t.buffer = addBuffer(m, Bytes::copyOf(anchors.data(), anchors.size() * 4));
  int anc = addTensor(sg, anc_t);
  int o[4];
  for (int k = 0; k < 4; ++k) {
    Tensor t{"TFLite_Detection_PostProcess" + (k ? ":" + std::to_string(k) : std::string()), DType::Float32, {}};
    o[k] = addTensor(sg, t);
  }
  sg.inputs = {image};
  sg.outputs = {o[0], o[1], o[2], o[3]};
  sg.ops.push_back(makeOp(m, "RESHAPE", {image, shape}, {scores}, "ReshapeOptions", {{"new_shape", new_shape}}));
  sg.ops.push_back(makeOp(m, kOp, {enc, scores, anc}, {o[0], o[1], o[2], o[3]}, "",
                          {{"max_detections", 10},
                           {"max_classes_per_detection", 1},
                           {"num_classes", 2},
                           {"nms_score_threshold", 0.0},
                           {"nms_iou_threshold", 0.5},
                           {"y_scale", 10.0},
                           {"x_scale", 10.0},
                           {"h_scale", 5.0},
                           {"w_scale", 5.0}}));
  // A label file with the background first, as many detectors ship it.
  if (with_labels) m.trailing = Bytes::own(zipOf({{"labelmap.txt", "???\ncat\ndog\n"}}, false));
  return m;
}

TEST(DetectCommand, FindsTheCellsOfATinyDetector) {
  Model model = tinyDetector(true);
  ASSERT_TRUE(unsupportedOps(model).empty()) << "the tiny detector needs a missing kernel: " << unsupportedOps(model)[0];
  std::string dir = makeTempDir("detect");
  writeModel(model, dir + "/tiny.tflite");
  writeModel(tinyDetector(false), dir + "/tiny_nolabels.tflite");
  // Scores are (pixel - 127.5) / 127.5: cell (1,1) green 255 -> class 0 at 1.0; cell (2,3) blue 204 -> class 1 at
  // 0.6; cell (3,0) green 153 -> class 0 at 0.2, below 0.3; every other value 0 -> -1.
  std::vector<uint8_t> rgb(48, 0);
  rgb[(1 * 4 + 1) * 3 + 1] = 255;
  rgb[(2 * 4 + 3) * 3 + 2] = 204;
  rgb[(3 * 4 + 0) * 3 + 1] = 153;
  writeBytes(dir + "/cells.bmp", bmpOf(4, 4, rgb));

  ProcResult r = runProcess({cliPath(), "detect", dir + "/tiny.tflite", dir + "/cells.bmp", "--json"}, 60);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["image"], dir + "/cells.bmp");
  EXPECT_EQ(j["model"], dir + "/tiny.tflite");
  ASSERT_EQ(j["detections"].size(), 2u) << r.out;
  const nlohmann::json& first = j["detections"][0];
  EXPECT_EQ(first["class"], 0);
  EXPECT_EQ(first["label"], "cat");  // "???" dropped: the labels have one line more than the model has classes
  EXPECT_NEAR(first["score"].get<double>(), 1.0, 1e-6);
  std::vector<double> box = first["box"].get<std::vector<double>>();
  std::vector<double> expected{0.25, 0.25, 0.5, 0.5};
  for (size_t k = 0; k < 4; ++k) EXPECT_NEAR(box[k], expected[k], 1e-6);
  const nlohmann::json& second = j["detections"][1];
  EXPECT_EQ(second["class"], 1);
  EXPECT_EQ(second["label"], "dog");
  EXPECT_NEAR(second["score"].get<double>(), 0.6, 1e-6);
  box = second["box"].get<std::vector<double>>();
  expected = {0.5, 0.75, 0.75, 1.0};
  for (size_t k = 0; k < 4; ++k) EXPECT_NEAR(box[k], expected[k], 1e-6);

  // A lower threshold adds the third cell; text output is one line per detection.
  r = runProcess({cliPath(), "detect", dir + "/tiny.tflite", dir + "/cells.bmp", "--threshold", "0.1"}, 60);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::vector<std::string> text;
  for (std::string line; std::getline(lines, line);) text.push_back(line);
  ASSERT_EQ(text.size(), 3u) << r.out;
  EXPECT_NE(text[0].find("cat"), std::string::npos);
  EXPECT_NE(text[2].find("0.200"), std::string::npos);

  // --labels wins over the packed labels; without any labels the class number is shown.
  std::string labels = writeText(dir, "labels.txt", "kitten\npuppy\n");
  r = runProcess({cliPath(), "detect", dir + "/tiny.tflite", dir + "/cells.bmp", "--json", "--labels", labels}, 60);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["detections"][1]["label"], "puppy");
  r = runProcess({cliPath(), "detect", dir + "/tiny_nolabels.tflite", dir + "/cells.bmp"}, 60);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("class 1"), std::string::npos) << r.out;

  // Nothing above the threshold: no line on stdout, a note on stderr.
  r = runProcess({cliPath(), "detect", dir + "/tiny.tflite", dir + "/cells.bmp", "--threshold", "1.5"}, 60);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("no detection"), std::string::npos);

  // Not an image, or a missing label file: bad input (exit 2).
  r = runProcess({cliPath(), "detect", dir + "/tiny.tflite", dir + "/labels.txt"}, 60);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = runProcess({cliPath(), "detect", dir + "/tiny.tflite", dir + "/cells.bmp", "--labels", dir + "/none.txt"}, 60);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  std::filesystem::remove_all(dir);
}

struct ExpectedBox {
  std::string label;
  double left, top, right, bottom, score;
};

double iou(const std::vector<double>& a, const std::vector<double>& b) {  // (ymin, xmin, ymax, xmax)
  double h = std::max(0.0, std::min(a[2], b[2]) - std::max(a[0], b[0]));
  double w = std::max(0.0, std::min(a[3], b[3]) - std::max(a[1], b[1]));
  double inter = h * w;
  double uni = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return uni > 0 ? inter / uni : 0;
}

TEST(DetectCommand, FindsEveryBoxTfliteFindsOnTheTablePhoto) {
  QL_REQUIRE_SHARED();
  const std::string model_path = sharedDir() + "/models/coco_ssd_mobilenet_v1_1.0_quant.tflite";
  const std::string images = sharedDir() + "/images";
  Model model = readModel(model_path);
  ASSERT_TRUE(unsupportedOps(model).empty()) << "coco_ssd_mobilenet_v1_1.0_quant needs a missing kernel: "
                                             << unsupportedOps(model)[0];
  ProcResult r = runProcess({cliPath(), "detect", model_path, images + "/table.jpg", "--json", "--threshold", "0.3",
                             "--labels", images + "/coco_labels.txt"},
                            300);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j["detections"].is_array());
  std::cout << r.out << "\n";
  // TFLite's expectations: "label left top right bottom score" in pixels of the 640x480 photo; labels with
  // spaces are written with underscores.
  std::ifstream f(images + "/table_results_coco_ssd_mobilenet_v1_quant.txt");
  int expected = 0;
  for (std::string line; std::getline(f, line);) {
    std::istringstream in(line);
    ExpectedBox e;
    if (!(in >> e.label >> e.left >> e.top >> e.right >> e.bottom >> e.score)) continue;
    std::replace(e.label.begin(), e.label.end(), '_', ' ');
    ++expected;
    const std::vector<double> want{e.top / 480, e.left / 640, e.bottom / 480, e.right / 640};
    double best = 0;
    for (const nlohmann::json& d : j["detections"])
      if (d["label"] == e.label) best = std::max(best, iou(d["box"].get<std::vector<double>>(), want));
    EXPECT_GE(best, 0.7) << e.label << " (score " << e.score << "): no detection of that class overlaps enough";
  }
  EXPECT_EQ(expected, 4);
}

}  // namespace
}  // namespace ql::test
