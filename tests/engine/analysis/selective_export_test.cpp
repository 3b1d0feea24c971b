// The selective export: chosen ops in float, the rest untouched, and the file runs in the real runtime.
#include <algorithm>
#include <filesystem>
#include <map>

#include "analysis/accelerator_segments.h"
#include "analysis/dequantized_twin.h"
#include "analysis/selective_export.h"
#include "model/model_builder.h"
#include "model/quantization_kind.h"
#include "model/reader.h"
#include "model/tensor_values.h"
#include "model/writer.h"
#include "runtime/interpreter.h"
#include "support/feed_check.h"
#include "support/test_support.h"
#include "util/error.h"

namespace ql::test {
namespace {

bool hasIntegerActivations(const Model& m) {
  QuantizationKind k = quantizationKind(m);
  return k == QuantizationKind::FullInteger || k == QuantizationKind::Mixed;
}

bool hasLstm(const Model& m) {
  for (const Op& op : m.subgraphs[0].ops)
    if (m.opName(op) == "UNIDIRECTIONAL_SEQUENCE_LSTM") return true;
  return false;
}

// Three selections a user would make: the first ops, a block in the middle, every op of one type.
std::vector<std::pair<std::string, Selection>> threeSelections(const Model& m) {
  const Subgraph& sg = m.subgraphs[0];
  int n = static_cast<int>(sg.ops.size());
  std::vector<std::pair<std::string, Selection>> out;
  out.push_back({"first3", selectFirst(m, std::min(3, n))});
  Selection middle;
  for (int i = n / 2; i < std::min(n, n / 2 + 3); ++i) middle.ops.insert(i);
  out.push_back({"middle", middle});
  std::map<std::string, int> counts;
  for (const Op& op : sg.ops)
    if (m.opName(op) != "QUANTIZE" && m.opName(op) != "DEQUANTIZE") counts[m.opName(op)]++;
  auto most = std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second < b.second; });
  out.push_back({"type_" + most->first, selectOpTypes(m, {most->first})});
  return out;
}

void expectUnselectedOpsUntouched(const Model& q, const SelectiveExport& ex, const Selection& sel) {
  const Subgraph& qs = q.subgraphs[0];
  const Subgraph& es = ex.model.subgraphs[0];
  for (size_t i = 0; i < qs.ops.size(); ++i) {
    std::string name = q.opName(qs.ops[i]);
    if (sel.ops.count(static_cast<int>(i)) && name != "QUANTIZE" && name != "DEQUANTIZE") continue;
    const Op& a = qs.ops[i];
    const Op& b = es.ops[static_cast<size_t>(ex.op_of_original[i])];
    ASSERT_EQ(ex.model.opName(b), name) << "op " << i;
    ASSERT_EQ(a.outputs.size(), b.outputs.size());
    for (size_t k = 0; k < a.outputs.size(); ++k) {
      const Tensor& x = qs.tensors[static_cast<size_t>(a.outputs[k])];
      const Tensor& y = es.tensors[static_cast<size_t>(b.outputs[k])];
      EXPECT_EQ(x.name, y.name);
      EXPECT_EQ(x.type, y.type);
      EXPECT_EQ(x.shape, y.shape);
      EXPECT_EQ(x.quant.scale, y.quant.scale);
      EXPECT_EQ(x.quant.zero_point, y.quant.zero_point);
    }
    for (size_t k = 0; k < a.inputs.size(); ++k) {
      if (a.inputs[k] < 0) continue;
      const Bytes& da = q.dataOf(qs.tensors[static_cast<size_t>(a.inputs[k])]);
      if (da.empty()) continue;
      const Bytes& db = ex.model.dataOf(es.tensors[static_cast<size_t>(b.inputs[k])]);
      ASSERT_EQ(da.size, db.size) << "op " << i << " input " << k;
      EXPECT_EQ(0, std::memcmp(da.data, db.data, da.size)) << "op " << i << " input " << k << " weights changed";
    }
  }
}

