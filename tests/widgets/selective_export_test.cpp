// Float fallback end to end on real models (../shared; skipped with a message when absent): ops marked through
// the API the menus use become the selective model; File > Export writes the file `quantlens-cli export` writes
// for the same ops, byte for byte, with the CLI's segment report; the images dock's selective panel holds what
// `quantlens-cli run` computes with that file; undo restores the previous selection; on the yolov9t pair keeping
// the last 10 ops in float gives a selective panel and a CPU segment at the end; an op that cannot compute in
// float is an error shown to the user. State, not pixels.
#include <QtTest/QtTest>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QProcess>
#include <QTemporaryDir>
#include <QUndoStack>

#include "app/gui/export_dialog.h"
#include "app/gui/fallback_marking.h"
#include "app/gui/float_fallback.h"
#include "app/gui/images_controller.h"
#include "app/gui/launch_options.h"
#include "app/gui/main_window.h"
#include "app/gui/selective_controller.h"
#include "model/reader.h"
#include "model/tensor_values.h"
#include "gui_process.h"
#include "missing_shared.h"
#include "support/test_support.h"
#include "widgets/graph/fallback_legend.h"
#include "widgets/graph/fallback_marks.h"
#include "widgets/graph/graph_view.h"
#include "widgets/graph/op_rubber_band.h"
#include "widgets/graph/segment_band.h"
#include "widgets/images/images_view.h"
#include "widgets/images/result_panel.h"

using ql::gui::ExportDialog;
using ql::gui::ImagesController;
using ql::gui::MainWindow;
using ql::gui::SelectiveController;

namespace {

QString shared(const QString& rel) { return QString::fromStdString(ql::test::sharedDir()) + "/" + rel; }
QString model(const char* name) { return shared(QString("models/") + name + ".tflite"); }

// Opens `models` with `images` and waits for the float/quantized run over them; false on a timeout.
bool openAndRun(MainWindow& w, const QStringList& models, const QStringList& images) {
  w.setQuiet(true);
  w.resize(1400, 900);
  w.show();
  w.document().setImages(images);
  QSignalSpy shown(&w, &MainWindow::modelsShown);
  QSignalSpy done(w.images(), &ImagesController::runFinished);
  w.openFiles(models);
  if (!shown.wait(120000)) return false;
  return images.isEmpty() || done.count() > 0 || done.wait(300000);
}

// Waits until the selective model of the current selection is built (or failed).
bool waitForBuild(SelectiveController* c) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < 120000) {
    if (!c->busy() && (c->build() || !c->lastError().isEmpty())) return true;
    QTest::qWait(50);
  }
  return false;
}

// Waits until image 0's selective result is in.
bool waitForSelectivePanel(ImagesController* images) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < 300000) {
    auto it = images->results().find(0);
    if (it != images->results().end() && it->second.has_selective) return true;
    QTest::qWait(50);
  }
  return false;
}

struct Cli {
  int exit_code = -1;
  QString out, err;
};
Cli runCli(const QStringList& args) {
  QProcess p;
  p.start(QString::fromStdString(ql::test::cliPath()), args);
  Cli r;
  if (!p.waitForFinished(300000)) return r;
  r.exit_code = p.exitCode();
  r.out = QString::fromUtf8(p.readAllStandardOutput());
  r.err = QString::fromUtf8(p.readAllStandardError());
  return r;
}

