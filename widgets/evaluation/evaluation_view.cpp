#include "widgets/evaluation/evaluation_view.h"

#include <cmath>
#include <map>

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

#include "widgets/evaluation/metrics_table.h"
#include "widgets/evaluation/pr_curve_plot.h"
#include "widgets/evaluation/worst_images_list.h"

namespace ql::gui {

namespace {

QWidget* titled(const QString& title, QWidget* top, QWidget* body) {
  auto* box = new QWidget;
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(4, 2, 4, 2);
  auto* row = new QHBoxLayout;
  auto* label = new QLabel("<b>" + title + "</b>");
  row->addWidget(label);
  if (top) row->addWidget(top, 1);
  else row->addStretch(1);
  layout->addLayout(row);
  layout->addWidget(body, 1);
  return box;
}

}  // namespace

EvaluationView::EvaluationView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel("Annotations:"));
  annotations_ = new QLineEdit;
  annotations_->setReadOnly(true);
  annotations_->setPlaceholderText("none: agreement with the first model (choose a COCO .json, a YOLO, VOC or "
                                   "class-folder folder, or a file,label .csv)");
  bar->addWidget(annotations_, 1);
  auto* file = new QPushButton("File...");
  auto* folder = new QPushButton("Folder...");
  auto* none = new QPushButton("None");
  file->setToolTip("A COCO .json or a file,label .csv");
  folder->setToolTip("A YOLO label folder, a Pascal VOC folder (.xml boxes or .png label maps), or class folders");
  none->setToolTip("Measure only the agreement with the first model");
  bar->addWidget(file);
  bar->addWidget(folder);
  bar->addWidget(none);
  evaluate_ = new QPushButton("Evaluate");
  evaluate_->setDefault(true);
  cancel_ = new QPushButton("Cancel");
  cancel_->setEnabled(false);
  progress_ = new QProgressBar;
  progress_->setMaximumWidth(180);
  progress_->setTextVisible(true);
  progress_->hide();
  bar->addSpacing(12);
  bar->addWidget(evaluate_);
  bar->addWidget(cancel_);
  bar->addWidget(progress_);
  layout->addLayout(bar);
  summary_ = new QLabel;
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(summary_);

  table_ = new MetricsTable;
  class_box_ = new QComboBox;
  class_box_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  plot_ = new PrCurvePlot;
  worst_model_ = new QComboBox;
  worst_ = new WorstImagesList;
  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(titled("Metrics", nullptr, table_));
  split->addWidget(titled("Precision-recall, class", class_box_, plot_));
  split->addWidget(titled("Worst images", worst_model_, worst_));
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 4);
  split->setStretchFactor(2, 3);
  layout->addWidget(split, 1);

  connect(file, &QPushButton::clicked, this, &EvaluationView::chooseFile);
  connect(folder, &QPushButton::clicked, this, &EvaluationView::chooseFolder);
  connect(none, &QPushButton::clicked, this, [this] { emit annotationsChosen(QString()); });
  connect(evaluate_, &QPushButton::clicked, this, &EvaluationView::evaluateRequested);
  connect(cancel_, &QPushButton::clicked, this, &EvaluationView::cancelRequested);
  connect(class_box_, &QComboBox::currentIndexChanged, this, &EvaluationView::showClass);
  connect(worst_model_, &QComboBox::currentIndexChanged, this, &EvaluationView::showWorst);
  connect(worst_, &WorstImagesList::imageActivated, this, &EvaluationView::imageActivated);
}

void EvaluationView::chooseFile() {
  const QString path = QFileDialog::getOpenFileName(this, "Annotations", QFileInfo(annotations_->text()).path(),
                                                    "Annotations (*.json *.csv);;All files (*)");
  if (!path.isEmpty()) emit annotationsChosen(path);
}

void EvaluationView::chooseFolder() {
  const QString path = QFileDialog::getExistingDirectory(this, "Annotation folder", annotations_->text());
  if (!path.isEmpty()) emit annotationsChosen(path);
}

void EvaluationView::setAnnotations(const QString& path) {
  annotations_->setText(path);
  annotations_->setToolTip(path);
}

void EvaluationView::setRunning(bool running) {
  evaluate_->setEnabled(!running);
  cancel_->setEnabled(running);
  progress_->setVisible(running);
  if (running) progress_->setRange(0, 0);
}

void EvaluationView::setProgress(int done, int total, const QString& what) {
  progress_->setRange(0, std::max(1, total));
  progress_->setValue(done);
  progress_->setFormat(QString("%1/%2").arg(done).arg(total));
  progress_->setToolTip(what);
}

