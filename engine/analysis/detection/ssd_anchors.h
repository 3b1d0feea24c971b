// Anchors as MediaPipe's SsdAnchorsCalculator generates them (the options keep its field names), for SSD heads
// that come without a post-processing op (BlazeFace) or whose anchors are not in the file.
#pragma once

#include <vector>

namespace ql {

struct SsdAnchorOptions {
  int input_size_width = 128, input_size_height = 128;
  int num_layers = 4;
  float min_scale = 0.1484375f, max_scale = 0.75f;
  float anchor_offset_x = 0.5f, anchor_offset_y = 0.5f;
  std::vector<int> strides{8, 16, 16, 16};
  std::vector<float> aspect_ratios{1.0f};
  bool fixed_anchor_size = true;
  float interpolated_scale_aspect_ratio = 1.0f;
  bool reduce_boxes_in_lowest_layer = false;
  std::vector<int> feature_map_width, feature_map_height;  // empty: input size / stride, rounded up
};

// BlazeFace short range (128x128, 896 anchors; the defaults above) and full range (192x192, one stride-4 layer,
// 2304 anchors).
SsdAnchorOptions blazeFaceShortRangeAnchors();
SsdAnchorOptions blazeFaceFullRangeAnchors();

// Centre and size normalized to the input; w = h = 1 with fixed_anchor_size.
struct Anchor {
  float x_center = 0, y_center = 0, w = 1, h = 1;
};

// Throws BadInput for options that give no anchors (no layers, strides fewer than layers, ...).
std::vector<Anchor> ssdAnchors(const SsdAnchorOptions& options);

}  // namespace ql
