// The Evaluation dock on the classic COCO SSD (../shared; skipped with a message when absent), opened alone so the
// app makes its dequantized twin, on ../shared/images/coco against its COCO JSON: the metrics table's numbers are
// those of `quantlens-cli evaluate --json` for the same models and images, the precision-recall curve of a class
// is the engine's, the worst images come in the engine's order and clicking one opens it in the Images dock;
// without annotations the agreement is the CLI's; a third model slots in as a column of its own, and the selective
// model of the ops kept in float is that column with the CLI's numbers for the exported model; bad annotations
// and a cancel say so. State, not pixels.
#include <QtTest/QtTest>

#include <QDir>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include "analysis/evaluation/coco_box_eval.h"
#include "app/gui/evaluation_controller.h"
#include "app/gui/images_controller.h"
#include "app/gui/launch_options.h"
#include "app/gui/float_fallback.h"
#include "app/gui/main_window.h"
#include "app/gui/selective_controller.h"
#include "missing_shared.h"
#include "support/test_support.h"
#include "widgets/evaluation/evaluation_view.h"
#include "widgets/evaluation/metrics_table.h"
#include "widgets/evaluation/pr_curve_plot.h"
#include "widgets/evaluation/worst_images_list.h"
#include "widgets/images/images_strip.h"

using ql::gui::EvaluationController;
using ql::gui::ImagesController;
using ql::gui::MainWindow;

namespace {

QString shared(const QString& rel) { return QString::fromStdString(ql::test::sharedDir()) + "/" + rel; }
QString quantModel() { return shared("models/coco_ssd_mobilenet_v1_1.0_quant.tflite"); }
QString cocoDir() { return shared("images/coco"); }
QString cocoJson() { return shared("images/coco/annotations.json"); }
QString cocoLabels() { return shared("images/coco_labels.txt"); }

QStringList cocoImages() {
  QStringList out;
  for (const QString& f : QDir(cocoDir()).entryList({"*.jpg"}, QDir::Files, QDir::Name)) out << QDir(cocoDir()).filePath(f);
  return out;
}

#define REQUIRE_COCO()                                                                                      \
  do {                                                                                                      \
    if (ql::test::sharedDir().empty() || !QFileInfo::exists(quantModel()) || !QFileInfo::exists(cocoJson()))  \
      QL_QT_SKIP_FOR_MISSING("../shared is absent (set QUANTLENS_SHARED): skipping, needs " + cocoJson());  \
  } while (0)

// Runs quantlens-cli with `args`; its exit code, stderr in `err`.
int runCli(const QStringList& args, QString* err) {
  QProcess p;
  p.start(QString::fromStdString(ql::test::cliPath()), args);
  if (!p.waitForFinished(300000)) return -1;
  *err = QString::fromLocal8Bit(p.readAllStandardError());
  return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

QJsonObject readJson(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(f.readAll()).object();
}

// Evaluates now and waits for the end; the `ok` it finished with.
bool evaluateAndWait(EvaluationController* e) {
  QSignalSpy done(e, &EvaluationController::finished);
  e->evaluate();
  if (done.isEmpty() && !done.wait(300000)) return false;
  return done.first().first().toBool();
}

}  // namespace

class EvaluationDockTest : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  QJsonObject cli_;  // `quantlens-cli evaluate --json` of the twin and the quantized SSD on the coco images
  std::unique_ptr<MainWindow> window_;

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("quantlens-tests");
    QCoreApplication::setApplicationName("evaluation_dock_test");
    QStandardPaths::setTestModeEnabled(true);
    if (ql::test::sharedDir().empty() || !QFileInfo::exists(quantModel()) || !QFileInfo::exists(cocoJson())) return;
    QString err;
    const QString twin = tmp_.filePath("twin.tflite"), json = tmp_.filePath("eval.json");
    QCOMPARE(runCli({"dequantize", quantModel(), "-o", twin}, &err), 0);
    QCOMPARE(runCli({"evaluate", "--model", twin, "--model", quantModel(), "--images", cocoDir(), "--annotations",
                     cocoJson(), "--model-labels", cocoLabels(), "--json", json},
                    &err),
             0);
    cli_ = readJson(json);
    QCOMPARE(cli_["models"].toArray().size(), 2);

