// The inspector and the model page on the real yolov9t pair: what they show equals what the file and the engine
// say (state, not pixels).
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QtTest/QtTest>

#include <memory>
#include <sstream>

#include "analysis/model_summary.h"
#include "analysis/op_matching.h"
#include "model/reader.h"
#include "model/tensor_values.h"
#include "support/test_support.h"
#include "missing_shared.h"
#include "widgets/inspector/inspector_view.h"

using namespace ql;
using ql::gui::InspectedModel;

namespace {

std::vector<float> parseCsv(const QString& csv) {
  std::vector<float> out;
  for (const QString& line : csv.split('\n', Qt::SkipEmptyParts))
    for (const QString& cell : line.split(',')) out.push_back(cell.toFloat());
  return out;
}

int firstOpOfType(const Model& m, const std::string& type) {
  const auto& ops = m.subgraphs[0].ops;
  for (size_t i = 0; i < ops.size(); ++i)
    if (m.opName(ops[i]) == type) return static_cast<int>(i);
  return -1;
}

}  // namespace

class InspectorViewTest : public QObject {
  Q_OBJECT
  InspectedModel quant_, float_;
  std::unique_ptr<OpMatching> matching_;

 private slots:
  void initTestCase() {
    std::string shared = ql::test::sharedDir();
    if (shared.empty()) QL_QT_SKIP_FOR_MISSING("../shared is not next to this checkout (set QUANTLENS_SHARED): skipping");
    std::string q = shared + "/models/yolov9t_320_full_integer_quant.tflite";
    std::string f = shared + "/models/yolov9t_320_float16.tflite";
    if (!QFileInfo::exists(QString::fromStdString(q)) || !QFileInfo::exists(QString::fromStdString(f)))
      QL_QT_SKIP_FOR_MISSING("the yolov9t pair is not in ../shared/models: skipping");
    quant_ = {std::make_shared<const Model>(readModel(q)), "quantized"};
    float_ = {std::make_shared<const Model>(readModel(f)), "float"};
    matching_ = std::make_unique<OpMatching>(matchOps(*float_.model, *quant_.model));
  }

  void conv2dShowsTheFilesPerChannelScalesAndAHistogramOfEveryWeight() {
    const Model& q = *quant_.model;
    int op = firstOpOfType(q, "CONV_2D");
    QVERIFY(op >= 0);
    int float_op = matching_->float_op[static_cast<size_t>(op)];
    QVERIFY2(float_op >= 0, "the first CONV_2D has a float twin");

    gui::InspectorView view;
    view.resize(520, 900);
    view.show();
    view.showOp(quant_, op, float_, float_op);
    QCOMPARE(view.currentOp(), op);
    QCOMPARE(view.currentTitle(), QString("CONV_2D"));

    int filter = q.subgraphs[0].ops[static_cast<size_t>(op)].inputs[1];
    const Tensor& w = q.subgraphs[0].tensors[static_cast<size_t>(filter)];
    // yolov9t's int8 weights carry one scale per tensor: the table still has a row per output channel, each with
    // the file's scale.
    std::vector<double> shown = view.perChannelScalesShown(filter);
    QCOMPARE(shown.size(), static_cast<size_t>(w.shape[0]));
    for (size_t c = 0; c < shown.size(); ++c)
      QCOMPARE(shown[c], static_cast<double>(w.quant.scale[w.quant.perChannel() ? c : 0]));

    int64_t elements = elementCount(w.shape);
    QCOMPARE(view.histogramCountShown(filter), elements);
    // The float16 twin's weights behind its DEQUANTIZE are overlaid, value for value.
    QCOMPARE(view.histogramCountShown(filter, true), elements);
  }

  void floatSideShowsItsQuantizedTwinsChannels() {
    const Model& q = *quant_.model;
    int op = firstOpOfType(q, "CONV_2D");
    int float_op = matching_->float_op[static_cast<size_t>(op)];
    gui::InspectorView view;
    view.showOp(float_, float_op, quant_, op);
    int filter = float_.model->subgraphs[0].ops[static_cast<size_t>(float_op)].inputs[1];
    const Op& quant_conv = q.subgraphs[0].ops[static_cast<size_t>(op)];
    const Tensor& w = q.subgraphs[0].tensors[static_cast<size_t>(quant_conv.inputs[1])];
    QCOMPARE(view.perChannelScalesShown(filter).size(), static_cast<size_t>(w.shape[0]));
    QCOMPARE(view.histogramCountShown(filter), elementCount(w.shape));
  }