TEST(SelectiveExport, ExportsRunInTheReferenceRuntimeAndLeaveOtherOpsUntouched) {
  QL_REQUIRE_SHARED();
  QL_REQUIRE_ORACLE(oracle);
  std::string dir = makeTempDir("export");
  int exported = 0;
  for (const std::string& name : goldenModelNames()) {
    Golden g = readGolden(name);
    Model q = readModel(g.model_path);
    if (!hasIntegerActivations(q) || hasLstm(q) || q.subgraphs.size() != 1) continue;
    for (auto& [label, sel] : threeSelections(q)) {
      SCOPED_TRACE(name + " " + label);
      SelectiveExport ex = exportSelective(q, nullptr, nullptr, sel);
      EXPECT_FALSE(ex.float_ops.empty());
      std::string path = dir + "/" + name + "_" + label + ".tflite";
      writeModel(ex.model, path);
      Model back = readModel(path);  // the verifier and every check of the reader
      EXPECT_EQ(back.subgraphs[0].inputs.size(), q.subgraphs[0].inputs.size());
      for (size_t i = 0; i < q.subgraphs[0].outputs.size(); ++i) {
        const Tensor& a = q.subgraphs[0].tensors[static_cast<size_t>(q.subgraphs[0].outputs[i])];
        const Tensor& b = back.subgraphs[0].tensors[static_cast<size_t>(back.subgraphs[0].outputs[i])];
        EXPECT_EQ(a.type, b.type) << "model outputs keep their types";
        EXPECT_EQ(a.name, b.name);
      }
      expectUnselectedOpsUntouched(q, ex, sel);
      auto outs = runOracle(oracleRunnerFor(g, oracle), path, g.inputs, dir + "/" + name + "_" + label + "_out");
      EXPECT_EQ(outs.size(), q.subgraphs[0].outputs.size());
      // Fed the runtime's own tensors of the exported file, every op of quantlens's run matches.
      std::string dump = oracleAllTensorsDump(oracleRunnerFor(g, oracle), path, g.inputs,
                                              dir + "/" + name + "_" + label + "_all");
      FeedCheck check = checkAgainstDump(back, dump, g.inputs, Arithmetic::Deployed, {});
      for (const std::string& f : check.failures) ADD_FAILURE() << name << " " << label << " " << f;
      EXPECT_GT(check.compared, 0);
      ++exported;
    }
  }
  EXPECT_GE(exported, 15);
  std::filesystem::remove_all(dir);
}

TEST(SelectiveExport, NeighbouringFloatOpsShareOneRegion) {
  QL_REQUIRE_SHARED();
  Model q = readModel(sharedDir() + "/models/mobilenet_v1_0.25_128_quant.tflite");
  SelectiveExport ex = exportSelective(q, nullptr, nullptr, selectFirst(q, 3));
  int dequantize = 0, quantize = 0;
  for (const Op& op : ex.model.subgraphs[0].ops) {
    dequantize += ex.model.opName(op) == "DEQUANTIZE";
    quantize += ex.model.opName(op) == "QUANTIZE";
  }
  EXPECT_EQ(dequantize, 1) << "one DEQUANTIZE into the region";
  EXPECT_EQ(quantize, 1) << "one QUANTIZE out of it, none between its ops";
  const Tensor& first_float = ex.model.subgraphs[0].tensors[static_cast<size_t>(ex.model.subgraphs[0].ops[0].outputs[0])];
  EXPECT_EQ(first_float.name, q.subgraphs[0].tensors[static_cast<size_t>(q.subgraphs[0].inputs[0])].name + "/float");
}

// TOCO's uint8 SSD leaves its convolutions' fused activation NONE and clamps through the output range [0, 6]:
// ops made float must clamp with RELU6 themselves, or a float region of several ops grows without bound (keeping
// the first four ops of coco SSD in float gave garbage boxes before this).
TEST(SelectiveExport, FloatOpsClampAsTheirQuantizedOutputRangeDid) {
  QL_REQUIRE_SHARED();
  auto q = std::make_shared<const Model>(readModel(sharedDir() + "/models/coco_ssd_mobilenet_v1_1.0_quant.tflite"));
  ASSERT_EQ(q->subgraphs[0].ops[0].options.value("fused_activation_function", ""), "NONE");
  SelectiveExport ex = exportSelective(*q, nullptr, nullptr, selectFirst(*q, 4));
  for (int op : ex.float_ops)
    EXPECT_EQ(ex.model.subgraphs[0].ops[static_cast<size_t>(op)].options.value("fused_activation_function", ""), "RELU6")
        << "op " << op;
  // The region's output, quantized back, stays within a few steps of the all-integer model's on a mid-grey input.
  auto sel = std::make_shared<const Model>(std::move(ex.model));
  InterpreterOptions keep;
  keep.keep_tensors = true;
  Interpreter qi(q, keep), si(sel, keep);
  std::vector<uint8_t> grey(qi.input(0).bytes(), 128);
  qi.setInput(0, grey.data(), grey.size());
  si.setInput(0, grey.data(), grey.size());
  qi.invoke();
  si.invoke();
  const int32_t back = q->subgraphs[0].ops[3].outputs[0];  // the same index in both: the QUANTIZE writes it back
  const RuntimeTensor& a = qi.tensor(back);
  const RuntimeTensor& b = si.tensor(back);
  ASSERT_EQ(a.bytes(), b.bytes());
  int max_step = 0;
  double sum = 0;
  for (size_t i = 0; i < a.bytes(); ++i) {
    const int d = std::abs(int(a.raw()[i]) - int(b.raw()[i]));
    max_step = std::max(max_step, d);
    sum += d;
  }
  EXPECT_LE(max_step, 8);
  EXPECT_LT(sum / static_cast<double>(a.bytes()), 0.5);
}

