#include "analysis/detection/ssd_anchors.h"

#include <cmath>

#include "util/error.h"

namespace ql {

namespace {

float layerScale(float min_scale, float max_scale, int stride_index, int num_strides) {
  if (num_strides == 1) return (min_scale + max_scale) * 0.5f;
  return min_scale + (max_scale - min_scale) * 1.0f * stride_index / (num_strides - 1.0f);
}

}  // namespace

SsdAnchorOptions blazeFaceShortRangeAnchors() { return SsdAnchorOptions{}; }

SsdAnchorOptions blazeFaceFullRangeAnchors() {
  SsdAnchorOptions o;
  o.input_size_width = o.input_size_height = 192;
  o.num_layers = 1;
  o.strides = {4};
  o.interpolated_scale_aspect_ratio = 0.0f;
  return o;
}

std::vector<Anchor> ssdAnchors(const SsdAnchorOptions& o) {
  const int strides = static_cast<int>(o.strides.size());
  if (o.num_layers <= 0 || strides != o.num_layers || o.input_size_width <= 0 || o.input_size_height <= 0)
    badInput("", "SSD anchors need num_layers > 0, one stride per layer and a positive input size");
  for (int s : o.strides)
    if (s <= 0) badInput("", "SSD anchor strides must be positive");
  const bool explicit_maps = !o.feature_map_width.empty();
  if (explicit_maps && (static_cast<int>(o.feature_map_width.size()) != o.num_layers ||
                        static_cast<int>(o.feature_map_height.size()) != o.num_layers))
    badInput("", "SSD anchors: feature_map_width and feature_map_height need one value per layer");
  std::vector<Anchor> anchors;
  int layer = 0;
  while (layer < o.num_layers) {
    std::vector<float> heights, widths, ratios, scales;
    // Layers of the same stride share one feature map: their anchors interleave per cell.
    int last = layer;
    while (last < strides && o.strides[static_cast<size_t>(last)] == o.strides[static_cast<size_t>(layer)]) {
      const float scale = layerScale(o.min_scale, o.max_scale, last, strides);
      if (last == 0 && o.reduce_boxes_in_lowest_layer) {
        ratios.insert(ratios.end(), {1.0f, 2.0f, 0.5f});
        scales.insert(scales.end(), {0.1f, scale, scale});
      } else {
        for (float r : o.aspect_ratios) {
          ratios.push_back(r);
          scales.push_back(scale);
        }
        if (o.interpolated_scale_aspect_ratio > 0.0f) {
          const float next = last == strides - 1 ? 1.0f : layerScale(o.min_scale, o.max_scale, last + 1, strides);
          scales.push_back(std::sqrt(scale * next));
          ratios.push_back(o.interpolated_scale_aspect_ratio);
        }
      }
      ++last;
    }
    for (size_t i = 0; i < ratios.size(); ++i) {
      const float root = std::sqrt(ratios[i]);
      heights.push_back(scales[i] / root);
      widths.push_back(scales[i] * root);
    }
    const int stride = o.strides[static_cast<size_t>(layer)];
    const int map_h = explicit_maps ? o.feature_map_height[static_cast<size_t>(layer)]
                                    : static_cast<int>(std::ceil(1.0f * o.input_size_height / stride));
    const int map_w = explicit_maps ? o.feature_map_width[static_cast<size_t>(layer)]
                                    : static_cast<int>(std::ceil(1.0f * o.input_size_width / stride));
    for (int y = 0; y < map_h; ++y)
      for (int x = 0; x < map_w; ++x)
        for (size_t k = 0; k < heights.size(); ++k) {
          Anchor a;
          a.x_center = (x + o.anchor_offset_x) * 1.0f / map_w;
          a.y_center = (y + o.anchor_offset_y) * 1.0f / map_h;
          if (!o.fixed_anchor_size) a.w = widths[k], a.h = heights[k];
          anchors.push_back(a);
        }
    layer = last;
  }
  return anchors;
}

}  // namespace ql
