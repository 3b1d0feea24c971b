// The main window on real models (../shared; skipped with a message when absent): open the yolov9t pair, find an
// op by name, select a CONV_2D in the quantized view and check its matched float op is selected and centred,
// collapse and expand a name scope, one model alone, a bad file, export. State, not pixels.
#include <QtTest/QtTest>

#include <QDockWidget>
#include <QMimeData>
#include <QSettings>

#include "app/gui/main_window.h"
#include "support/test_support.h"
#include "missing_shared.h"
#include "widgets/graph/graph_view.h"
#include "widgets/inspector/inspector_view.h"

using ql::gui::GraphView;
using ql::gui::MainWindow;

namespace {

QString model(const char* name) {
  return QString::fromStdString(ql::test::sharedDir() + "/models/" + name + ".tflite");
}

#define REQUIRE_MODEL(path)                                                                        \
  do {                                                                                             \
    if (ql::test::sharedDir().empty() || !QFileInfo::exists(path))                                 \
      QL_QT_SKIP_FOR_MISSING("../shared/models is absent (set QUANTLENS_SHARED): skipping, needs " + path); \
  } while (0)

// Shows `w` (no message boxes) and opens `files` in it; false when they did not open in time.
bool openAndWait(MainWindow& w, const QStringList& files) {
  w.setQuiet(true);
  w.show();
  QSignalSpy shown(&w, &MainWindow::modelsShown);
  w.openFiles(files);
  return shown.wait(120000);
}

// The centre of `rect` (scene) lies in the middle half of the view's viewport.
bool centred(GraphView* v, const QRectF& rect) {
  QPoint c = v->mapFromScene(rect.center());
  QRect vp = v->viewport()->rect();
  QRect middle(vp.width() / 4, vp.height() / 4, vp.width() / 2, vp.height() / 2);
  return middle.contains(c);
}

}  // namespace

class MainWindowTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("quantlens-tests");
    QCoreApplication::setApplicationName("main_window_test");
    QStandardPaths::setTestModeEnabled(true);  // settings (recent files, window state) away from the user's
  }

  void yolov9tPairLinksOpToOp() {
    const QString f = model("yolov9t_320_float16"), q = model("yolov9t_320_full_integer_quant");
    REQUIRE_MODEL(f);
    REQUIRE_MODEL(q);
    MainWindow w;
    w.setQuiet(true);
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // Given quantized first: the float one is still recognised as float.
    QVERIFY(openAndWait(w, {q, f}));
    const auto& pair = w.document().pair();
    QVERIFY(pair.float_model && pair.quant_model && pair.matching);
    QVERIFY(QString::fromStdString(pair.float_path).endsWith("yolov9t_320_float16.tflite"));
    QVERIFY(!pair.float_is_twin);
    GraphView* fv = w.floatView();
    GraphView* qv = w.quantView();
    QVERIFY(fv->unitCount() > 100 && qv->unitCount() > 100);

    // Find an op by its name (its output tensor).
    const auto& qg = qv->graph();
    std::string name;
    int named_op = -1;
    for (const auto& node : qg.nodes)
      if (node.type == "CONCATENATION") {
        name = node.name;
        named_op = node.op;
        break;
      }
    QVERIFY(named_op >= 0);
    QVERIFY(w.find(QString::fromStdString(name)) >= 1);
    QCOMPARE(qv->selectedOp(), named_op);

    // Select a CONV_2D in the middle of the quantized graph: its float twin is selected and centred.
    std::vector<int> convs;
    for (const auto& node : qg.nodes)
      if (node.type == "CONV_2D") convs.push_back(node.op);
    QVERIFY(convs.size() > 20);
    int conv = convs[convs.size() / 2];
    int twin = pair.floatOpOf(conv);
    QVERIFY(twin >= 0);
    w.selectOp(qv, conv);
    QCOMPARE(qv->selectedOp(), conv);
    QCOMPARE(fv->selectedOp(), twin);
    const auto& fg = fv->graph();
    QCOMPARE(fg.nodes[static_cast<size_t>(fg.node_of_op[static_cast<size_t>(twin)])].type, std::string("CONV_2D"));
    QVERIFY(centred(fv, fv->opSceneRect(twin)));
    QVERIFY(centred(qv, qv->opSceneRect(conv)));

    // The inspector shows that op, with the per-channel scales of its weights as the file has them, and a
    // histogram of every weight value.
    QCOMPARE(w.inspector()->currentOp(), conv);
    const ql::Subgraph& qsg = pair.quant_model->subgraphs[0];
    const int weights = qsg.ops[static_cast<size_t>(conv)].inputs[1];
    const ql::Tensor& wt = qsg.tensors[static_cast<size_t>(weights)];
    // yolov9t's int8 weights have one scale, which the table shows for every output channel (mobilenet_v2's
    // per-channel ones are checked below).
    std::vector<double> shown = w.inspector()->perChannelScalesShown(weights);
    QCOMPARE(shown.size(), static_cast<size_t>(wt.shape[0]));
    for (size_t c = 0; c < shown.size(); ++c)
      QCOMPARE(static_cast<float>(shown[c]), wt.quant.scale[wt.quant.perChannel() ? c : 0]);
    QCOMPARE(w.inspector()->histogramCountShown(weights), ql::elementCount(wt.shape));
    // Quantized edges say they carry int8.
    bool int8_edge = false;
    for (const auto& e : qg.edges) int8_edge |= e.label.find("int8") != std::string::npos;
    QVERIFY(int8_edge);

    // And back: selecting the float op selects the quantized one.
    w.selectOp(fv, twin);
    QCOMPARE(qv->selectedOp(), conv);

    // The converter's additions are marked: a quantized graph with int8 activations has QUANTIZE/DEQUANTIZE.
    // A QUANTIZE the converter added mid-graph has no float twin: it is marked, and is a difference.
    int added = -1;
    for (const auto& node : qg.nodes)
      if (node.type == "QUANTIZE" && node.op > 0 && pair.floatOpOf(node.op) < 0) added = node.op;
    QVERIFY(added >= 0);
    QVERIFY(qv->opMarked(added));
    QVERIFY(!qv->opMarked(conv));
    QVERIFY(pair.quantDifferences()[static_cast<size_t>(added)]);
    QVERIFY(!pair.quantDifferences()[static_cast<size_t>(conv)]);
    qv->setDifferencesOnly(true);
    QVERIFY(qv->differencesOnly());

    // Find by op index and by op type.
    QCOMPARE(qv->findOps("#5"), std::vector<int>{5});
    QCOMPARE(qv->findOps("conv_2d").size(), convs.size());
  }

  void nameScopeCollapsesAndExpands() {
    const QString f = model("yolov9t_320_float16");
    REQUIRE_MODEL(f);
    MainWindow w;
    QVERIFY(openAndWait(w, {f}));
    QVERIFY(!w.document().pair().quant_model);  // a float model opens alone
    GraphView* v = w.floatView();
    const auto& g = v->graph();
    QVERIFY(!g.scopes.empty());
    // The scope with the most ops (yolov9t: "model_10", all but the inputs and outputs).
    int scope = -1;
    for (size_t s = 0; s < g.scopes.size(); ++s)
      if (g.scopes[s].node_count >= 3 &&
          (scope < 0 || g.scopes[s].node_count > g.scopes[static_cast<size_t>(scope)].node_count))
        scope = static_cast<int>(s);
    QVERIFY2(scope >= 0, "no name scope of 3 ops or more");
    const int before = v->unitCount();
    QVERIFY(!v->scopeCollapsed(scope));
    v->setScopeCollapsed(scope, true);
    QVERIFY(v->scopeCollapsed(scope));
    QCOMPARE(v->unitCount(), before - g.scopes[static_cast<size_t>(scope)].node_count + 1);
    // Selecting an op hidden inside reveals it.
    int inside_op = -1;
    for (const auto& node : g.nodes)
      if (node.op >= 0 && g.inside(node.scope, scope)) {
        inside_op = node.op;
        break;
      }
    QVERIFY(inside_op >= 0);
    v->setScopeCollapsed(scope, false);
    QCOMPARE(v->unitCount(), before);
    v->setScopeCollapsed(scope, true);
    QVERIFY(v->selectOp(inside_op));
    QVERIFY(!v->scopeCollapsed(scope));
    QCOMPARE(v->unitCount(), before);
  }

  void quantizedAloneGetsItsDequantizedTwin() {
    const QString q = model("mobilenet_v2_quantized_1x3x224x224");
    REQUIRE_MODEL(q);
    MainWindow w;
    QVERIFY(openAndWait(w, {q}));
    const auto& pair = w.document().pair();
    QVERIFY(pair.float_is_twin);
    QVERIFY(pair.quant_model && pair.float_model && pair.matching);
    QVERIFY(w.notice().contains("dequantized twin"));
    QVERIFY(w.floatView()->unitCount() > 10);
    int conv = w.resolveOp(w.quantView(), {});
    QVERIFY(conv >= 0);
    w.selectOp(w.quantView(), conv);
    QVERIFY(w.floatView()->selectedOp() >= 0);
    // Per-channel weights: the inspector's table holds the file's scales, the histogram every weight.
    const ql::Subgraph& qsg = pair.quant_model->subgraphs[0];
    const int weights = qsg.ops[static_cast<size_t>(conv)].inputs[1];
    const ql::Tensor& wt = qsg.tensors[static_cast<size_t>(weights)];
    QVERIFY(wt.quant.perChannel());
    QCOMPARE(w.inspector()->currentOp(), conv);
    std::vector<double> shown = w.inspector()->perChannelScalesShown(weights);
    QCOMPARE(shown.size(), wt.quant.scale.size());
    for (size_t c = 0; c < shown.size(); ++c) QCOMPARE(static_cast<float>(shown[c]), wt.quant.scale[c]);
    QCOMPARE(w.inspector()->histogramCountShown(weights), ql::elementCount(wt.shape));
  }

  void twoOfTheSameKindOpenInOrderWithANotice() {
    const QString a = model("conv_fc_mnist_float"), b = model("hello_world_float");
    REQUIRE_MODEL(a);
    REQUIRE_MODEL(b);
    MainWindow w;
    w.setQuiet(true);
    QVERIFY(openAndWait(w, {b, a}));
    QVERIFY(QString::fromStdString(w.document().pair().float_path).endsWith("hello_world_float.tflite"));
    QVERIFY(w.notice().contains("order given"));
  }

  void dropOpensAndIsRemembered() {
    const QString q = model("mobilenet_v1_0.25_128_quant");
    REQUIRE_MODEL(q);
    struct DropWindow : MainWindow {
      using MainWindow::dropEvent;
    } w;
    w.setQuiet(true);
    w.show();
    QSignalSpy shown(&w, &MainWindow::modelsShown);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(q)});
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    w.dropEvent(&drop);  // QApplication delivers drops only inside a real drag; the handler is what we test
    QVERIFY(drop.isAccepted());
    QVERIFY(shown.wait(60000));
    QVERIFY(w.document().pair().quant_model);
    // The recent-files list starts with what was just opened.
    QStringList recent = QSettings().value("recentFiles").toStringList();
    QVERIFY(!recent.isEmpty());
    QCOMPARE(recent.first(), QFileInfo(q).absoluteFilePath());
  }

  void badFileIsAMessageNamingIt() {
    QTemporaryDir dir;
    QString bad = dir.filePath("not_a_model.tflite");
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not a flatbuffer");
    file.close();
    MainWindow w;
    w.setQuiet(true);
    QSignalSpy failed(&w, &MainWindow::openFailed);
    w.openFiles({bad});
    QVERIFY(failed.wait(30000));
    QVERIFY(w.lastError().contains("not_a_model.tflite"));
    QVERIFY(w.document().empty());
  }

  void exportsPngAndSvg() {
    const QString q = model("mobilenet_v1_0.25_128_quant");
    REQUIRE_MODEL(q);
    MainWindow w;
    QVERIFY(openAndWait(w, {q}));
    QTemporaryDir dir;
    for (const char* name : {"graph.png", "graph.svg"}) {
      QString path = dir.filePath(name), error;
      QVERIFY2(w.exportActiveView(path, &error), qPrintable(error));
      QVERIFY(QFileInfo(path).size() > 1000);
    }
    QImage png(dir.filePath("graph.png"));
    QVERIFY(!png.isNull() && png.height() > png.width());  // a top-down graph is tall
    QFile svg(dir.filePath("graph.svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(svg.readAll().contains("<svg"));
  }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