    // The app: the quantized SSD alone (its twin made in the app), the coco images, the same labels.
    window_ = std::make_unique<MainWindow>();
    window_->setQuiet(true);
    window_->resize(1400, 900);
    window_->show();
    window_->document().setImages(cocoImages());
    window_->images()->setLabelsFile(cocoLabels());
    QSignalSpy ran(window_->images(), &ImagesController::runFinished);
    window_->openFiles({quantModel()});
    QVERIFY(ran.wait(300000));
    QVERIFY(window_->document().pair().float_is_twin);
  }

  void launchOptionTakesAnnotations() {
    ql::gui::LaunchOptions o;
    QString error;
    QVERIFY(ql::gui::parseLaunchOptions({"m.tflite", "--annotations", "a.json", "--images", "d"}, &o, &error));
    QCOMPARE(o.annotations, QString("a.json"));
    QVERIFY(!ql::gui::parseLaunchOptions({"--annotations"}, &o, &error));
  }

  void metricsAndCurvesAreTheClis() {
    REQUIRE_COCO();
    EvaluationController* e = window_->evaluation();
    e->setAnnotations(cocoJson());
    QVERIFY(evaluateAndWait(e));
    ql::gui::EvaluationView* view = e->view();
    ql::gui::MetricsTable* table = view->table();
    const QJsonArray models = cli_["models"].toArray();
    QCOMPARE(table->columnCount(), 2);
    QVERIFY(table->horizontalHeaderItem(0)->text().startsWith("dequantized twin"));
    QVERIFY(table->horizontalHeaderItem(1)->text().startsWith("quantized"));
    int compared = 0;
    for (int c = 0; c < 2; ++c) {
      const QJsonObject metrics = models[c].toObject()["metrics"].toObject();
      for (const QString& name : metrics.keys()) {
        const int row = table->rowOf(name);
        QVERIFY2(row >= 0, qPrintable(name));
        const QTableWidgetItem* item = table->item(row, c);
        if (metrics[name].isNull()) {
          QCOMPARE(item->text(), QString("—"));
          continue;
        }
        // The same number as the CLI's JSON (printed with nlohmann's round-trip precision), shown to 4 decimals.
        const double cli = metrics[name].toDouble();
        QVERIFY2(std::abs(item->data(Qt::UserRole).toDouble() - cli) <= 1e-12 * std::max(1.0, cli),
                 qPrintable(QString("%1 of model %2: %3 vs the CLI's %4")
                                .arg(name)
                                .arg(c)
                                .arg(item->data(Qt::UserRole).toDouble(), 0, 'g', 17)
                                .arg(cli, 0, 'g', 17)));
        QCOMPARE(item->text(), QString::number(cli, 'f', 4));
        ++compared;
      }
    }
    QCOMPARE(compared, 2 * 7 + 1);  // seven COCO metrics each, the quantized model's agreement
    QCOMPARE(table->item(table->rowOf("map"), 1)->text(), QString("0.2507"));

    // The precision-recall curve of "person" is the engine's, point for point, for both models.
    QVERIFY(view->selectClass(1));
    QVERIFY(view->classBox()->currentText().startsWith("person"));
    const auto& recall = ql::recallThresholds();
    for (int m = 0; m < 2; ++m) {
      QJsonArray precision;
      for (const QJsonValue& pc : models[m].toObject()["per_class"].toArray())
        if (pc.toObject()["class"].toInt() == 1) precision = pc.toObject()["precision"].toArray();
      QCOMPARE(precision.size(), 101);
      const auto curve = view->plot()->curve(m);
      QCOMPARE(static_cast<int>(curve.size()), 101);
      for (int i = 0; i < 101; ++i) {
        QCOMPARE(curve[static_cast<size_t>(i)].first, recall[static_cast<size_t>(i)]);
        QCOMPARE(curve[static_cast<size_t>(i)].second, precision[i].toDouble());
      }
    }
    // The class picker holds every class with ground truth, as the CLI's per_class does.
    QCOMPARE(view->classBox()->count(), models[0].toObject()["per_class"].toArray().size());

    // Worst images: by the drop of the image's AP from the twin to the quantized model, as the CLI's per-image
    // "ap" gives them; the first is the one that lost most.
    const QJsonArray twin_images = models[0].toObject()["images"].toArray();
    const QJsonArray quant_images = models[1].toObject()["images"].toArray();
    QString worst;
    double worst_drop = -2;
    for (int i = 0; i < twin_images.size(); ++i) {
      const double drop = twin_images[i].toObject()["ap"].toDouble() - quant_images[i].toObject()["ap"].toDouble();
      if (drop > worst_drop) worst_drop = drop, worst = twin_images[i].toObject()["image"].toString();
    }
    ql::gui::WorstImagesList* list = view->worstImages();
    QCOMPARE(list->topLevelItemCount(), 5);
    QCOMPARE(list->topLevelItem(0)->text(0), worst);
    QCOMPARE(list->topLevelItem(0)->text(3), QString::number(worst_drop, 'f', 3));

    // Clicking it opens it in the Images dock.
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->topLevelItem(0)).center());
    ql::gui::ImagesStrip* strip = window_->images()->strip();
    QVERIFY(strip->current() >= 0);
    QCOMPARE(QFileInfo(strip->images()[strip->current()]).fileName(), worst);
    QVERIFY(window_->images()->dock()->isVisible());
  }

  void agreementWithoutAnnotationsIsTheClis() {
    REQUIRE_COCO();
    EvaluationController* e = window_->evaluation();
    e->setAnnotations({});
    QVERIFY(evaluateAndWait(e));
    ql::gui::MetricsTable* table = e->view()->table();
    QCOMPARE(table->rowCount(), 1);
    const int row = table->rowOf("agreement");
    QVERIFY(row >= 0);
    QCOMPARE(table->item(row, 0)->text(), QString("—"));
    const double cli = cli_["models"].toArray()[1].toObject()["metrics"].toObject()["agreement"].toDouble();
    QVERIFY(std::abs(table->item(row, 1)->data(Qt::UserRole).toDouble() - cli) <= 1e-12);
    // No ground truth: no precision-recall curves; the worst images by agreement.
    QCOMPARE(e->view()->classBox()->count(), 0);
    QCOMPARE(e->view()->worstImages()->topLevelItemCount(), 4);  // one image has no float detection >= 0.5
  }

  void aThirdModelSlotsInAsAColumn() {
    REQUIRE_COCO();
    EvaluationController* e = window_->evaluation();
    e->setAnnotations(cocoJson());
    e->addModel("selective", window_->document().pair().quant_model);
    QVERIFY(evaluateAndWait(e));
    ql::gui::MetricsTable* table = e->view()->table();
    QCOMPARE(table->columnCount(), 3);
    QVERIFY(table->horizontalHeaderItem(2)->text().startsWith("selective"));
    for (int r = 0; r < table->rowCount(); ++r) QCOMPARE(table->item(r, 2)->text(), table->item(r, 1)->text());
    QCOMPARE(e->view()->worstModelBox()->count(), 2);
    e->removeModel("selective");
    QVERIFY(evaluateAndWait(e));
    QCOMPARE(table->columnCount(), 2);
  }

  void badAnnotationsAndCancelSaySo() {
    REQUIRE_COCO();
    EvaluationController* e = window_->evaluation();
    e->setAnnotations(tmp_.filePath("no_such_annotations.json"));
    QVERIFY(!evaluateAndWait(e));
    QVERIFY2(e->view()->message().contains("no_such_annotations.json"), qPrintable(e->view()->message()));
    e->setAnnotations(cocoJson());
    QSignalSpy done(e, &EvaluationController::finished);
    e->evaluate();
    e->cancel();
    QVERIFY(done.wait(300000));
    QCOMPARE(done.first().first().toBool(), false);
    QVERIFY(e->view()->message().contains("cancelled"));
  }

  void theSelectiveModelIsTheThirdColumn() {
    REQUIRE_COCO();
    EvaluationController* e = window_->evaluation();
    e->setAnnotations(cocoJson());
    e->removeModel("selective");
    // Ops 1 and 2 kept in float: the selective controller builds the model, the dock gets its column.
    QSignalSpy built(window_->selective(), &ql::gui::SelectiveController::selectiveModelChanged);
    window_->fallback()->set({1, 2}, "keep two");
    QTRY_VERIFY_WITH_TIMEOUT(window_->selective()->selectiveModel() != nullptr, 300000);
    QVERIFY(evaluateAndWait(e));
    ql::gui::MetricsTable* table = e->view()->table();
    QCOMPARE(table->columnCount(), 3);
    QVERIFY(table->horizontalHeaderItem(2)->text().startsWith("selective"));

    // The CLI on the same selective model (`export` of the same ops, dequantized weights as the twin's).
    QString err;
    const QString twin = tmp_.filePath("twin.tflite"), selective = tmp_.filePath("selective.tflite");
    const QString json = tmp_.filePath("eval3.json");
    QCOMPARE(runCli({"export", "--quant", quantModel(), "--keep-float", "1", "2", "-o", selective}, &err), 0);
    QCOMPARE(runCli({"evaluate", "--model", twin, "--model", quantModel(), "--model", selective, "--images",
                     cocoDir(), "--annotations", cocoJson(), "--model-labels", cocoLabels(), "--json", json},
                    &err),
             0);
    const QJsonObject metrics = readJson(json)["models"].toArray()[2].toObject()["metrics"].toObject();
    QVERIFY(!metrics.isEmpty());
    for (const QString& name : metrics.keys()) {
      const int row = table->rowOf(name);
      QVERIFY2(row >= 0, qPrintable(name));
      if (metrics[name].isNull()) continue;
      QVERIFY2(std::abs(table->item(row, 2)->data(Qt::UserRole).toDouble() - metrics[name].toDouble()) <= 1e-12,
               qPrintable(name));
    }
    window_->fallback()->clear();
    QTRY_VERIFY_WITH_TIMEOUT(window_->selective()->selectiveModel() == nullptr, 300000);
    QVERIFY(evaluateAndWait(e));
    QCOMPARE(table->columnCount(), 2);
  }

  void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(EvaluationDockTest)
#include "evaluation_dock_test.moc"
