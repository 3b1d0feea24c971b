// One registration function per op family file in engine/kernels/.
#pragma once

#include <vector>

namespace ql {

class KernelRegistry;
using RegisterFamily = void (*)(KernelRegistry&);

void registerConvKernels(KernelRegistry&);                 // conv.cpp: CONV_2D, DEPTHWISE_CONV_2D
void registerTransposeConvKernels(KernelRegistry&);        // transpose_conv.cpp
void registerFullyConnectedKernels(KernelRegistry&);       // fully_connected.cpp
void registerElementwiseBinaryKernels(KernelRegistry&);    // elementwise_binary.cpp: ADD SUB MUL DIV ...
void registerElementwiseUnaryKernels(KernelRegistry&);     // elementwise_unary.cpp: RSQRT SQRT EXP LOG ABS NEG
void registerActivationKernels(KernelRegistry&);           // activations.cpp: RELU ... HARD_SWISH
void registerSoftmaxKernels(KernelRegistry&);              // softmax.cpp: SOFTMAX LOG_SOFTMAX
void registerPoolingKernels(KernelRegistry&);              // pooling.cpp
void registerReduceKernels(KernelRegistry&);               // reduce.cpp: MEAN SUM REDUCE_MAX
void registerPadKernels(KernelRegistry&);                  // pad.cpp: PAD PADV2 MIRROR_PAD
void registerReshapeKernels(KernelRegistry&);              // reshape.cpp: RESHAPE SQUEEZE EXPAND_DIMS
void registerTransposeKernels(KernelRegistry&);            // transpose.cpp
void registerConcatSplitKernels(KernelRegistry&);          // concat_split.cpp: CONCATENATION SPLIT SPLIT_V PACK UNPACK
void registerSliceGatherKernels(KernelRegistry&);          // slice_gather.cpp: STRIDED_SLICE SLICE GATHER TILE
void registerSpaceDepthKernels(KernelRegistry&);           // space_depth.cpp: DEPTH_TO_SPACE SPACE_TO_DEPTH
void registerResizeKernels(KernelRegistry&);               // resize.cpp
void registerArgMinMaxKernels(KernelRegistry&);            // arg_minmax.cpp
void registerQuantizeKernels(KernelRegistry&);             // quantize.cpp: QUANTIZE DEQUANTIZE CAST
void registerLstmKernels(KernelRegistry&);                 // lstm.cpp: UNIDIRECTIONAL_SEQUENCE_LSTM
void registerDetectionPostProcessKernels(KernelRegistry&); // detection_postprocess.cpp

inline std::vector<RegisterFamily> kernelFamilies() {
  return {registerConvKernels,             registerTransposeConvKernels, registerFullyConnectedKernels,
          registerElementwiseBinaryKernels, registerElementwiseUnaryKernels, registerActivationKernels,
          registerSoftmaxKernels,          registerPoolingKernels,       registerReduceKernels,
          registerPadKernels,              registerReshapeKernels,       registerTransposeKernels,
          registerConcatSplitKernels,      registerSliceGatherKernels,   registerSpaceDepthKernels,
          registerResizeKernels,           registerArgMinMaxKernels,     registerQuantizeKernels,
          registerLstmKernels,             registerDetectionPostProcessKernels};
}

}  // namespace ql
