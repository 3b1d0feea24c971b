// An image's width and height as a viewer shows it, from the file's header (JPEG, PNG, BMP) without decoding
// the pixels; JPEG's EXIF orientation is applied (OpenCV's imread turns the pixels the same way).
#pragma once

#include <string>

namespace ql {

struct ImageSize {
  int width = 0, height = 0;
};

// Throws BadInput naming the file when it cannot be read as an image.
ImageSize imageSize(const std::string& path);

}  // namespace ql
