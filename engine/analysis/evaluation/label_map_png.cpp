#include "analysis/evaluation/label_map_png.h"

#include <png.h>

#include <cstdio>
#include <memory>

#include "util/error.h"

namespace ql {

namespace {
[[noreturn]] void pngError(png_structp png, png_const_charp msg) {
  *static_cast<std::string*>(png_get_error_ptr(png)) = msg;
  png_longjmp(png, 1);
}
void pngWarning(png_structp, png_const_charp) {}
}  // namespace

LabelMap readLabelMap(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) badInput(path, "cannot be opened");
  std::string error;
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &error, pngError, pngWarning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    badInput(path, "cannot be read (out of memory)");
  }
  LabelMap out;
  std::vector<png_bytep> rows;
  std::vector<uint8_t> pixels;
  bool colour = false;
  int depth = 8;
  // libpng reports errors by longjmp: nothing with a destructor is created between setjmp and the end.
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    badInput(path, "is not a readable PNG (" + error + ")");
  }
  png_init_io(png, f.get());
  png_read_info(png, info);
  const int type = png_get_color_type(png, info);
  depth = png_get_bit_depth(png, info);
  colour = type == PNG_COLOR_TYPE_RGB || type == PNG_COLOR_TYPE_RGB_ALPHA;
  if (!colour) {
    if (depth < 8) png_set_packing(png);  // 1/2/4-bit indices or greys: one byte each
    if (type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_strip_alpha(png);
    png_read_update_info(png, info);
    out.width = static_cast<int>(png_get_image_width(png, info));
    out.height = static_cast<int>(png_get_image_height(png, info));
    const size_t row_bytes = png_get_rowbytes(png, info);
    pixels.resize(row_bytes * static_cast<size_t>(out.height));
    rows.resize(static_cast<size_t>(out.height));
    for (size_t y = 0; y < rows.size(); ++y) rows[y] = pixels.data() + y * row_bytes;
    png_read_image(png, rows.data());
  }
  png_destroy_read_struct(&png, &info, nullptr);
  if (colour) badInput(path, "is a colour PNG; a label map holds one class per pixel (palette indices or grey values)");
  const size_t n = static_cast<size_t>(out.width) * static_cast<size_t>(out.height);
  out.values.resize(n);
  for (size_t i = 0; i < n; ++i) out.values[i] = depth == 16 ? (pixels[2 * i] << 8 | pixels[2 * i + 1]) : pixels[i];
  return out;
}

}  // namespace ql
