// Runs of damaged models stay bounded: models made by flipping 1-4 bytes of the small shared models, run on
// zero inputs with --max-memory 512, each end with exit 0, 2 (bad input) or 3 (unsupported): never a signal,
// a hang, "out of memory" or an internal error. A 1 GB address-space limit and a 10 s timeout guard each run.
#include <filesystem>
#include <map>
#include <random>

#include "model/reader.h"
#include "support/test_support.h"
#include "util/error.h"

namespace ql::test {
namespace {

constexpr size_t kSmallModelBytes = 300 * 1024;
constexpr int kMutantsPerModel = 40;

// Byte offsets of the file that are not constant data: the flatbuffer's tables and vectors of shapes, indices,
// quantization and options, where damage changes what the model means (a flipped weight changes only values).
std::vector<size_t> structureOffsets(const std::string& path, const std::vector<uint8_t>& bytes) {
  Bytes file = Bytes::copyOf(bytes.data(), bytes.size());
  Model m = readModelFromBytes(file, path);
  std::vector<bool> is_data(bytes.size(), false);
  const uint8_t* base = file.data;  // the model's buffers point into this copy
  std::vector<size_t> out;
  for (const Bytes& b : m.buffers)
    if (!b.empty() && b.data >= base && b.data + b.size <= base + bytes.size())
      std::fill(is_data.begin() + (b.data - base), is_data.begin() + (b.data - base + b.size), true);
  for (size_t i = 0; i < bytes.size(); ++i)
    if (!is_data[i]) out.push_back(i);
  return out;
}

std::vector<uint8_t> mutate(const std::vector<uint8_t>& orig, const std::vector<size_t>& structure,
                            std::mt19937& rng) {
  std::vector<uint8_t> b = orig;
  int flips = 1 + static_cast<int>(rng() % 4);
  for (int k = 0; k < flips; ++k) {
    // Three in four in the structure, the rest anywhere.
    size_t p = rng() % 4 && !structure.empty() ? structure[rng() % structure.size()] : rng() % b.size();
    b[p] ^= static_cast<uint8_t>(1 + rng() % 255);
  }
  return b;
}

TEST(MutatedModels, RunsOnZeroInputsEndWithExit0Or2Or3) {
  QL_REQUIRE_SHARED();
  std::mt19937 rng(20261129);
  std::string dir = makeTempDir("mutated");
  int files = 0, loaded = 0;
  std::map<int, int> exits;
  for (const std::string& model : sharedModels()) {
    if (std::filesystem::file_size(model) > kSmallModelBytes) continue;
    std::vector<uint8_t> orig = readBytes(model);
    std::vector<size_t> structure = structureOffsets(model, orig);
    for (int m = 0; m < kMutantsPerModel; ++m) {
      std::string name = baseName(model) + "_m" + std::to_string(m);
      std::string path = dir + "/" + name + ".tflite";
      writeBytes(path, mutate(orig, structure, rng));
      ++files;
      // Zero inputs of the sizes the damaged file stores; a model that does not load is the loader's business
      // (tests/engine/model/corrupt_corpus_test.cpp).
      std::vector<std::string> argv{cliPath(), "run", path, "--out", dir + "/" + name + "_out", "--max-memory", "512"};
      try {
        Model mm = readModel(path);
        const Subgraph& sg = mm.subgraphs[0];
        for (size_t i = 0; i < sg.inputs.size(); ++i) {
          const Tensor& t = sg.tensors[static_cast<size_t>(sg.inputs[i])];
          int64_t bytes = dtypeStorageBytes(t.type, elementCount(t.shape));
          // An input the file makes huge gets an empty file: the run must refuse it, not allocate it.
          std::string in = dir + "/" + name + "_in" + std::to_string(i) + ".bin";
          writeBytes(in, std::vector<uint8_t>(bytes > 0 && bytes < (int64_t{64} << 20) ? static_cast<size_t>(bytes) : 0));
          argv.insert(argv.end(), {"--input", in});
        }
      } catch (const Error&) {
        std::filesystem::remove(path);
        continue;
      }
      ++loaded;
      ProcResult r = runProcess(argv, 10, size_t{1} << 30);
      EXPECT_FALSE(r.timed_out) << name << " ran over 10 s";
      EXPECT_EQ(r.signal, 0) << name << " died by signal " << r.signal << ": " << r.err;
      if (!r.timed_out && r.signal == 0) {
        ++exits[r.exit_code];
        EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 2 || r.exit_code == 3)
            << name << " exit " << r.exit_code << ": " << r.err;
      }
      std::filesystem::remove_all(dir + "/" + name + "_out");
    }
  }
  std::filesystem::remove_all(dir);
  std::cout << files << " mutated files, " << loaded << " load; exit codes:";
  for (auto& [code, n] : exits) std::cout << " " << code << " x" << n;
  std::cout << "\n";
  EXPECT_GE(files, 500);
  EXPECT_GE(loaded, 50);
}

}  // namespace
}  // namespace ql::test
