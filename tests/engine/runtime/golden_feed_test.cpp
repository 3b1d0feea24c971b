// Every op of every golden model, fed exactly the inputs the real runtime saw (--feed), gives what the runtime
// gave: quantized tensors exact on 99.5% of elements and never more than 1 LSB off, float within 1e-5 of the
// tensor's magnitude (1e-4 with float16 weights or hybrid ops), integers exact (ARG_MAX/ARG_MIN 99.9%).
#include <algorithm>
#include <map>
#include <set>

#include "model/quantization_kind.h"
#include "model/reader.h"
#include "runtime/interpreter.h"
#include "runtime/tensor_dump.h"
#include "support/feed_check.h"
#include "support/op_isolation.h"
#include "support/tensor_compare.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

class GoldenFeed : public ::testing::TestWithParam<std::string> {};

void checkAgainstGolden(const std::string& name, Arithmetic arithmetic) {
  Golden g = readGolden(name);
  Model model = readModel(g.model_path);
  auto missing = unsupportedOps(model);
  if (!missing.empty()) {
    std::string list;
    for (auto& m : missing) list += " " + m.text();
    FAIL() << name << ": the interpreter has no kernel for" << list;
  }
  std::set<int> omitted;
  for (const char* key : {"omitted_for_size", "constant_derived_left_out"})
    if (g.manifest.contains(key))
      for (auto& v : g.manifest[key])
        if (v.is_number_integer()) omitted.insert(v.get<int>());
  FeedCheck check = checkAgainstDump(model, g.dir, g.inputs, arithmetic, omitted);
  for (const std::string& f : check.failures) ADD_FAILURE() << name << " " << f;
  EXPECT_GT(check.compared, 0);
  std::cout << name << ": " << check.compared - static_cast<int>(check.failures.size()) << "/" << check.compared
            << " tensors match\n";
}

TEST_P(GoldenFeed, EveryOpMatchesTheRealRuntimeDeployed) {
  QL_REQUIRE_SHARED();
  checkAgainstGolden(GetParam(), Arithmetic::Deployed);
}

TEST_P(GoldenFeed, EveryOpIsWithinOneStepInReferenceArithmetic) {
  QL_REQUIRE_SHARED();
  checkAgainstGolden(GetParam(), Arithmetic::Reference);
}

// Each op with a kernel, cut out of its model and fed the golden inputs, gives the golden outputs, even while
// other ops of the model have no kernel yet.
TEST_P(GoldenFeed, EachSupportedOpInIsolationMatches) {
  QL_REQUIRE_SHARED();
  Golden g = readGolden(GetParam());
  Model model = readModel(g.model_path);
  const Subgraph& sg = model.subgraphs[0];
  std::map<int, const GoldenTensor*> golden;
  for (const GoldenTensor& gt : g.tensors) golden[gt.index] = &gt;
  std::set<int> omitted;
  for (const char* key : {"omitted_for_size", "constant_derived_left_out"})
    if (g.manifest.contains(key))
      for (auto& v : g.manifest[key])
        if (v.is_number_integer()) omitted.insert(v.get<int>());
  int checked = 0, unsupported = 0, failed = 0;
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    IsolatedOp iso = isolateOp(model, static_cast<int>(i));
    if (!unsupportedOps(iso.model).empty()) {
      ++unsupported;
      continue;
    }
    // Inputs: the golden tensor, or the golden model input file.
    std::vector<std::vector<uint8_t>> inputs;
    bool have_all = true;
    for (int src : iso.source_inputs) {
      auto it = golden.find(src);
      auto in = std::find(sg.inputs.begin(), sg.inputs.end(), src);
      if (it != golden.end()) inputs.push_back(readBytes(it->second->file));
      else if (in != sg.inputs.end()) inputs.push_back(readBytes(g.inputs[static_cast<size_t>(in - sg.inputs.begin())]));
      else have_all = false;
    }
    bool have_outputs = true;
    for (int src : iso.source_outputs) have_outputs = have_outputs && golden.count(src) && !omitted.count(src);
    if (!have_all || !have_outputs) continue;
    Interpreter interp(std::make_shared<const Model>(iso.model));
    for (size_t k = 0; k < inputs.size(); ++k) {
      RuntimeTensor& t = interp.input(k);
      if (inputs[k].size() != t.bytes()) {
        // A golden tensor of another shape than the file's (dynamic shapes): take its shape.
        const GoldenTensor* gt = golden[iso.source_inputs[k]];
        t.assign(std::vector<int32_t>(gt->shape.begin(), gt->shape.end()), inputs[k].data(), inputs[k].size());
      } else {
        interp.setInput(k, inputs[k].data(), inputs[k].size());
      }
    }
    interp.invoke();
    for (size_t k = 0; k < iso.source_outputs.size(); ++k) {
      int src = iso.source_outputs[k];
      const GoldenTensor* gt = golden[src];
      const RuntimeTensor& out = interp.output(k);
      std::vector<uint8_t> actual(out.raw(), out.raw() + out.bytes());
      std::string op_name = model.opName(sg.ops[i]);
      IntegerPolicy policy =
          (op_name == "ARG_MAX" || op_name == "ARG_MIN") ? IntegerPolicy::ArgMinMax : IntegerPolicy::Exact;
      TensorComparison c = compareTensors(gt->dtype, isQuantizedTensor(sg.tensors[static_cast<size_t>(src)]),
                                          readBytes(gt->file), actual, floatTolerance(model), policy);
      ++checked;
      if (!c.ok) {
        ++failed;
        ADD_FAILURE() << GetParam() << " op " << i << " (" << op_name << ") tensor " << src << ": " << c.detail;
      }
    }
  }
  std::cout << GetParam() << ": " << checked - failed << "/" << checked << " op outputs match in isolation, "
            << unsupported << " ops without a kernel\n";
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenFeed, ::testing::ValuesIn(goldenNamesForParams()),
                         [](const auto& param_info) { return paramName(param_info.param); });

}  // namespace
}  // namespace ql::test
