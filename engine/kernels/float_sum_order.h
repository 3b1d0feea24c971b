// The order in which deployed float CONV_2D and FULLY_CONNECTED add their products, where it is not plain
// bias-first sequential.
//
// XNNPACK computes layers with few output channels with its "nr2" microkernels (two output channels at a time,
// input channels spread over four vector lanes): each output starts lane 0 at the bias, adds the product of input
// channel c of every kernel tap to lane c % 4, and finally sums the lanes as (0 + 2) + (1 + 3). Float rounding
// makes that differ in the last bit from one running sum, which is why quantlens reproduces it: per-layer error
// rows and the dynamic-range kernels that requantize float activations inherit every last-bit difference.
#pragma once

namespace ql {

// The output-channel tile of XNNPACK's default float GEMM in the WebAssembly build ../shared/golden ran.
constexpr int kXnnpackFloatTile = 8;

// The delegate switches when its default tile is wider than the output channels. LiteRT 2.5's delegate also
// switches its fully connected operators when the two-channel tile wastes fewer columns and the default tile
// wastes more than 1% of the outputs (10 outputs: yes; 16 or 64: no); it runs pointwise convolutions (1x1 kernel,
// stride 1, no padding) as such operators.
inline bool liteRtSwitchesFullyConnected(int outputs) {
  const int waste = (kXnnpackFloatTile - outputs % kXnnpackFloatTile) % kXnnpackFloatTile;
  const int waste2 = outputs % 2;
  return outputs < kXnnpackFloatTile || (waste2 < waste && waste * 100 > outputs);
}

inline bool convSumsInFourLanes(int out_channels, bool pointwise) {
  return pointwise ? liteRtSwitchesFullyConnected(out_channels) : out_channels < kXnnpackFloatTile;
}

// FULLY_CONNECTED keeps the older rule (fewer than 8 outputs), which TFLite 2.x builds before LiteRT follow
// (tfjs-tflite ran the LSTM twin in ../shared/golden, whose debugger metrics are checked at 1e-6): a 10-unit
// classifier head therefore differs from LiteRT 2.5 in the last bit, and agrees with those builds exactly.
inline bool fullyConnectedSumsInFourLanes(int units) { return units < kXnnpackFloatTile; }

// One output's sum, starting at the bias: in one running sum, or in four lanes (channel is the product's input
// channel within its kernel tap).
class ProductSum {
 public:
  ProductSum(float bias, bool four_lanes) : four_lanes_(four_lanes), lane_{bias, 0.f, 0.f, 0.f} {}
  void add(int channel, float product) { lane_[four_lanes_ ? channel & 3 : 0] += product; }
  float total() const { return four_lanes_ ? (lane_[0] + lane_[2]) + (lane_[1] + lane_[3]) : lane_[0]; }

 private:
  bool four_lanes_;
  float lane_[4];
};

}  // namespace ql
