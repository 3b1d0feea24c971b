// The desktop app's responsiveness while it works (issue 13's 250 ms goal), offscreen: the models run over 20
// images in the Images dock's worker, results arriving and drawn as they come, while a 10 ms QTimer on the UI
// thread records the gap between its ticks; then the Tensor dock computes an op's tensor on an image (both runs
// on its worker) with the same timer. A gap is how long the UI thread could not answer. Prints the largest gap
// and the 99th percentile per phase and model, and whether the largest stays under 250 ms.
//   gui_responsiveness_bench [MODEL ...]   (default: the coco SSD alone (its twin beside it) and the yolov9t pair)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTimer>

#include "app/gui/images_controller.h"
#include "app/gui/main_window.h"
#include "app/gui/tensor_controller.h"
#include "widgets/graph/graph_view.h"
#include "widgets/images/images_strip.h"

namespace fs = std::filesystem;

namespace {

std::string shared() {
  const char* env = std::getenv("QUANTLENS_SHARED");
  return env && *env ? env : QL_DEFAULT_SHARED_DIR;
}

// 20 image files: the shared photos, repeated under other names where there are fewer (the strip keeps one
// entry per path).
QStringList twentyImages(const fs::path& dir) {
  std::vector<fs::path> found;
  for (const fs::path& d : {fs::path(shared()) / "images", fs::path(shared()) / "images" / "coco"})
    if (fs::is_directory(d))
      for (const auto& e : fs::directory_iterator(d)) {
        const std::string ext = e.path().extension().string();
        if (ext == ".jpg" || ext == ".bmp") found.push_back(e.path());
      }
  std::sort(found.begin(), found.end());
  QStringList out;
  if (found.empty()) return out;
  fs::create_directories(dir);
  for (size_t i = 0; i < 20; ++i) {
    const fs::path& src = found[i % found.size()];
    const fs::path dst = dir / ("img" + std::to_string(i) + src.extension().string());
    fs::copy_file(src, dst, fs::copy_options::overwrite_existing);
    out << QString::fromStdString(dst.string());
  }
  return out;
}

// Ticks a 10 ms timer on the UI thread and records the time between ticks.
class GapMeter {
 public:
  GapMeter() {
    timer_.setInterval(10);
    timer_.setTimerType(Qt::PreciseTimer);
    QObject::connect(&timer_, &QTimer::timeout, [this] {
      const double now = static_cast<double>(clock_.nsecsElapsed()) / 1e6;
      gaps_.push_back(now - last_);
      last_ = now;
    });
  }
  void start() {
    gaps_.clear();
    clock_.start();
    last_ = 0;
    timer_.start();
  }
  void stop() { timer_.stop(); }
  double max() const { return gaps_.empty() ? 0 : *std::max_element(gaps_.begin(), gaps_.end()); }
  double p99() const {
    if (gaps_.empty()) return 0;
    std::vector<double> g = gaps_;
    std::sort(g.begin(), g.end());
    return g[std::min(g.size() - 1, static_cast<size_t>(0.99 * static_cast<double>(g.size())))];
  }
  size_t ticks() const { return gaps_.size(); }
  double seconds() const { return static_cast<double>(clock_.elapsed()) / 1000.0; }

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  double last_ = 0;
  std::vector<double> gaps_;
};

bool report(const char* what, const QString& model, const GapMeter& m) {
  const bool ok = m.max() < 250.0;
  std::printf("%-28s %-44s %6.1f s  ticks %5zu  max gap %7.1f ms  p99 %6.1f ms  %s\n", what,
              model.toLocal8Bit().constData(), m.seconds(), m.ticks(), m.max(), m.p99(),
              ok ? "under 250 ms" : "OVER 250 ms");
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName("quantlens-bench");
  QStandardPaths::setTestModeEnabled(true);
  std::vector<QStringList> cases;
  for (int i = 1; i < argc; ++i) cases.push_back({QString::fromLocal8Bit(argv[i])});
  if (cases.empty()) {
    const QString m = QString::fromStdString(shared() + "/models/");
    cases = {{m + "coco_ssd_mobilenet_v1_1.0_quant.tflite"},
             {m + "yolov9t_320_float16.tflite", m + "yolov9t_320_full_integer_quant.tflite"}};
  }
  const fs::path dir = fs::temp_directory_path() / "quantlens-responsiveness-bench";
  const QStringList images = twentyImages(dir);
  if (images.isEmpty()) {
    std::fprintf(stderr, "gui_responsiveness_bench: no images under %s/images (set QUANTLENS_SHARED)\n",
                 shared().c_str());
    return 2;
  }
  bool all_ok = true;
  for (const QStringList& models : cases) {
    const QString name = QFileInfo(models.back()).fileName();
    ql::gui::MainWindow w;
    w.setQuiet(true);
    w.resize(1600, 1000);
    w.show();
    w.document().setImages(images);
    QSignalSpy shown(&w, &ql::gui::MainWindow::modelsShown);
    QSignalSpy finished(w.images(), &ql::gui::ImagesController::runFinished);
    GapMeter meter;
    w.openFiles(models);
    if (!shown.wait(120000)) {
      std::fprintf(stderr, "gui_responsiveness_bench: %s did not open: %s\n", name.toLocal8Bit().constData(),
                   w.lastError().toLocal8Bit().constData());
      return 2;
    }
    // The run over the 20 images started when the models were shown.
    meter.start();
    if (finished.isEmpty() && !finished.wait(600000)) return 2;
    meter.stop();
    all_ok = report("run over 20 images", name, meter) && all_ok;

    // The Tensor dock: the first CONV_2D on the current image (both models run once on the worker).
    ql::gui::TensorController* tensors = w.tensors();
    QSignalSpy tensor(tensors, &ql::gui::TensorController::tensorShown);
    meter.start();
    QElapsedTimer wait;
    wait.start();
    w.selectOp(w.quantView(), w.resolveOp(w.quantView(), ""));
    // What selecting costs the UI thread by itself (graphs, inspector, starting the worker).
    const double select_ms = static_cast<double>(wait.nsecsElapsed()) / 1e6;
    while ((tensors->busy() || tensor.isEmpty()) && wait.elapsed() < 300000)
      QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    meter.stop();
    all_ok = report("tensor view, first op", name, meter) && all_ok;
    std::printf("%-28s %-44s %6.1f ms on the UI thread\n", "  of which selecting the op",
                name.toLocal8Bit().constData(), select_ms);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  std::printf("250 ms goal: %s\n", all_ok ? "met" : "NOT met");
  return all_ok ? 0 : 1;
}
