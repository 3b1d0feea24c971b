// Sessions on a real model (../shared; skipped with a message when absent): mobilenet_v1_0.25_128_quant opened
// alone (with its dequantized twin) on two images, preprocessing edited, ops kept in float, annotations chosen,
// a layer error report, an image and an op selected; saved and reopened in a new window, everything is back and
// nothing is unsaved; a model file changed since drops the report with a notice; bad, foreign and dangling
// session files give a message naming the file; the command line takes a .qlsession; the last session is
// restored on start when chosen. State, not pixels.
#include <QtTest/QtTest>

#include <filesystem>

#include <QFile>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QUndoStack>

#include "analysis/debug_report.h"
#include "app/gui/debug_worker.h"
#include "app/gui/errors_controller.h"
#include "app/gui/evaluation_controller.h"
#include "widgets/evaluation/evaluation_view.h"
#include "widgets/evaluation/metrics_table.h"
#include "app/gui/float_fallback.h"
#include "app/gui/images_controller.h"
#include "app/gui/launch_options.h"
#include "app/gui/main_window.h"
#include "app/gui/session_controller.h"
#include "missing_shared.h"
#include "support/test_support.h"
#include "widgets/graph/graph_view.h"
#include "widgets/images/images_strip.h"

using ql::gui::ImagesController;
using ql::gui::MainWindow;
using ql::gui::SessionController;

namespace {

QString shared(const QString& rel) { return QString::fromStdString(ql::test::sharedDir()) + "/" + rel; }
QString quantModel() { return shared("models/mobilenet_v1_0.25_128_quant.tflite"); }
QStringList images() { return {shared("images/cat.bmp"), shared("images/grace_hopper.bmp")}; }

#define REQUIRE_MODEL()                                                                                      \
  do {                                                                                                       \
    if (ql::test::sharedDir().empty() || !QFileInfo::exists(quantModel()))                                   \
      QL_QT_SKIP_FOR_MISSING("../shared is absent (set QUANTLENS_SHARED): skipping, needs " + quantModel()); \
  } while (0)

ql::DebugReport fakeReport() {
  ql::DebugReport r;
  r.dequantized_twin = true;
  r.inputs = {"cat.bmp"};
  ql::LayerRow row;
  row.op_index = 0;
  row.op_name = "CONV_2D";
  row.tensor_idx = 7;
  row.tensor_name = "conv0";
  row.stats = {4096, 0.01, 0.001, 0.05, 0.0001};
  row.scale = 0.0235;
  row.range = 255 * row.scale;
  row.rmse_over_scale = 0.42;
  r.layers = {row};
  return r;
}

// A window like the app's, quiet (no message boxes), shown.
std::unique_ptr<MainWindow> newWindow() {
  auto w = std::make_unique<MainWindow>();
  w->setQuiet(true);
  w->resize(1300, 850);
  w->show();
  return w;
}

// Opens `model` alone with `imgs` and waits for the images' run.
bool openAndRun(MainWindow& w, const QString& model, const QStringList& imgs) {
  w.document().setImages(imgs);
  QSignalSpy ran(w.images(), &ImagesController::runFinished);
  w.openFiles({model});
  return ran.wait(300000);
}

// The model on one image, saved as a session at `path` from a window of its own.
bool saveSimpleSession(const QString& path) {
  auto w = newWindow();
  return openAndRun(*w, quantModel(), {images()[0]}) && w->session()->save(path);
}

bool openSessionAndWait(MainWindow& w, const QString& path) {
  QSignalSpy restored(w.session(), &SessionController::restored);
  if (!w.session()->open(path)) return false;
  return restored.wait(300000);
}

}  // namespace

