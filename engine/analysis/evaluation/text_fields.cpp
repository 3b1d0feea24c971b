#include "analysis/evaluation/text_fields.h"

#include <cctype>
#include <filesystem>

namespace ql {

std::string trimmed(const std::string& s, const char* strip) {
  const size_t a = s.find_first_not_of(strip);
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(strip) - a + 1);
}

std::string lowerCase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string lowerExtension(const std::string& path) {
  return lowerCase(std::filesystem::path(path).extension().string());
}

}  // namespace ql
