#include "widgets/inspector/op_labels.h"

#include <map>
#include <vector>

namespace ql::gui::inspector {

QString tensorRoleLabel(const std::string& op_type, bool input, size_t position, size_t count) {
  static const std::map<std::string, std::vector<const char*>> kInputs = {
      {"CONV_2D", {"input", "filter", "bias"}},
      {"CONV_3D", {"input", "filter", "bias"}},
      {"DEPTHWISE_CONV_2D", {"input", "weights", "bias"}},
      {"FULLY_CONNECTED", {"input", "weights", "bias"}},
      {"TRANSPOSE_CONV", {"output_shape", "weights", "input", "bias"}},
      {"QUANTIZE", {"input"}},
      {"DEQUANTIZE", {"input"}},
  };
  if (input) {
    auto it = kInputs.find(op_type);
    if (it != kInputs.end() && position < it->second.size()) return it->second[position];
  }
  QString base = input ? "input" : "output";
  return count == 1 ? base : QString("%1 %2").arg(base).arg(position);
}

}  // namespace ql::gui::inspector
