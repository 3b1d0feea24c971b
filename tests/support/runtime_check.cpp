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
  ASSERT_EQ(ref.size(), 1u);
  m.interpreter().setInput(0, input.data(), input.size());
  for (bool fast : {false, true}) {
    ScopedKernelPath path(fast);
    m.invoke();
    const RuntimeTensor& o = m.interpreter().output(0);
    const Tensor& t = m.model().subgraphs[0].tensors[static_cast<size_t>(m.model().subgraphs[0].outputs[0])];
    TensorComparison c = compareTensors(dtypeLowerName(o.type()), isQuantizedTensor(t), readBytes(ref[0]),
                                        std::vector<uint8_t>(o.raw(), o.raw() + o.bytes()), float_tolerance);
    EXPECT_TRUE(c.ok) << (fast ? "fast: " : "plain: ") << c.detail;
    if (isQuantizedTensor(t)) {
      EXPECT_EQ(c.exact_fraction, 1.0) << (fast ? "fast: " : "plain: ") << c.detail;
    }
  }
  if (::testing::Test::HasFailure()) {
    std::cout << "kept " << dir << " (model, input, the runtime's output) for a look\n";
    return;
  }
  std::filesystem::remove_all(dir);
}


}  // namespace ql::test
