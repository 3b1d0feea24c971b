// A corpus of damaged models made from the shared ones: each is refused with exit 2 and one line naming the
// file, or loads cleanly; never a signal, a hang or a crash.
#include <filesystem>
#include <random>

#include "support/test_support.h"

namespace ql::test {
namespace {

struct Damaged {
  std::string name;
  std::vector<uint8_t> bytes;
};

std::vector<Damaged> damage(const std::string& model, std::mt19937& rng) {
  std::vector<uint8_t> orig = readBytes(model);
  std::string base = baseName(model);
  std::vector<Damaged> out;
  size_t n = orig.size();
  // Truncations: inside the header, at the root table, and at fractions of the file.
  for (size_t cut : {size_t{1}, size_t{7}, size_t{8}, size_t{16}, size_t{64}, n / 10, n / 3, n / 2, n - 1})
    if (cut < n) out.push_back({base + "_trunc" + std::to_string(cut), {orig.begin(), orig.begin() + cut}});
  // A wrong identifier.
  {
    auto b = orig;
    b[4] = 'X';
    out.push_back({base + "_ident", b});
  }
  std::uniform_int_distribution<size_t> pos(0, n - 1);
  // Single flipped bytes and 32-bit words set to extreme values, anywhere and near the start (the tables).
  for (int k = 0; k < 6; ++k) {
    auto b = orig;
    b[pos(rng)] ^= static_cast<uint8_t>(1u << (rng() % 8));
    out.push_back({base + "_flip" + std::to_string(k), b});
  }
  const uint32_t extremes[] = {0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u, 0x00010000u, 0u};
  for (int k = 0; k < 6; ++k) {
    auto b = orig;
    size_t p = (k % 2 ? pos(rng) : pos(rng) % std::min<size_t>(n, 4096)) & ~size_t{3};
    if (p + 4 > n) continue;
    uint32_t v = extremes[rng() % 5];
    std::memcpy(&b[p], &v, 4);
    out.push_back({base + "_word" + std::to_string(k), b});
  }
  // Bursts of random bytes.
  for (int k = 0; k < 2; ++k) {
    auto b = orig;
    size_t p = pos(rng);
    for (size_t i = p; i < std::min(n, p + 64); ++i) b[i] = static_cast<uint8_t>(rng());
    out.push_back({base + "_burst" + std::to_string(k), b});
  }
  return out;
}

TEST(CorruptCorpus, EveryDamagedModelIsRefusedCleanlyOrLoads) {
  QL_REQUIRE_SHARED();
  std::mt19937 rng(20261122);
  std::string dir = makeTempDir("corrupt");
  std::vector<Damaged> corpus;
  for (const std::string& model : sharedModels())
    for (auto& d : damage(model, rng)) corpus.push_back(std::move(d));
  ASSERT_GE(corpus.size(), 200u);
  int refused = 0, loaded = 0;
  for (const Damaged& d : corpus) {
    std::string path = dir + "/" + d.name + ".tflite";
    writeBytes(path, d.bytes);
    ProcResult r = runProcess({cliPath(), "inspect", "--json", path}, 60);
    ASSERT_FALSE(r.timed_out) << d.name << " hung";
    ASSERT_EQ(r.signal, 0) << d.name << " died by signal " << r.signal << ": " << r.err;
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 2) << d.name << " exit " << r.exit_code << ": " << r.err;
    if (r.exit_code == 2) {
      ++refused;
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << d.name << ": " << r.err;
      EXPECT_NE(r.err.find(path), std::string::npos) << d.name << ": message does not name the file: " << r.err;
    } else {
      ++loaded;
    }
    std::filesystem::remove(path);
  }
  std::filesystem::remove_all(dir);
  std::cout << corpus.size() << " damaged models: " << refused << " refused, " << loaded << " loaded\n";
  EXPECT_GT(refused, static_cast<int>(corpus.size()) / 2);
}

TEST(BadInput, MissingEmptyDirectoryAndForeignFilesGiveExit2NamingTheFile) {
  std::string dir = makeTempDir("badinput");
  std::string empty = dir + "/empty.tflite", text = dir + "/text.tflite", missing = dir + "/missing.tflite";
  writeBytes(empty, {});
  std::string hello = "hello, this is not a model at all";
  writeBytes(text, std::vector<uint8_t>(hello.begin(), hello.end()));
  for (const std::string& path : {empty, text, missing, dir}) {
    ProcResult r = runProcess({cliPath(), "inspect", path}, 30);
    EXPECT_EQ(r.exit_code, 2) << path << ": " << r.err;
    EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  std::filesystem::remove_all(dir);
}

TEST(BadInput, UnknownFlagIsExit2) {
  ProcResult r = runProcess({cliPath(), "inspect", "--no-such-flag", "x.tflite"}, 30);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ProcResult h = runProcess({cliPath(), "inspect", "--help"}, 30);
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("--json"), std::string::npos);
}

}  // namespace
}  // namespace ql::test