class SessionTest : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("quantlens-tests");
    QCoreApplication::setApplicationName("session_test");
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
  }

  void savedSessionReopensAsItWas() {
    REQUIRE_MODEL();
    auto w = newWindow();
    QVERIFY(openAndRun(*w, quantModel(), images()));
    QVERIFY(w->document().pair().float_is_twin);
    QVERIFY(w->session()->hasUnsavedChanges());  // models opened and never saved

    // What a user did: preprocessing edited, ops kept in float, annotations, a report, an image and an op chosen.
    ql::PreprocessOptions f = w->images()->floatSetup().preprocess, q = w->images()->quantSetup().preprocess;
    f.norm.mean = {0.f};
    f.norm.std = {255.f};
    q.resize = ql::ResizeMode::Letterbox;
    q.pad = {1, 2, 3};
    QSignalSpy ran(w->images(), &ImagesController::runFinished);
    w->images()->setPreprocessing(f, q);
    QVERIFY(ran.wait(300000));
    w->fallback()->set({3, 7, 12}, "keep three");
    const QString annotations = shared("images/coco/annotations.json");
    w->evaluation()->setAnnotations(annotations);
    const ql::DebugReport report = fakeReport();
    w->session()->setReportHooks([&report] { return &report; }, [](const ql::DebugReport&) {});
    w->images()->strip()->setCurrent(1);
    w->selectOp(w->quantView(), 5);
    QVERIFY(w->session()->hasUnsavedChanges());

    const QString path = tmp_.filePath("work.qlsession");
    QVERIFY(w->session()->save(tmp_.filePath("work")));  // the suffix is added
    QVERIFY(QFileInfo::exists(path));
    QCOMPARE(w->session()->path(), path);
    QVERIFY(!w->session()->hasUnsavedChanges());
    QCOMPARE(SessionController::lastSessionPath(), path);
    // What the file holds, read back without the window.
    const ql::gui::Session s = ql::gui::readSession(path.toStdString());
    QVERIFY(!s.float_model);
    QVERIFY(s.float_is_twin);
    QCOMPARE(QString::fromStdString(s.quant_model->path), QFileInfo(quantModel()).absoluteFilePath());
    QCOMPARE(s.quant_model->stamp.size, QFileInfo(quantModel()).size());
    QCOMPARE(s.images.size(), size_t{2});
    QCOMPARE(s.float_fallback, (std::vector<int>{3, 7, 12}));
    QVERIFY(s.layer_error_report.has_value());
    // A change after saving is unsaved; undoing it is not.
    w->fallback()->toggle(4);
    QVERIFY(w->session()->hasUnsavedChanges());
    w->fallback()->undoStack()->undo();
    QVERIFY(!w->session()->hasUnsavedChanges());

    // A new window reopens it.
    auto w2 = newWindow();
    std::optional<ql::DebugReport> shown;
    w2->session()->setReportHooks([] { return nullptr; }, [&shown](const ql::DebugReport& r) { shown = r; });
    QVERIFY(openSessionAndWait(*w2, path));
    const auto& pair = w2->document().pair();
    QVERIFY(pair.quant_model && pair.float_model && pair.float_is_twin);
    QCOMPARE(QFileInfo(QString::fromStdString(pair.quant_path)).absoluteFilePath(),
             QFileInfo(quantModel()).absoluteFilePath());
    QCOMPARE(w2->images()->strip()->images(), w->images()->strip()->images());
    QCOMPARE(w2->fallback()->ops(), (std::set<int>{3, 7, 12}));
    QVERIFY(!w2->fallback()->undoStack()->canUndo());
    QCOMPARE(w2->images()->floatSetup().preprocess.norm.mean, f.norm.mean);
    QCOMPARE(w2->images()->floatSetup().preprocess.norm.std, f.norm.std);
    QCOMPARE(w2->images()->quantSetup().preprocess.resize, ql::ResizeMode::Letterbox);
    QCOMPARE(w2->images()->quantSetup().preprocess.pad, q.pad);
    QCOMPARE(w2->evaluation()->annotations(), QFileInfo(annotations).absoluteFilePath());
    QVERIFY(shown.has_value());
    QCOMPARE(ql::debugReportJson(*shown), ql::debugReportJson(report));
    QCOMPARE(w2->images()->strip()->current(), 1);
    QCOMPARE(w2->quantView()->selectedOp(), 5);
    QVERIFY(w2->session()->notice().isEmpty());
    QCOMPARE(w2->session()->path(), path);
    QVERIFY(!w2->session()->hasUnsavedChanges());
  }

  void theEvaluationComesBack() {
    REQUIRE_MODEL();
    auto w = newWindow();
    QVERIFY(openAndRun(*w, quantModel(), images()));
    // Agreement of the quantized model with its twin on two images.
    QSignalSpy evaluated(w->evaluation(), &ql::gui::EvaluationController::finished);
    w->evaluation()->evaluate();
    QVERIFY(evaluated.wait(300000));
    QVERIFY(evaluated.first().first().toBool());
    const ql::gui::EvaluationOutcome before = *w->evaluation()->outcome();
    const QString path = tmp_.filePath("with_evaluation.qlsession");
    QVERIFY(w->session()->save(path));

    auto w2 = newWindow();
    QVERIFY(openSessionAndWait(*w2, path));
    const ql::gui::EvaluationOutcome* after = w2->evaluation()->outcome();
    QVERIFY(after);
    QCOMPARE(after->columns, before.columns);
    QCOMPARE(after->image_paths, before.image_paths);
    QCOMPARE(after->result.models.size(), before.result.models.size());
    for (size_t m = 0; m < before.result.models.size(); ++m) {
      QVERIFY(after->result.models[m].metrics == before.result.models[m].metrics);
      for (size_t i = 0; i < before.result.models[m].images.size(); ++i)
        QCOMPARE(after->result.models[m].images[i].agreement, before.result.models[m].images[i].agreement);
    }
    QCOMPARE(w2->evaluation()->view()->table()->columnCount(), 2);
    QVERIFY(!w2->session()->hasUnsavedChanges());
  }

  void theLayerErrorReportComesBackUncomputed() {
    REQUIRE_MODEL();
    auto w = newWindow();
    QVERIFY(openAndRun(*w, quantModel(), {images()[0]}));
    ql::gui::ErrorsController* errors = w->errors();
    bool ran = false;
    errors->computeThen([&ran] { ran = true; });
    QTRY_VERIFY_WITH_TIMEOUT(ran, 300000);
    QVERIFY2(errors->report(), qPrintable(errors->lastError()));
    const nlohmann::json computed = ql::debugReportJson(*errors->report());
    QVERIFY(computed["layers"].size() > 10);
    errors->setThreshold(0.25);
    errors->setColourMetric("rmse/scale");
    const QString path = tmp_.filePath("with_report.qlsession");
    QVERIFY(w->session()->save(path));

    auto w2 = newWindow();
    QSignalSpy started(w2->errors()->worker(), &ql::gui::DebugWorker::progress);
    QVERIFY(openSessionAndWait(*w2, path));
    QTest::qWait(200);
    QVERIFY(w2->errors()->report());
    QCOMPARE(ql::debugReportJson(*w2->errors()->report()), computed);
    QCOMPARE(started.count(), 0);  // shown from the file, not recomputed
    QCOMPARE(w2->errors()->threshold(), 0.25);
    QCOMPARE(w2->errors()->colourMetric(), QString("rmse/scale"));
    QVERIFY(!w2->session()->hasUnsavedChanges());
  }

  void aChangedModelDropsTheReport() {
    REQUIRE_MODEL();
    const QString copy = tmp_.filePath("copy_quant.tflite");
    QVERIFY(QFile::copy(quantModel(), copy));
    auto w = newWindow();
    QVERIFY(openAndRun(*w, copy, {images()[0]}));
    const ql::DebugReport report = fakeReport();
    w->session()->setReportHooks([&report] { return &report; }, [](const ql::DebugReport&) {});
    w->fallback()->set({2}, "keep one");
    const QString path = tmp_.filePath("changed.qlsession");
    QVERIFY(w->session()->save(path));
    // The model file is touched after saving.
    namespace fs = std::filesystem;
    fs::last_write_time(copy.toStdString(), fs::last_write_time(copy.toStdString()) + std::chrono::seconds(5));

    auto w2 = newWindow();
    bool shown = false;
    w2->session()->setReportHooks([] { return nullptr; }, [&shown](const ql::DebugReport&) { shown = true; });
    QVERIFY(openSessionAndWait(*w2, path));
    QVERIFY(!shown);
    QVERIFY2(w2->session()->notice().contains("changed"), qPrintable(w2->session()->notice()));
    QVERIFY(w2->session()->notice().contains("report was dropped"));
    QVERIFY(!w2->session()->notice().contains("image(s) of the session"));
    QCOMPARE(w2->fallback()->ops(), (std::set<int>{2}));
  }

  void goneImagesAreNamed() {
    REQUIRE_MODEL();
    const QString copy = tmp_.filePath("soon_gone.bmp");
    QVERIFY(QFile::copy(images()[0], copy));
    auto w = newWindow();
    QVERIFY(openAndRun(*w, quantModel(), {copy, images()[1]}));
    const QString path = tmp_.filePath("gone_image.qlsession");
    QVERIFY(w->session()->save(path));
    QVERIFY(QFile::remove(copy));
    auto w2 = newWindow();
    QVERIFY(openSessionAndWait(*w2, path));
    QCOMPARE(w2->images()->strip()->images().size(), 1);
    QVERIFY2(w2->session()->notice().contains("soon_gone.bmp"), qPrintable(w2->session()->notice()));
  }

  void badSessionsNameTheFile() {
    REQUIRE_MODEL();
    auto w = newWindow();
    QSignalSpy failed(w->session(), &SessionController::failed);
    const QString absent = tmp_.filePath("absent.qlsession");
    QVERIFY(!w->session()->open(absent));
    QVERIFY2(w->session()->lastError().contains(absent), qPrintable(w->session()->lastError()));

    const QString garbage = tmp_.filePath("garbage.qlsession");
    QFile g(garbage);
    QVERIFY(g.open(QIODevice::WriteOnly));
    g.write("{ not json");
    g.close();
    QVERIFY(!w->session()->open(garbage));
    QVERIFY2(w->session()->lastError().contains(garbage) && w->session()->lastError().contains("not JSON"),
             qPrintable(w->session()->lastError()));

    const QString foreign = tmp_.filePath("foreign.qlsession");
    QFile fo(foreign);
    QVERIFY(fo.open(QIODevice::WriteOnly));
    fo.write("{\"models\": []}");
    fo.close();
    QVERIFY(!w->session()->open(foreign));
    QVERIFY2(w->session()->lastError().contains("is not a quantlens session"), qPrintable(w->session()->lastError()));

    // A session whose model is gone names the model.
    ql::gui::Session s;
    s.quant_model = ql::gui::SessionModel{tmp_.filePath("gone.tflite").toStdString(), {}};
    const QString dangling = tmp_.filePath("dangling.qlsession");
    ql::gui::writeSession(dangling.toStdString(), s);
    QVERIFY(!w->session()->open(dangling));
    QVERIFY2(w->session()->lastError().contains("gone.tflite") && w->session()->lastError().contains(dangling),
             qPrintable(w->session()->lastError()));
    // Nothing open: nothing to save.
    QVERIFY(!w->session()->save(tmp_.filePath("empty.qlsession")));
    QVERIFY(w->session()->lastError().contains("needs an open model"));
    QVERIFY(!QFileInfo::exists(tmp_.filePath("empty.qlsession")));
    QCOMPARE(failed.size(), 5);
    QVERIFY(w->document().empty());
  }

  void commandLineTakesASession() {
    ql::gui::LaunchOptions o;
    QString error;
    QVERIFY(ql::gui::parseLaunchOptions({"work.qlsession"}, &o, &error));
    QCOMPARE(o.session, QString("work.qlsession"));
    QVERIFY(!ql::gui::parseLaunchOptions({"work.qlsession", "m.tflite"}, &o, &error));
    QVERIFY(error.contains("session"));
  }

  void droppedSessionOpens() {
    REQUIRE_MODEL();
    const QString path = tmp_.filePath("dropped.qlsession");
    QVERIFY(saveSimpleSession(path));
    auto w = newWindow();
    QSignalSpy restored(w->session(), &SessionController::restored);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    // QApplication delivers drops only inside a real drag: the window's event filter is handed the drop.
    QVERIFY(static_cast<QObject*>(w->session())->eventFilter(w.get(), &drop));
    QVERIFY(drop.isAccepted());
    QVERIFY2(restored.count() == 1 || restored.wait(300000), qPrintable(w->session()->lastError()));
    QCOMPARE(w->session()->path(), path);
  }

  void closingWithUnsavedChangesOffersToSave() {
    REQUIRE_MODEL();
    auto w = newWindow();
    QVERIFY(openAndRun(*w, quantModel(), {images()[0]}));
    w->setQuiet(false);  // the prompt is only skipped in quiet mode
    QVERIFY(w->session()->hasUnsavedChanges());
    // Answers the prompt with `button` once it is up; what it asked.
    auto answer = [](QMessageBox::StandardButton button, QString* asked) {
      QTimer::singleShot(100, [button, asked] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box) return;
        *asked = box->text();
        box->button(button)->click();
      });
    };
    QString asked;
    answer(QMessageBox::Cancel, &asked);
    QVERIFY(!w->close());
    QVERIFY(asked.contains("Save the session"));
    QVERIFY(w->isVisible());
    // Save: with the session's path known, it is written there and the window closes.
    const QString path = tmp_.filePath("on_close.qlsession");
    w->fallback()->set({1}, "keep one");
    QVERIFY(w->session()->save(path));
    w->fallback()->set({1, 2}, "keep two");
    asked.clear();
    answer(QMessageBox::Save, &asked);
    QVERIFY(w->close());
    QVERIFY(!asked.isEmpty());
    QCOMPARE(ql::gui::readSession(path.toStdString()).float_fallback, (std::vector<int>{1, 2}));
  }

  void lastSessionRestoredOnStartWhenChosen() {
    REQUIRE_MODEL();
    const QString last = tmp_.filePath("last.qlsession");
    QVERIFY(saveSimpleSession(last));
    QCOMPARE(SessionController::lastSessionPath(), last);
    QSettings().setValue("session/restoreOnStart", false);
    auto w = newWindow();
    QVERIFY(!w->session()->restoreLastOnStartIfChosen());
    QSettings().setValue("session/restoreOnStart", true);
    QSignalSpy restored(w->session(), &SessionController::restored);
    QVERIFY(w->session()->restoreLastOnStartIfChosen());
    QVERIFY(restored.wait(300000));
    QCOMPARE(w->session()->path(), last);
    QVERIFY(!w->document().empty());
  }
};

QTEST_MAIN(SessionTest)
#include "session_test.moc"
