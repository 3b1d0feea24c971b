#include <algorithm>
#include <filesystem>

#include "analysis/evaluation/dataset.h"
#include "analysis/evaluation/text_fields.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace ql {

std::string fileStem(const std::string& path) { return fs::path(path).stem().string(); }

ImageLocator ImageLocator::folder(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) badInput(dir, "is not a folder");
  ImageLocator l;
  l.dir_ = dir;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file(ec) && isImageFile(e.path().string())) l.paths_.push_back(e.path().string());
  std::sort(l.paths_.begin(), l.paths_.end());
  return l;
}

ImageLocator ImageLocator::files(std::vector<std::string> paths) {
  ImageLocator l;
  l.paths_ = std::move(paths);
  std::sort(l.paths_.begin(), l.paths_.end());
  return l;
}

std::string ImageLocator::find(const std::string& name) const {
  std::error_code ec;
  if (!dir_.empty()) {
    // COCO files name images relative to an image root ("val2017/x.jpg" in some exports): try the whole
    // relative path, then the file name alone.
    for (const fs::path& p : {fs::path(dir_) / name, fs::path(dir_) / fs::path(name).filename()})
      if (fs::is_regular_file(p, ec)) return p.string();
    return "";
  }
  const std::string base = fs::path(name).filename().string();
  for (const std::string& p : paths_)
    if (fs::path(p).filename().string() == base && fs::is_regular_file(p, ec)) return p;
  return "";
}

}  // namespace ql
