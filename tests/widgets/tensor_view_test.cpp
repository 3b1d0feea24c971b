// The Tensor dock on real models (../shared; skipped with a message when absent): after a run on an image,
// selecting a CONV_2D shows histograms whose counts sum to the tensor's element count and a clipped share equal
// to the share of float values outside the quantized range, computed here independently (the dequantized twin
// run on its own: for the first op of the model the per-layer float input is the dequantized model input); the
// Images dock's saved JSON holds what `quantlens-cli detect --json` prints; screenshot mode writes tensor.png.
// State, not pixels.
#include <QtTest/QtTest>

#include <QDockWidget>
#include <QLabel>
#include <QTemporaryDir>

#include <fstream>

#include "analysis/dequantized_twin.h"
#include "analysis/tensor_on_image.h"
#include "app/gui/images_controller.h"
#include "app/gui/images_export.h"
#include "app/gui/main_window.h"
#include "app/gui/tensor_controller.h"
#include "gui_process.h"
#include "images_run.h"
#include "model/reader.h"
#include "model/tensor_values.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"
#include "widgets/graph/graph_view.h"
#include "widgets/images/images_view.h"
#include "widgets/inspector/histogram_plot.h"
#include "widgets/tensors/channel_map_grid.h"
#include "widgets/tensors/tensor_view.h"

using ql::gui::ImagesController;
using ql::gui::MainWindow;
using ql::gui::TensorController;

namespace {

QString sharedFile(const QString& rel) { return QString::fromStdString(ql::test::sharedDir()) + "/" + rel; }

using ql::test::openAndRun;

// Float values of quantized op `op`'s output when that op reads the model input: the dequantized twin run on the
// dequantized input bytes, its tensor read after the run (keep_tensors). Independent of the tensor view's pairing.
std::vector<float> twinOutputOfFirstOp(const ql::Model& quant, int op, const std::vector<uint8_t>& quant_input) {
  const ql::Subgraph& qs = quant.subgraphs[0];
  const ql::Tensor& in = qs.tensors[static_cast<size_t>(qs.inputs[0])];
  const std::vector<float> real = ql::realValues(in.type, in.shape, in.quant, quant_input.data(), quant_input.size());
  auto twin = std::make_shared<ql::DequantizedTwin>(ql::makeDequantizedTwin(quant));
  ql::InterpreterOptions o;
  o.keep_tensors = true;
  ql::Interpreter run(twin->model, o);
  run.setInput(0, real.data(), real.size() * sizeof(float));
  run.invoke();
  const int t = twin->tensor_of_quant[static_cast<size_t>(qs.ops[static_cast<size_t>(op)].outputs[0])];
  const ql::RuntimeTensor& rt = run.tensor(t);
  return std::vector<float>(rt.data<float>(), rt.data<float>() + rt.elements());
}

}  // namespace

class TensorViewTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("quantlens-tests");
    QCoreApplication::setApplicationName("tensor_view_test");
    QStandardPaths::setTestModeEnabled(true);
  }

  void conv2dOutputCountsEveryElementAndClipsWhatTheFloatValuesSay_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("image");
    QTest::newRow("coco_ssd on table.jpg") << "models/coco_ssd_mobilenet_v1_1.0_quant.tflite"
                                            << "images/table.jpg";
    QTest::newRow("mobilenet_v1_0.25 on cat.bmp") << "models/mobilenet_v1_0.25_128_quant.tflite"
                                                   << "images/cat.bmp";
  }

  void conv2dOutputCountsEveryElementAndClipsWhatTheFloatValuesSay() {
    QFETCH(QString, model);
    QFETCH(QString, image);
    const QString model_path = sharedFile(model), image_path = sharedFile(image);
    REQUIRE_FILE(model_path);
    REQUIRE_FILE(image_path);
    MainWindow w;
    QVERIFY(openAndRun(w, {model_path}, {image_path}));
    TensorController* tensors = w.tensors();
    const int op = w.resolveOp(w.quantView(), "");  // the first CONV_2D
    QVERIFY(op >= 0);
    QSignalSpy shown(tensors, &TensorController::tensorShown);
    w.selectOp(w.quantView(), op);
    QTRY_VERIFY_WITH_TIMEOUT(!tensors->busy() && tensors->view()->hasTensor(), 120000);
    const ql::TensorOnImage& t = tensors->view()->tensor();
    QCOMPARE(t.op, op);

    const ql::Model quant = ql::readModel(model_path.toStdString());
    const ql::Subgraph& qs = quant.subgraphs[0];
    const ql::Op& conv = qs.ops[static_cast<size_t>(op)];
    QCOMPARE(quant.opName(conv), std::string("CONV_2D"));
    QVERIFY2(conv.inputs[0] == qs.inputs[0], "the independent check needs a first op reading the model input");
    const ql::Tensor& out = qs.tensors[static_cast<size_t>(conv.outputs[0])];
    const int64_t elements = ql::elementCount(out.shape);
    QCOMPARE(t.elements, elements);
    // The histograms as drawn: every element once, float and dequantized alike, and the errors.
    QCOMPARE(tensors->view()->valuesPlot()->barsTotal(), elements);
    QCOMPARE(tensors->view()->valuesPlot()->overlayTotal(), elements);
    QCOMPARE(tensors->view()->errorPlot()->barsTotal(), elements);

    // The clipped share, computed here: the range from the tensor's own type, scale and zero point.
    const ql::PreparedInput input =
        ql::imageFileToInput(image_path.toStdString(), ql::inputSpecOf(qs.tensors[static_cast<size_t>(qs.inputs[0])]),
                             w.images()->quantSetup().preprocess);
    const std::vector<float> f = twinOutputOfFirstOp(quant, op, input.bytes);
    QCOMPARE(static_cast<int64_t>(f.size()), elements);
    QCOMPARE(out.type, ql::DType::UInt8);  // both models here: uint8 activations
    const double scale = out.quant.scale[0], zp = static_cast<double>(out.quant.zero_point[0]);
    const double lo = scale * (0 - zp), hi = scale * (255 - zp);
    int64_t outside = 0;
    for (float v : f) outside += (v < lo || v > hi) ? 1 : 0;
    qInfo() << model << "op" << op << "clipped" << outside << "of" << elements;
    QCOMPARE(t.clipped, outside);
    QCOMPARE(t.clipped_share, static_cast<double>(outside) / static_cast<double>(elements));
    QVERIFY(tensors->view()->clippedLabel()->text().contains(QString("%1 of %2").arg(outside).arg(elements)));
    // Channel maps: a 4-D activation, the worst channels first.
    QCOMPARE(static_cast<int>(t.channel_rmse.size()), out.shape[3]);
    QCOMPARE(tensors->view()->channelMaps()->maps().size(), std::min<size_t>(16, static_cast<size_t>(out.shape[3])));
    QVERIFY(t.channel_maps.front().rmse >= t.channel_maps.back().rmse);

    // Another op of the same image is summarized from the kept runs; a newer selection replaces an older one.
    const int next = w.resolveOp(w.quantView(), QString::number(op + 1));
    w.selectOp(w.quantView(), next);
    w.selectOp(w.quantView(), op);
    QTRY_VERIFY_WITH_TIMEOUT(!tensors->busy() && tensors->view()->hasTensor(), 120000);
    QCOMPARE(tensors->view()->tensor().op, op);
    QCOMPARE(tensors->view()->tensor().clipped, outside);
  }

  void closingTheWindowWhileATensorIsComputedIsSafe() {
    const QString model_path = sharedFile("models/yolov9t_320_full_integer_quant.tflite"),
                  image_path = sharedFile("images/kite_and_cold.jpg");
    REQUIRE_FILE(model_path);
    REQUIRE_FILE(image_path);
    auto* w = new MainWindow;
    QVERIFY(openAndRun(*w, {model_path}, {image_path}));
    w->selectOp(w->quantView(), w->resolveOp(w->quantView(), ""));
    QVERIFY(w->tensors()->busy());  // both models are being run on the worker
    QPointer<TensorController> tensors = w->tensors();
    delete w;  // cancels and joins the worker; its late result must go nowhere
    QVERIFY(tensors.isNull());
    QTest::qWait(200);
  }

  void savedJsonHoldsWhatDetectPrints() {
    const QString model_path = sharedFile("models/coco_ssd_mobilenet_v1_1.0_quant.tflite"),
                  image_path = sharedFile("images/table.jpg");
    REQUIRE_FILE(model_path);
    REQUIRE_FILE(image_path);
    MainWindow w;
    QVERIFY(openAndRun(w, {model_path}, {image_path}));
    QTemporaryDir dir;
    const QString json_path = dir.filePath("results.json");
    QString error;
    QVERIFY2(ql::gui::saveImagesResultsJson(&w, json_path, &error), qPrintable(error));
    const nlohmann::json j = ql::test::readJson(json_path.toStdString());
    QCOMPARE(j["images"].size(), size_t{1});
    const nlohmann::json& entry = j["images"][0];
    QCOMPARE(entry["results"].size(), size_t{2});  // the dequantized twin and the quantized model
    QCOMPARE(entry["results"][0]["role"].get<std::string>(), std::string("dequantized twin"));
    const nlohmann::json& quant = entry["results"][1];
    QCOMPARE(quant["role"].get<std::string>(), std::string("quantized"));
    const nlohmann::json& mine = quant["result"];
    // The CLI on the same files as the JSON names them, at the dock's threshold (the profile's, untouched).
    const ql::test::ProcResult cli = ql::test::runProcess(
        {ql::test::cliPath(), "detect", mine["model"].get<std::string>(), mine["image"].get<std::string>(),
         "--threshold", std::to_string(w.images()->view()->threshold()), "--json"},
        120);
    QCOMPARE(cli.exit_code, 0);
    const nlohmann::json expected = nlohmann::json::parse(cli.out);
    QVERIFY(!expected["detections"].empty());
    QCOMPARE(mine.dump(), expected.dump());
    // The comparison of the twin with the quantized model, as debug --json writes detections.
    QCOMPARE(entry["comparisons"].size(), size_t{1});
    const nlohmann::json& c = entry["comparisons"][0]["comparison"];
    for (const char* key : {"input", "float", "quantized", "matched", "moved", "missed", "extra", "class_changed"})
      QVERIFY2(c.contains(key), key);
    QCOMPARE(c["quantized"].size(), expected["detections"].size());

    // The view as PNG.
    const QString png = dir.filePath("view.png");
    QVERIFY2(ql::gui::saveImagesViewPng(&w, png, &error), qPrintable(error));
    QVERIFY(!QImage(png).isNull());
  }

  void screenshotModeWritesTensorPng() {
    const QString model_path = sharedFile("models/mobilenet_v1_0.25_128_quant.tflite"),
                  image_path = sharedFile("images/cat.bmp");
    REQUIRE_FILE(model_path);
    REQUIRE_FILE(image_path);
    QTemporaryDir dir;
    const auto [code, err] = ql::test::runQuantlens(
        {"--screenshot", dir.filePath("shots"), "--image", image_path, "--select", "0", model_path}, dir.filePath("config"),
        240000);
    QVERIFY2(code == 0, qPrintable(err));
    const QImage tensor(dir.filePath("shots/tensor.png"));
    QVERIFY2(!tensor.isNull(), qPrintable(err));
    QVERIFY(tensor.width() >= 600);
  }
};

QTEST_MAIN(TensorViewTest)
#include "tensor_view_test.moc"
