#include "analysis/evaluation/class_mapping.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "analysis/evaluation/text_fields.h"
#include "util/error.h"

namespace ql {

namespace {

bool parseIndex(const std::string& s, long& out) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stol(s);
  return true;
}

constexpr const char* kFieldPadding = " \t\r\"'";  // spaces and quotes around CSV fields

}  // namespace

std::string labelKey(const std::string& name) {
  std::string k = trimmed(name, kFieldPadding);
  for (char& c : k) c = c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return k;
}

ClassMapping mapClassesByName(const std::vector<std::string>& model_labels, const std::vector<Category>& categories) {
  std::map<std::string, int> by_name;
  for (size_t i = 0; i < categories.size(); ++i) by_name.emplace(labelKey(categories[i].name), static_cast<int>(i));
  ClassMapping m;
  m.category_of_class.assign(model_labels.size(), -1);
  // Categories without a name (label maps or CSV labels given as numbers) are the model class of their id.
  for (size_t k = 0; k < categories.size(); ++k) {
    const int64_t id = categories[k].id;
    if (!categories[k].name.empty() || id < 0) continue;
    if (static_cast<size_t>(id) >= m.category_of_class.size())
      m.category_of_class.resize(static_cast<size_t>(id) + 1, -1);
    if (m.category_of_class[static_cast<size_t>(id)] < 0) ++m.mapped;
    m.category_of_class[static_cast<size_t>(id)] = static_cast<int>(k);
  }
  for (size_t c = 0; c < model_labels.size(); ++c) {
    if (m.category_of_class[c] >= 0) continue;
    if (model_labels[c].empty()) continue;
    // The whole label, else one of its synonyms: ImageNet labels read "tabby, tabby cat".
    std::vector<std::string> names{model_labels[c]};
    std::istringstream parts(model_labels[c]);
    for (std::string part; model_labels[c].find(',') != std::string::npos && std::getline(parts, part, ',');)
      names.push_back(part);
    for (const std::string& name : names) {
      auto it = by_name.find(labelKey(name));
      if (it == by_name.end()) continue;
      m.category_of_class[c] = it->second;
      ++m.mapped;
      break;
    }
  }
  return m;
}

ClassMapping readClassMap(const std::string& path, const std::vector<std::string>& model_labels, int model_classes,
                          const std::vector<Category>& categories) {
  std::ifstream in(path);
  if (!in) badInput(path, "cannot be opened");
  const int classes = std::max<int>(model_classes, static_cast<int>(model_labels.size()));
  ClassMapping m;
  m.category_of_class.assign(static_cast<size_t>(std::max(classes, 0)), -1);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const std::string where = path + ":" + std::to_string(n);
    if (trimmed(line).empty() || trimmed(line)[0] == '#') continue;
    const size_t comma = line.find(',');
    if (comma == std::string::npos) badInput(where, "expected 'model_class,annotation_category'");
    const std::string left = trimmed(line.substr(0, comma), kFieldPadding),
                      right = trimmed(line.substr(comma + 1), kFieldPadding);
    long cls = -1, id = -1;
    if (!parseIndex(left, cls)) {
      for (size_t c = 0; c < model_labels.size() && cls < 0; ++c)
        if (labelKey(model_labels[c]) == labelKey(left)) cls = static_cast<long>(c);
    }
    if (cls < 0 || cls >= classes) {
      if (n == 1 && !parseIndex(right, id)) continue;  // a header line
      badInput(where, "'" + left + "' is no class of the model (" + std::to_string(classes) + " classes)");
    }
    int category = -1;
    const bool numeric = parseIndex(right, id);
    for (size_t k = 0; k < categories.size() && category < 0; ++k)
      if (numeric ? categories[k].id == id : labelKey(categories[k].name) == labelKey(right))
        category = static_cast<int>(k);
    if (category < 0) badInput(where, "'" + right + "' is no category of the annotations");
    if (m.category_of_class[static_cast<size_t>(cls)] < 0) ++m.mapped;
    m.category_of_class[static_cast<size_t>(cls)] = category;
  }
  return m;
}

}  // namespace ql
