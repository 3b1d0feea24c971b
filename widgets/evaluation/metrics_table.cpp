#include "widgets/evaluation/metrics_table.h"

#include <QFileInfo>
#include <QHeaderView>

namespace ql::gui {

namespace {
constexpr int kMetricRole = Qt::UserRole + 1;  // the engine's name of a row's metric
}

MetricsTable::MetricsTable(QWidget* parent) : QTableWidget(parent) {
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setSelectionMode(QAbstractItemView::NoSelection);
  verticalHeader()->setDefaultSectionSize(22);
  horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  horizontalHeader()->setStretchLastSection(true);
  horizontalHeader()->setMinimumSectionSize(70);
  horizontalHeader()->setDefaultAlignment(Qt::AlignCenter);
  setAlternatingRowColors(true);
}

QString MetricsTable::metricTitle(const QString& metric) {
  static const QList<QPair<QString, QString>> kTitles = {
      {"map", "mAP@[.5:.95]"}, {"map50", "mAP@.5"},        {"map75", "mAP@.75"},   {"map_small", "mAP small"},
      {"map_medium", "mAP medium"}, {"map_large", "mAP large"}, {"ar100", "AR@100"}, {"top1", "top-1 accuracy"},
      {"top5", "top-5 accuracy"},   {"miou", "mean IoU"},     {"agreement", "agreement with the first"}};
  for (const auto& [name, title] : kTitles)
    if (name == metric) return title;
  return metric;
}

void MetricsTable::clearResult() {
  clear();
  setRowCount(0);
  setColumnCount(0);
}

void MetricsTable::showResult(const EvaluationResult& result, const QStringList& columns) {
  clearResult();
  QStringList rows;
  for (const ModelResult& m : result.models)
    for (const auto& metric : m.metrics)
      if (!rows.contains(QString::fromStdString(metric.first))) rows << QString::fromStdString(metric.first);
  setRowCount(static_cast<int>(rows.size()));
  setColumnCount(static_cast<int>(result.models.size()));
  for (int r = 0; r < rows.size(); ++r) {
    auto* head = new QTableWidgetItem(metricTitle(rows[r]));
    head->setData(kMetricRole, rows[r]);
    setVerticalHeaderItem(r, head);
  }
  for (int c = 0; c < static_cast<int>(result.models.size()); ++c) {
    const ModelResult& m = result.models[static_cast<size_t>(c)];
    // The role names the column; the file is in the tooltip (long model names would squeeze the numbers).
    auto* head = new QTableWidgetItem(c < columns.size() ? columns[c]
                                                         : QFileInfo(QString::fromStdString(m.model)).fileName());
    head->setToolTip(QString::fromStdString(m.model));
    setHorizontalHeaderItem(c, head);
    for (int r = 0; r < rows.size(); ++r) {
      auto* item = new QTableWidgetItem("—");
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      for (const auto& [name, value] : m.metrics)
        if (QString::fromStdString(name) == rows[r] && value >= 0) {
          item->setText(QString::number(value, 'f', 4));
          item->setData(Qt::UserRole, value);
        }
      setItem(r, c, item);
    }
  }
}

int MetricsTable::rowOf(const QString& metric) const {
  for (int r = 0; r < rowCount(); ++r)
    if (verticalHeaderItem(r) && verticalHeaderItem(r)->data(kMetricRole).toString() == metric) return r;
  return -1;
}

}  // namespace ql::gui