TEST(SelectiveExport, RefusesModelsWithoutIntegerActivationsAndInt8Lstm) {
  QL_REQUIRE_SHARED();
  Model f = readModel(sharedDir() + "/models/trained_lstm.tflite");
  try {
    exportSelective(f, nullptr, nullptr, selectFirst(f, 1));
    FAIL() << "a float model was exported";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
  }
  Model q = readModel(sharedDir() + "/models/trained_lstm_int8.tflite");
  try {
    exportSelective(q, nullptr, nullptr, selectOpTypes(q, {"UNIDIRECTIONAL_SEQUENCE_LSTM"}));
    FAIL() << "the int8 LSTM was exported";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
    EXPECT_NE(std::string(e.what()).find("UNIDIRECTIONAL_SEQUENCE_LSTM"), std::string::npos);
  }
}

// Mean squared error of two dequantized output files of one tensor.
double outputMse(const Tensor& t, const std::string& a, const std::vector<float>& reference) {
  auto bytes = readBytes(a);
  std::vector<float> v = realValues(t.type, t.shape, t.quant, bytes.data(), bytes.size());
  double s = 0;
  for (size_t i = 0; i < v.size(); ++i) s += (v[i] - reference[i]) * (v[i] - reference[i]);
  return s / static_cast<double>(v.size());
}

TEST(SelectiveExport, FloatConvolutionsBringMobilenetCloserToItsFloatTwin) {
  QL_REQUIRE_SHARED();
  QL_REQUIRE_ORACLE(oracle);
  std::string dir = makeTempDir("export-mnv1");
  Golden g = readGolden("mobilenet_v1_0.25_128_quant");
  Model q = readModel(g.model_path);
  DequantizedTwin twin = makeDequantizedTwin(q);
  std::string twin_path = dir + "/twin.tflite", sel_path = dir + "/selective.tflite";
  writeModel(twin.model, twin_path);
  SelectiveExport ex = exportSelective(q, &twin.model, nullptr, selectOpTypes(q, {"CONV_2D", "DEPTHWISE_CONV_2D"}));
  writeModel(ex.model, sel_path);
  // The twin takes the input's real values.
  const Tensor& in = q.subgraphs[0].tensors[static_cast<size_t>(q.subgraphs[0].inputs[0])];
  auto raw = readBytes(g.inputs[0]);
  std::vector<float> real = realValues(in.type, in.shape, in.quant, raw.data(), raw.size());
  std::vector<uint8_t> float_in(real.size() * 4);
  std::memcpy(float_in.data(), real.data(), float_in.size());
  writeBytes(dir + "/in_float.bin", float_in);
  std::string runner = oracle + "/litert_run.mjs";
  auto f_out = runOracle(runner, twin_path, {dir + "/in_float.bin"}, dir + "/f");
  auto q_out = runOracle(runner, g.model_path, g.inputs, dir + "/q");
  auto s_out = runOracle(runner, sel_path, g.inputs, dir + "/s");
  auto fb = readBytes(f_out[0]);
  std::vector<float> reference(fb.size() / 4);
  std::memcpy(reference.data(), fb.data(), fb.size());
  const Tensor& out = q.subgraphs[0].tensors[static_cast<size_t>(q.subgraphs[0].outputs[0])];
  double q_err = outputMse(out, q_out[0], reference), s_err = outputMse(out, s_out[0], reference);
  std::cout << "mobilenet_v1 output MSE against the float twin: int8 " << q_err << ", selective " << s_err << "\n";
  EXPECT_LT(s_err, q_err);
  std::filesystem::remove_all(dir);
}

