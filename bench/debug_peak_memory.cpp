// Peak memory of `quantlens-cli debug` over 300 copies of a photo against 3: samples are decoded one at a time,
// so the difference should stay small (target: within 50 MB). Measures the child's peak RSS (wait4's
// ru_maxrss). Not a CI gate: `build/ci/bench/debug_peak_memory [MODEL IMAGE]`.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// Peak resident set of one debug run over `copies` links to `image`, in MB; -1 when it failed.
double peakRssMb(const std::string& model, const std::string& image, int copies) {
  fs::path dir = fs::temp_directory_path() / ("quantlens-peak-" + std::to_string(getpid()) + "-" + std::to_string(copies));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (int i = 0; i < copies; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "img%04d", i);
    fs::create_symlink(fs::absolute(image), dir / (name + fs::path(image).extension().string()));
  }
  std::string images = dir.string();
  pid_t pid = fork();
  if (pid == 0) {
    if (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr)) _exit(127);
    execl(QL_CLI_PATH, QL_CLI_PATH, "debug", "--quant", model.c_str(), "--images", images.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  fs::remove_all(dir);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
  const char* env = std::getenv("QUANTLENS_SHARED");
  std::string shared = env && *env ? env : QL_DEFAULT_SHARED_DIR;
  std::string model = argc > 1 ? argv[1] : shared + "/models/mobilenet_v1_0.25_128_quant.tflite";
  std::string image = argc > 2 ? argv[2] : shared + "/images/grace_hopper.bmp";
  if (!fs::exists(model) || !fs::exists(image)) {
    std::fprintf(stderr, "%s or %s is absent: nothing to measure\n", model.c_str(), image.c_str());
    return 0;
  }
  double small = peakRssMb(model, image, 3), large = peakRssMb(model, image, 300);
  std::printf("debug %s over copies of %s: peak RSS %.1f MB for 3 images, %.1f MB for 300 (difference %.1f MB, "
              "target <= 50)\n",
              fs::path(model).filename().c_str(), fs::path(image).filename().c_str(), small, large, large - small);
  return small < 0 || large < 0 ? 1 : 0;
}
