// The Images dock on real models (../shared; skipped with a message when absent): the coco SSD's quantized panel
// holds what `quantlens-cli detect` prints, the yolov9t pair's change list is the engine's comparison, the score
// slider filters boxes by their scores, mobilenet_v2's top-5 is what `run` computes, deeplabv3's disagreeing
// pixels are the engine's count, editing mean/std re-runs, a 20-image run is cancelled while the UI thread keeps
// turning, and replacing or closing the models mid-run is safe. State, not pixels.
#include <QtTest/QtTest>

#include <QApplication>
#include <QDockWidget>
#include <QWheelEvent>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTemporaryDir>

#include "analysis/detection/detector_run.h"
#include "analysis/image_run.h"
#include "app/gui/images_controller.h"
#include "app/gui/main_window.h"
#include "model/reader.h"
#include "model/tensor_values.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"
#include "images_run.h"
#include "widgets/images/images_strip.h"
#include "widgets/images/images_view.h"
#include "widgets/images/result_panel.h"

using ql::gui::ImagesController;
using ql::gui::MainWindow;

namespace {

std::string shared(const std::string& rel) { return ql::test::sharedDir() + "/" + rel; }
QString model(const char* name) { return QString::fromStdString(shared(std::string("models/") + name + ".tflite")); }
QString image(const char* name) { return QString::fromStdString(shared(std::string("images/") + name)); }

using ql::test::openAndRun;

const ql::Tensor& inputOf(const ql::Model& m) {
  return m.subgraphs[0].tensors[static_cast<size_t>(m.subgraphs[0].inputs[0])];
}

}  // namespace

class ImagesViewTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("quantlens-tests");
    QCoreApplication::setApplicationName("images_view_test");
    QStandardPaths::setTestModeEnabled(true);
  }

  void panelsZoomAndPanTogether() {
    ql::gui::ImagesView view;
    view.resize(1000, 500);
    view.show();
    QImage img(200, 100, QImage::Format_RGB888);
    img.fill(Qt::gray);
    ql::ImageRunResult r;
    r.task = ql::ImageTask::Detection;
    view.showResults(img, r, r);
    auto* a = view.firstPanel();
    const QPointF at = a->rect().center();
    QWheelEvent wheel(at, a->mapToGlobal(at), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(a, &wheel);
    QVERIFY(a->zoom() > 1.2);
    QCOMPARE(view.secondPanel()->zoom(), a->zoom());
    QTest::mousePress(view.secondPanel(), Qt::LeftButton, {}, QPoint(300, 200));
    QTest::mouseMove(view.secondPanel(), QPoint(250, 180));
    QMouseEvent drag(QEvent::MouseMove, QPointF(250, 180), view.secondPanel()->mapToGlobal(QPointF(250, 180)),
                     Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view.secondPanel(), &drag);
    QCOMPARE(a->centre(), view.secondPanel()->centre());
    QVERIFY(a->centre() != QPointF(0.5, 0.5));
  }

  void cocoSsdQuantizedPanelHoldsTheCliDetections() {
    const QString m = model("coco_ssd_mobilenet_v1_1.0_quant"), img = image("table.jpg");
    REQUIRE_FILE(m);
    REQUIRE_FILE(img);
    MainWindow w;
    QVERIFY(openAndRun(w, {m}, {img}));
    auto* view = w.images()->view();
    const float t = view->threshold();
    QCOMPARE(t, 0.3f);  // the TFLite_Detection_PostProcess profile's threshold, as detect uses by default
    const ql::test::ProcResult r = ql::test::runProcess(
        {QL_CLI_PATH, "detect", m.toStdString(), img.toStdString(), "--json", "--threshold", "0.3"}, 120);
    QCOMPARE(r.exit_code, 0);
    const auto dets = nlohmann::json::parse(r.out)["detections"];
    const auto& shown = view->secondPanel()->content().boxes;
    QVERIFY(dets.size() > 0);
    QCOMPARE(shown.size(), dets.size());
    for (size_t i = 0; i < shown.size(); ++i) {
      QCOMPARE(shown[i].cls, dets[i]["class"].get<int>());
      QVERIFY(std::abs(shown[i].score - dets[i]["score"].get<float>()) < 1e-5f);
      QVERIFY(std::abs(shown[i].ymin - dets[i]["box"][0].get<float>()) < 1e-5f);
      QVERIFY(std::abs(shown[i].xmax - dets[i]["box"][3].get<float>()) < 1e-5f);
    }
    QVERIFY(view->firstPanel()->boxCount() > 0);  // the dequantized twin's boxes on the left
    qInfo() << "coco SSD on table.jpg: twin" << view->firstPanel()->boxCount() << "boxes, quantized"
            << view->secondPanel()->boxCount() << "boxes," << view->changeEntries().size() << "changes";
  }

  void yolov9tPairChangeListIsTheEnginesComparisonAndTheSliderFilters() {
    const QString f = model("yolov9t_320_float16"), q = model("yolov9t_320_full_integer_quant");
    const QString img = image("kite_and_cold.jpg");
    REQUIRE_FILE(f);
    REQUIRE_FILE(q);
    REQUIRE_FILE(img);
    MainWindow w;
    QVERIFY(openAndRun(w, {f, q}, {img}));
    auto* view = w.images()->view();
    QVERIFY(view->firstPanel()->boxCount() > 0);
    QVERIFY(view->secondPanel()->boxCount() > 0);

    // The engine's comparison, computed here through the detection module.
    const ql::Model fm = ql::readModel(f.toStdString()), qm = ql::readModel(q.toStdString());
    const ql::DetectorProfile profile = ql::profileFor(fm);
    QCOMPARE(view->threshold(), profile.score_threshold);
    const ql::PreparedInput in = ql::imageFileToInput(img.toStdString(), ql::inputSpecOf(inputOf(fm)),
                                                      profile.preprocess);
    const ql::DetectorComparisonRun ref = ql::compareDetectorRuns(
        fm, in.bytes, qm, ql::convertInput(inputOf(fm), in.bytes, inputOf(qm)), profile, in.transform);
    QCOMPARE(view->firstPanel()->boxCount(), static_cast<int>(ref.first.size()));
    QCOMPARE(view->secondPanel()->boxCount(), static_cast<int>(ref.second.size()));
    int missed = 0, extra = 0, changed = 0, matched = 0;
    for (const auto& e : view->changeEntries()) {
      switch (e.kind) {
        case ql::gui::ChangeEntry::Missed: ++missed; break;
        case ql::gui::ChangeEntry::Extra: ++extra; break;
        case ql::gui::ChangeEntry::ClassChanged: ++changed; break;
        default: ++matched; break;
      }
    }
    QCOMPARE(missed, static_cast<int>(ref.comparison.missed.size()));
    QCOMPARE(extra, static_cast<int>(ref.comparison.extra.size()));
    QCOMPARE(changed, static_cast<int>(ref.comparison.class_changed.size()));
    QCOMPARE(matched, static_cast<int>(ref.comparison.matched.size()));
    QCOMPARE(view->changeList()->count(), static_cast<int>(view->changeEntries().size()));
    qInfo() << "yolov9t on kite_and_cold.jpg:" << ref.first.size() << "float boxes," << ref.second.size()
            << "quantized;" << matched << "matched (" << ref.comparison.moved.size() << "moved)," << missed
            << "missed," << extra << "extra," << changed << "class changed";

    // Selecting an entry highlights its boxes in both panels.
    view->selectChange(0);
    const auto e0 = view->changeEntries().at(0);
    QCOMPARE(view->firstPanel()->highlight(), e0.first);
    QCOMPARE(view->secondPanel()->highlight(), e0.second);

    // The slider: as many boxes as the run's scores say.
    const ql::ImageRunResult& fr = w.images()->results().at(0).float_result;
    for (float t : {0.1f, 0.25f, 0.5f, 0.8f}) {
      view->setThreshold(t);
      int expected = 0;
      for (const ql::Detection& d : fr.detections) expected += d.score >= t;
      QCOMPARE(view->firstPanel()->boxCount(), expected);
    }
    view->setThreshold(0.1f);
    const int low = view->firstPanel()->boxCount();
    view->setThreshold(0.8f);
    QVERIFY(view->firstPanel()->boxCount() < low);
  }

  void mobilenetV2ShowsTheTopFiveOfRunAndMeanStdEditsReRun() {
    const QString m = model("mobilenet_v2_quantized_1x3x224x224"), img = image("cat.bmp");
    REQUIRE_FILE(m);
    REQUIRE_FILE(img);
    MainWindow w;
    QVERIFY(openAndRun(w, {m}, {img}));
    // What `run` computes: the default preprocessing, quantlens's interpreter, the output's scores.
    const ql::Model qm = ql::readModel(m.toStdString());
    ql::Interpreter interp(qm);
    const auto bytes = ql::loadModelInput(img.toStdString(), ql::inputSpecOf(inputOf(qm)), {}).bytes;
    interp.setInput(0, bytes.data(), bytes.size());
    interp.invoke();
    const ql::RuntimeTensor& out = interp.output(0);
    const auto expected =
        ql::topFiveScores(ql::realValues(out.type(), out.shape(), out.quant(), out.raw(), out.bytes()));
    const auto& got = w.images()->results().at(0).quant_result.top5;
    QCOMPARE(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
      QCOMPARE(got[i].first, expected[i].first);
      QCOMPARE(got[i].second, expected[i].second);
    }
    const QStringList lines = w.images()->view()->secondPanel()->content().lines;
    QVERIFY(lines.size() >= 6);  // five classes and the rank of the float top-1
    QVERIFY(lines[0].startsWith("1. "));
    QVERIFY(lines[5].contains("rank"));

    // Editing mean/std runs again with them.
    auto* strip = w.images()->strip();
    QSignalSpy done(w.images(), &ImagesController::runFinished);
    strip->meanEdit()->setText("0");
    strip->stdEdit()->setText("255");
    emit strip->meanEdit()->editingFinished();
    QVERIFY(done.wait(120000));
    QCOMPARE(w.images()->quantSetup().preprocess.norm.mean, std::vector<float>{0.f});
    QCOMPARE(w.images()->quantSetup().preprocess.norm.std, std::vector<float>{255.f});
    const auto& rerun = w.images()->results().at(0).quant_result.top5;
    QVERIFY(rerun != expected);
  }

  void deeplabMarksAsManyDisagreeingPixelsAsTheEngineCounts() {
    const QString m = model("deeplabv3_mnv2_dm05_pascal_quant"), img = image("pets.jpg");
    REQUIRE_FILE(m);
    REQUIRE_FILE(img);
    MainWindow w;
    QVERIFY(openAndRun(w, {m}, {img}));
    const auto& r = w.images()->results().at(0);
    QVERIFY(r.has_float && r.has_quant);
    const ql::ImageComparison c = ql::compareImageRuns(r.float_result, r.quant_result, 0);
    const auto& marks = w.images()->view()->secondPanel()->content().disagreeing;
    QCOMPARE(static_cast<int64_t>(std::count(marks.begin(), marks.end(), 1)), c.mask_disagreements);
    QVERIFY(!w.images()->view()->secondPanel()->content().mask.empty());
    qInfo() << "deeplabv3 on pets.jpg:" << c.mask_disagreements << "disagreeing pixels of" << marks.size();
  }

  void aTwentyImageRunIsCancelledWhileTheUiThreadTurns() {
    const QString f = model("yolov9t_320_float16"), q = model("yolov9t_320_full_integer_quant");
    REQUIRE_FILE(f);
    REQUIRE_FILE(q);
    QTemporaryDir dir;
    QStringList images;
    for (int i = 0; i < 20; ++i) {
      const QString copy = dir.filePath(QString("img%1.jpg").arg(i, 2, 10, QChar('0')));
      QVERIFY(QFile::copy(image("kite_and_cold.jpg"), copy));
      images << copy;
    }
    MainWindow w;
    w.setQuiet(true);
    w.show();
    w.document().setImages(images);
    QSignalSpy finished(w.images(), &ImagesController::runFinished);
    QElapsedTimer clock;
    qint64 last = -1, worst = 0;
    QTimer tick;
    tick.setInterval(20);
    connect(&tick, &QTimer::timeout, [&] {
      const qint64 now = clock.elapsed();
      if (last >= 0) worst = std::max(worst, now - last);
      last = now;
    });
    w.openFiles({f, q});
    QTRY_VERIFY_WITH_TIMEOUT(w.images()->results().size() >= 2, 300000);
    clock.start();
    tick.start();
    QTRY_VERIFY_WITH_TIMEOUT(w.images()->results().size() >= 3, 300000);
    w.images()->view()->cancelButton()->click();
    QVERIFY(finished.wait(60000));
    tick.stop();
    QCOMPARE(finished.last().at(0).toBool(), true);
    QVERIFY(w.images()->results().size() < 20);
    QVERIFY2(worst < 1000, qPrintable(QString("the UI thread stalled %1 ms").arg(worst)));
    qInfo() << "cancelled after" << w.images()->results().size() << "of 20 images; longest UI gap" << worst << "ms";
  }

  void replacingOrClosingTheModelsDuringARunIsSafe() {
    const QString f = model("yolov9t_320_float16"), q = model("yolov9t_320_full_integer_quant");
    const QString other = model("mobilenet_v2_quantized_1x3x224x224");
    REQUIRE_FILE(f);
    REQUIRE_FILE(q);
    REQUIRE_FILE(other);
    QTemporaryDir dir;
    QStringList images;
    for (int i = 0; i < 20; ++i) {
      const QString copy = dir.filePath(QString("img%1.jpg").arg(i));
      QVERIFY(QFile::copy(image("kite_and_cold.jpg"), copy));
      images << copy;
    }
    {
      MainWindow w;
      w.setQuiet(true);
      w.show();
      w.document().setImages(images);
      w.openFiles({f, q});
      QTRY_VERIFY_WITH_TIMEOUT(w.images()->worker()->running(), 300000);
      // Another model replaces the pair mid-run: the old run's models stay alive until it stops.
      QSignalSpy shown(&w, &MainWindow::modelsShown);
      w.openFiles({other});
      QVERIFY(shown.wait(120000));
      QSignalSpy done(w.images(), &ImagesController::runFinished);
      QVERIFY(done.wait(300000));
      QCOMPARE(w.images()->results().at(0).quant_result.task, ql::ImageTask::Classification);
      // And the window closes with a run going.
      w.images()->runAll();
      QVERIFY(w.images()->worker()->running());
    }
    QVERIFY(true);
  }
};

QTEST_MAIN(ImagesViewTest)
#include "images_view_test.moc"
