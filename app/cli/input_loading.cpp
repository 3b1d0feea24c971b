#include "input_loading.h"

#include <algorithm>
#include <filesystem>

#include "runtime/tensor_dump.h"
#include "util/error.h"
#include "vision/preprocess.h"

namespace ql::cli {

namespace {
std::vector<float> parseValues(const std::string& flag, const std::string& text) {
  std::vector<float> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    try {
      size_t used = 0;
      out.push_back(std::stof(part, &used));
      if (used != part.size()) throw std::invalid_argument(part);
    } catch (const std::exception&) {
      badInput("", flag + " '" + text + "': expected a number or R,G,B");
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (out.size() != 1 && out.size() != 3) badInput("", flag + " '" + text + "': give one value or three");
  return out;
}

bool isImage(const std::string& path) {
  std::string ext = path.substr(path.find_last_of('.') == std::string::npos ? path.size() : path.find_last_of('.'));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp";
}
}  // namespace

void addPreprocessOptions(CLI::App& cmd, Preprocess& p) {
  cmd.add_option("--mean", p.mean, "image inputs: value subtracted from each pixel (one, or R,G,B)")
      ->capture_default_str();
  cmd.add_option("--std", p.std, "image inputs: divisor after the mean (one, or R,G,B)")->capture_default_str();
}

std::vector<std::string> imagesIn(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) badInput(dir, "is not a directory");
  std::vector<std::string> out;
  for (auto& e : std::filesystem::directory_iterator(dir))
    if (isImage(e.path().string())) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  if (out.empty()) badInput(dir, "holds no .jpg, .png or .bmp image");
  return out;
}

std::vector<uint8_t> loadInput(const std::string& path, const RuntimeTensor& input, const Preprocess& p) {
  if (isImage(path)) {
    ImageNormalization norm{parseValues("--mean", p.mean), parseValues("--std", p.std)};
    return imageToInputTensor(path, input.type(), input.shape(), input.scale(), input.zeroPoint(), norm);
  }
  std::vector<uint8_t> bytes = readFileBytes(path);
  int64_t need = dtypeStorageBytes(input.type(), input.elements());
  if (static_cast<int64_t>(bytes.size()) != need)
    badInput(path, "holds " + std::to_string(bytes.size()) + " bytes, but input '" + input.name() + "' (" +
                       dtypeLowerName(input.type()) + ") needs " + std::to_string(need));
  return bytes;
}

}  // namespace ql::cli
