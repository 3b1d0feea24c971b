#include "input_loading.h"

#include <cmath>
#include <sstream>

#include "util/error.h"

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

std::string joined(const std::vector<float>& v) {
  std::ostringstream s;
  for (size_t i = 0; i < v.size(); ++i) s << (i ? "," : "") << v[i];
  return s.str();
}

}  // namespace

void addPreprocessOptions(CLI::App& cmd, Preprocess& p, const PreprocessOptions& d, bool defaults_from_profile) {
  auto note = [&](const std::string& value) {
    return defaults_from_profile ? std::string(" (default: the detector profile's)") : " (default " + value + ")";
  };
  cmd.add_option("--mean", p.mean,
                 "image inputs: value subtracted from each pixel (0-255), one or R,G,B" + note(joined(d.norm.mean)));
  cmd.add_option("--std", p.std, "image inputs: divisor after the mean, one or R,G,B" + note(joined(d.norm.std)));
  cmd.add_option("--resize", p.resize,
                 "image inputs: stretch to the input size, or letterbox (scale to fit keeping the aspect ratio, "
                 "pad centred)" + note(resizeModeName(d.resize)))
      ->check(CLI::IsMember({"stretch", "letterbox"}));
  cmd.add_option("--pad", p.pad,
                 "letterbox border colour R,G,B (0-255)" +
                     note(std::to_string(d.pad[0]) + "," + std::to_string(d.pad[1]) + "," + std::to_string(d.pad[2])));
}

PreprocessOptions preprocessOptions(const Preprocess& p, PreprocessOptions o) {
  if (!p.mean.empty()) o.norm.mean = parseValues("--mean", p.mean);
  if (!p.std.empty()) o.norm.std = parseValues("--std", p.std);
  for (float s : o.norm.std)
    if (s == 0) badInput("", "--std '" + p.std + "': a divisor of 0");
  if (!p.resize.empty()) o.resize = p.resize == "letterbox" ? ResizeMode::Letterbox : ResizeMode::Stretch;
  if (!p.pad.empty()) {
    std::vector<float> v = parseValues("--pad", p.pad);
    if (v.size() == 1) v.assign(3, v[0]);
    for (size_t i = 0; i < 3; ++i) {
      if (!(v[i] >= 0 && v[i] <= 255) || v[i] != std::floor(v[i]))
        badInput("", "--pad '" + p.pad + "': colours are whole numbers 0-255");
      o.pad[i] = static_cast<uint8_t>(v[i]);
    }
  }
  return o;
}

}  // namespace ql::cli
