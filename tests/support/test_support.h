// What the tests share: where ../shared and the reference runtime are, subprocesses with a time limit, files.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "util/error.h"

namespace ql::test {

// ../shared next to the checkout (or $QUANTLENS_SHARED); empty when it is not there.
std::string sharedDir();
std::vector<std::string> sharedModels();  // every ../shared/models/*.tflite, sorted

// QUANTLENS_REQUIRE_SHARED=1 (set by .ci/run): what a test needs from outside the checkout (../shared, node and
// the oracle) must be there, and a test that would skip for want of it fails instead.
bool sharedRequired();

// Skips the calling test with `why`, or fails it when sharedRequired().
#define QL_SKIP_FOR_MISSING(why)                                                                       \
  do {                                                                                                 \
    if (::ql::test::sharedRequired()) FAIL() << why << " (QUANTLENS_REQUIRE_SHARED=1)";                 \
    GTEST_SKIP() << why;                                                                               \
  } while (0)

// Skips the calling test with a clear message when ../shared is absent.
#define QL_REQUIRE_SHARED()                                                                            \
  do {                                                                                                 \
    if (::ql::test::sharedDir().empty())                                                               \
      QL_SKIP_FOR_MISSING("../shared is not next to this checkout (set QUANTLENS_SHARED)");            \
  } while (0)

// The running test's ctest label (QUANTLENS_TEST_LABEL, set by tests/test_labels.cmake) must allow what it
// reaches for: "golden" (../shared) under golden or oracle, "oracle" (node) under oracle only. Adds a failure
// naming tests/test_labels.cmake otherwise, so that `ctest -L unit` never quietly reads ../shared.
void checkLabelAllows(const char* need);

// The oracle directory, set up (npm install) once per process; empty with `why` filled when it cannot be had
// (no ../shared, node < 20, no npm, install failed).
std::string oracleDir(std::string* why);
#define QL_REQUIRE_ORACLE(dir)                                                                         \
  std::string dir;                                                                                     \
  do {                                                                                                 \
    std::string why_;                                                                                  \
    dir = ::ql::test::oracleDir(&why_);                                                                \
    if (dir.empty()) QL_SKIP_FOR_MISSING("reference runtime unavailable: " << why_);                   \
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
// The model as the oracle's own flatbuffer reader sees it (tests/tools/independent_inspect.mjs): opcodes, tensors
// with their types, scales and zero points, operators, signatures. Needs node.
nlohmann::json independentInspect(const std::string& model);

std::string makeTempDir(const std::string& prefix);
// The ql::Error `f` throws; an Internal "no error" when it throws none.
Error thrownError(const std::function<void()>& f);
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
// The golden models with at least one op named in `ops` (with only_left_out: one whose output the golden left
// out), or the placeholder when ../shared is absent: a parametrized test that does not apply to a model is not
// generated, rather than generated and skipped.
std::vector<std::string> goldenNamesWithOps(const std::set<std::string>& ops, bool only_left_out = false);
// The tensors a golden lists but did not keep (omitted_for_size, constant_derived_left_out).
std::set<int> goldenOmittedTensors(const Golden& g);
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
