// The desktop app's speed and memory, offscreen, in one run: for each model, the time from asking the main
// window to open the file to the first painted frame of its graph, the peak memory of the process, and for the
// 685-op yolov9t graph the time of a pan or zoom frame. Each case runs in a child process of its own so that its
// peak memory is its own. Targets (issue 12): 685 ops under 300 ms and 150 MB, 10,000 ops under 2 s, a pan or
// zoom frame under 16 ms. The 10,000-op models are made here with the project's writer: blocks of two parallel
// convolutions, their CONCATENATION, a 1x1 convolution and a residual ADD; one with flat names, one with
// `stage/block/op` names (opened collapsed, then fully expanded).
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QSignalSpy>

#include "app/gui/main_window.h"
#include "model/model_builder.h"
#include "model/writer.h"
#include "widgets/graph/graph_view.h"

namespace fs = std::filesystem;

namespace {

std::string sharedModel(const std::string& name) {
  const char* env = std::getenv("QUANTLENS_SHARED");
  return std::string(env && *env ? env : QL_DEFAULT_SHARED_DIR) + "/models/" + name + ".tflite";
}

double peakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// 2,000 blocks of 5 ops: conv_a and conv_b read the block input, CONCATENATION joins them, a 1x1 conv mixes,
// ADD adds the block input back.
void writeTenThousandOps(const std::string& path, bool scoped) {
  ql::Model m = ql::emptyModel("quantlens bench: 10,000 ops");
  ql::Subgraph& sg = m.subgraphs[0];
  auto tensor = [&](const std::string& name, std::vector<int32_t> shape, size_t const_bytes = 0) {
    ql::Tensor t;
    t.name = name;
    t.shape = std::move(shape);
    if (const_bytes) t.buffer = ql::addBuffer(m, ql::Bytes::own(std::vector<uint8_t>(const_bytes, 0)));
    return ql::addTensor(sg, t);
  };
  const int c = 8;
  int x = tensor("input", {1, 16, 16, c});
  sg.inputs = {x};
  const nlohmann::json conv_opts = {{"padding", "SAME"}, {"stride_w", 1}, {"stride_h", 1},
                                    {"fused_activation_function", "RELU"}};
  for (int b = 0; b < 2000; ++b) {
    std::string prefix = scoped ? "stage" + std::to_string(b / 100) + "/block" + std::to_string(b % 100) + "/"
                                : "b" + std::to_string(b) + "_";
    auto conv = [&](const std::string& name, int in, int cin, int k) {
      int w = tensor(prefix + name + "_w", {c, k, k, cin}, static_cast<size_t>(c * k * k * cin) * 4);
      int bias = tensor(prefix + name + "_b", {c}, c * 4);
      int out = tensor(prefix + name, {1, 16, 16, c});
      sg.ops.push_back(ql::makeOp(m, "CONV_2D", {in, w, bias}, {out}, "Conv2DOptions", conv_opts));
      return out;
    };
    int a = conv("conv_a", x, c, 3);
    int bb = conv("conv_b", x, c, 1);
    int cat = tensor(prefix + "concat", {1, 16, 16, 2 * c});
    sg.ops.push_back(ql::makeOp(m, "CONCATENATION", {a, bb}, {cat}, "ConcatenationOptions",
                                {{"axis", 3}, {"fused_activation_function", "NONE"}}));
    int mix = conv("mix", cat, 2 * c, 1);
    int sum = tensor(prefix + "add", {1, 16, 16, c});
    sg.ops.push_back(ql::makeOp(m, "ADD", {mix, x}, {sum}, "AddOptions", {{"fused_activation_function", "NONE"}}));
    x = sum;
  }
  sg.outputs = {x};
  ql::writeModel(m, path);
}

struct Case {
  std::string name, path;
  bool expand_after = false;  // time a full expansion after the collapsed first frame
  bool frames = false;        // time pan and zoom frames
  std::string second;         // a second model opened with the first (a float/quantized pair)
};

double medianOf(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// One case in this process; prints one line of JSON.
int runCase(int argc, char** argv, const Case& c) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setOrganizationName("quantlens-bench");
  ql::gui::MainWindow w;
  w.setQuiet(true);
  w.resize(1600, 1000);
  w.show();
  QApplication::processEvents();
  const double rss_before = peakRssMb();
  ql::gui::GraphView* view = w.floatView();
  QElapsedTimer timer;
  double to_paint = -1;
  QObject::connect(view, &ql::gui::GraphView::firstPainted, [&] { to_paint = timer.nsecsElapsed() / 1e6; });
  QSignalSpy failed(&w, &ql::gui::MainWindow::openFailed);
  timer.start();
  QStringList files{QString::fromStdString(c.path)};
  if (!c.second.empty()) files << QString::fromStdString(c.second);
  w.openFiles(files);
  while (to_paint < 0 && failed.isEmpty() && timer.elapsed() < 120000) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
  if (!failed.isEmpty()) {
    std::printf("{\"case\":\"%s\",\"error\":\"%s\"}\n", c.name.c_str(), qPrintable(failed.first().first().toString()));
    return 1;
  }
  const auto& pair = w.document().pair();
  size_t ops = pair.float_model->subgraphs[0].ops.size();
  int units = view->unitCount();
  double expand_ms = -1;
  int expanded_units = -1;
  if (c.expand_after) {
    QElapsedTimer t;
    t.start();
    view->expandAll();
    view->viewport()->repaint();
    expand_ms = t.nsecsElapsed() / 1e6;
    expanded_units = view->unitCount();
  }
  double pan = -1, zoom = -1, pan_fit = -1;
  if (c.frames) {
    // Pan and zoom at the zoom the graph opens with, then panning with the whole graph in view (every item drawn,
    // at the lowest level of detail).
    std::vector<double> pans, zooms, fit_pans;
    QElapsedTimer t;
    for (int i = 0; i < 60; ++i) {
      t.start();
      view->verticalScrollBar()->setValue(view->verticalScrollBar()->value() + (i % 20 < 10 ? 40 : -40));
      view->viewport()->repaint();
      pans.push_back(t.nsecsElapsed() / 1e6);
    }
    for (int i = 0; i < 60; ++i) {
      t.start();
      view->zoomBy(i % 2 ? 1 / 1.15 : 1.15);
      view->viewport()->repaint();
      zooms.push_back(t.nsecsElapsed() / 1e6);
    }
    view->fitAll();
    view->viewport()->repaint();
    for (int i = 0; i < 60; ++i) {
      t.start();
      view->zoomBy(i % 2 ? 1 / 1.05 : 1.05);
      view->viewport()->repaint();
      fit_pans.push_back(t.nsecsElapsed() / 1e6);
    }
    pan = medianOf(pans);
    zoom = medianOf(zooms);
    pan_fit = medianOf(fit_pans);
  }
  std::printf("{\"case\":\"%s\",\"ops\":%zu,\"units\":%d,\"open_to_first_frame_ms\":%.1f,\"expand_ms\":%.1f,"
              "\"expanded_units\":%d,\"pan_frame_ms\":%.2f,\"zoom_frame_ms\":%.2f,\"fitted_zoom_frame_ms\":%.2f,"
              "\"peak_rss_mb\":%.1f,\"rss_before_open_mb\":%.1f}\n",
              c.name.c_str(), ops, units, to_paint, expand_ms, expanded_units, pan, zoom, pan_fit, peakRssMb(),
              rss_before);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<Case> cases = {
      {"mobilenet_v2_quantized_1x3x224x224", sharedModel("mobilenet_v2_quantized_1x3x224x224")},
      {"face_detection_short_range", sharedModel("face_detection_short_range")},
      {"yolov9t_320_float16", sharedModel("yolov9t_320_float16"), false, true},
      {"yolov9t_pair_float16_and_int8", sharedModel("yolov9t_320_float16"), false, false,
       sharedModel("yolov9t_320_full_integer_quant")},
  };
  fs::path tmp = fs::temp_directory_path() / "quantlens_gui_bench";
  cases.push_back({"10k_ops_flat_names", (tmp / "flat_10k.tflite").string()});
  cases.push_back({"10k_ops_scoped_names", (tmp / "scoped_10k.tflite").string(), true});

  if (argc == 3 && std::string(argv[1]) == "--case") {
    for (const Case& c : cases)
      if (c.name == argv[2]) return runCase(argc, argv, c);
    std::fprintf(stderr, "gui_open_bench: no case %s\n", argv[2]);
    return 2;
  }
  if (argc == 3 && std::string(argv[1]) == "--write") {
    // Keep the generated models to look at them in quantlens.
    fs::create_directories(argv[2]);
    writeTenThousandOps((fs::path(argv[2]) / "flat_10k.tflite").string(), false);
    writeTenThousandOps((fs::path(argv[2]) / "scoped_10k.tflite").string(), true);
    return 0;
  }
  fs::create_directories(tmp);
  writeTenThousandOps(cases[4].path, false);
  writeTenThousandOps(cases[5].path, true);
  std::printf("[\n");
  bool first = true;
  for (const Case& c : cases) {
    if (!fs::exists(c.path)) {
      std::fprintf(stderr, "gui_open_bench: %s is absent, skipped\n", c.path.c_str());
      continue;
    }
    std::string cmd = std::string("\"") + fs::read_symlink("/proc/self/exe").string() + "\" --case " + c.name;
    FILE* child = popen(cmd.c_str(), "r");
    char line[4096];
    std::string out;
    while (child && std::fgets(line, sizeof line, child)) out += line;
    if (child) pclose(child);
    if (!out.empty() && out.back() == '\n') out.pop_back();
    std::printf("%s%s", first ? "" : ",\n", out.c_str());
    std::fflush(stdout);
    first = false;
  }
  std::printf("\n]\n");
  fs::remove_all(tmp);
  return 0;
}
