#include "widgets/errors/errors_view.h"

#include <QAction>
#include <QApplication>
#include <QButtonGroup>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include "analysis/selection.h"
#include "widgets/errors/error_plot.h"
#include "widgets/errors/error_table_model.h"
#include "widgets/errors/layer_metrics.h"

namespace ql::gui {

namespace {

const char* kBarStyle =
    "QToolButton { border: 1px solid #c9cdd2; background: #fbfbfc; padding: 2px 9px; color: #30343a; }"
    "QToolButton:checked { background: #e3ecf9; border-color: #7da3d8; color: #174ea6; }"
    "QToolButton:hover { background: #f0f2f4; }"
    "QToolButton:checked:hover { background: #d8e5f7; }"
    "QToolButton:disabled { color: #a0a4a8; }";

QLabel* caption(const QString& text) {
  auto* l = new QLabel(text);
  l->setStyleSheet("color: #6b7178;");
  return l;
}

// Two or more checkable buttons that read as one control.
QButtonGroup* segmented(const QStringList& labels, QHBoxLayout* into, QWidget* owner) {
  auto* group = new QButtonGroup(owner);
  group->setExclusive(true);
  auto* row = new QHBoxLayout;
  row->setSpacing(0);
  for (int i = 0; i < labels.size(); ++i) {
    auto* b = new QToolButton(owner);
    b->setText(labels[i]);
    b->setCheckable(true);
    b->setChecked(i == 0);
    group->addButton(b, i);
    row->addWidget(b);
  }
  into->addLayout(row);
  return group;
}

}  // namespace

ErrorsView::ErrorsView(QWidget* parent) : QWidget(parent) {
  setStyleSheet(kBarStyle);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 4, 6, 4);
  layout->setSpacing(4);