QString opList(const std::set<int>& ops) {
  QStringList s;
  for (int op : ops) s << QString::number(op);
  return s.join(',');
}

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class SelectiveExportTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("quantlens-tests");
    QCoreApplication::setApplicationName("selective_export_test");
    QStandardPaths::setTestModeEnabled(true);
  }

  void mobilenetExportIsTheCliExportAndThePanelIsItsRun() {
    const QString q = model("mobilenet_v1_0.25_128_quant"), cat = shared("images/cat.bmp");
    QL_QT_REQUIRE_FILE(q);
    QL_QT_REQUIRE_FILE(cat);
    MainWindow w;
    QVERIFY(openAndRun(w, {q}, {cat}));
    QVERIFY(w.document().pair().float_is_twin);  // alone: the float side is the dequantized twin
    SelectiveController* sel = w.selective();
    auto* marking = sel->marking();

    // Two marking steps as the menus make them (context menu on op 1, then Analyze > Keep in float > Last N).
    marking->keepInFloat({1}, "Keep op 1 in float");
    marking->keepInFloat({2, 3}, "Keep ops 2, 3 in float");
    const std::set<int> before = w.fallback()->ops();
    marking->keepLast(4);
    QCOMPARE(w.fallback()->ops(), (std::set<int>{1, 2, 3, 27, 28, 29, 30}));
    w.fallback()->undoStack()->undo();
    QCOMPARE(w.fallback()->ops(), before);  // undo restores the previous selection
    w.fallback()->undoStack()->redo();
    const std::set<int> ops = w.fallback()->ops();
    // Marked ops drawn on the quantized graph and on their twins, counted in the legend.
    QCOMPARE(marking->quantMarks()->ops(), ops);
    QVERIFY(marking->quantMarks()->itemCount() > 0);
    QCOMPARE(marking->floatMarks()->ops().size(), ops.size());
    QVERIFY(marking->statusText().startsWith(QString("%1 ops kept in float").arg(ops.size())));

    QVERIFY(waitForBuild(sel));
    QVERIFY2(sel->lastError().isEmpty(), qPrintable(sel->lastError()));
    QCOMPARE(sel->builtSelection(), ops);
    QVERIFY(sel->selectiveModel());
    QVERIFY(sel->band()->itemCount() > 0);
    QVERIFY(marking->quantLegend()->text().contains("on the CPU"));
    // The legend sits in a strip above the graph, not over its first ops.
    QVERIFY(marking->quantLegend()->isVisible());
    QVERIFY(w.quantView()->topInset() >= marking->quantLegend()->geometry().bottom());
    QVERIFY(w.quantView()->viewport()->geometry().top() >= marking->quantLegend()->geometry().bottom());

    QTemporaryDir dir;
    const QString gui_file = dir.filePath("gui.tflite"), cli_file = dir.filePath("cli.tflite");
    ExportDialog dialog(sel, &w);
    QVERIFY2(dialog.exportTo(gui_file), qPrintable(dialog.error()));
    const Cli cli = runCli({"export", "--quant", q, "--keep-float", opList(ops), "-o", cli_file});
    QVERIFY2(cli.exit_code == 0, qPrintable(cli.err));
    const QByteArray gui_bytes = readAll(gui_file), cli_bytes = readAll(cli_file);
    QVERIFY(!gui_bytes.isEmpty());
    QVERIFY(gui_bytes == cli_bytes);
    // The dialog shows the CLI's report: every line after the "wrote PATH" line is the same.
    QStringList gui_lines = dialog.reportText().split('\n'), cli_lines = cli.out.trimmed().split('\n');
    QVERIFY(gui_lines.size() > 3);
    QCOMPARE(gui_lines.mid(1), cli_lines.mid(1));
    QVERIFY(gui_lines.join('\n').contains("-> cpu"));

    // An input model is never overwritten.
    QVERIFY(!dialog.exportTo(q));
    QVERIFY(dialog.error().contains("input model"));

    // The selective panel: the output `quantlens-cli run` computes with the exported file on cat.bmp.
    QVERIFY(waitForSelectivePanel(w.images()));
    const ql::gui::ImagePairResult& r = w.images()->results().at(0);
    QVERIFY(r.error.isEmpty());
    QVERIFY(r.selective_error.isEmpty());
    QVERIFY(w.images()->view()->thirdPanel()->isVisible());
    QVERIFY(w.images()->view()->thirdPanel()->content().title.startsWith("selective"));
    const QString run_dir = dir.filePath("run");
    const Cli run = runCli({"run", cli_file, "--input", cat, "--out", run_dir});
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    const QJsonObject manifest = QJsonDocument::fromJson(readAll(run_dir + "/manifest.json")).object();
    const QJsonArray tensors = manifest["tensors"].toArray();
    QCOMPARE(tensors.size(), 1);
    const QJsonObject t = tensors[0].toObject();
    const QByteArray bytes = readAll(run_dir + "/" + t["file"].toString());
    const ql::Model exported = ql::readModel(cli_file.toStdString());
    const ql::Tensor& out = exported.subgraphs[0].tensors[static_cast<size_t>(t["tensor_index"].toInt())];
    const std::vector<float> cli_values = ql::realValues(out.type, out.shape, out.quant,
                                                         reinterpret_cast<const uint8_t*>(bytes.constData()),
                                                         static_cast<size_t>(bytes.size()));
    QCOMPARE(r.selective_result.outputs.size(), size_t{1});
    QVERIFY(r.selective_result.outputs[0].values == cli_values);
    // And it is not simply the quantized model's output (ops in float change the scores).
    QVERIFY(r.quant_result.outputs[0].values != cli_values);

    // A new selection (undo) is built and run again in the background: the panel follows it.
    w.fallback()->undoStack()->undo();
    QCOMPARE(w.fallback()->ops(), before);
    QVERIFY(waitForBuild(sel));
    QCOMPARE(sel->builtSelection(), before);
    QVERIFY(waitForSelectivePanel(w.images()));
    QVERIFY(w.images()->results().at(0).selective_result.outputs[0].values != cli_values);
  }

  void rubberBandPickAndContextMenuMark() {
    const QString q = model("mobilenet_v1_0.25_128_quant");
    QL_QT_REQUIRE_FILE(q);
    MainWindow w;
    QVERIFY(openAndRun(w, {q}, {}));
    auto* marking = w.selective()->marking();
    // A drag over ops 4 and 5 picks them (and nothing far away).
    const QRectF span = w.quantView()->opSceneRect(4).united(w.quantView()->opSceneRect(5));
    marking->rubberBand()->pickIn(span.adjusted(5, 5, -5, -5));
    QVERIFY(marking->rubberBand()->picked().count(4) && marking->rubberBand()->picked().count(5));
    QVERIFY(!marking->rubberBand()->picked().count(20));
    // The same with the mouse: Shift+drag over the viewport from op 4's box to op 5's.
    marking->rubberBand()->clear();
    QWidget* vp = w.quantView()->viewport();
    w.quantView()->centerOn(span.center());
    const QPoint from = w.quantView()->mapFromScene(w.quantView()->opSceneRect(4).center());
    const QPoint to = w.quantView()->mapFromScene(w.quantView()->opSceneRect(5).center());
    QTest::mousePress(vp, Qt::LeftButton, Qt::ShiftModifier, from);
    QTest::mouseMove(vp, to);
    QTest::mouseRelease(vp, Qt::LeftButton, Qt::ShiftModifier, to);
    QVERIFY(marking->rubberBand()->picked().count(4) && marking->rubberBand()->picked().count(5));
    QVERIFY(marking->quantLegend()->text().contains("picked"));
    // Shift+click adds one more op.
    const QPoint third = w.quantView()->mapFromScene(w.quantView()->opSceneRect(6).center());
    QTest::mouseClick(vp, Qt::LeftButton, Qt::ShiftModifier, third);
    QVERIFY(marking->rubberBand()->picked().count(6) && marking->rubberBand()->picked().count(4));
    const std::set<int> picked = marking->rubberBand()->picked();
    marking->keepPicked();
    QCOMPARE(w.fallback()->ops(), picked);
    QVERIFY(marking->rubberBand()->picked().empty());  // the pick did its job
    // The context menu's entries for a kept op and for the twin of one that is not.
    QMenu menu;
    emit w.quantView()->opContextMenu(4, &menu);
    QVERIFY(menu.actions().size() >= 1);
    QVERIFY(menu.actions()[0]->text().startsWith("Quantize op #4"));
    menu.actions()[0]->trigger();
    QVERIFY(!w.fallback()->contains(4));
    QMenu float_menu;
    const int twin = w.document().pair().floatOpOf(10);
    QVERIFY(twin >= 0);
    emit w.floatView()->opContextMenu(twin, &float_menu);
    QVERIFY(float_menu.actions()[0]->text().startsWith("Keep its quantized twin #10"));
    float_menu.actions()[0]->trigger();
    QVERIFY(w.fallback()->contains(10));
    QVERIFY(w.selective()->marking()->floatMarks()->ops().count(twin));
    // By op type: every SOFTMAX.
    marking->clear();
    marking->keepOpTypes({"SOFTMAX"});
    QCOMPARE(w.fallback()->ops().size(), size_t{1});
    QVERIFY(marking->opTypes().contains("CONV_2D (15)"));
  }

  void yolov9tLastTenOpsEndOnTheCpu() {
    const QString f = model("yolov9t_320_float16"), q = model("yolov9t_320_full_integer_quant");
    const QString kite = shared("images/kite_and_cold.jpg");
    QL_QT_REQUIRE_FILE(f);
    QL_QT_REQUIRE_FILE(q);
    QL_QT_REQUIRE_FILE(kite);
    MainWindow w;
    QVERIFY(openAndRun(w, {f, q}, {kite}));
    QVERIFY(!w.document().pair().float_is_twin);
    SelectiveController* sel = w.selective();
    sel->marking()->keepLast(10);
    QCOMPARE(w.fallback()->ops().size(), size_t{10});
    QVERIFY(waitForBuild(sel));
    QVERIFY2(sel->lastError().isEmpty(), qPrintable(sel->lastError()));
    const ql::SegmentReport& seg = sel->build()->segments;
    QVERIFY(!seg.segments.empty());
    QCOMPARE(seg.segments.back().runs_on, ql::Device::Cpu);
    QVERIFY(seg.cpu_ops > 0 && seg.accelerator_ops > 0);
    // The band: every op before the last 10 on the accelerator (requantizing QUANTIZEs included), the last 10 on
    // the CPU.
    const int count = static_cast<int>(w.document().pair().quant_model->subgraphs[0].ops.size());
    auto device = [&](int op) { return seg.segments[static_cast<size_t>(sel->band()->segmentOf(op))].runs_on; };
    for (int op = 0; op < count; ++op) QCOMPARE(device(op), op < count - 10 ? ql::Device::Accelerator : ql::Device::Cpu);
    QCOMPARE(seg.accelerator_ops, count - 10);

    QTemporaryDir dir;
    ExportDialog dialog(sel, &w);
    QVERIFY2(dialog.exportTo(dir.filePath("yolo_sel.tflite")), qPrintable(dialog.error()));
    QVERIFY(dialog.reportText().trimmed().split('\n').last().contains("-> cpu"));
    // Exported with the float model's weights, as `export --float` does.
    const Cli cli = runCli({"export", "--quant", q, "--float", f, "--keep-float",
                            opList(w.fallback()->ops()), "-o", dir.filePath("cli.tflite")});
    QVERIFY2(cli.exit_code == 0, qPrintable(cli.err));
    QVERIFY(readAll(dir.filePath("yolo_sel.tflite")) == readAll(dir.filePath("cli.tflite")));

    QVERIFY(waitForSelectivePanel(w.images()));
    const ql::gui::ImagePairResult& r = w.images()->results().at(0);
    QVERIFY2(r.selective_error.isEmpty(), qPrintable(r.selective_error));
    QCOMPARE(r.selective_result.task, ql::ImageTask::Detection);
    qInfo("yolov9t on kite_and_cold: %zu float, %zu quantized, %zu selective detections; %d accelerator ops, %d CPU "
          "ops, %zu segments",
          r.float_result.detections.size(), r.quant_result.detections.size(), r.selective_result.detections.size(),
          seg.accelerator_ops, seg.cpu_ops, seg.segments.size());
    // Boxes that make sense (an export whose float region read an unwritten tensor gave 100 boxes at 0.50).
    const ql::ImageComparison vs_float = ql::compareImageRuns(r.float_result, r.selective_result, 0.25f);
    QVERIFY(!vs_float.detections.matched.empty());
    QVERIFY(ql::detectionsAtOrAbove(r.selective_result.detections, 0.25f).size() <=
            2 * ql::detectionsAtOrAbove(r.float_result.detections, 0.25f).size() + 2);
    QVERIFY(w.images()->view()->thirdPanel()->isVisible());
    // The float/quantized comparison list is untouched by the third panel.
    QCOMPARE(w.images()->view()->firstPanel()->content().title.left(6), QString("float:"));
  }

  void screenshotModeWritesTheFallbackViews() {
    ql::gui::LaunchOptions o;
    QString error;
    QVERIFY(ql::gui::parseLaunchOptions({"--quant", "q.tflite", "--keep-float", "last:10"}, &o, &error));
    QCOMPARE(o.keep_float, QString("last:10"));
    const QString q = model("mobilenet_v1_0.25_128_quant"), cat = shared("images/cat.bmp");
    QL_QT_REQUIRE_FILE(q);
    QL_QT_REQUIRE_FILE(cat);
    QTemporaryDir dir;
    auto app = [&](const QStringList& args) { return ql::test::runQuantlens(args, dir.filePath("config"), 300000); };
    const QString out = dir.filePath("shots");
    auto [code, err] = app({"--screenshot", out, "--quant", q, "--image", cat, "--keep-float", "first:3"});
    QVERIFY2(code == 0, qPrintable(err));
    for (const char* name : {"fallback.png", "export.png", "selective.png"}) {
      QImage image(out + "/" + name);
      QVERIFY2(!image.isNull(), name);
      QVERIFY(image.width() > 300 && image.height() > 200);
    }
    auto [bad_code, bad_err] = app({"--screenshot", dir.filePath("bad"), "--quant", q, "--keep-float", "no_such_op"});
    QCOMPARE(bad_code, 2);
    QVERIFY2(bad_err.contains("no_such_op"), qPrintable(bad_err));
  }

  void anOpThatCannotComputeInFloatIsAnErrorNotACrash() {
    const QString q = model("trained_lstm_int8");
    QL_QT_REQUIRE_FILE(q);
    MainWindow w;
    QVERIFY(openAndRun(w, {q}, {}));
    const auto& m = *w.document().pair().quant_model;
    int lstm = -1;
    for (size_t i = 0; i < m.subgraphs[0].ops.size(); ++i)
      if (m.opName(m.subgraphs[0].ops[i]) == "UNIDIRECTIONAL_SEQUENCE_LSTM") lstm = static_cast<int>(i);
    if (lstm < 0) QSKIP("trained_lstm_int8 has no UNIDIRECTIONAL_SEQUENCE_LSTM op");
    QSignalSpy failed(w.selective(), &SelectiveController::buildFailed);
    w.selective()->marking()->keepInFloat({lstm}, "lstm");
    QVERIFY(failed.wait(60000));
    QVERIFY(w.selective()->lastError().contains("UNIDIRECTIONAL_SEQUENCE_LSTM"));
    QVERIFY(!w.selective()->selectiveModel());
    QVERIFY(w.selective()->marking()->quantLegend()->text().contains("No selective model"));
    ExportDialog dialog(w.selective(), &w);
    QTemporaryDir dir;
    QVERIFY(!dialog.exportTo(dir.filePath("x.tflite")));
    QVERIFY(!QFileInfo::exists(dir.filePath("x.tflite")));
  }
};

QTEST_MAIN(SelectiveExportTest)
#include "selective_export_test.moc"
