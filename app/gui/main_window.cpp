#include "app/gui/main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

#include "app/gui/errors_controller.h"
#include "app/gui/evaluation_controller.h"
#include "app/gui/float_fallback.h"
#include "app/gui/images_controller.h"
#include "app/gui/images_export.h"
#include "app/gui/tensor_controller.h"
#include "app/gui/quantize_dialog.h"
#include "app/gui/selective_controller.h"
#include "app/gui/session_controller.h"
#include "model/quantization_kind.h"
#include "widgets/graph/graph_view.h"
#include "widgets/inspector/inspector_view.h"

namespace ql::gui {

namespace {

constexpr int kMaxRecent = 8;

QString fileName(const std::string& path) { return QFileInfo(QString::fromStdString(path)).fileName(); }

size_t opCount(const Model& m) { return m.subgraphs.empty() ? 0 : m.subgraphs[0].ops.size(); }

QWidget* makePane(const QString& role, GraphView** view, QLabel** title, QWidget* parent) {
  auto* pane = new QWidget(parent);
  auto* layout = new QVBoxLayout(pane);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  *title = new QLabel(role, pane);
  (*title)->setTextFormat(Qt::RichText);
  (*title)->setContentsMargins(10, 6, 10, 6);
  (*title)->setStyleSheet("QLabel { background: #f4f5f7; border-bottom: 1px solid #dcdfe3; color: #30343a; }");
  (*title)->setTextInteractionFlags(Qt::TextSelectableByMouse);
  *view = new GraphView(pane);
  layout->addWidget(*title);
  layout->addWidget(*view, 1);
  return pane;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("quantlens");
  setObjectName("MainWindow");
  resize(1400, 900);
  setAcceptDrops(true);

  stack_ = new QStackedWidget(this);
  auto* welcome = new QLabel(
      "<div style='color:#555; font-size:13pt'>Open a float model and its quantized twin (Ctrl+O),<br>"
      "or drop one or two <b>.tflite</b> files here.</div>"
      "<div style='color:#888'>A quantized model alone opens next to its dequantized twin.</div>",
      stack_);
  welcome->setAlignment(Qt::AlignCenter);
  stack_->addWidget(welcome);

  graph_area_ = new QWidget(stack_);
  auto* area_layout = new QVBoxLayout(graph_area_);
  area_layout->setContentsMargins(0, 0, 0, 0);
  area_layout->setSpacing(0);
  notice_ = new QLabel(graph_area_);
  notice_->setWordWrap(true);
  notice_->setContentsMargins(10, 5, 10, 5);
  notice_->setStyleSheet("QLabel { background: #fff8e1; color: #5d4a00; border-bottom: 1px solid #ecdca0; }");
  notice_->hide();
  auto* splitter = new QSplitter(Qt::Horizontal, graph_area_);
  splitter->setHandleWidth(1);
  splitter->setStyleSheet("QSplitter::handle { background: #cfd3d8; }");
  float_pane_ = makePane("FLOAT", &float_view_, &float_title_, splitter);
  quant_pane_ = makePane("QUANTIZED", &quant_view_, &quant_title_, splitter);
  splitter->addWidget(float_pane_);
  splitter->addWidget(quant_pane_);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({1000, 1000});  // the two models get equal room
  area_layout->addWidget(notice_);
  area_layout->addWidget(splitter, 1);
  stack_->addWidget(graph_area_);
  setCentralWidget(stack_);
  active_ = quant_view_;

  for (GraphView* v : {float_view_, quant_view_})
    connect(v, &GraphView::opSelected, this, [this, v](int op) {
      active_ = v;
      linkFrom(v, op, false);
    });

  fallback_ = new FloatFallback(this);
  buildDocks();
  buildMenus();
  errors_ = new ErrorsController(this);  // the Layer error dock; after the menus, which it adds its actions to
  selective_ = new SelectiveController(this);  // marking ops, the selective model, its panel and export (needs the menus)
  evaluation_ = new EvaluationController(this);  // after the menus: it adds Analyze > Evaluate...
  session_ = new SessionController(this);  // last: it saves and restores what the others show

  status_label_ = new QLabel("No model loaded", this);
  statusBar()->addWidget(status_label_, 1);
  busy_ = new QProgressBar(this);
  busy_->setRange(0, 0);
  busy_->setMaximumWidth(120);
  busy_->hide();
  statusBar()->addPermanentWidget(busy_);

  connect(&document_, &Document::loadingStarted, this, [this](const QString& what) {
    status_label_->setText("Loading " + what + " ...");
    busy_->show();
  });
  connect(&document_, &Document::loaded, this, [this] {
    busy_->hide();
    rememberRecent(pending_files_);
    showPair();
  });
  connect(&document_, &Document::failed, this, [this](const QString& m) {
    busy_->hide();
    showFailure(m);
  });

  QSettings settings;
  restoreGeometry(settings.value("window/geometry").toByteArray());
  restoreState(settings.value("window/state").toByteArray());
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::graphArea() const { return graph_area_; }

void MainWindow::buildDocks() {
  inspector_ = new InspectorView(this);
  inspector_dock_ = new QDockWidget("Inspector", this);
  inspector_dock_->setObjectName("InspectorDock");
  inspector_dock_->setWidget(inspector_);
  addDockWidget(Qt::RightDockWidgetArea, inspector_dock_);
  model_page_ = new ModelPage(this);
  model_dock_ = new QDockWidget("Model", this);
  model_dock_->setObjectName("ModelDock");
  model_dock_->setWidget(model_page_);
  addDockWidget(Qt::RightDockWidgetArea, model_dock_);
  tabifyDockWidget(inspector_dock_, model_dock_);
  inspector_dock_->raise();
  resizeDocks({inspector_dock_}, {480}, Qt::Horizontal);
  images_ = new ImagesController(this);  // the Images dock: runs on images, results side by side
  new ImagesExport(this);  // the Images dock's Save view as PNG / Save results as JSON
  tensors_ = new TensorController(this);  // the Tensor dock: the selected op's tensor on the current image
  connect(inspector_, &InspectorView::tensorActivated, this, [this](int tensor) {
    // A tensor clicked on the op page: show the tensor, with its twin on the other side.
    const ModelPair& pair = document_.pair();
    bool quant_side = active_ == quant_view_ && pair.quant_model;
    InspectedModel subject{quant_side ? pair.quant_model : pair.float_model,
                           quant_side ? "quantized" : (pair.float_is_twin ? "dequantized twin" : "float")};
    InspectedModel twin{quant_side ? pair.float_model : pair.quant_model,
                        quant_side ? (pair.float_is_twin ? "dequantized twin" : "float") : "quantized"};
    int twin_tensor = -1;
    if (pair.matching && quant_side && static_cast<size_t>(tensor) < pair.matching->float_tensor.size())
      twin_tensor = pair.matching->float_tensor[static_cast<size_t>(tensor)];
    inspector_->showTensor(subject, tensor, twin, twin_tensor);
  });
  // The producer or a reader of a tensor clicked on the tensor page: select it where the tensor page came from.
  connect(inspector_, &InspectorView::opActivated, this, [this](int op) { selectOp(activeView(), op); });
}

void MainWindow::buildMenus() {
  QMenu* file = file_menu_ = menuBar()->addMenu("&File");
  file->addAction("&Open...", QKeySequence::Open, this, [this] { openDialog(0); });
  file->addAction("Open &float model...", this, [this] { openDialog(1); });
  file->addAction("Open &quantized model...", this, [this] { openDialog(2); });
  recent_menu_ = file->addMenu("Open &recent");
  rebuildRecentMenu();
  QAction* quantize = file->addAction("&Quantize...", this, [this] {
    auto* d = new QuantizeDialog(QString::fromStdString(document_.pair().float_path), this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &QuantizeDialog::quantized, this, [this, d](const QString& f, const QString& q) {
      // The pair opens with its layer error computed on the calibration images (when they are images).
      if (const QStringList images = d->calibrationImages(); !images.isEmpty()) {
        document_.setImages(images);
        errors_->computeWhenShown();
      }
      openFiles({}, f, q);
    });
    d->open();
  });
  quantize->setEnabled(false);  // only when a float model is open alone
  connect(&document_, &Document::loaded, quantize,
          [this, quantize] { quantize->setEnabled(document_.pair().float_model && !document_.pair().quant_model); });
  file->addSeparator();
  file->addAction("Export view as &PNG...", this, [this] { exportDialog("png"); });
  file->addAction("Export view as &SVG...", this, [this] { exportDialog("svg"); });
  file->addSeparator();
  file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

  QMenu* edit = menuBar()->addMenu("&Edit");
  QAction* undo = fallback_->undoStack()->createUndoAction(this, "&Undo");
  undo->setShortcuts(QKeySequence::Undo);
  QAction* redo = fallback_->undoStack()->createRedoAction(this, "&Redo");
  redo->setShortcuts(QKeySequence::Redo);
  edit->addAction(undo);
  edit->addAction(redo);
  edit->addSeparator();
  find_box_ = new QLineEdit(this);
  find_box_->setPlaceholderText("Find op, tensor, type or #index");
  find_box_->setClearButtonEnabled(true);
  find_box_->setMaximumWidth(320);
  connect(find_box_, &QLineEdit::returnPressed, this, [this] { find(find_box_->text()); });
  edit->addAction("&Find...", QKeySequence::Find, this, [this] {
    find_box_->setFocus();
    find_box_->selectAll();
  });
  edit->addAction("Find &next", QKeySequence::FindNext, this, [this] { find(find_box_->text()); });

  QMenu* view = view_menu_ = menuBar()->addMenu("&View");
  auto each = [this](auto f) {
    for (GraphView* v : {float_view_, quant_view_}) f(v);
  };
  QAction* fit = view->addAction("&Fit to window", this, [this] { activeView()->fitAll(); });
  fit->setShortcut(QKeySequence("Ctrl+0"));
  QAction* zin = view->addAction("Zoom &in", this, [this] { activeView()->zoomBy(1.25); });
  zin->setShortcuts({QKeySequence("Ctrl+="), QKeySequence::ZoomIn});
  QAction* zout = view->addAction("Zoom &out", this, [this] { activeView()->zoomBy(0.8); });
  zout->setShortcuts({QKeySequence("Ctrl+-"), QKeySequence::ZoomOut});
  view->addSeparator();
  differences_action_ = view->addAction("Show only &differences");
  differences_action_->setCheckable(true);
  differences_action_->setToolTip("Fade out ops that have a twin and were not changed by the converter");
  connect(differences_action_, &QAction::toggled, this, [each](bool on) { each([on](GraphView* v) { v->setDifferencesOnly(on); }); });
  view->addAction("&Expand all scopes", this, [each] { each([](GraphView* v) { v->expandAll(); }); });
  view->addAction("&Collapse top-level scopes", this, [each] { each([](GraphView* v) { v->collapseTopLevel(); }); });
  view->addSeparator();
  view->addAction(inspector_dock_->toggleViewAction());
  view->addAction(model_dock_->toggleViewAction());
  view->addAction(images_->dock()->toggleViewAction());

  analyze_menu_ = menuBar()->addMenu("&Analyze");

  QMenu* help = menuBar()->addMenu("&Help");
  help->addAction("&About quantlens", this, [this] {
    QMessageBox::about(this, "quantlens",
                       QString("quantlens %1\nWhat int8 quantization did to a TensorFlow Lite model.")
                           .arg(QApplication::applicationVersion()));
  });

  QToolBar* bar = addToolBar("Main");
  bar->setObjectName("MainToolBar");
  bar->setMovable(false);
  bar->addAction(file->actions().first());
  bar->addSeparator();
  bar->addAction(fit);
  bar->addAction(zin);
  bar->addAction(zout);
  bar->addAction(differences_action_);
  bar->addSeparator();
  bar->addWidget(find_box_);
}

void MainWindow::openFiles(const QStringList& files, const QString& float_path, const QString& quant_path) {
  pending_files_ = files;
  if (!float_path.isEmpty()) pending_files_ << float_path;
  if (!quant_path.isEmpty()) pending_files_ << quant_path;
  last_error_.clear();
  document_.open(files, float_path, quant_path);
}

void MainWindow::showPair() {
  const ModelPair& pair = document_.pair();
  auto describe = [](const char* role, const Model& m, const std::string& path, const char* extra) {
    return QString("<b style='letter-spacing:1px'>%1</b>&nbsp;&nbsp;%2%3&nbsp;&nbsp;<span style='color:#6b7178'>%4 "
                   "· %5 ops</span>")
        .arg(role, fileName(path).toHtmlEscaped(), extra, quantizationKindName(quantizationKind(m)))
        .arg(opCount(m));
  };
  float_view_->setModel(pair.float_model);
  quant_view_->setModel(pair.quant_model);
  quant_pane_->setVisible(pair.quant_model != nullptr);
  if (pair.float_model)
    float_title_->setText(pair.float_is_twin
                              ? describe("DEQUANTIZED TWIN", *pair.float_model, pair.float_path,
                                         " <span style='color:#6b7178'>(made by quantlens)</span>")
                              : describe("FLOAT", *pair.float_model, pair.float_path, ""));
  if (pair.quant_model) quant_title_->setText(describe("QUANTIZED", *pair.quant_model, pair.quant_path, ""));
  if (pair.matching) {
    float_view_->setMarkedOps(pair.unmatchedFloatOps());
    quant_view_->setMarkedOps(pair.unmatchedQuantOps());
    float_view_->setDifferenceOps(pair.floatDifferences());
    quant_view_->setDifferenceOps(pair.quantDifferences());
  }
  differences_action_->setEnabled(pair.matching != nullptr);
  QStringList notes;
  for (const auto& n : pair.notices) {
    QString note = QString::fromStdString(n);
    if (!note.isEmpty()) note[0] = note[0].toUpper();
    notes << note;
  }
  notice_->setText(notes.join("\n"));
  notice_->setVisible(!notes.isEmpty());
  fallback_->reset();  // its op indices meant the previous model
  stack_->setCurrentWidget(graph_area_);
  active_ = pair.quant_model ? quant_view_ : float_view_;
  inspector_->clear();
  InspectedModel first{pair.float_model, pair.float_is_twin ? "dequantized twin" : "float"};
  InspectedModel second{pair.quant_model, "quantized"};
  model_page_->showModels(first, second);
  updateStatus();
  setWindowTitle(QString("quantlens — %1").arg(fileName(pair.quant_model ? pair.quant_path : pair.float_path)));
  emit modelsShown();
}

void MainWindow::showFailure(const QString& message) {
  last_error_ = message;
  status_label_->setText("Could not open: " + message);
  if (!quiet_) {
    auto* box = new QMessageBox(QMessageBox::Warning, "quantlens", "Could not open the model.", QMessageBox::Ok, this);
    box->setInformativeText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
  }
  emit openFailed(message);
}

void MainWindow::updateStatus() {
  const ModelPair& pair = document_.pair();
  QStringList parts;
  if (pair.float_model)
    parts << QString("%1: %2 (%3 ops)")
                 .arg(pair.float_is_twin ? "dequantized twin" : "float", fileName(pair.float_path))
                 .arg(opCount(*pair.float_model));
  if (pair.quant_model)
    parts << QString("quantized: %1 (%2 ops)").arg(fileName(pair.quant_path)).arg(opCount(*pair.quant_model));
  if (pair.matching)
    parts << QString("%1 of %2 quantized ops matched")
                 .arg(pair.matching->matchedCount())
                 .arg(pair.matching->float_op.size());
  if (!document_.images().isEmpty()) parts << QString("%1 images").arg(document_.images().size());
  status_label_->setText(parts.join("   ·   "));
}

GraphView* MainWindow::activeView() const { return active_ ? active_ : float_view_; }

GraphView* MainWindow::otherView(GraphView* v) const { return v == float_view_ ? quant_view_ : float_view_; }

void MainWindow::selectOp(GraphView* view, int op) {
  active_ = view;
  linkFrom(view, op, true);
}

void MainWindow::linkFrom(GraphView* source, int op, bool centre_source) {
  const ModelPair& pair = document_.pair();
  const bool from_quant = source == quant_view_;
  int twin = from_quant ? pair.floatOpOf(op) : pair.quantOpOf(op);
  GraphView* other = otherView(source);
  if (other->model()) {
    if (twin >= 0) other->selectOp(twin, true);
    else other->selectOp(-1, false);
  }
  // A clicked op stays where the user clicked it; one chosen by find or by name is brought into view.
  source->selectOp(op, centre_source);
  const QString float_role = pair.float_is_twin ? "dequantized twin" : "float";
  InspectedModel q{pair.quant_model, "quantized"}, f{pair.float_model, float_role};
  if (from_quant) inspector_->showOp(q, op, f, twin);
  else inspector_->showOp(f, op, q, twin);
  emit opSelected(from_quant, op, twin);
  const auto& g = source->graph();
  int node = op >= 0 && static_cast<size_t>(op) < g.node_of_op.size() ? g.node_of_op[static_cast<size_t>(op)] : -1;
  if (node >= 0)
    statusBar()->showMessage(QString("%1 #%2  %3%4")
                                 .arg(QString::fromStdString(g.nodes[static_cast<size_t>(node)].type))
                                 .arg(op)
                                 .arg(QString::fromStdString(g.nodes[static_cast<size_t>(node)].name))
                                 .arg(other->model() ? (twin >= 0 ? QString("  ↔  twin #%1").arg(twin)
                                                                  : QString("  —  no twin"))
                                                     : QString()),
                             8000);
}

int MainWindow::resolveOp(GraphView* view, const QString& spec) const {
  const auto& g = view->graph();
  if (!view->model()) return -1;
  if (spec.isEmpty()) {
    for (const auto& node : g.nodes)
      if (node.type == "CONV_2D") return node.op;
    for (const auto& node : g.nodes)
      if (node.op >= 0) return node.op;
    return -1;
  }
  bool is_index = false;
  int index = (spec.startsWith('#') ? spec.mid(1) : spec).toInt(&is_index);
  if (is_index) return index >= 0 && static_cast<size_t>(index) < g.node_of_op.size() ? index : -1;
  for (const auto& node : g.nodes)
    if (node.op >= 0 && QString::fromStdString(node.name) == spec) return node.op;
  std::vector<int> hits = view->findOps(spec);
  return hits.empty() ? -1 : hits.front();
}

int MainWindow::find(const QString& text) {
  if (text.trimmed().isEmpty()) return 0;
  GraphView* view = activeView();
  std::vector<int> hits = view->findOps(text);
  if (hits.empty() && otherView(view)->model()) {
    view = otherView(view);
    hits = view->findOps(text);
  }
  if (hits.empty()) {
    statusBar()->showMessage(QString("Nothing matches \"%1\"").arg(text), 5000);
    return 0;
  }
  find_index_ = text == last_find_ ? (find_index_ + 1) % static_cast<int>(hits.size()) : 0;
  last_find_ = text;
  selectOp(view, hits[static_cast<size_t>(find_index_)]);
  statusBar()->showMessage(
      QString("\"%1\": match %2 of %3").arg(text).arg(find_index_ + 1).arg(hits.size()), 8000);
  return static_cast<int>(hits.size());
}

bool MainWindow::exportActiveView(const QString& path, QString* error) { return activeView()->exportTo(path, error); }

QString MainWindow::notice() const { return notice_->text(); }

void MainWindow::openDialog(int role) {
  QSettings settings;
  QString dir = settings.value("lastDir").toString();
  const QString filter = "TensorFlow Lite models (*.tflite);;All files (*)";
  if (role == 0) {
    QStringList files = QFileDialog::getOpenFileNames(this, "Open one or two models", dir, filter);
    if (files.isEmpty()) return;
    settings.setValue("lastDir", QFileInfo(files.first()).absolutePath());
    if (files.size() > 2) {
      showFailure(QString("%1 files chosen: choose one model, or a float and a quantized one").arg(files.size()));
      return;
    }
    openFiles(files);
    return;
  }
  QString file = QFileDialog::getOpenFileName(this, role == 1 ? "Open the float model" : "Open the quantized model",
                                              dir, filter);
  if (file.isEmpty()) return;
  settings.setValue("lastDir", QFileInfo(file).absolutePath());
  // Keep the model already open on the other side.
  const ModelPair& pair = document_.pair();
  QString other = QString::fromStdString(role == 1 ? (pair.quant_model ? pair.quant_path : std::string())
                                                   : (pair.float_is_twin ? std::string() : pair.float_path));
  if (role == 1) openFiles({}, file, other);
  else openFiles({}, other, file);
}

void MainWindow::exportDialog(const QString& suffix) {
  if (!activeView()->model()) return;
  QString path = QFileDialog::getSaveFileName(this, "Export view", "graph." + suffix,
                                              suffix == "svg" ? "SVG (*.svg)" : "PNG (*.png)");
  if (path.isEmpty()) return;
  QString error;
  if (!exportActiveView(path, &error)) QMessageBox::warning(this, "quantlens", error);
  else statusBar()->showMessage("Exported " + path, 5000);
}

void MainWindow::rememberRecent(const QStringList& files) {
  if (files.isEmpty()) return;
  QStringList absolute;
  for (const QString& f : files) absolute << QFileInfo(f).absoluteFilePath();
  QString entry = absolute.join('\n');
  QSettings settings;
  QStringList recent = settings.value("recentFiles").toStringList();
  recent.removeAll(entry);
  recent.prepend(entry);
  while (recent.size() > kMaxRecent) recent.removeLast();
  settings.setValue("recentFiles", recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recent_menu_->clear();
  QStringList recent = QSettings().value("recentFiles").toStringList();
  for (const QString& entry : recent) {
    QStringList files = entry.split('\n');
    QStringList names;
    for (const QString& f : files) names << QFileInfo(f).fileName();
    recent_menu_->addAction(names.join("  +  "), this, [this, files] { openFiles(files); });
  }
  recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::closeEvent(QCloseEvent* e) {
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  QMainWindow::closeEvent(e);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
  QStringList files;
  for (const QUrl& url : e->mimeData()->urls())
    if (url.isLocalFile()) files << url.toLocalFile();
  if (files.isEmpty()) return;
  if (files.size() > 2) {
    showFailure(QString("%1 files dropped: drop one model, or a float and a quantized one").arg(files.size()));
    return;
  }
  openFiles(files);
  e->acceptProposedAction();
}

}  // namespace ql::gui