  void perChannelWeightsShowTheFilesScalesChannelByChannel() {
    std::string path = ql::test::sharedDir() + "/models/mobilenet_v2_quantized_1x3x224x224.tflite";
    if (!QFileInfo::exists(QString::fromStdString(path))) QL_QT_SKIP_FOR_MISSING("mobilenet_v2_quantized is not in ../shared/models");
    InspectedModel m{std::make_shared<const Model>(readModel(path)), "quantized"};
    int op = firstOpOfType(*m.model, "CONV_2D");
    gui::InspectorView view;
    view.showOp(m, op, {}, -1);
    int filter = m.model->subgraphs[0].ops[static_cast<size_t>(op)].inputs[1];
    const Tensor& w = m.model->subgraphs[0].tensors[static_cast<size_t>(filter)];
    QVERIFY(w.quant.perChannel());
    std::vector<double> shown = view.perChannelScalesShown(filter);
    QCOMPARE(shown.size(), w.quant.scale.size());
    for (size_t c = 0; c < shown.size(); ++c) QCOMPARE(shown[c], static_cast<double>(w.quant.scale[c]));
    QCOMPARE(view.histogramCountShown(filter), elementCount(w.shape));
    QCOMPARE(view.histogramCountShown(filter, true), int64_t{0});  // no twin, no overlay
  }

  void tensorPageCopiesValuesAsCsv() {
    const Model& q = *quant_.model;
    int op = firstOpOfType(q, "CONV_2D");
    int bias = q.subgraphs[0].ops[static_cast<size_t>(op)].inputs[2];
    gui::InspectorView view;
    view.showTensor(quant_, bias, float_, -1);
    QCOMPARE(view.currentTensor(), bias);
    QApplication::clipboard()->clear();
    QVERIFY(view.copyTensorCsv(bias));
    std::vector<float> expected = constantRealValues(q, q.subgraphs[0].tensors[static_cast<size_t>(bias)]);
    QVERIFY(!expected.empty());
    std::vector<float> got = parseCsv(QApplication::clipboard()->text());
    QCOMPARE(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i) QCOMPARE(got[i], expected[i]);

    QTemporaryDir dir;
    QString path = dir.filePath("bias.csv");
    QVERIFY(view.saveTensorCsv(bias, path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(parseCsv(QString::fromUtf8(file.readAll())), got);
    // An activation has no values to copy.
    int activation = q.subgraphs[0].ops[static_cast<size_t>(op)].outputs[0];
    QVERIFY(!view.copyTensorCsv(activation));
  }

  void tensorLinkOnTheOpPageEmitsTheTensor() {
    const Model& q = *quant_.model;
    int op = firstOpOfType(q, "CONV_2D");
    gui::InspectorView view;
    QSignalSpy spy(&view, &gui::InspectorView::tensorActivated);
    view.showOp(quant_, op, float_, matching_->float_op[static_cast<size_t>(op)]);
    QList<QLabel*> labels = view.findChildren<QLabel*>();
    int input = q.subgraphs[0].ops[static_cast<size_t>(op)].inputs[0];
    QString href = QString("tensor:%1").arg(input);
    for (QLabel* label : labels)
      if (label->text().contains(href)) {
        emit label->linkActivated(href);
        break;
      }
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), input);
  }

  void modelPageListsTheEnginesOpCounts() {
    gui::ModelPage page;
    page.showModels(float_, quant_);
    for (int which : {0, 1}) {
      const Model& m = which == 0 ? *float_.model : *quant_.model;
      std::map<QString, int> expected;
      for (const OpTypeCount& c : opTypeCounts(m)) expected[QString::fromStdString(c.type)] = c.count;
      QCOMPARE(page.opCountsShown(which), expected);
    }
    QVERIFY(page.opCountsShown(1).count("QUANTIZE"));
  }

  void clearShowsNothing() {
    gui::InspectorView view;
    view.showOp(quant_, 0, {}, -1);
    view.clear();
    QCOMPARE(view.currentOp(), -1);
    QVERIFY(view.perChannelScalesShown().empty());
    view.showOp(quant_, 1 << 30, {}, -1);  // out of range: cleared, no crash
    QCOMPARE(view.currentOp(), -1);
  }
};

QTEST_MAIN(InspectorViewTest)
#include "inspector_view_test.moc"
