// `quantlens --screenshot DIR` as a user runs it, on a model made with the project's writer (no ../shared needed):
// three PNGs and exit 0; a bad file or an unknown op: a one-line error and exit 2; no display: exit 2 with a hint.
#include <QtTest/QtTest>

#include "model/model_builder.h"
#include "model/writer.h"

namespace {

// input -> CONV_2D -> RELU -> output, float32.
QString writeSmallModel(const QString& dir) {
  ql::Model m = ql::emptyModel();
  ql::Subgraph& sg = m.subgraphs[0];
  auto tensor = [&](const char* name, std::vector<int32_t> shape, size_t bytes) {
    ql::Tensor t;
    t.name = name;
    t.shape = std::move(shape);
    if (bytes) t.buffer = ql::addBuffer(m, ql::Bytes::own(std::vector<uint8_t>(bytes, 0)));
    return ql::addTensor(sg, t);
  };
  int in = tensor("image", {1, 8, 8, 3}, 0);
  int w = tensor("block/conv/weights", {4, 3, 3, 3}, 4 * 27 * 4);
  int b = tensor("block/conv/bias", {4}, 16);
  int conv = tensor("block/conv/out", {1, 8, 8, 4}, 0);
  int out = tensor("block/relu/out", {1, 8, 8, 4}, 0);
  sg.inputs = {in};
  sg.outputs = {out};
  sg.ops.push_back(ql::makeOp(m, "CONV_2D", {in, w, b}, {conv}, "Conv2DOptions",
                              {{"padding", "SAME"}, {"stride_w", 1}, {"stride_h", 1},
                               {"fused_activation_function", "NONE"}}));
  sg.ops.push_back(ql::makeOp(m, "RELU", {conv}, {out}));
  QString path = dir + "/small.tflite";
  ql::writeModel(m, path.toStdString());
  return path;
}

struct Run {
  int code = -1;
  QString err;
};

Run runApp(const QStringList& args, bool offscreen = true) {
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.remove("DISPLAY");
  env.remove("WAYLAND_DISPLAY");
  if (offscreen) env.insert("QT_QPA_PLATFORM", "offscreen");
  else env.remove("QT_QPA_PLATFORM");
  env.insert("XDG_CONFIG_HOME", QDir::tempPath() + "/quantlens-screenshot-test-config");
  p.setProcessEnvironment(env);
  p.start(QL_GUI_PATH, args);
  if (!p.waitForFinished(120000)) {
    p.kill();
    return {};
  }
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromLocal8Bit(p.readAllStandardError())};
}

}  // namespace

class ScreenshotModeTest : public QObject {
  Q_OBJECT
 private slots:
  void writesTheThreeViews() {
    QTemporaryDir dir;
    QString model = writeSmallModel(dir.path());
    QString out = dir.filePath("shots");
    Run r = runApp({"--screenshot", out, model, "--select", "block/relu/out"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    for (const char* name : {"graphs.png", "inspector.png", "model.png"}) {
      QImage image(out + "/" + name);
      QVERIFY2(!image.isNull(), name);
      QVERIFY(image.width() > 100 && image.height() > 100);
    }
    // Also without any platform set: --screenshot needs no display.
    Run bare = runApp({"--screenshot", dir.filePath("bare"), model}, false);
    QVERIFY2(bare.code == 0, qPrintable(bare.err));
    QVERIFY(QFileInfo::exists(dir.filePath("bare/graphs.png")));
  }

  void errorsAreOneLineAndExitTwo() {
    QTemporaryDir dir;
    QString model = writeSmallModel(dir.path());
    Run unknown = runApp({"--screenshot", dir.filePath("x"), model, "--select", "no_such_op"});
    QCOMPARE(unknown.code, 2);
    QVERIFY(unknown.err.contains("no_such_op"));
    QString bad = dir.filePath("broken.tflite");
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not a model at all");
    f.close();
    Run broken = runApp({"--screenshot", dir.filePath("y"), bad});
    QCOMPARE(broken.code, 2);
    QVERIFY(broken.err.contains("broken.tflite"));
    Run no_display = runApp({model}, false);
    QCOMPARE(no_display.code, 2);
    QVERIFY(no_display.err.contains("no display"));
    QVERIFY(no_display.err.contains("--screenshot"));
  }
};

QTEST_GUILESS_MAIN(ScreenshotModeTest)
#include "screenshot_mode_test.moc"
