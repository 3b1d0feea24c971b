// Converters fold a ReLU / ReLU6 / ReLU-1..1 into the output's quantization range and leave the op's fused
// activation NONE: the quantized op clamps by saturating (TOCO's SSD MobileNet names such outputs ".../Relu6").
// An op made float from it (the dequantized twin, the selective export) must clamp the same way, or its
// activations grow without bound layer after layer.
#pragma once

#include "model/graph.h"

namespace ql {

// Sets `op`'s fused activation (options and the stored options table) to the one its quantized output's range
// folds, when the op has NONE; returns that activation's name, or nullptr when nothing was changed.
const char* restoreFoldedActivation(Op& op, const Tensor& quantized_output);

}  // namespace ql
