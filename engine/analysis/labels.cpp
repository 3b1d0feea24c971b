#include "analysis/labels.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "util/error.h"

namespace ql {

namespace {

uint32_t le32(const uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24); }
uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

std::vector<std::string> textLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

std::vector<std::string> parsePbtxt(const std::string& text, const std::string& path) {
  std::vector<std::string> labels;
  std::regex item(R"(item\s*\{([^}]*)\})");
  std::regex id(R"(\bid\s*:\s*(-?\d+))");
  std::regex name(R"(\bname\s*:\s*['"]([^'"]*)['"])");
  std::regex display(R"(\bdisplay_name\s*:\s*['"]([^'"]*)['"])");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), item); it != std::sregex_iterator(); ++it) {
    std::string body = (*it)[1];
    std::smatch m_id, m_name, m_display;
    if (!std::regex_search(body, m_id, id)) badInput(path, "a label map item has no id");
    long index = std::stol(m_id[1]) - 1;  // id 1 is class 0 (id 0 is the background)
    std::string label;
    if (std::regex_search(body, m_display, display)) label = m_display[1];
    else if (std::regex_search(body, m_name, name)) label = m_name[1];
    if (index < 0) continue;
    if (static_cast<size_t>(index) >= labels.size()) labels.resize(static_cast<size_t>(index) + 1);
    labels[static_cast<size_t>(index)] = label;
  }
  if (labels.empty()) badInput(path, "no `item { id: ... name: ... }` entries in the label map");
  return labels;
}

std::string inflateRaw(const uint8_t* data, size_t size, size_t expected) {
  std::string out(expected, '\0');
  z_stream s{};
  if (inflateInit2(&s, -MAX_WBITS) != Z_OK) return {};
  s.next_in = const_cast<Bytef*>(data);
  s.avail_in = static_cast<uInt>(size);
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&s, Z_FINISH);
  inflateEnd(&s);
  return rc == Z_STREAM_END ? out : std::string();
}

bool isBackgroundName(const std::string& s) {
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == "???" || lower == "background" || lower == "__background__" || lower.empty();
}

}  // namespace

std::vector<std::string> alignLabelsToClasses(std::vector<std::string> labels, int num_classes) {
  if (num_classes > 0 && labels.size() == static_cast<size_t>(num_classes) + 1 && isBackgroundName(labels[0]))
    labels.erase(labels.begin());
  return labels;
}

std::vector<std::string> resolveLabels(const Model& model, const std::string& labels_path, int num_classes) {
  return alignLabelsToClasses(labels_path.empty() ? labelsFromModel(model) : loadLabels(labels_path), num_classes);
}

std::vector<ZipEntry> readZip(const uint8_t* data, size_t size) {
  std::vector<ZipEntry> out;
  // Local file headers in order: signature PK\3\4, then sizes and names.
  size_t pos = 0;
  while (pos + 30 <= size && le32(data + pos) == 0x04034b50) {
    const uint8_t* h = data + pos;
    uint16_t method = le16(h + 8), flags = le16(h + 6);
    uint32_t csize = le32(h + 18), usize = le32(h + 22);
    uint16_t name_len = le16(h + 26), extra_len = le16(h + 28);
    size_t start = pos + 30 + name_len + extra_len;
    if ((flags & 0x08) || start > size || csize > size - start || usize > (64u << 20)) break;  // sizes unknown: stop
    ZipEntry e;
    e.name.assign(reinterpret_cast<const char*>(h + 30), name_len);
    if (method == 0) e.data.assign(reinterpret_cast<const char*>(data + start), csize);
    else if (method == 8) e.data = inflateRaw(data + start, csize, usize);
    out.push_back(std::move(e));
    pos = start + csize;
  }
  return out;
}

std::vector<std::string> loadLabels(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) badInput(path, "cannot open the label file");
  std::stringstream ss;
  ss << f.rdbuf();
  std::string text = ss.str();
  if (path.size() >= 6 && path.substr(path.size() - 6) == ".pbtxt") return parsePbtxt(text, path);
  std::vector<std::string> lines = textLines(text);
  if (lines.empty()) badInput(path, "the label file is empty");
  return lines;
}

std::vector<ZipEntry> zipEntriesOf(const Model& model) {
  std::vector<const Bytes*> candidates{&model.trailing};
  for (const MetadataEntry& e : model.metadata)
    if (e.buffer < model.buffers.size()) candidates.push_back(&model.buffers[e.buffer]);
  std::vector<ZipEntry> out;
  for (const Bytes* b : candidates) {
    if (b->size < 4) continue;
    for (ZipEntry& e : readZip(b->data, b->size)) out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::string> labelsFromModel(const Model& model) {
  for (const ZipEntry& e : zipEntriesOf(model)) {
    bool label_like = e.name.find("label") != std::string::npos && e.name.size() > 4 &&
                      e.name.substr(e.name.size() - 4) == ".txt";
    if (label_like && !e.data.empty()) return textLines(e.data);
  }
  return {};
}

}  // namespace ql