// Segment reports on hand-built graphs.
struct GraphBuilder {
  Model m = emptyModel("segments");
  int tensor(DType type) {
    Tensor t{"t" + std::to_string(m.subgraphs[0].tensors.size()), type, {1, 4}};
    if (type == DType::Int8) t.quant.scale = {0.1f}, t.quant.zero_point = {0};
    return addTensor(m.subgraphs[0], t);
  }
  void op(const std::string& name, std::vector<int32_t> in, std::vector<int32_t> out) {
    m.subgraphs[0].ops.push_back(makeOp(m, name, std::move(in), std::move(out)));
  }
};

TEST(AcceleratorSegments, ABranchJoinedByAnAddStaysOnTheAccelerator) {
  GraphBuilder g;
  int in = g.tensor(DType::Float32), q = g.tensor(DType::Int8), a = g.tensor(DType::Int8), b = g.tensor(DType::Int8),
      c = g.tensor(DType::Int8), d = g.tensor(DType::Int8), out = g.tensor(DType::Float32);
  g.m.subgraphs[0].inputs = {in};
  g.m.subgraphs[0].outputs = {out};
  g.op("QUANTIZE", {in}, {q});
  g.op("RELU", {q}, {a});       // branch 1
  g.op("RELU6", {q}, {b});      // branch 2
  g.op("CONCATENATION", {a, b}, {c});
  g.op("ADD", {c, q}, {d});
  g.op("DEQUANTIZE", {d}, {out});
  SegmentReport r = acceleratorSegments(g.m);
  EXPECT_EQ(r.accelerator_ops, 6);
  EXPECT_EQ(r.cpu_ops, 0);
  ASSERT_EQ(r.segments.size(), 1u);
  EXPECT_EQ(r.segments[0].kind, SegmentKind::Int8);
}

TEST(AcceleratorSegments, AFloatOpInABranchSendsEverythingAfterItToTheCpu) {
  GraphBuilder g;
  int in = g.tensor(DType::Int8), a = g.tensor(DType::Int8), af = g.tensor(DType::Float32), bf = g.tensor(DType::Float32),
      b = g.tensor(DType::Int8), c = g.tensor(DType::Int8), d = g.tensor(DType::Int8);
  g.m.subgraphs[0].inputs = {in};
  g.m.subgraphs[0].outputs = {d};
  g.op("RELU", {in}, {a});
  g.op("DEQUANTIZE", {a}, {af});  // into a float region on one branch
  g.op("TANH", {af}, {bf});
  g.op("QUANTIZE", {bf}, {b});
  g.op("RELU6", {in}, {c});        // the other branch is int8 but comes after the first float op
  g.op("ADD", {b, c}, {d});
  SegmentReport r = acceleratorSegments(g.m);
  EXPECT_EQ(r.accelerator_ops, 1);
  EXPECT_EQ(r.cpu_ops, 5);
  nlohmann::json j = r.toJson();
  EXPECT_EQ(j["segments"][0]["runs_on"], "accelerator");
  EXPECT_EQ(j["segments"][1]["kind"], "float");
  EXPECT_EQ(j["segments"][1]["ops"], nlohmann::json::array({1, 2, 3}));
  EXPECT_EQ(j["segments"][2]["kind"], "int8");
  EXPECT_EQ(j["segments"][2]["runs_on"], "cpu");
}

TEST(AcceleratorSegments, ARequantizingQuantizeStaysOnTheAccelerator) {
  GraphBuilder g;
  int in = g.tensor(DType::Int8), a = g.tensor(DType::Int8), b = g.tensor(DType::Int8), c = g.tensor(DType::Int8);
  g.m.subgraphs[0].inputs = {in};
  g.m.subgraphs[0].outputs = {c};
  g.op("RELU", {in}, {a});
  g.op("QUANTIZE", {a}, {b});  // int8 -> int8 to another scale, in the middle of the model
  g.op("RELU6", {b}, {c});
  SegmentReport r = acceleratorSegments(g.m);
  EXPECT_EQ(r.accelerator_ops, 3);
  EXPECT_EQ(r.cpu_ops, 0);
  EXPECT_FALSE(computesInFloat(g.m, 1));
}

