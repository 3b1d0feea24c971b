#include "support/test_support.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "model/reader.h"

namespace fs = std::filesystem;

namespace ql::test {

bool sharedRequired() {
  const char* v = std::getenv("QUANTLENS_REQUIRE_SHARED");
  return v && *v && std::string(v) != "0";
}

void checkLabelAllows(const char* need) {
  const char* label = std::getenv("QUANTLENS_TEST_LABEL");
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  if (!label || !*label || !test) return;  // not run by ctest, or outside a test (parameter generation)
  const std::string l = label, n = need;
  const bool allowed = l == "oracle" || (n == "golden" && l == "golden");
  if (!allowed)
    ADD_FAILURE() << test->test_suite_name() << "." << test->name() << " needs "
                  << (n == "oracle" ? "node and the oracle" : "../shared") << " but its ctest label is " << l
                  << ": label it " << n << " in tests/test_labels.cmake";
}

std::string sharedDir() {
  checkLabelAllows("golden");
  const char* env = std::getenv("QUANTLENS_SHARED");
  std::string dir = env && *env ? env : QL_DEFAULT_SHARED_DIR;
  if (!fs::is_directory(fs::path(dir) / "models")) return {};
  return fs::canonical(dir).string();
}

std::vector<std::string> sharedModels() {
  std::vector<std::string> out;
  std::string dir = sharedDir();
  if (dir.empty()) return out;
  for (auto& e : fs::directory_iterator(fs::path(dir) / "models"))
    if (e.path().extension() == ".tflite") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string cliPath() { return QL_CLI_PATH; }

nlohmann::json independentInspect(const std::string& model) {
  ProcResult r = runProcess({"node", std::string(QL_SOURCE_DIR) + "/tests/tools/independent_inspect.mjs",
                             sharedDir() + "/oracle", model},
                            120);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

ProcResult runProcess(const std::vector<std::string>& argv, double timeout_seconds, size_t address_space_limit) {
  ProcResult r;
  std::string tmp = makeTempDir("proc");
  std::string out_path = tmp + "/out", err_path = tmp + "/err";
  pid_t pid = fork();
  if (pid == 0) {
    int o = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int n = ::open("/dev/null", O_RDONLY);
    dup2(o, 1);
    dup2(e, 2);
    dup2(n, 0);
    setpgid(0, 0);
    if (address_space_limit) {
      struct rlimit lim {};
      lim.rlim_cur = lim.rlim_max = address_space_limit;
      setrlimit(RLIMIT_AS, &lim);
    }
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  int status = 0;
  for (;;) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      r.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!r.timed_out) {
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  }
  auto slurp = [](const std::string& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  };
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  fs::remove_all(tmp);
  return r;
}

std::string makeTempDir(const std::string& prefix) {
  std::string templ = (fs::temp_directory_path() / ("quantlens-" + prefix + "-XXXXXX")).string();
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
  return buf.data();
}

std::vector<uint8_t> readBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void writeBytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("cannot write " + path);
}

nlohmann::json readJson(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw std::runtime_error("cannot read " + path);
  return nlohmann::json::parse(f);
}

std::string baseName(const std::string& path) { return fs::path(path).stem().string(); }

std::string oracleDir(std::string* why) {
  checkLabelAllows("oracle");
  static std::once_flag once;
  static std::string dir, reason;
  std::call_once(once, [] {
    std::string shared = sharedDir();
    if (shared.empty()) {
      reason = "../shared is not next to this checkout";
      return;
    }
    ProcResult v = runProcess({"node", "--version"}, 30);
    if (v.exit_code != 0) {
      reason = "node is not installed";
      return;
    }
    int major = std::atoi(v.out.c_str() + (v.out.size() > 1 && v.out[0] == 'v' ? 1 : 0));
    if (major < 20) {
      reason = "node " + v.out.substr(0, v.out.find('\n')) + " is older than 20";
      return;
    }
    // Test processes run in parallel (ctest -j): one installs while the others wait on the lock, then find the
    // install done (setup exits at once when node_modules is complete).
    const std::string lock_path = (fs::temp_directory_path() / "quantlens-oracle-setup.lock").string();
    const int lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT, 0666);
    if (lock >= 0) flock(lock, LOCK_EX);
    ProcResult s = runProcess({"sh", shared + "/oracle/setup"}, 600);
    if (lock >= 0) ::close(lock);  // releases the lock
    if (s.exit_code != 0) {
      reason = "../shared/oracle/setup failed: " + s.err.substr(0, 300);
      return;
    }
    dir = shared + "/oracle";
  });
  if (why) *why = reason;
  return dir;
}

Golden readGolden(const std::string& model_name) {
  Golden g;
  g.dir = sharedDir() + "/golden/" + model_name;
  g.manifest = readJson(g.dir + "/manifest.json");
  g.model_path = sharedDir() + "/" + g.manifest.at("model").get<std::string>();
  g.runtime = g.manifest.value("runtime", "");
  for (auto& in : g.manifest.at("inputs")) g.inputs.push_back(g.dir + "/" + in.get<std::string>());
  g.model_outputs = g.manifest.at("model_outputs").get<std::vector<int>>();
  for (auto& t : g.manifest.at("tensors")) {
    GoldenTensor gt;
    gt.index = t.at("tensor_index");
    gt.name = t.value("name", "");
    gt.dtype = t.at("dtype");
    gt.file = g.dir + "/" + t.at("file").get<std::string>();
    gt.shape = t.at("shape").get<std::vector<int64_t>>();
    gt.scale = t.value("scale", std::vector<double>{});
    gt.zero_point = t.value("zero_point", std::vector<int64_t>{});
    g.tensors.push_back(std::move(gt));
  }
  return g;
}

std::vector<std::string> goldenModelNames() {
  std::vector<std::string> out;
  std::string dir = sharedDir();
  if (dir.empty()) return out;
  for (auto& e : fs::directory_iterator(fs::path(dir) / "golden"))
    if (fs::exists(e.path() / "manifest.json")) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> goldenNamesForParams() {
  auto names = goldenModelNames();
  if (names.empty()) names.push_back("no_shared_dir");
  return names;
}

std::set<int> goldenOmittedTensors(const Golden& g) {
  std::set<int> omitted;
  for (const char* key : {"omitted_for_size", "constant_derived_left_out"})
    if (g.manifest.contains(key))
      for (auto& v : g.manifest[key])
        if (v.is_number_integer()) omitted.insert(v.get<int>());
  return omitted;
}

std::vector<std::string> goldenNamesWithOps(const std::set<std::string>& ops, bool only_left_out) {
  std::vector<std::string> names = goldenModelNames();
  if (names.empty()) return goldenNamesForParams();
  std::vector<std::string> out;
  for (const std::string& name : names) {
    const Golden g = readGolden(name);
    const Model model = readModel(g.model_path);
    std::set<int> kept;
    for (const GoldenTensor& t : g.tensors) kept.insert(t.index);
    for (int t : goldenOmittedTensors(g)) kept.erase(t);
    bool applies = false;
    for (const Op& op : model.subgraphs.at(0).ops)
      if (ops.count(model.opName(op)) && (!only_left_out || !kept.count(op.outputs.at(0)))) applies = true;
    if (applies) out.push_back(name);
  }
  return out;
}

std::string paramName(const std::string& s) {
  std::string n = s;
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

std::string oracleRunnerFor(const Golden& g, const std::string& oracle_dir) {
  bool tfjs = g.runtime.find("tfjs") != std::string::npos;
  return oracle_dir + (tfjs ? "/tfjs_tflite_run.cjs" : "/litert_run.mjs");
}

std::vector<std::string> runOracle(const std::string& runner, const std::string& model,
                                   const std::vector<std::string>& inputs, const std::string& out_dir,
                                   const std::vector<std::string>& extra) {
  std::vector<std::string> argv{"node", runner, model, out_dir};
  argv.insert(argv.end(), inputs.begin(), inputs.end());
  argv.insert(argv.end(), extra.begin(), extra.end());
  ProcResult r = runProcess(argv, 600);
  if (r.exit_code != 0)
    throw std::runtime_error("reference runner failed on " + model + " (exit " + std::to_string(r.exit_code) +
                             "): " + r.err.substr(0, 500));
  std::vector<std::string> files;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '{') continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("file")) files.push_back(j["file"].get<std::string>());
  }
  return files;
}

std::string oracleAllTensorsDump(const std::string& runner, const std::string& model,
                                 const std::vector<std::string>& inputs, const std::string& out_dir) {
  std::vector<std::string> argv{"node", runner, model, out_dir};
  argv.insert(argv.end(), inputs.begin(), inputs.end());
  argv.push_back("--all-tensors");
  ProcResult r = runProcess(argv, 600);
  if (r.exit_code != 0)
    throw std::runtime_error("reference runner failed on " + model + ": " + r.err.substr(0, 500));
  nlohmann::json manifest{{"model", model}, {"runtime", runner}, {"inputs", inputs},
                          {"tensors", nlohmann::json::array()}};
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '{') continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("file") || j["tensor_index"].is_null()) continue;
    manifest["tensors"].push_back({{"tensor_index", j["tensor_index"]},
                                   {"name", j.value("name", "")},
                                   {"dtype", j["dtype"]},
                                   {"shape", j["shape"]},
                                   {"file", fs::path(j["file"].get<std::string>()).filename().string()}});
  }
  std::ofstream(out_dir + "/manifest.json") << manifest.dump(1);
  return out_dir;
}

Error thrownError(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  return Error(ErrorKind::Internal, "no error");
}

}  // namespace ql::test
