#include "widgets/evaluation/worst_images_list.h"

#include <QHeaderView>

#include "analysis/evaluation/image_harm.h"

namespace ql::gui {

namespace {

QString cell(double v) { return v < 0 ? QString("—") : QString::number(v, 'f', 3); }

}  // namespace

WorstImagesList::WorstImagesList(QWidget* parent) : QTreeWidget(parent) {
  setRootIsDecorated(false);
  setUniformRowHeights(true);
  setAlternatingRowColors(true);
  header()->setStretchLastSection(false);
  connect(this, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) {
    if (item) emit imageActivated(item->data(0, Qt::UserRole).toInt());
  });
  connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
    if (item) emit imageActivated(item->data(0, Qt::UserRole).toInt());
  });
  clearRanking();
}

void WorstImagesList::clearRanking() {
  clear();
  setHeaderLabels({"image", "reference", "model", "drop", "agreement"});
}

void WorstImagesList::showRanking(const EvaluationResult& result, const QStringList& columns, int model) {
  clear();
  const QString first = columns.value(0, "first");
  const QString second = columns.value(model, "model");
  const bool annotated = !result.annotations.empty();
  setHeaderLabels({"image", annotated ? first : "", annotated ? second : "", annotated ? "drop" : "",
                   "agreement"});
  setColumnHidden(1, !annotated);
  setColumnHidden(2, !annotated);
  setColumnHidden(3, !annotated);
  if (model <= 0 || static_cast<size_t>(model) >= result.models.size()) return;
  const ModelResult& m = result.models[static_cast<size_t>(model)];
  for (const ImageHarm& h : imagesByHarm(result, static_cast<size_t>(model))) {
    auto* item = new QTreeWidgetItem(this);
    item->setText(0, QString::fromStdString(m.images[h.image].file));
    item->setData(0, Qt::UserRole, static_cast<int>(h.image));
    item->setText(1, cell(h.reference));
    item->setText(2, cell(h.score));
    item->setText(3, h.reference >= 0 && h.score >= 0 ? QString::number(h.drop, 'f', 3) : QString("—"));
    item->setText(4, cell(h.agreement));
    for (int c = 1; c < 5; ++c) item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    if (h.drop > 0) item->setForeground(3, QColor(190, 50, 40));
  }
  for (int c = 0; c < columnCount(); ++c) resizeColumnToContents(c);
}

int WorstImagesList::imageAt(int row) const {
  QTreeWidgetItem* item = topLevelItem(row);
  return item ? item->data(0, Qt::UserRole).toInt() : -1;
}

}  // namespace ql::gui
