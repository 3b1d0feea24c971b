// What the tests share: where ../shared and the reference runtime are, subprocesses with a time limit, files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ql::test {

// ../shared next to the checkout (or $QUANTLENS_SHARED); empty when it is not there.
std::string sharedDir();
std::vector<std::string> sharedModels();  // every ../shared/models/*.tflite, sorted

// Skips the calling test with a clear message when ../shared is absent.
#define QL_REQUIRE_SHARED()                                                                            \
  do {                                                                                                 \
    if (::ql::test::sharedDir().empty())                                                               \
      GTEST_SKIP() << "../shared is not next to this checkout (set QUANTLENS_SHARED): skipping";       \
  } while (0)

// The oracle directory, set up (npm install) once per process; empty with `why` filled when it cannot be had
// (no ../shared, node < 20, no npm, install failed).
std::string oracleDir(std::string* why);
#define QL_REQUIRE_ORACLE(dir)                                                                         \
  std::string dir;                                                                                     \
  do {                                                                                                 \
    std::string why_;                                                                                  \
    dir = ::ql::test::oracleDir(&why_);                                                                \
    if (dir.empty()) GTEST_SKIP() << "reference runtime unavailable: " << why_;                        \
  } while (0)

struct ProcResult {
  int exit_code = -1;  // when it exited
  int signal = 0;      // when a signal ended it
  bool timed_out = false;
  std::string out, err;
};
// `address_space_limit` (bytes, 0 = none) is set with setrlimit(RLIMIT_AS) in the child: a guard that turns a
// runaway allocation into a failed one instead of a swapping machine.
ProcResult runProcess(const std::vector<std::string>& argv, double timeout_seconds, size_t address_space_limit = 0);
std::string cliPath();  // the quantlens-cli under test

std::string makeTempDir(const std::string& prefix);
std::vector<uint8_t> readBytes(const std::string& path);
void writeBytes(const std::string& path, const std::vector<uint8_t>& bytes);
nlohmann::json readJson(const std::string& path);
std::string baseName(const std::string& path);  // "a/b/c.tflite" -> "c"

// A golden reference made by the real runtime: ../shared/golden/<model>/manifest.json.
struct GoldenTensor {
  int index = 0;
  std::string name, dtype, file;
  std::vector<int64_t> shape;
  std::vector<double> scale;
  std::vector<int64_t> zero_point;
};
struct Golden {
  std::string dir, model_path, runtime;
  std::vector<std::string> inputs;  // absolute paths of in<i>.bin
  std::vector<int> model_outputs;
  std::vector<GoldenTensor> tensors;
  nlohmann::json manifest;
};
Golden readGolden(const std::string& model_name);  // throws when absent
std::vector<std::string> goldenModelNames();        // every ../shared/golden/* with a manifest, sorted
// The runner ../shared/oracle/README.md names for a model: tfjs for TFLite_Detection_PostProcess or variable
// tensors, litert otherwise (what the golden's own runtime field says).
std::string oracleRunnerFor(const Golden& g, const std::string& oracle_dir);

// goldenModelNames(), or one placeholder when ../shared is absent (the tests then skip), for TEST_P suites.
std::vector<std::string> goldenNamesForParams();
// A test-parameter name made of letters, digits and underscores.
std::string paramName(const std::string& s);

// Runs a model in a reference runner; returns its output files (OUTDIR/out<i>.bin) in order.
std::vector<std::string> runOracle(const std::string& runner, const std::string& model,
                                   const std::vector<std::string>& inputs, const std::string& out_dir,
                                   const std::vector<std::string>& extra = {});

// Runs a model in a reference runner with --all-tensors and writes OUT_DIR/manifest.json in the golden format,
// so the directory can feed quantlens (DumpFeeder) and be compared with it. Returns OUT_DIR.
std::string oracleAllTensorsDump(const std::string& runner, const std::string& model,
                                 const std::vector<std::string>& inputs, const std::string& out_dir);

}  // namespace ql::test
