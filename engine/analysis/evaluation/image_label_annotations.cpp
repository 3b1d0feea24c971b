#include "analysis/evaluation/image_label_annotations.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "analysis/evaluation/class_mapping.h"
#include "analysis/evaluation/text_fields.h"
#include "analysis/labels.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace ql {

namespace {

std::string trim(const std::string& s) { return trimmed(s, " \t\r\""); }

// The fields of a CSV line; a field in double quotes may hold commas ("" is a quote).
std::vector<std::string> csvFields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"') {
      out.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

bool isNumber(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

}  // namespace

Dataset readClassFolders(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) badInput(dir, "is not a folder of class folders");
  Dataset d;
  d.kind = AnnotationKind::ImageLabels;
  d.source = dir;
  std::vector<fs::path> classes;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_directory(ec)) classes.push_back(e.path());
  std::sort(classes.begin(), classes.end());
  for (const fs::path& c : classes) {
    const ImageLocator in = ImageLocator::folder(c.string());
    if (in.all().empty()) continue;
    const int index = static_cast<int>(d.categories.size());
    d.categories.push_back({index, c.filename().string()});
    for (const std::string& p : in.all()) {
      AnnotatedImage a;
      a.file = (c.filename() / fs::path(p).filename()).string();
      a.path = p;
      a.label = index;
      d.images.push_back(std::move(a));
    }
  }
  if (d.images.empty()) badInput(dir, "has no class subfolder holding images");
  return d;
}

Dataset readLabelCsv(const std::string& csv, const ImageLocator& images, const std::string& labels_file) {
  std::ifstream in(csv);
  if (!in) badInput(csv, "cannot be opened");
  Dataset d;
  d.kind = AnnotationKind::ImageLabels;
  d.source = csv;
  std::map<std::string, int> index;  // label key -> category
  if (!labels_file.empty()) {
    const std::vector<std::string> names = loadLabels(labels_file);
    for (size_t i = 0; i < names.size(); ++i) {
      d.categories.push_back({static_cast<int64_t>(i), names[i]});
      index.emplace(labelKey(names[i]), static_cast<int>(i));
    }
  }
  std::vector<std::pair<std::string, std::string>> rows;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (trim(line).empty()) continue;
    const std::vector<std::string> fields = csvFields(line);
    if (fields.size() < 2) badInput(csv + ":" + std::to_string(n), "expected 'file,label'");
    // Unquoted commas after the file belong to the label (ImageNet labels read "tabby, tabby cat").
    std::string label = fields[1];
    for (size_t k = 2; k < fields.size(); ++k) label += "," + fields[k];
    const std::string file = trim(fields[0]);
    label = trim(label);
    if (n == 1 && (labelKey(label) == "label" || labelKey(label) == "class")) continue;  // a header
    if (file.empty() || label.empty()) badInput(csv + ":" + std::to_string(n), "expected 'file,label'");
    rows.emplace_back(file, label);
  }
  // Without a labels file, every label found is a category; numbers stand for the model's class of that number.
  if (labels_file.empty()) {
    std::map<std::string, std::string> found;  // key -> as written
    for (const auto& r : rows) found.emplace(labelKey(r.second), r.second);
    for (const auto& [key, written] : found) {
      index.emplace(key, static_cast<int>(d.categories.size()));
      d.categories.push_back(
          {isNumber(key) ? std::stol(key) : static_cast<int64_t>(d.categories.size()), isNumber(key) ? "" : written});
    }
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& [file, label] = rows[r];
    int category = -1;
    auto it = index.find(labelKey(label));
    if (it != index.end())
      category = it->second;
    else if (isNumber(label) && std::stol(label) < static_cast<long>(d.categories.size()))
      category = static_cast<int>(std::stol(label));
    if (category < 0) badInput(csv, "label '" + label + "' of " + file + " is not in " + labels_file);
    AnnotatedImage a;
    a.file = file;
    a.path = images.find(file);
    if (a.path.empty()) {
      const fs::path beside = fs::path(csv).parent_path() / file;  // relative to the CSV
      std::error_code ec;
      if (fs::is_regular_file(beside, ec)) a.path = beside.string();
    }
    if (a.path.empty()) {
      d.missing.push_back(file);
      continue;
    }
    a.label = category;
    d.images.push_back(std::move(a));
  }
  return d;
}

}  // namespace ql
