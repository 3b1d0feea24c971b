// The layer error dock on real models (../shared; skipped with a message when absent): the plotted bars and the
// table are `quantlens-cli debug`'s CSV rows (the CLI binary itself, run with the preprocessing the dock used),
// compared at the CSV's printed precision; the CSV export is that file byte for byte; clicking a bar or a row
// selects the op in both graphs and a graph's selection highlights its bar; the threshold marks exactly the rows
// strictly above it and keeping them in float is one undoable step; colouring by rmse/scale tints the ops with a
// report row; partial reports arrive per image; cancel and closing mid-run are safe. State, not pixels.
#include <QtTest/QtTest>

#include <cmath>
#include <cstdio>

#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QSortFilterProxyModel>
#include <QToolButton>
#include <QToolTip>
#include <QTreeView>
#include <QUndoStack>

#include "analysis/debug_report.h"
#include "app/gui/debug_worker.h"
#include "app/gui/errors_controller.h"
#include "app/gui/float_fallback.h"
#include "app/gui/images_controller.h"
#include "app/gui/launch_options.h"
#include "app/gui/main_window.h"
#include "app/gui/quantize_dialog.h"
#include "widgets/images/images_strip.h"
#include "gui_process.h"
#include "missing_shared.h"
#include "support/test_support.h"
#include "widgets/errors/error_plot.h"
#include "widgets/errors/error_table_model.h"
#include "widgets/errors/errors_view.h"
#include "widgets/graph/graph_view.h"

using ql::gui::ErrorPlot;
using ql::gui::ErrorsController;
using ql::gui::MainWindow;

namespace {

QString shared(const QString& rel) { return QString::fromStdString(ql::test::sharedDir()) + "/" + rel; }

#define REQUIRE_FILE(path)                                                                          \
  do {                                                                                              \
    if (ql::test::sharedDir().empty() || !QFileInfo::exists(path))                                  \
      QL_QT_SKIP_FOR_MISSING("../shared is absent (set QUANTLENS_SHARED): skipping, needs " + path); \
  } while (0)

// One CSV line into fields (quoted fields may hold commas and doubled quotes).
QStringList csvFields(const QString& line) {
  QStringList out;
  QString field;
  bool quoted = false;
  for (int i = 0; i < line.size(); ++i) {
    const QChar c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out << field;
      field.clear();
    } else {
      field += c;
    }
  }
  out << field;
  return out;
}

QString joined(const std::vector<float>& v) {
  QStringList parts;
  for (float x : v) parts << QString::number(static_cast<double>(x), 'g', 9);
  return parts.join(',');
}

// `quantlens-cli debug` on the same models, images and preprocessing as the window's dock: the CSV's text.
QString cliCsv(const MainWindow& w, const QStringList& images, const char* mode) {
  const auto& pair = const_cast<MainWindow&>(w).document().pair();
  const ql::PreprocessOptions& pre = w.images()->floatSetup().preprocess;
  const QString out = QDir::temp().filePath(QString("errors_dock_test_%1_%2.csv").arg(QCoreApplication::applicationPid()).arg(mode));
  std::vector<std::string> argv = {ql::test::cliPath(), "debug", "--quant", pair.quant_path, "--csv", out.toStdString(),
                                   "--mode", mode, "--mean", joined(pre.norm.mean).toStdString(), "--std",
                                   joined(pre.norm.std).toStdString(), "--resize", ql::resizeModeName(pre.resize),
                                   "--pad", QString("%1,%2,%3").arg(pre.pad[0]).arg(pre.pad[1]).arg(pre.pad[2]).toStdString()};
  if (!pair.float_is_twin) argv.insert(argv.begin() + 4, {"--float", pair.float_path});
  for (const QString& i : images) argv.insert(argv.end(), {"--input", i.toStdString()});
  const ql::test::ProcResult r = ql::test::runProcess(argv, 300);
  if (r.exit_code != 0) qWarning("quantlens-cli debug failed: %s", r.err.c_str());
  QFile f(out);
  if (!f.open(QIODevice::ReadOnly)) return {};
  const QString text = QString::fromUtf8(f.readAll());
  f.remove();
  return text;
}