TEST(AcceleratorSegments, AFloatOpAtTheVeryEnd) {
  GraphBuilder g;
  int in = g.tensor(DType::Int8), a = g.tensor(DType::Int8), out = g.tensor(DType::Float32);
  g.m.subgraphs[0].inputs = {in};
  g.m.subgraphs[0].outputs = {out};
  g.op("RELU", {in}, {a});
  g.op("TFLite_Detection_PostProcess", {a}, {out});
  SegmentReport r = acceleratorSegments(g.m);
  EXPECT_EQ(r.accelerator_ops, 1);
  EXPECT_EQ(r.cpu_ops, 1);
  ASSERT_EQ(r.segments.size(), 2u);
  EXPECT_EQ(r.segments[1].kind, SegmentKind::Float);
  EXPECT_EQ(r.segments[1].runs_on, Device::Cpu);
}

}  // namespace
}  // namespace ql::test

namespace ql::test {
namespace {

// x int8 -> LOGISTIC -> z int8 (1/256) -> QUANTIZE (requantize) -> out int8: the head of a YOLO export.
Model logisticThenRequantize() {
  Model m = emptyModel();
  Subgraph& sg = m.subgraphs[0];
  auto tensor = [&](const std::string& name, float scale, int64_t zero_point) {
    Tensor t;
    t.name = name;
    t.shape = {1, 4};
    t.type = DType::Int8;
    t.quant.scale = {scale};
    t.quant.zero_point = {zero_point};
    return addTensor(sg, t);
  };
  int x = tensor("x", 0.05f, 0), z = tensor("z", 1.f / 256, -128), out = tensor("out", 0.01f, -100);
  sg.inputs = {x};
  sg.outputs = {out};
  sg.ops.push_back(makeOp(m, "LOGISTIC", {x}, {z}));
  sg.ops.push_back(makeOp(m, "QUANTIZE", {z}, {out}, "", nlohmann::json::object(), 2));
  return m;
}

// Every tensor an op reads is a model input, a constant or written by an op before it.
void expectEveryInputWrittenFirst(const Model& m) {
  const Subgraph& sg = m.subgraphs[0];
  std::vector<bool> ready(sg.tensors.size(), false);
  for (int32_t t : sg.inputs) ready[static_cast<size_t>(t)] = true;
  for (size_t i = 0; i < sg.tensors.size(); ++i)
    if (!m.dataOf(sg.tensors[i]).empty()) ready[i] = true;
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    for (int32_t t : sg.ops[i].inputs) {
      if (t < 0) continue;
      EXPECT_TRUE(ready[static_cast<size_t>(t)]) << "op " << i << " (" << m.opName(sg.ops[i]) << ") reads '"
                                                 << sg.tensors[static_cast<size_t>(t)].name
                                                 << "' before any op writes it";
    }
    for (int32_t t : sg.ops[i].outputs)
      if (t >= 0) ready[static_cast<size_t>(t)] = true;
  }
}

TEST(SelectiveExport, ASelectedConversionStillReadsTheIntegerTensor) {
  Model q = logisticThenRequantize();
  SelectiveExport ex = exportSelective(q, nullptr, nullptr, Selection{{0, 1}});
  expectEveryInputWrittenFirst(ex.model);
  // LOGISTIC in float, QUANTIZEd back to z for the requantize left as it is.
  const Subgraph& sg = ex.model.subgraphs[0];
  ASSERT_EQ(sg.ops.size(), 4u);
  EXPECT_EQ(ex.model.opName(sg.ops[0]), "DEQUANTIZE");
  EXPECT_EQ(ex.model.opName(sg.ops[1]), "LOGISTIC");
  EXPECT_EQ(ex.model.opName(sg.ops[2]), "QUANTIZE");
  EXPECT_EQ(sg.tensors[static_cast<size_t>(sg.ops[2].outputs[0])].name, "z");
  EXPECT_EQ(ex.model.opName(sg.ops[3]), "QUANTIZE");
}

TEST(SelectiveExport, TheLastTenOpsOfYolov9tFormAWholeGraph) {
  QL_REQUIRE_SHARED();
  Model q = readModel(sharedDir() + "/models/yolov9t_320_full_integer_quant.tflite");
  SelectiveExport ex = exportSelective(q, nullptr, nullptr, selectLast(q, 10));
  expectEveryInputWrittenFirst(ex.model);
}

}  // namespace
}  // namespace ql::test
