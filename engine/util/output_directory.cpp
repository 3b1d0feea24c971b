#include "util/output_directory.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace fs = std::filesystem;

namespace ql {
namespace {

// The files of the quantlens run `dir` holds (its manifest, the files it lists, and files named like a run's
// tensors and inputs), or false when the directory holds no quantlens run.
bool previousRunFiles(const fs::path& dir, std::set<std::string>* files) {
  std::ifstream f(dir / "manifest.json");
  if (!f) return false;
  const nlohmann::json m = nlohmann::json::parse(f, nullptr, false);
  if (!m.is_object() || !m.contains("runtime") || !m["runtime"].is_string() ||
      m["runtime"].get<std::string>().rfind("quantlens", 0) != 0)
    return false;
  files->insert("manifest.json");
  auto plain_name = [](const nlohmann::json& v) {
    // Only a bare file name inside the directory: a manifest never makes quantlens delete anything elsewhere.
    return v.is_string() && fs::path(v.get<std::string>()).filename() == v.get<std::string>() &&
           v.get<std::string>() != "." && v.get<std::string>() != "..";
  };
  if (m.contains("inputs") && m["inputs"].is_array())
    for (const auto& v : m["inputs"])
      if (plain_name(v)) files->insert(v.get<std::string>());
  if (m.contains("tensors") && m["tensors"].is_array())
    for (const auto& t : m["tensors"])
      if (t.is_object() && t.contains("file") && plain_name(t["file"])) files->insert(t["file"].get<std::string>());
  // A run stopped before its manifest was rewritten leaves files the manifest does not list.
  static const std::regex run_file(R"((t|in)[0-9]+\.bin)");
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && std::regex_match(e.path().filename().string(), run_file))
      files->insert(e.path().filename().string());
  return true;
}

// Checks `dir` against the rule; with `apply`, creates it or removes the previous run's files.
void outputDirectory(const std::string& dir, bool force, bool apply) {
  std::error_code ec;
  const fs::path path(dir);
  if (!fs::exists(path, ec)) {
    if (!apply) return;
    fs::create_directories(path, ec);
    if (ec) badInput(dir, "cannot create directory: " + ec.message());
    return;
  }
  if (!fs::is_directory(path, ec)) badInput(dir, "exists and is not a directory");
  if (fs::is_empty(path, ec)) return;
  std::set<std::string> run_files;
  if (previousRunFiles(path, &run_files)) {
    if (!apply) return;
    for (const std::string& name : run_files) {
      fs::remove(path / name, ec);
      if (ec) badInput((path / name).string(), "cannot remove the previous run's file: " + ec.message());
    }
    return;
  }
  if (force) return;
  std::string example;
  for (const auto& e : fs::directory_iterator(path)) {
    example = e.path().filename().string();
    break;
  }
  badInput(dir, "is not empty and holds no previous quantlens run (it has " + example +
                    "); choose a new or empty directory, or pass --force to write into it anyway");
}

}  // namespace

void prepareOutputDirectory(const std::string& dir, bool force) { outputDirectory(dir, force, true); }

void checkOutputDirectory(const std::string& dir, bool force) { outputDirectory(dir, force, false); }

}  // namespace ql
