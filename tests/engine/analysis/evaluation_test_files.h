// Small image and label-map files written byte by byte for the evaluation tests (no image library needed):
// 24-bit BMPs of a given size and 8-bit PNGs (palette, grey or RGB) with uncompressed deflate blocks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ql::test {

void writeBmp(const std::string& path, int width, int height);
// PNG colour type 3 (palette), 0 (grey) or 2 (RGB: values repeated in the three channels).
void writePng(const std::string& path, int width, int height, const std::vector<uint8_t>& values, int colour_type);
void writeText(const std::string& path, const std::string& text);

}  // namespace ql::test
