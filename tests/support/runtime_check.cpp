#include "support/runtime_check.h"

#include <filesystem>

#include "model/quantization_kind.h"
#include "model/writer.h"
#include "support/kernel_path.h"
#include "support/tensor_compare.h"
#include "support/test_support.h"

namespace ql::test {

void expectMatchesRuntime(OpModel& m, const std::vector<uint8_t>& input, const std::string& runner,
                          const std::string& what, double float_tolerance) {
  SCOPED_TRACE(what);
  std::string dir = makeTempDir("conv-oracle");
  m.interpreter();  // reads the built model back, which m.model() then is
  writeModel(m.model(), dir + "/m.tflite");
  writeBytes(dir + "/in.bin", input);
  auto ref = runOracle(runner, dir + "/m.tflite", {dir + "/in.bin"}, dir + "/out");
  const Subgraph& sg = m.model().subgraphs[0];
  ASSERT_EQ(ref.size(), sg.outputs.size());
  m.interpreter().setInput(0, input.data(), input.size());
  for (bool fast : {false, true}) {
    ScopedKernelPath path(fast);
    m.invoke();
    for (size_t k = 0; k < sg.outputs.size(); ++k) {
      const RuntimeTensor& o = m.interpreter().output(k);
      const Tensor& t = sg.tensors[static_cast<size_t>(sg.outputs[k])];
      TensorComparison c = compareTensors(dtypeLowerName(o.type()), isQuantizedTensor(t), readBytes(ref[k]),
                                          std::vector<uint8_t>(o.raw(), o.raw() + o.bytes()), float_tolerance);
      const std::string where = std::string(fast ? "fast" : "plain") + ", output " + std::to_string(k) + ": ";
      EXPECT_TRUE(c.ok) << where << c.detail;
      if (isQuantizedTensor(t)) {
        EXPECT_EQ(c.exact_fraction, 1.0) << where << c.detail;
      }
    }
  }
  if (::testing::Test::HasFailure()) {
    std::cout << "kept " << dir << " (model, input, the runtime's output) for a look\n";
    return;
  }
  std::filesystem::remove_all(dir);
}


}  // namespace ql::test
