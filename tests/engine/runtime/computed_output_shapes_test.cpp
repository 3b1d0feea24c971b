// Every kernel computes its outputs' shapes from its inputs in prepare, as the runtime does, and never takes the
// shape the file stores: each shared model is prepared with every op output's stored shape replaced by a wrong
// one of the same rank, and each output must come out with the shape the converter wrote. An op that copied the
// stored shape shows up here by name. (TFLite_Detection_PostProcess stores no shape; dynamic dimensions, -1 in
// shape_signature, are left out.)
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "model/reader.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

bool hasDynamicDimension(const Tensor& t) {
  for (int32_t d : t.shape_signature)
    if (d < 0) return true;
  return false;
}

TEST(ComputedOutputShapes, NoKernelTakesTheShapeTheFileStores) {
  QL_REQUIRE_SHARED();
  checkLabelAllows("golden");
  int checked_models = 0, checked_tensors = 0;
  std::set<std::string> op_types;
  for (const std::string& path : sharedModels()) {
    Model original = readModel(path);
    if (!unsupportedOps(original).empty()) continue;  // its ops without kernels are named by other tests
    auto corrupted = std::make_shared<Model>(original);
    Subgraph& sg = corrupted->subgraphs[0];
    std::set<int32_t> inputs(sg.inputs.begin(), sg.inputs.end());
    std::vector<std::pair<int32_t, std::string>> outputs;  // tensor, the op that computes it
    for (const Op& op : sg.ops) {
      const std::string type = corrupted->opName(op);
      if (type == "TFLite_Detection_PostProcess") continue;
      for (int32_t t : op.outputs) {
        if (t < 0 || inputs.count(t)) continue;
        Tensor& tensor = sg.tensors[static_cast<size_t>(t)];
        if (!tensor.shape_present || tensor.shape.empty() || hasDynamicDimension(tensor)) continue;
        for (int32_t& d : tensor.shape) d = d == 7 ? 11 : 7;  // wrong in every dimension, same rank
        outputs.emplace_back(t, type);
        op_types.insert(type);
      }
    }
    InterpreterOptions o;
    o.prepare_only = true;
    Interpreter interp(std::shared_ptr<const Model>(corrupted), o);
    const Subgraph& want = original.subgraphs[0];
    for (const auto& [t, type] : outputs) {
      EXPECT_EQ(interp.tensor(t).shape(), want.tensors[static_cast<size_t>(t)].shape)
          << baseName(path) << ": tensor " << t << " '" << want.tensors[static_cast<size_t>(t)].name << "' of "
          << type << " keeps the stored shape instead of computing it";
      ++checked_tensors;
    }
    ++checked_models;
  }
  EXPECT_GT(checked_models, 10);
  std::string types;
  for (const std::string& t : op_types) types += t + " ";
  std::cout << "checked " << checked_tensors << " op outputs of " << checked_models << " models; op types: " << types
            << "\n";
}

}  // namespace
}  // namespace ql::test
