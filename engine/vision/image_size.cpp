#include "vision/image_size.h"

#include <cstdint>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <vector>

#include "util/error.h"

namespace ql {

namespace {

uint32_t be16(const uint8_t* p) { return static_cast<uint32_t>(p[0] << 8 | p[1]); }
uint32_t be32(const uint8_t* p) { return be16(p) << 16 | be16(p + 2); }
uint32_t le16(const uint8_t* p) { return static_cast<uint32_t>(p[1] << 8 | p[0]); }
int32_t le32(const uint8_t* p) { return static_cast<int32_t>(le16(p + 2) << 16 | le16(p)); }

// The EXIF orientation (1-8) in an APP1 segment's payload, or 0.
int exifOrientation(const uint8_t* p, size_t n) {
  if (n < 14 || std::string(reinterpret_cast<const char*>(p), 6) != std::string("Exif\0\0", 6)) return 0;
  const uint8_t* tiff = p + 6;
  const size_t size = n - 6;
  const bool little = tiff[0] == 'I';
  auto u16 = [&](size_t at) { return little ? le16(tiff + at) : be16(tiff + at); };
  auto u32 = [&](size_t at) { return little ? static_cast<uint32_t>(le32(tiff + at)) : be32(tiff + at); };
  const size_t ifd = u32(4);
  if (ifd + 2 > size) return 0;
  const size_t entries = u16(ifd);
  for (size_t e = 0; e < entries && ifd + 2 + 12 * (e + 1) <= size; ++e) {
    const size_t at = ifd + 2 + 12 * e;
    if (u16(at) == 0x0112) return static_cast<int>(u16(at + 8));
  }
  return 0;
}

bool jpegSize(const std::vector<uint8_t>& b, ImageSize& out) {
  if (b.size() < 4 || b[0] != 0xFF || b[1] != 0xD8) return false;
  int orientation = 0;
  size_t i = 2;
  while (i + 4 <= b.size()) {
    if (b[i] != 0xFF) return false;
    const uint8_t marker = b[i + 1];
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      i += 2;
      continue;
    }
    const size_t len = be16(&b[i + 2]);
    if (len < 2 || i + 2 + len > b.size()) return false;
    const uint8_t* payload = &b[i + 4];
    if (marker == 0xE1 && orientation == 0) orientation = exifOrientation(payload, len - 2);
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (len < 7) return false;
      out.height = static_cast<int>(be16(payload + 1));
      out.width = static_cast<int>(be16(payload + 3));
      if (orientation >= 5 && orientation <= 8) std::swap(out.width, out.height);  // turned by 90 degrees
      return out.width > 0 && out.height > 0;
    }
    i += 2 + len;
  }
  return false;
}

}  // namespace

ImageSize imageSize(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) badInput(path, "cannot be opened");
  std::vector<uint8_t> head(26);
  f.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(f.gcount()));
  ImageSize s;
  if (head.size() >= 24 && head[0] == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
    s.width = static_cast<int>(be32(&head[16]));
    s.height = static_cast<int>(be32(&head[20]));
    if (s.width > 0 && s.height > 0) return s;
  } else if (head.size() >= 26 && head[0] == 'B' && head[1] == 'M') {
    s.width = le32(&head[18]);
    s.height = std::abs(le32(&head[22]));  // negative: rows stored top-down
    if (s.width > 0 && s.height > 0) return s;
  } else if (head.size() >= 2 && head[0] == 0xFF && head[1] == 0xD8) {
    // The frame header follows any EXIF block; reading the file is cheap next to decoding it.
    f.clear();
    f.seekg(0);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (jpegSize(bytes, s)) return s;
  }
  // Another format, or a header we could not follow: decode it.
  cv::Mat img = cv::imread(path, cv::IMREAD_COLOR);
  if (img.empty()) badInput(path, "cannot read as an image");
  return {img.cols, img.rows};
}

}  // namespace ql
