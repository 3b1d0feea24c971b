// How a tensor quantlens computed is compared with the one the real runtime computed (the bars).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ql::test {

struct TensorComparison {
  bool ok = false;
  std::string detail;  // what differed, for the failure message
  double exact_fraction = 1.0;
  double max_abs_diff = 0;  // in units of the stored type (LSB for quantized tensors)
};

enum class IntegerPolicy { Exact, ArgMinMax };  // ARG_MAX/ARG_MIN may differ on ties: 99.9% exact

// dtype names as in manifests ("int8", "float32"). `quantized` is true for int8/uint8/int16 with a scale:
// exact on 99.5% of elements and never more than 1 LSB off. Float: within float_rel_tol * max|expected|.
// `float_min_fraction`: the fraction of float elements that must be within tolerance (1: all of them; less where
// an op's inputs could not be fed from the reference and a few elements may round across a step).
TensorComparison compareTensors(const std::string& dtype, bool quantized, const std::vector<uint8_t>& expected,
                                const std::vector<uint8_t>& actual, double float_rel_tol = 1e-5,
                                IntegerPolicy policy = IntegerPolicy::Exact, double float_min_fraction = 1.0);

}  // namespace ql::test
