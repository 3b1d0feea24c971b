#include "analysis/evaluation/segmentation_eval.h"

#include <png.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "util/error.h"

namespace ql {

Confusion::Confusion(size_t classes) : n_(classes), m_(classes * (classes + 1), 0) {}

void Confusion::add(int truth, int predicted) {
  if (truth < 0 || static_cast<size_t>(truth) >= n_) return;
  const size_t p = predicted < 0 || static_cast<size_t>(predicted) >= n_ ? n_ : static_cast<size_t>(predicted);
  ++m_[static_cast<size_t>(truth) * (n_ + 1) + p];
}

void Confusion::add(const Confusion& o) {
  for (size_t i = 0; i < m_.size() && i < o.m_.size(); ++i) m_[i] += o.m_[i];
}

uint64_t Confusion::truthPixels(size_t cls) const {
  uint64_t s = 0;
  for (size_t p = 0; p <= n_; ++p) s += m_[cls * (n_ + 1) + p];
  return s;
}

std::vector<double> Confusion::iou() const {
  std::vector<double> out(n_, -1);
  for (size_t k = 0; k < n_; ++k) {
    uint64_t predicted = 0;
    for (size_t t = 0; t < n_; ++t) predicted += m_[t * (n_ + 1) + k];
    const uint64_t hits = m_[k * (n_ + 1) + k];
    const uint64_t uni = truthPixels(k) + predicted - hits;
    if (uni > 0) out[k] = static_cast<double>(hits) / static_cast<double>(uni);
  }
  return out;
}

double Confusion::meanIou() const {
  double sum = 0;
  size_t n = 0;
  for (double v : iou())
    if (v >= 0) sum += v, ++n;
  return n ? sum / static_cast<double>(n) : -1;
}

std::vector<int32_t> resizeNearest(const std::vector<int32_t>& mask, int w, int h, int tw, int th) {
  if (w == tw && h == th) return mask;
  std::vector<int32_t> out(static_cast<size_t>(tw) * static_cast<size_t>(th));
  for (int y = 0; y < th; ++y) {
    const int sy = std::min(h - 1, static_cast<int>((y + 0.5) * h / th));
    for (int x = 0; x < tw; ++x) {
      const int sx = std::min(w - 1, static_cast<int>((x + 0.5) * w / tw));
      out[static_cast<size_t>(y) * static_cast<size_t>(tw) + static_cast<size_t>(x)] =
          mask[static_cast<size_t>(sy) * static_cast<size_t>(w) + static_cast<size_t>(sx)];
    }
  }
  return out;
}

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
