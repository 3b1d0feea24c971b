// Label-map PNGs (Pascal VOC's SegmentationClass): one class per pixel as a palette index or a grey value. Read
// with libpng because OpenCV turns a palette into colours.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ql {

struct LabelMap {
  int width = 0, height = 0;
  std::vector<int32_t> values;  // rows of width
};
// A label-map PNG: palette indices (VOC's SegmentationClass) or grey values are the classes. Throws BadInput
// naming the file for colour PNGs and unreadable files.
LabelMap readLabelMap(const std::string& path);

}  // namespace ql