void EvaluationView::showMessage(const QString& message, bool error) {
  summary_->setStyleSheet(error ? "QLabel { color: #b3261e; }" : "");
  summary_->setText(message);
}

QString EvaluationView::message() const { return summary_->text(); }

void EvaluationView::clearResult(const QString& message) {
  result_ = {};
  columns_.clear();
  table_->clearResult();
  class_box_->clear();
  plot_->clearCurves();
  worst_model_->clear();
  worst_->clearRanking();
  showMessage(message, false);
}

void EvaluationView::showResult(const EvaluationResult& result, const QStringList& columns, const QString& summary) {
  result_ = result;
  columns_ = columns;
  showMessage(summary, false);
  table_->showResult(result_, columns_);
  for (int c = 0; c < static_cast<int>(result_.models.size()) && c < table_->columnCount(); ++c)
    if (table_->horizontalHeaderItem(c)) table_->horizontalHeaderItem(c)->setForeground(PrCurvePlot::modelColour(c));

  // Classes with a curve in any model, the most annotated first: the one a reader looks at first.
  std::map<int64_t, const ClassResult*> classes;
  for (const ModelResult& m : result_.models)
    for (const ClassResult& c : m.per_class)
      if (!c.precision.empty() && !classes.count(c.cls)) classes[c.cls] = &c;
  std::vector<const ClassResult*> order;
  for (const auto& entry : classes) order.push_back(entry.second);
  std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->count > b->count; });
  class_box_->blockSignals(true);
  class_box_->clear();
  for (const ClassResult* c : order)
    class_box_->addItem(QString("%1 (%2)").arg(QString::fromStdString(c->label)).arg(c->count),
                        QVariant::fromValue<qlonglong>(c->cls));
  // Shown first: the class whose curves part most between the first model and another (the area between them),
  // where a reader looks; when none part, the most annotated.
  int first_shown = 0;
  double widest = 0;
  const std::vector<ClassResult>& reference = result_.models.empty() ? std::vector<ClassResult>{} : result_.models[0].per_class;
  for (int i = 0; i < static_cast<int>(order.size()); ++i) {
    const int64_t cls = order[static_cast<size_t>(i)]->cls;
    auto ref = std::find_if(reference.begin(), reference.end(), [&](const ClassResult& c) { return c.cls == cls; });
    if (ref == reference.end()) continue;
    for (const ModelResult& m : result_.models)
      for (const ClassResult& c : m.per_class) {
        if (c.cls != cls || c.precision.size() != ref->precision.size()) continue;
        double area = 0;
        for (size_t k = 0; k < c.precision.size(); ++k) area += std::abs(c.precision[k] - ref->precision[k]);
        if (area > widest) widest = area, first_shown = i;
      }
  }
  class_box_->setCurrentIndex(order.empty() ? -1 : first_shown);
  class_box_->blockSignals(false);
  showClass();

  worst_model_->blockSignals(true);
  worst_model_->clear();
  for (int m = 1; m < static_cast<int>(result_.models.size()); ++m)
    worst_model_->addItem(columns_.value(m) + " vs " + columns_.value(0), m);
  worst_model_->blockSignals(false);
  showWorst();
}

bool EvaluationView::selectClass(int64_t cls) {
  const int i = class_box_->findData(QVariant::fromValue<qlonglong>(cls));
  if (i < 0) return false;
  class_box_->setCurrentIndex(i);
  return true;
}

int64_t EvaluationView::currentClass() const {
  return class_box_->currentIndex() < 0 ? -1 : class_box_->currentData().toLongLong();
}

void EvaluationView::showClass() {
  if (class_box_->currentIndex() < 0) {
    plot_->clearCurves();
    return;
  }
  const int64_t cls = currentClass();
  std::vector<std::vector<double>> curves(result_.models.size());
  QStringList names;
  for (size_t m = 0; m < result_.models.size(); ++m) {
    QString name = columns_.value(static_cast<int>(m));
    for (const ClassResult& c : result_.models[m].per_class)
      if (c.cls == cls) {
        curves[m] = c.precision;
        name += QString("  AP %1").arg(c.value < 0 ? QString("—") : QString::number(c.value, 'f', 3));
      }
    names << name;
  }
  plot_->setCurves(curves, names, class_box_->currentText().section(" (", 0, 0));
}

void EvaluationView::showWorst() {
  const int m = worst_model_->currentIndex() < 0 ? -1 : worst_model_->currentData().toInt();
  if (m < 1) {
    worst_->clearRanking();
    return;
  }
  worst_->showRanking(result_, columns_, m);
}

}  // namespace ql::gui
