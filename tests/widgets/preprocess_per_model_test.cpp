// Preprocessing per model in the Images dock, on the coco SSD and its dequantized twin (../shared; skipped with a
// message when absent): both models start with one editor (their preprocessing is the same); "Per model" gives
// the quantized model its own, and an edit there re-runs the quantized model with it while the twin keeps its
// own; the quantized model's input is then shown beside the twin's (letterboxed: other pixels) and opens at full
// size, each input pixel a block. State, not pixels.
#include <QtTest/QtTest>

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>

#include "app/gui/images_controller.h"
#include "app/gui/main_window.h"
#include "images_run.h"
#include "support/test_support.h"
#include "widgets/images/images_strip.h"
#include "widgets/images/preprocess_editor.h"

using ql::gui::ImagesController;
using ql::gui::MainWindow;

class PreprocessPerModelTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("quantlens-tests");
    QCoreApplication::setApplicationName("preprocess_per_model_test");
    QStandardPaths::setTestModeEnabled(true);
  }

  void theQuantizedModelGetsItsOwnPreprocessing() {
    const QString shared = QString::fromStdString(ql::test::sharedDir());
    const QString model = shared + "/models/coco_ssd_mobilenet_v1_1.0_quant.tflite";
    const QString image = shared + "/images/table.jpg";
    REQUIRE_FILE(model);
    REQUIRE_FILE(image);
    MainWindow w;
    QVERIFY(ql::test::openAndRun(w, {model}, {image}));
    ImagesController* images = w.images();
    QSignalSpy done(images, &ImagesController::runFinished);
    ql::gui::ImagesStrip* strip = images->strip();
    QVERIFY(!strip->perModelBox()->isHidden());
    QVERIFY(!strip->perModel());  // the twin and the quantized model share their preprocessing
    QVERIFY(strip->secondEditor()->isHidden());
    QVERIFY(strip->secondSeen().isNull());  // both saw the same pixels
    const ql::PreprocessOptions before = images->floatSetup().preprocess;

    done.clear();
    strip->perModelBox()->setChecked(true);
    QVERIFY(!strip->secondEditor()->isHidden());
    QVERIFY(done.wait(300000));  // turning it on re-runs (nothing changed yet)
    done.clear();
    strip->secondEditor()->resizeBox()->setCurrentIndex(1);  // letterbox, the quantized model only
    QVERIFY(done.wait(300000));
    QCOMPARE(images->quantSetup().preprocess.resize, ql::ResizeMode::Letterbox);
    QCOMPARE(images->floatSetup().preprocess.resize, before.resize);
    done.clear();
    strip->secondEditor()->meanEdit()->setText("100");
    QMetaObject::invokeMethod(strip->secondEditor()->meanEdit(), "editingFinished");
    QVERIFY(done.wait(300000));
    QCOMPARE(images->quantSetup().preprocess.norm.mean, std::vector<float>{100.f});
    QCOMPARE(images->floatSetup().preprocess.norm.mean, before.norm.mean);
    // The result of the current image has arrived: both inputs, the letterboxed one different.
    QTRY_VERIFY(!strip->secondSeen().isNull());
    QCOMPARE(strip->secondSeen().size(), strip->seen().size());  // both are the model's 300x300 input
    QVERIFY(strip->secondSeen() != strip->seen());

    // What the model saw, at full size: whole-number scaling of its pixels.
    strip->showSeenFullSize(true);
    QDialog* dialog = strip->findChild<QDialog*>();
    QVERIFY(dialog);
    const QLabel* label = dialog->findChild<QLabel*>();
    QVERIFY(label);
    QCOMPARE(label->pixmap().width() % strip->secondSeen().width(), 0);
    dialog->close();

    // Back to one editor: both models take its options.
    done.clear();
    strip->perModelBox()->setChecked(false);
    QVERIFY(done.wait(300000));
    QCOMPARE(images->quantSetup().preprocess.norm.mean, before.norm.mean);
    QCOMPARE(images->quantSetup().preprocess.resize, before.resize);
  }
};

QTEST_MAIN(PreprocessPerModelTest)
#include "preprocess_per_model_test.moc"
