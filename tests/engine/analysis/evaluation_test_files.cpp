#include "evaluation_test_files.h"

#include <fstream>

namespace ql::test {

namespace {

void put32le(std::vector<uint8_t>& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void put32be(std::vector<uint8_t>& b, uint32_t v) {
  for (int i = 3; i >= 0; --i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

uint32_t crc32(const uint8_t* p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return c ^ 0xFFFFFFFFu;
}

void chunk(std::vector<uint8_t>& png, const char* type, const std::vector<uint8_t>& data) {
  put32be(png, static_cast<uint32_t>(data.size()));
  std::vector<uint8_t> body(type, type + 4);
  body.insert(body.end(), data.begin(), data.end());
  png.insert(png.end(), body.begin(), body.end());
  put32be(png, crc32(body.data(), body.size()));
}

void save(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

void writeBmp(const std::string& path, int width, int height) {
  const uint32_t row = static_cast<uint32_t>((width * 3 + 3) / 4 * 4);
  std::vector<uint8_t> b{'B', 'M'};
  put32le(b, 54 + row * static_cast<uint32_t>(height));
  put32le(b, 0);
  put32le(b, 54);
  put32le(b, 40);
  put32le(b, static_cast<uint32_t>(width));
  put32le(b, static_cast<uint32_t>(height));
  b.insert(b.end(), {1, 0, 24, 0});
  for (int i = 0; i < 6; ++i) put32le(b, 0);
  b.resize(b.size() + row * static_cast<uint32_t>(height), 128);
  save(path, b);
}

void writePng(const std::string& path, int width, int height, const std::vector<uint8_t>& values, int colour_type) {
  const int channels = colour_type == 2 ? 3 : 1;
  std::vector<uint8_t> raw;
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);  // filter: none
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < channels; ++c) raw.push_back(values[static_cast<size_t>(y * width + x)]);
  }
  // zlib: one stored deflate block (the test images are small), then Adler-32.
  std::vector<uint8_t> z{0x78, 0x01, 0x01};
  const uint16_t len = static_cast<uint16_t>(raw.size());
  z.insert(z.end(), {static_cast<uint8_t>(len), static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(~len),
                     static_cast<uint8_t>(static_cast<uint16_t>(~len) >> 8)});
  z.insert(z.end(), raw.begin(), raw.end());
  uint32_t a = 1, b = 0;
  for (uint8_t v : raw) a = (a + v) % 65521, b = (b + a) % 65521;
  put32be(z, b << 16 | a);

  std::vector<uint8_t> png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::vector<uint8_t> ihdr;
  put32be(ihdr, static_cast<uint32_t>(width));
  put32be(ihdr, static_cast<uint32_t>(height));
  ihdr.insert(ihdr.end(), {8, static_cast<uint8_t>(colour_type), 0, 0, 0});
  chunk(png, "IHDR", ihdr);
  if (colour_type == 3) {
    std::vector<uint8_t> plte;
    for (int i = 0; i < 256; ++i)
      plte.insert(plte.end(), {static_cast<uint8_t>(i * 7), static_cast<uint8_t>(i * 3), 9});
    chunk(png, "PLTE", plte);
  }
  chunk(png, "IDAT", z);
  chunk(png, "IEND", {});
  save(path, png);
}

void writeText(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace ql::test
