// The `quantlens` command line of the GUI contract.
#include <QtTest/QtTest>

#include "app/gui/launch_options.h"

using ql::gui::LaunchOptions;
using ql::gui::parseLaunchOptions;

class LaunchOptionsTest : public QObject {
  Q_OBJECT
 private slots:
  void everyFlag() {
    LaunchOptions o;
    QString error;
    QVERIFY(parseLaunchOptions({"--float", "f.tflite", "--quant=q.tflite", "--image", "a.jpg", "b.png", "--images",
                                "imgs", "--screenshot", "out", "--select", "#12", "--labels", "coco.txt"},
                               &o, &error));
    QCOMPARE(o.float_path, QString("f.tflite"));
    QCOMPARE(o.quant_path, QString("q.tflite"));
    QCOMPARE(o.images, QStringList({"a.jpg", "b.png"}));
    QCOMPARE(o.images_dir, QString("imgs"));
    QCOMPARE(o.screenshot_dir, QString("out"));
    QCOMPARE(o.select, QString("#12"));
    QCOMPARE(o.labels, QString("coco.txt"));
    QVERIFY(o.files.isEmpty());
  }

  void plainFilesAndImages() {
    LaunchOptions o;
    QString error;
    QVERIFY(parseLaunchOptions({"a.tflite", "b.tflite", "photo.jpg"}, &o, &error));
    QCOMPARE(o.files, QStringList({"a.tflite", "b.tflite"}));
    QCOMPARE(o.images, QStringList({"photo.jpg"}));
    // A model right after --image's images is a model again.
    QVERIFY(parseLaunchOptions({"--image", "x.jpg", "m.tflite"}, &o, &error));
    QCOMPARE(o.files, QStringList({"m.tflite"}));
  }

  void badCommandLines() {
    LaunchOptions o;
    QString error;
    QVERIFY(!parseLaunchOptions({"--float"}, &o, &error));
    QVERIFY(error.contains("--float"));
    QVERIFY(!parseLaunchOptions({"--bogus"}, &o, &error));
    QVERIFY(error.contains("--bogus"));
    QVERIFY(!parseLaunchOptions({"a.tflite", "b.tflite", "--quant", "c.tflite"}, &o, &error));
    QVERIFY(error.contains("two models"));
  }
};

QTEST_GUILESS_MAIN(LaunchOptionsTest)
#include "launch_options_test.moc"
