// An image with boxes, their captions and keypoints drawn on it (OpenCV), for `detect --draw` and reports.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace ql {

struct DrawnBox {
  float ymin = 0, xmin = 0, ymax = 0, xmax = 0;  // normalized to the image
  std::string caption;                           // e.g. "kite 0.87"
  int colour_index = 0;                          // boxes of one class share a colour
  std::vector<std::array<float, 2>> keypoints;   // (x, y) normalized
};

// Reads `image_path`, draws `boxes` and writes the result to `out_path` (format by its extension, .png or .jpg;
// written to a temporary file and renamed). Throws BadInput naming the file that cannot be read or written.
void drawBoxesOnImage(const std::string& image_path, const std::vector<DrawnBox>& boxes, const std::string& out_path);

}  // namespace ql
