// File > Quantize... on hello_world_float (../shared; skipped with a message when absent): enabled only while a
// float model is open alone; the dialog calibrates on raw .bin inputs in [0, 2*pi] on its worker thread, writes
// the int8 twin and the window opens the pair; Cancel stops calibration and writes nothing. State, not pixels.
#include <QtTest/QtTest>

#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "app/gui/main_window.h"
#include "app/gui/quantize_dialog.h"
#include "model/quantization_kind.h"
#include "support/test_support.h"
#include "missing_shared.h"

using ql::gui::MainWindow;
using ql::gui::QuantizeDialog;

namespace {

QString helloWorld() { return QString::fromStdString(ql::test::sharedDir() + "/models/hello_world_float.tflite"); }

// `count` float32 inputs x in [0, 2*pi] of hello world's [1,1] input, one .bin file each.
std::string calibrationFolder(const std::string& dir, int count) {
  std::filesystem::create_directories(dir);
  for (int i = 0; i < count; ++i) {
    const float x = static_cast<float>(2 * M_PI * i / (count - 1));
    std::ofstream(dir + "/x" + std::to_string(100000 + i) + ".bin", std::ios::binary)
        .write(reinterpret_cast<const char*>(&x), sizeof x);
  }
  return dir;
}

QAction* quantizeAction(MainWindow& w) {
  for (QAction* a : w.findChildren<QAction*>())
    if (a->text() == "&Quantize...") return a;
  return nullptr;
}

}  // namespace

class QuantizeDialogTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("quantlens-tests");
    QCoreApplication::setApplicationName("quantize_dialog_test");
    QStandardPaths::setTestModeEnabled(true);
  }

  void quantizesTheFloatModelAndOpensThePair() {
    const QString f = helloWorld();
    if (ql::test::sharedDir().empty() || !QFileInfo::exists(f))
      QL_QT_SKIP_FOR_MISSING("../shared/models is absent (set QUANTLENS_SHARED): skipping, needs " + f);
    const std::string dir = ql::test::makeTempDir("quantize-dialog");
    MainWindow w;
    w.setQuiet(true);
    w.show();
    QAction* action = quantizeAction(w);
    QVERIFY(action);
    QVERIFY(!action->isEnabled());  // nothing open
    QSignalSpy shown(&w, &MainWindow::modelsShown);
    w.openFiles({f});
    QVERIFY(shown.wait(60000));
    QVERIFY(action->isEnabled());  // a float model alone

    action->trigger();
    auto* d = w.findChild<QuantizeDialog*>();
    QVERIFY(d);
    QVERIFY(d->outputEdit()->text().endsWith("hello_world_float_int8.tflite"));
    const QString out = QString::fromStdString(dir + "/hello_int8.tflite");
    d->calibrationEdit()->setText(QString::fromStdString(calibrationFolder(dir + "/points", 100)));
    d->outputEdit()->setText(out);
    d->estimatorBox()->setCurrentText("mse");
    d->start();
    QVERIFY(d->running());
    QVERIFY(shown.wait(60000));  // the pair opened after the file was written

    const auto& pair = w.document().pair();
    QCOMPARE(QString::fromStdString(pair.quant_path), out);
    QVERIFY(QString::fromStdString(pair.float_path).endsWith("hello_world_float.tflite"));
    QVERIFY(pair.quant_model);
    QCOMPARE(ql::quantizationKind(*pair.quant_model), ql::QuantizationKind::FullInteger);
    QVERIFY(!action->isEnabled());  // a pair is open now
    std::filesystem::remove_all(dir);
  }

  void cancelStopsCalibrationAndWritesNothing() {
    const QString f = helloWorld();
    if (ql::test::sharedDir().empty() || !QFileInfo::exists(f))
      QL_QT_SKIP_FOR_MISSING("../shared/models is absent (set QUANTLENS_SHARED): skipping, needs " + f);
    const std::string dir = ql::test::makeTempDir("quantize-cancel");
    QuantizeDialog d(f);
    QSignalSpy done(&d, &QuantizeDialog::quantized);
    d.calibrationEdit()->setText(QString::fromStdString(calibrationFolder(dir + "/points", 5000)));
    const QString out = QString::fromStdString(dir + "/never.tflite");
    d.outputEdit()->setText(out);
    d.start();
    QVERIFY(d.running());
    d.reject();  // Cancel while running: asks the worker to stop, the dialog stays
    QTRY_VERIFY_WITH_TIMEOUT(!d.running(), 60000);
    QVERIFY(d.message().startsWith("Cancelled"));
    QCOMPARE(done.count(), 0);
    QVERIFY(!QFileInfo::exists(out));

    // A folder with nothing to calibrate on: the error is shown, nothing is written.
    std::filesystem::create_directories(dir + "/empty");
    d.calibrationEdit()->setText(QString::fromStdString(dir + "/empty"));
    d.start();
    QTRY_VERIFY_WITH_TIMEOUT(!d.running(), 60000);
    QVERIFY2(d.message().contains("no image"), qPrintable(d.message()));
    QVERIFY(!QFileInfo::exists(out));
    std::filesystem::remove_all(dir);
  }
};

QTEST_MAIN(QuantizeDialogTest)
#include "quantize_dialog_test.moc"