QString printed(double v) {  // as debugReportCsv prints a number
  if (std::isnan(v)) return "nan";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// Opens `files` (with `images` in the Images dock) and waits until they are shown.
bool openAndWait(MainWindow& w, const QStringList& files, const QStringList& images) {
  w.setQuiet(true);
  w.resize(1600, 1000);
  w.show();
  w.document().setImages(images);
  QSignalSpy shown(&w, &MainWindow::modelsShown);
  w.openFiles(files);
  return shown.wait(120000);
}

// Computes the layer error in the dock's current mode and waits for the complete report.
bool computeAndWait(MainWindow& w) {
  QSignalSpy done(w.errors(), &ErrorsController::runFinished);
  if (!w.errors()->compute()) return false;
  return done.wait(300000) && done.first().first().toBool() && w.errors()->report();
}

// Every CSV row is the plot's bars and the table's row of the same op, at the CSV's precision.
void checkAgainstCsv(MainWindow& w, const QString& csv) {
  const ql::DebugReport* report = w.errors()->report();
  QVERIFY(report);
  QStringList lines = csv.split('\n', Qt::SkipEmptyParts);
  QVERIFY(lines.size() > 1);
  const QStringList header = csvFields(lines.takeFirst());
  QCOMPARE(header.size(), 12);
  QCOMPARE(static_cast<size_t>(lines.size()), report->layers.size());
  ErrorPlot* plot = w.errors()->view()->plot();
  ql::gui::ErrorTableModel* table = w.errors()->view()->tableModel();
  QCOMPARE(table->rowCount(), lines.size());
  const int range_col = static_cast<int>(header.indexOf("range"));
  const int rmse_col = static_cast<int>(header.indexOf("rmse/scale"));
  for (int i = 0; i < lines.size(); ++i) {
    const QStringList fields = csvFields(lines[i]);
    QCOMPARE(fields.size(), header.size());
    const ql::LayerRow& row = report->layers[static_cast<size_t>(i)];
    QCOMPARE(fields[1].toInt(), row.tensor_idx);
    double range = 0, rmse = 0;
    QVERIFY2(plot->plottedValues(row.op_index, &range, &rmse), qPrintable(QString("no bar for op %1").arg(row.op_index)));
    QCOMPARE(printed(range), fields[range_col]);
    QCOMPARE(printed(rmse), fields[rmse_col]);
    // The table's exact text of every column (the op index first, then the CSV's columns).
    for (int c = 0; c < header.size(); ++c)
      QCOMPARE(table->exactText(table->index(i, c + 1)), fields[c]);
    QCOMPARE(table->index(i, 0).data(ql::gui::ErrorTableModel::kOpRole).toInt(), row.op_index);
  }
}

}  // namespace

class ErrorsDockTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("quantlens-tests");
    QCoreApplication::setApplicationName("errors_dock_test");
    QStandardPaths::setTestModeEnabled(true);
  }

  void launchOptionsForTheDock() {
    ql::gui::LaunchOptions o;
    QString error;
    QVERIFY(ql::gui::parseLaunchOptions({"m.tflite", "--threshold", "0.45", "--colour-by", "rmse/scale"}, &o, &error));
    QCOMPARE(o.threshold, 0.45);
    QCOMPARE(o.colour_by, QString("rmse/scale"));
    QVERIFY(ql::gui::parseLaunchOptions({"m.tflite"}, &o, &error));
    QVERIFY(o.threshold < 0 && o.colour_by.isEmpty());  // the dock's defaults: 0.7, colour by op kind
    QVERIFY(!ql::gui::parseLaunchOptions({"m.tflite", "--threshold", "-1"}, &o, &error));
    QCOMPARE(error, QString("--threshold -1: not a number >= 0"));
    QVERIFY(!ql::gui::parseLaunchOptions({"m.tflite", "--colour-by", "loss"}, &o, &error));
    QVERIFY(error.startsWith("--colour-by loss: not a layer error column (rmse/scale, range,"));
  }

  void mobilenetMatchesTheCliAndLinksToTheGraphs() {
    const QString q = shared("models/mobilenet_v1_0.25_128_quant.tflite");
    const QString cat = shared("images/cat.bmp");
    REQUIRE_FILE(q);
    REQUIRE_FILE(cat);
    MainWindow w;
    QVERIFY(openAndWait(w, {q}, {cat}));
    QVERIFY(w.document().pair().float_is_twin);
    ErrorsController* errors = w.errors();
    QVERIFY(!errors->report());
    QSignalSpy changed(errors, &ErrorsController::reportChanged);
    QVERIFY(computeAndWait(w));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(errors->report()->mode, ql::DebugMode::PerLayer);
    QVERIFY(errors->report()->dequantized_twin);
    QVERIFY(errors->dock()->isVisible());
    const QString csv = cliCsv(w, {cat}, "per-layer");
    checkAgainstCsv(w, csv);
    if (QTest::currentTestFailed()) return;

    // A row with quantized weights expands into its output channels' weight error, in the columns of that name.
    ql::gui::ErrorTableModel* table = errors->view()->tableModel();
    const ql::LayerRow& conv12 = errors->report()->layers[12];
    QCOMPARE(conv12.op_index, 12);
    QVERIFY(conv12.per_channel.present());
    const QModelIndex parent12 = table->index(12, 0);
    QCOMPARE(static_cast<size_t>(table->rowCount(parent12)), conv12.per_channel.channels.size());
    const ql::ChannelError& ch3 = conv12.per_channel.channels[3];
    QCOMPARE(table->exactText(table->index(3, table->columnOf("rmse/scale"), parent12)), printed(ch3.rmse_over_scale));
    QCOMPARE(table->exactText(table->index(3, table->columnOf("scale"), parent12)), printed(ch3.scale));
    QCOMPARE(table->index(3, 0, parent12).data(ql::gui::ErrorTableModel::kOpRole).toInt(), 12);

    // The table as CSV is the CLI's file, byte for byte; the plot exports as PNG and PDF.
    QTemporaryDir dir;
    QString error;
    QVERIFY2(errors->exportCsv(dir.filePath("layers.csv"), &error), qPrintable(error));
    QFile exported(dir.filePath("layers.csv"));
    QVERIFY(exported.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(exported.readAll()), csv);
    QVERIFY2(errors->exportPlot(dir.filePath("plot.png"), &error), qPrintable(error));
    QVERIFY(!QImage(dir.filePath("plot.png")).isNull());
    QVERIFY2(errors->exportPlot(dir.filePath("plot.pdf"), &error), qPrintable(error));
    QFile pdf(dir.filePath("plot.pdf"));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
    QVERIFY(!QFileInfo::exists(dir.filePath("plot.pdf.part")));
    QVERIFY(!errors->exportPlot(dir.filePath("plot.txt"), &error));

    double range = 0, rmse = 0;
    // Clicking the bar of op 12 selects op 12 in the quantized graph and its twin in the other, centred.
    ErrorPlot* plot = errors->view()->plot();
    const auto& pair = w.document().pair();
    const int twin = pair.floatOpOf(12);
    QVERIFY(twin >= 0);
    QTest::mouseClick(plot, Qt::LeftButton, {}, plot->barPosition(12));
    QCOMPARE(w.quantView()->selectedOp(), 12);
    QCOMPARE(w.floatView()->selectedOp(), twin);
    QCOMPARE(plot->selectedOp(), 12);
    const QPoint centre = w.floatView()->mapFromScene(w.floatView()->opSceneRect(twin).center());
    QVERIFY(w.floatView()->viewport()->rect().adjusted(50, 50, -50, -50).contains(centre));

    // A row of the table does the same; selecting an op in a graph highlights its bar.
    QTreeView* tree = errors->view()->table();
    QSortFilterProxyModel* sorted = errors->view()->sortedModel();
    QModelIndex row5;
    for (int r = 0; r < sorted->rowCount(); ++r)
      if (sorted->index(r, 0).data(ql::gui::ErrorTableModel::kOpRole).toInt() == 5) row5 = sorted->index(r, 2);
    QVERIFY(row5.isValid());
    tree->scrollTo(row5);
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(row5).center());
    QCOMPARE(w.quantView()->selectedOp(), 5);
    QCOMPARE(w.floatView()->selectedOp(), pair.floatOpOf(5));
    QTest::keyClick(tree->viewport(), Qt::Key_Down);  // the next row in the sorted table: op 6
    QCOMPARE(w.quantView()->selectedOp(), 6);
    w.selectOp(w.floatView(), pair.floatOpOf(8));
    QCOMPARE(plot->selectedOp(), 8);
    QCOMPARE(tree->currentIndex().data(ql::gui::ErrorTableModel::kOpRole).toInt(), 8);

    // Threshold 0.25: exactly the rows strictly above it are drawn above and kept in float, in one undo step
    // that restores the selection before it.
    std::set<int> above;
    for (const ql::LayerRow& r : errors->report()->layers)
      if (r.rmse_over_scale > 0.25) above.insert(r.op_index);
    QVERIFY(above.size() >= 3 && above.size() + 3 <= errors->report()->layers.size());  // a threshold that splits
    errors->setThreshold(0.25);
    QCOMPARE(errors->threshold(), 0.25);
    QCOMPARE(plot->opsDrawnAboveThreshold(), above);
    w.fallback()->set({3}, "a previous selection");
    errors->keepAboveThreshold();
    QCOMPARE(w.fallback()->ops(), above);
    QCOMPARE(plot->opsDrawnHatched(), above);
    w.fallback()->undoStack()->undo();
    QCOMPARE(w.fallback()->ops(), (std::set<int>{3}));
    QCOMPARE(plot->opsDrawnHatched(), (std::set<int>{3}));

    // Dragging the threshold line moves the threshold (and the spin box) with it.
    const QPoint from = plot->thresholdLinePosition();
    const QPoint to = from + QPoint(0, 40);
    QTest::mousePress(plot, Qt::LeftButton, {}, from);
    QMouseEvent move(QEvent::MouseMove, to, plot->mapToGlobal(to), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(plot, &move);
    QTest::mouseRelease(plot, Qt::LeftButton, {}, to);
    QVERIFY(errors->threshold() < 0.25);
    QCOMPARE(errors->view()->findChild<QDoubleSpinBox*>()->value(), std::round(errors->threshold() * 1000) / 1000);

    // Colouring by rmse/scale: every op with a row is tinted (its twin too), darker for a larger error; off
    // again gives the kind tints back.
    errors->setColourMetric("rmse/scale");
    const ql::LayerRow* worst = nullptr;
    const ql::LayerRow* best = nullptr;
    for (const ql::LayerRow& r : errors->report()->layers) {
      QVERIFY2(w.quantView()->opTint(r.op_index).isValid(), qPrintable(QString("op %1").arg(r.op_index)));
      QVERIFY(w.floatView()->opTint(pair.floatOpOf(r.op_index)).isValid());
      if (!std::isfinite(r.rmse_over_scale)) continue;
      if (!worst || r.rmse_over_scale > worst->rmse_over_scale) worst = &r;
      if (!best || r.rmse_over_scale < best->rmse_over_scale) best = &r;
    }
    QVERIFY(worst && best && worst != best);
    QVERIFY(w.quantView()->opTint(worst->op_index).lightnessF() < w.quantView()->opTint(best->op_index).lightnessF());
    errors->setColourMetric(QString());
    QVERIFY(!w.quantView()->opTint(worst->op_index).isValid());

    // The same from View > Colour ops by, whose choice the dock's box follows.
    QAction* by_range = nullptr;
    for (QAction* a : w.viewMenu()->findChildren<QAction*>())
      if (a->text() == "range" && a->isCheckable()) by_range = a;
    QVERIFY(by_range);
    by_range->trigger();
    QCOMPARE(errors->colourMetric(), QString("range"));
    QCOMPARE(errors->view()->colourMetric(), QString("range"));
    QVERIFY(w.quantView()->opTint(12).isValid());
    errors->setColourMetric(QString());

    // Hovering a bar names its op and every column; the dock's Log and Keep buttons act on the plot and the set.
    QTest::mouseMove(plot, plot->barPosition(12));
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY2(QToolTip::text().contains("op 12") && QToolTip::text().contains("rmse/scale") &&
                 QToolTip::text().contains(printed(errors->report()->layers[12].rmse_over_scale)),
             qPrintable(QToolTip::text()));
    auto button = [&](const QString& text) {
      for (QToolButton* b : errors->view()->findChildren<QToolButton*>())
        if (b->text() == text) return b;
      return static_cast<QToolButton*>(nullptr);
    };
    QVERIFY(button("Log") && button("Keep above threshold in float"));
    button("Log")->click();
    QVERIFY(plot->logScale());
    QVERIFY(plot->plottedValues(12, &range, &rmse));
    QCOMPARE(printed(rmse), printed(errors->report()->layers[12].rmse_over_scale));
    button("Linear")->click();
    QVERIFY(!plot->logScale());
    w.fallback()->clear();
    button("Keep above threshold in float")->click();
    std::set<int> above_now;
    for (const ql::LayerRow& r : errors->report()->layers)
      if (r.rmse_over_scale > errors->threshold()) above_now.insert(r.op_index);
    QCOMPARE(w.fallback()->ops(), above_now);

    // Whole-model: the toggle computes it, and it is the CLI's whole-model CSV.
    QSignalSpy done(errors, &ErrorsController::runFinished);
    errors->setMode(ql::DebugMode::WholeModel);
    QVERIFY(done.wait(300000));
    QVERIFY(errors->report() && errors->report()->mode == ql::DebugMode::WholeModel);
    checkAgainstCsv(w, cliCsv(w, {cat}, "whole-model"));
    // Back to per-layer: the report already computed, no new run.
    const ql::DebugReport whole = *errors->report();
    errors->setMode(ql::DebugMode::PerLayer);
    QCOMPARE(errors->report()->mode, ql::DebugMode::PerLayer);
    QVERIFY(!errors->worker()->running());

    // A report computed elsewhere (a saved session) is shown as it is, in its mode.
    changed.clear();
    errors->showReport(whole);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(errors->report()->mode, ql::DebugMode::WholeModel);
    QCOMPARE(errors->view()->mode(), ql::DebugMode::WholeModel);
    QCOMPARE(ql::debugReportCsv(*errors->report()), ql::debugReportCsv(whole));
    QVERIFY(plot->plottedValues(whole.layers[4].op_index, &range, &rmse));
    QCOMPARE(rmse, whole.layers[4].rmse_over_scale);

    // New models drop the report.
    QSignalSpy shown(&w, &MainWindow::modelsShown);
    w.openFiles({q});
    QVERIFY(shown.wait(60000));
    QVERIFY(!errors->report());
    QVERIFY(!plot->plottedValues(12, &range, &rmse));
  }

  void rowsArriveImageByImageAndCancelKeepsNothing() {
    const QString q = shared("models/mobilenet_v1_0.25_128_quant.tflite");
    const QStringList images = {shared("images/cat.bmp"), shared("images/grace_hopper.bmp"), shared("images/owl.jpg")};
    REQUIRE_FILE(q);
    for (const QString& i : images) REQUIRE_FILE(i);
    MainWindow w;
    QVERIFY(openAndWait(w, {q}, images));
    QSignalSpy partial(w.errors()->worker(), &ql::gui::DebugWorker::partial);
    QVERIFY(computeAndWait(w));
    QCOMPARE(partial.count(), 3);
    QCOMPARE(partial.first().first().value<ql::DebugReport>().inputs.size(), size_t{1});
    QCOMPARE(w.errors()->report()->inputs.size(), size_t{3});
    checkAgainstCsv(w, cliCsv(w, images, "per-layer"));

    // No image: the dock says why and nothing runs.
    MainWindow bare;
    QVERIFY(openAndWait(bare, {q}, {}));
    QVERIFY(!bare.errors()->compute());
    QVERIFY(bare.errors()->lastError().contains("images"));
  }

  void quantizingOpensThePairWithItsLayerErrorOnTheCalibrationImages() {
    const QString f = shared("models/face_detection_short_range.tflite");
    const QString images = shared("images");
    REQUIRE_FILE(f);
    MainWindow w;
    QVERIFY(openAndWait(w, {f}, {}));
    QAction* quantize = nullptr;
    for (QAction* a : w.findChildren<QAction*>())
      if (a->text() == "&Quantize...") quantize = a;
    QVERIFY(quantize && quantize->isEnabled());
    quantize->trigger();
    auto* d = w.findChild<ql::gui::QuantizeDialog*>();
    QVERIFY(d);
    QTemporaryDir out;
    d->calibrationEdit()->setText(images);
    d->outputEdit()->setText(out.filePath("face_int8.tflite"));
    const int calibration_images = static_cast<int>(d->calibrationImages().size());
    QVERIFY(calibration_images >= 5);
    QSignalSpy done(w.errors(), &ErrorsController::runFinished);
    d->start();
    QVERIFY(done.wait(300000));
    QVERIFY(done.first().first().toBool());
    QVERIFY(w.document().pair().quant_model && !w.document().pair().float_is_twin);
    QCOMPARE(w.images()->strip()->images().size(), calibration_images);
    QCOMPARE(w.errors()->report()->inputs.size(), static_cast<size_t>(calibration_images));
    QVERIFY(w.errors()->report()->layers.size() > 30);
    QVERIFY(w.errors()->dock()->isVisible());
  }

  void screenshotModeWritesErrorsPng() {
    const QString q = shared("models/mobilenet_v1_0.25_128_quant.tflite");
    const QString cat = shared("images/cat.bmp");
    REQUIRE_FILE(q);
    REQUIRE_FILE(cat);
    QTemporaryDir dir;
    auto run = [&](const QStringList& args) { return ql::test::runQuantlens(args, dir.filePath("config"), 120000); };
    auto [code, err] = run({"--screenshot", dir.filePath("shots"), q, "--image", cat, "--select", "12",
                            "--colour-by", "rmse/scale"});
    QVERIFY2(code == 0, qPrintable(err));
    for (const char* name : {"graphs.png", "errors.png", "images.png"}) {
      const QImage image(dir.filePath(QString("shots/") + name));
      QVERIFY2(!image.isNull(), name);
      QVERIFY(image.width() >= 1000 && image.height() >= 400);
    }
    // Without images there is no layer error and no errors.png.
    std::tie(code, err) = run({"--screenshot", dir.filePath("bare"), q});
    QVERIFY2(code == 0, qPrintable(err));
    QVERIFY(QFileInfo::exists(dir.filePath("bare/graphs.png")));
    QVERIFY(!QFileInfo::exists(dir.filePath("bare/errors.png")));
    // A column the report does not have: a one-line error, exit 2.
    std::tie(code, err) = run({"--screenshot", dir.filePath("bad"), q, "--colour-by", "loss"});
    QCOMPARE(code, 2);
    QVERIFY2(err.contains("--colour-by loss: not a layer error column"), qPrintable(err));
  }

  void yolov9tPairFillsAndClosingMidRunIsSafe() {
    const QString f = shared("models/yolov9t_320_float16.tflite"), q = shared("models/yolov9t_320_full_integer_quant.tflite");
    const QString kite = shared("images/kite_and_cold.jpg");
    REQUIRE_FILE(f);
    REQUIRE_FILE(q);
    REQUIRE_FILE(kite);
    {
      MainWindow w;
      QVERIFY(openAndWait(w, {f, q}, {kite}));
      QVERIFY(!w.document().pair().float_is_twin);
      QVERIFY(computeAndWait(w));
      QVERIFY(w.errors()->report()->layers.size() > 300);
      checkAgainstCsv(w, cliCsv(w, {kite}, "per-layer"));
      w.errors()->setColourMetric("rmse/scale");
      int tinted = 0;
      for (const ql::LayerRow& r : w.errors()->report()->layers) tinted += w.quantView()->opTint(r.op_index).isValid();
      QCOMPARE(static_cast<size_t>(tinted), w.errors()->report()->layers.size());

      // Cancel: the run stops and keeps nothing of its own (the complete per-layer report stays).
      QSignalSpy done(w.errors(), &ErrorsController::runFinished);
      w.errors()->setMode(ql::DebugMode::WholeModel);
      QVERIFY(w.errors()->worker()->running());
      w.errors()->cancel();
      QVERIFY(done.wait(60000));
      QCOMPARE(done.first().first().toBool(), false);
      QVERIFY(w.errors()->report() && w.errors()->report()->mode == ql::DebugMode::PerLayer);
      QCOMPARE(w.errors()->view()->mode(), ql::DebugMode::PerLayer);
    }
    {
      // Closing the window while the debugger runs: the worker is cancelled and joined, nothing crashes.
      auto* w = new MainWindow;
      QVERIFY(openAndWait(*w, {f, q}, {kite}));
      QVERIFY(w->errors()->compute());
      QVERIFY(w->errors()->worker()->running());
      delete w;
    }
  }
};

QTEST_MAIN(ErrorsDockTest)
#include "errors_dock_test.moc"