  auto* bar = new QHBoxLayout;
  bar->setSpacing(8);
  compute_ = new QToolButton(this);
  compute_->setText("Compute");
  compute_->setToolTip("Compute the error of every layer on the images of the Images dock (Analyze > Compute "
                       "layer error)");
  connect(compute_, &QToolButton::clicked, this, [this] {
    if (running_) emit cancelRequested();
    else emit computeRequested();
  });
  bar->addWidget(compute_);
  progress_ = new QProgressBar(this);
  progress_->setMaximumWidth(160);
  progress_->setMaximumHeight(16);
  progress_->setTextVisible(true);
  progress_->hide();
  bar->addWidget(progress_);
  bar->addSpacing(6);
  mode_ = segmented({"Per-layer", "Whole-model"}, bar, this);
  mode_->button(0)->setToolTip("The error each op adds: the float op runs on the quantized op's dequantized inputs");
  mode_->button(1)->setToolTip("The error accumulated up to each op: both models run on their own");
  connect(mode_, &QButtonGroup::idClicked, this,
          [this](int id) { emit modeChanged(id == 0 ? DebugMode::PerLayer : DebugMode::WholeModel); });
  bar->addSpacing(6);
  scale_ = segmented({"Linear", "Log"}, bar, this);
  connect(scale_, &QButtonGroup::idClicked, this, [this](int id) { plot_->setLogScale(id == 1); });
  bar->addSpacing(6);
  bar->addWidget(caption("threshold"));
  threshold_ = new QDoubleSpinBox(this);
  threshold_->setDecimals(3);
  threshold_->setRange(0, 1e6);
  threshold_->setSingleStep(0.05);
  threshold_->setValue(0.7);
  threshold_->setToolTip("rmse/scale above which a layer counts as broken (drag the line in the plot)");
  connect(threshold_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this](double t) {
    if (syncing_) return;
    plot_->setThreshold(t);
    refreshAbove();
    emit thresholdChanged(t);
  });
  bar->addWidget(threshold_);
  keep_above_ = new QToolButton(this);
  keep_above_->setText("Keep above threshold in float");
  keep_above_->setToolTip("Mark every op whose rmse/scale is above the threshold to stay in float (Edit > Undo "
                          "takes it back)");
  connect(keep_above_, &QToolButton::clicked, this, &ErrorsView::keepAboveRequested);
  bar->addWidget(keep_above_);
  bar->addStretch(1);
  bar->addWidget(caption("colour graphs by"));
  colour_ = new QComboBox(this);
  colour_->addItem("nothing", QString());
  for (const LayerMetric& m : layerMetrics()) colour_->addItem(m.name, m.name);
  connect(colour_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    if (!syncing_) emit colourMetricChanged(colourMetric());
  });
  bar->addWidget(colour_);
  export_ = new QToolButton(this);
  export_->setText("Export");
  export_->setPopupMode(QToolButton::InstantPopup);
  auto* menu = new QMenu(export_);
  menu->addAction("Plot as PNG...", this, [this] { emit exportRequested("png"); });
  menu->addAction("Plot as PDF...", this, [this] { emit exportRequested("pdf"); });
  menu->addAction("Table as CSV...", this, [this] { emit exportRequested("csv"); });
  export_->setMenu(menu);
  bar->addWidget(export_);
  layout->addLayout(bar);

  status_ = new QLabel(this);
  status_->setStyleSheet("color: #5b6168;");
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);

  stack_ = new QStackedWidget(this);
  message_ = new QLabel(stack_);
  message_->setAlignment(Qt::AlignCenter);
  message_->setWordWrap(true);
  message_->setStyleSheet("color: #6b7178;");
  stack_->addWidget(message_);
  auto* split = new QSplitter(Qt::Horizontal, stack_);
  split->setHandleWidth(1);
  split->setStyleSheet("QSplitter::handle { background: #dcdfe3; }");
  plot_ = new ErrorPlot(split);
  connect(plot_, &ErrorPlot::opClicked, this, &ErrorsView::opActivated);
  connect(plot_, &ErrorPlot::thresholdDragged, this, [this](double t) {
    syncing_ = true;
    threshold_->setValue(t);
    syncing_ = false;
    refreshAbove();
    emit thresholdChanged(t);
  });
  model_ = new ErrorTableModel(this);
  sorted_ = new QSortFilterProxyModel(this);
  sorted_->setSourceModel(model_);
  sorted_->setSortRole(ErrorTableModel::kSortRole);
  table_ = new QTreeView(split);
  table_->setModel(sorted_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(0, Qt::AscendingOrder);
  table_->setUniformRowHeights(true);
  table_->setAlternatingRowColors(false);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setTextElideMode(Qt::ElideMiddle);
  table_->setStyleSheet("QTreeView { border: none; } QTreeView::item { padding: 1px 4px; }");
  table_->header()->setStretchLastSection(false);
  table_->header()->setDefaultSectionSize(92);
  table_->header()->setMinimumSectionSize(36);
  // The columns a reader compares first come first; the model (and every copy or export) keeps the CSV's order.
  const QStringList first = {"op_name", "rmse/scale", "range", "max_abs_error", "mean_squared_error"};
  for (int i = 0; i < first.size(); ++i)
    table_->header()->moveSection(table_->header()->visualIndex(model_->columnOf(first[i])), i + 1);
  table_->setColumnWidth(0, 70);
  table_->setColumnWidth(model_->columnOf("op_name"), 150);
  table_->setColumnWidth(model_->columnOf("tensor_name"), 240);
  auto* copy = new QAction("Copy", table_);
  copy->setShortcut(QKeySequence::Copy);
  copy->setShortcutContext(Qt::WidgetShortcut);
  connect(copy, &QAction::triggered, this, &ErrorsView::copySelectedRows);
  table_->addAction(copy);
  table_->setContextMenuPolicy(Qt::ActionsContextMenu);
  // A click, the arrow keys or Enter: the row's op is selected in the graphs.
  connect(table_->selectionModel(), &QItemSelectionModel::currentChanged, this, &ErrorsView::rowActivated);
  connect(table_, &QTreeView::activated, this, &ErrorsView::rowActivated);
  split->addWidget(plot_);
  split->addWidget(table_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  stack_->addWidget(split);
  layout->addWidget(stack_, 1);
  showMessage("Add images in the Images dock, then Compute: the error each layer adds, in graph order.");
}

void ErrorsView::setReport(const DebugReport& report) {
  plot_->setReport(report);
  model_->setReport(report);
  refreshAbove();
  stack_->setCurrentIndex(1);
}

void ErrorsView::showMessage(const QString& message) {
  plot_->clear();
  model_->setReport(DebugReport{});
  message_->setText(message);
  stack_->setCurrentIndex(0);
}

void ErrorsView::setStatus(const QString& text) { status_->setText(text); }

QString ErrorsView::status() const { return status_->text(); }

void ErrorsView::setRunning(bool running) {
  running_ = running;
  compute_->setText(running ? "Stop" : "Compute");
  progress_->setVisible(running);
  if (!running) progress_->setRange(0, 1);
}

void ErrorsView::setProgress(int done, int total, const QString& what) {
  progress_->setRange(0, std::max(1, total));
  progress_->setValue(done);
  progress_->setFormat(QString("%1 / %2 images").arg(done).arg(total));
  progress_->setToolTip(what);
}

void ErrorsView::setMode(DebugMode mode) { mode_->button(mode == DebugMode::PerLayer ? 0 : 1)->setChecked(true); }

DebugMode ErrorsView::mode() const { return mode_->checkedId() == 1 ? DebugMode::WholeModel : DebugMode::PerLayer; }

void ErrorsView::setThreshold(double threshold) {
  syncing_ = true;
  threshold_->setValue(threshold);
  syncing_ = false;
  plot_->setThreshold(threshold_->value());
  refreshAbove();
}

double ErrorsView::threshold() const { return plot_->threshold(); }

void ErrorsView::setFallbackOps(const std::set<int>& ops) {
  plot_->setFallbackOps(ops);
  model_->setFallbackOps(ops);
}

void ErrorsView::setSelectedOp(int op) {
  plot_->setSelectedOp(op);
  syncing_ = true;
  table_->clearSelection();
  for (int r = 0; r < sorted_->rowCount(); ++r) {
    QModelIndex i = sorted_->index(r, 0);
    if (i.data(ErrorTableModel::kOpRole).toInt() != op) continue;
    table_->setCurrentIndex(i);
    table_->scrollTo(i, QAbstractItemView::PositionAtCenter);
    break;
  }
  syncing_ = false;
}

void ErrorsView::setColourMetric(const QString& metric) {
  syncing_ = true;
  colour_->setCurrentIndex(std::max(0, colour_->findData(metric)));
  syncing_ = false;
}

QString ErrorsView::colourMetric() const { return colour_->currentData().toString(); }

void ErrorsView::setCanCompute(bool can) { compute_->setEnabled(can || running_); }

void ErrorsView::rowActivated(const QModelIndex& index) {
  if (syncing_ || !index.isValid()) return;
  emit opActivated(index.data(ErrorTableModel::kOpRole).toInt());
}

void ErrorsView::refreshAbove() { model_->setAboveThreshold(plot_->opsDrawnAboveThreshold()); }

void ErrorsView::copySelectedRows() {
  // The selected cells' exact text (the CSV's), a row per line, tab-separated: pastes into a spreadsheet.
  QMap<QPair<QModelIndex, int>, QMap<int, QString>> rows;
  for (const QModelIndex& i : table_->selectionModel()->selectedIndexes())
    rows[{i.parent(), i.row()}][i.column()] = model_->exactText(sorted_->mapToSource(i));
  QStringList lines;
  for (const auto& cells : rows) lines << QStringList(cells.values()).join('\t');
  if (!lines.isEmpty()) QApplication::clipboard()->setText(lines.join('\n') + '\n');
}

}  // namespace ql::gui
