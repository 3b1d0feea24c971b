#include "app/gui/fallback_marking.h"

#include <map>

#include <QDialog>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QVBoxLayout>

#include "analysis/selection.h"
#include "app/gui/float_fallback.h"
#include "app/gui/main_window.h"
#include "widgets/graph/fallback_legend.h"
#include "widgets/graph/fallback_marks.h"
#include "widgets/graph/graph_view.h"
#include "widgets/graph/op_rubber_band.h"

namespace ql::gui {

namespace {

QString opsText(size_t n) { return QString("%1 op%2").arg(n).arg(n == 1 ? "" : "s"); }

// The ops of a selection built by the engine, or nothing with the error shown (a bad count, an unknown type).
template <typename F>
bool engineSelection(MainWindow* w, F&& make, std::set<int>* ops) {
  try {
    *ops = make().ops;
    return true;
  } catch (const std::exception& e) {
    w->statusBar()->showMessage(QString::fromStdString(e.what()), 8000);
    return false;
  }
}

}  // namespace

FallbackMarking::FallbackMarking(MainWindow* window) : QObject(window), window_(window) {
  FloatFallback* fallback = window->fallback();
  band_ = new OpRubberBand(window->quantView());
  quant_marks_ = new FallbackMarks(window->quantView(), FallbackMarks::Look::KeptInFloat);
  float_marks_ = new FallbackMarks(window->floatView(), FallbackMarks::Look::KeptInFloat);
  quant_legend_ = new FallbackLegend(window->quantView());
  float_legend_ = new FallbackLegend(window->floatView());
  status_ = new QLabel(window);
  status_->setStyleSheet("QLabel { color: #1f6fd1; }");
  window->statusBar()->addPermanentWidget(status_);
  status_->hide();

  connect(fallback, &FloatFallback::changed, this, [this] {
    band_->clear();  // marked (or not): the pick has done its job
    redrawMarks();
  });
  connect(band_, &OpRubberBand::pickedChanged, this, &FallbackMarking::redrawMarks);
  connect(window, &MainWindow::modelsShown, this, [this] {
    band_->clear();
    segments_.reset();
    redrawMarks();
  });
  connect(window->quantView(), &GraphView::opContextMenu, this,
          [this](int op, QMenu* menu) { addContextActions(true, op, menu); });
  connect(window->floatView(), &GraphView::opContextMenu, this,
          [this](int op, QMenu* menu) { addContextActions(false, op, menu); });

  menu_ = window->analyzeMenu()->addMenu("&Keep in float");
  QAction* picked = menu_->addAction("&Picked ops", this, &FallbackMarking::keepPicked);
  picked->setToolTip("Shift+drag in the quantized graph picks ops");
  menu_->addAction("By op &type...", this, &FallbackMarking::chooseOpTypes);
  menu_->addAction("&First N ops...", this, [this] { chooseCount(true); });
  menu_->addAction("&Last N ops...", this, [this] { chooseCount(false); });
  menu_->addSeparator();
  QAction* clear = menu_->addAction("&Clear (quantize all again)", this, &FallbackMarking::clear);
  connect(menu_, &QMenu::aboutToShow, this, [this, picked, clear] {
    const size_t n = band_->picked().size();
    picked->setText(n ? QString("&Picked ops (%1)").arg(n) : QString("&Picked ops (Shift+drag in the quantized graph)"));
    picked->setEnabled(n > 0);
    clear->setEnabled(!window_->fallback()->ops().empty());
  });
  connect(window->analyzeMenu(), &QMenu::aboutToShow, this, [this] { menu_->setEnabled(haveQuantModel()); });
}

bool FallbackMarking::haveQuantModel() const { return window_->document().pair().quant_model != nullptr; }

void FallbackMarking::keepInFloat(const std::set<int>& ops, const QString& what) {
  if (haveQuantModel()) window_->fallback()->add(ops, what);
}

void FallbackMarking::quantizeAgain(const std::set<int>& ops, const QString& what) {
  window_->fallback()->remove(ops, what);
}

void FallbackMarking::keepOpTypes(const QStringList& types) {
  const auto& q = window_->document().pair().quant_model;
  if (!q || types.isEmpty()) return;
  std::vector<std::string> names;
  for (const QString& t : types) names.push_back(t.toStdString());
  std::set<int> ops;
  if (engineSelection(window_, [&] { return selectOpTypes(*q, names); }, &ops))
    keepInFloat(ops, QString("Keep %1 in float").arg(types.join(", ")));
}

void FallbackMarking::keepFirst(int n) {
  const auto& q = window_->document().pair().quant_model;
  std::set<int> ops;
  if (q && engineSelection(window_, [&] { return selectFirst(*q, n); }, &ops))
    keepInFloat(ops, QString("Keep the first %1 in float").arg(opsText(static_cast<size_t>(n))));
}

void FallbackMarking::keepLast(int n) {
  const auto& q = window_->document().pair().quant_model;
  std::set<int> ops;
  if (q && engineSelection(window_, [&] { return selectLast(*q, n); }, &ops))
    keepInFloat(ops, QString("Keep the last %1 in float").arg(opsText(static_cast<size_t>(n))));
}

void FallbackMarking::keepPicked() {
  const std::set<int> ops = band_->picked();
  keepInFloat(ops, QString("Keep %1 picked in float").arg(opsText(ops.size())));
}

void FallbackMarking::quantizePickedAgain() {
  const std::set<int> ops = band_->picked();
  quantizeAgain(ops, QString("Quantize %1 picked again").arg(opsText(ops.size())));
  band_->clear();
}

void FallbackMarking::clear() { window_->fallback()->clear(); }

QStringList FallbackMarking::opTypes() const {
  const auto& q = window_->document().pair().quant_model;
  QStringList out;
  if (!q || q->subgraphs.empty()) return out;
  std::vector<std::string> order;
  std::map<std::string, int> count;
  for (const Op& op : q->subgraphs[0].ops) {
    const std::string name = q->opName(op);
    if (count[name]++ == 0) order.push_back(name);
  }
  for (const std::string& name : order) out << QString("%1 (%2)").arg(QString::fromStdString(name)).arg(count[name]);
  return out;
}

QString FallbackMarking::statusText() const { return status_->text(); }

void FallbackMarking::describeSegments(std::optional<SegmentReport> segments, const QString& problem) {
  segments_ = std::move(segments);
  quant_legend_->setProblem(problem);
  redrawMarks();
}

void FallbackMarking::redrawMarks() {
  const ModelPair& pair = window_->document().pair();
  const std::set<int>& kept = window_->fallback()->ops();
  quant_marks_->setOps(kept);
  std::set<int> twins;
  for (int op : kept)
    if (int twin = pair.floatOpOf(op); twin >= 0) twins.insert(twin);
  float_marks_->setOps(twins);
  const int picked = static_cast<int>(band_->picked().size());
  quant_legend_->describe(static_cast<int>(kept.size()), segments_ ? &*segments_ : nullptr, picked);
  float_legend_->describe(static_cast<int>(twins.size()), nullptr, 0, true);
  status_->setText(kept.empty() ? QString() : QString("%1 kept in float").arg(opsText(kept.size())));
  status_->setVisible(!kept.empty());
  emit marksChanged();
}

void FallbackMarking::addContextActions(bool quant_side, int op, QMenu* menu) {
  const ModelPair& pair = window_->document().pair();
  if (!pair.quant_model) return;
  const int quant_op = quant_side ? op : (op >= 0 ? pair.quantOpOf(op) : -1);
  if (quant_op >= 0) {
    const QString type = QString::fromStdString(
        pair.quant_model->opName(pair.quant_model->subgraphs[0].ops[static_cast<size_t>(quant_op)]));
    const QString who = quant_side ? QString("op #%1 (%2)").arg(quant_op).arg(type)
                                   : QString("its quantized twin #%1 (%2)").arg(quant_op).arg(type);
    if (window_->fallback()->contains(quant_op))
      menu->addAction("Quantize " + who + " again", this,
                      [this, quant_op] { quantizeAgain({quant_op}, QString("Quantize op %1 again").arg(quant_op)); });
    else
      menu->addAction("Keep " + who + " in float", this,
                      [this, quant_op] { keepInFloat({quant_op}, QString("Keep op %1 in float").arg(quant_op)); });
  }
  if (quant_side && !band_->picked().empty()) {
    const QString n = opsText(band_->picked().size());
    menu->addAction(QString("Keep %1 picked in float").arg(n), this, &FallbackMarking::keepPicked);
    menu->addAction(QString("Quantize %1 picked again").arg(n), this, &FallbackMarking::quantizePickedAgain);
  }
}

void FallbackMarking::chooseOpTypes() {
  QDialog dialog(window_);
  dialog.setWindowTitle("Keep op types in float");
  auto* layout = new QVBoxLayout(&dialog);
  layout->addWidget(new QLabel("Every op of the checked types is kept in float:"));
  auto* list = new QListWidget;
  for (const QString& t : opTypes()) {
    auto* item = new QListWidgetItem(t, list);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Unchecked);
  }
  layout->addWidget(list);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  layout->addWidget(buttons);
  if (dialog.exec() != QDialog::Accepted) return;
  QStringList types;
  for (int i = 0; i < list->count(); ++i)
    if (list->item(i)->checkState() == Qt::Checked) types << list->item(i)->text().section(' ', 0, 0);
  keepOpTypes(types);
}

void FallbackMarking::chooseCount(bool first) {
  const auto& q = window_->document().pair().quant_model;
  if (!q) return;
  const int total = static_cast<int>(q->subgraphs[0].ops.size());
  bool ok = false;
  const int n = QInputDialog::getInt(window_, first ? "Keep the first ops in float" : "Keep the last ops in float",
                                     QString("Number of ops (execution order, of %1):").arg(total), std::min(10, total),
                                     1, total, 1, &ok);
  if (!ok) return;
  if (first) keepFirst(n);
  else keepLast(n);
}

}  // namespace ql::gui
