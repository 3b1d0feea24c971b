// `inspect --json` agrees with an independent reading of every shared model (the oracle's own flatbuffer reader).
#include <cmath>

#include "model/op_names.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

nlohmann::json cliInspect(const std::string& model) {
  ProcResult r = runProcess({cliPath(), "inspect", "--json", model}, 120);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

bool sameFloat(double a, double b) { return static_cast<float>(a) == static_cast<float>(b); }

TEST(InspectJson, AgreesWithIndependentReaderOnEverySharedModel) {
  QL_REQUIRE_SHARED();
  QL_REQUIRE_ORACLE(oracle);  // the independent reader runs in node
  auto models = sharedModels();
  ASSERT_FALSE(models.empty());
  for (const std::string& model : models) {
    SCOPED_TRACE(model);
    nlohmann::json ours = cliInspect(model), theirs = independentInspect(model);
    ASSERT_EQ(ours["subgraphs"].size(), theirs["subgraphs"].size());
    for (size_t s = 0; s < ours["subgraphs"].size(); ++s) {
      const auto& a = ours["subgraphs"][s];
      const auto& b = theirs["subgraphs"][s];
      EXPECT_EQ(a["inputs"], b["inputs"]);
      EXPECT_EQ(a["outputs"], b["outputs"]);
      ASSERT_EQ(a["tensors"].size(), b["tensors"].size());
      for (size_t t = 0; t < a["tensors"].size(); ++t) {
        const auto& x = a["tensors"][t];
        const auto& y = b["tensors"][t];
        SCOPED_TRACE("tensor " + std::to_string(t));
        EXPECT_EQ(x["name"], y["name"].is_null() ? nlohmann::json("") : y["name"]);
        std::string type = x["type"];
        for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        EXPECT_EQ(type, y["dtype"]);
        EXPECT_EQ(x["shape"], y["shape"]);
        EXPECT_EQ(x["buffer"], y["buffer"]);
        EXPECT_EQ(x["constant"], y["constant"]);
        const auto& q = x["quantization"];
        std::vector<double> scale = q.is_null() ? std::vector<double>{} : q["scale"].get<std::vector<double>>();
        std::vector<double> yscale = y["scale"].get<std::vector<double>>();
        ASSERT_EQ(scale.size(), yscale.size());
        for (size_t i = 0; i < scale.size(); ++i) EXPECT_TRUE(sameFloat(scale[i], yscale[i])) << i;
        EXPECT_EQ(q.is_null() ? nlohmann::json::array() : q["zero_point"], y["zero_point"]);
        if (!q.is_null()) {
          EXPECT_EQ(q["quantized_dimension"], y["quantized_dimension"]);
        }
      }
      ASSERT_EQ(a["operators"].size(), b["operators"].size());
      for (size_t o = 0; o < a["operators"].size(); ++o) {
        const auto& x = a["operators"][o];
        const auto& y = b["operators"][o];
        SCOPED_TRACE("operator " + std::to_string(o));
        const auto& code = theirs["opcodes"][y["opcode"].get<size_t>()];
        if (x["custom"].get<bool>()) {
          EXPECT_EQ(x["opcode"], code["custom"]);
        } else {
          EXPECT_EQ(builtinOpCode(x["opcode"]), code["builtin"].get<int>());
        }
        EXPECT_EQ(x["inputs"], y["inputs"]);
        EXPECT_EQ(x["outputs"], y["outputs"]);
      }
    }
    ASSERT_EQ(ours["signatures"].size(), theirs["signatures"].size());
    for (size_t i = 0; i < ours["signatures"].size(); ++i) {
      EXPECT_EQ(ours["signatures"][i]["key"], theirs["signatures"][i]["key"]);
      EXPECT_EQ(ours["signatures"][i]["inputs"], theirs["signatures"][i]["inputs"]);
      EXPECT_EQ(ours["signatures"][i]["outputs"], theirs["signatures"][i]["outputs"]);
    }
  }
}

TEST(InspectJson, DecodesOptionsByFieldAndEnumNames) {
  QL_REQUIRE_SHARED();
  nlohmann::json j = cliInspect(sharedDir() + "/models/coco_ssd_mobilenet_v1_1.0_quant.tflite");
  bool saw_conv = false, saw_postprocess = false;
  for (const auto& op : j["subgraphs"][0]["operators"]) {
    if (op["opcode"] == "CONV_2D" && !saw_conv) {
      saw_conv = true;
      EXPECT_TRUE(op["options"]["padding"] == "SAME" || op["options"]["padding"] == "VALID") << op["options"];
      EXPECT_TRUE(op["options"]["stride_w"].is_number_integer());
      EXPECT_EQ(op["options"]["dilation_w_factor"], 1);  // absent in the file: the schema default
      EXPECT_TRUE(op["options"]["fused_activation_function"].is_string());
    }
    if (op["opcode"] == "TFLite_Detection_PostProcess") {
      saw_postprocess = true;
      EXPECT_TRUE(op["custom"].get<bool>());
      EXPECT_EQ(op["options"]["max_detections"], 10);
      EXPECT_EQ(op["options"]["num_classes"], 90);
      EXPECT_TRUE(op["options"]["nms_iou_threshold"].is_number_float());
    }
  }
  EXPECT_TRUE(saw_conv);
  EXPECT_TRUE(saw_postprocess);
}

}  // namespace
}  // namespace ql::test
