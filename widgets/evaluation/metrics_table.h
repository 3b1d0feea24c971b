// The metrics of an evaluation as a table: a row per metric (mAP@[.5:.95], mAP@.5, ..., agreement), a column per
// model (float | quantized | selective), its file in the header's tooltip. Cells keep the engine's value (Qt::UserRole) and show it to 4 decimals;
// a metric a model has no value for shows a dash.
#pragma once

#include <QStringList>
#include <QTableWidget>

#include "analysis/evaluation/evaluation.h"

namespace ql::gui {

class MetricsTable : public QTableWidget {
  Q_OBJECT
 public:
  explicit MetricsTable(QWidget* parent = nullptr);

  void showResult(const EvaluationResult& result, const QStringList& columns);
  void clearResult();
  // The row of a metric by its engine name ("map", "map50", "agreement"...), or -1.
  int rowOf(const QString& metric) const;
  // What a metric's name means to a reader: "map" -> "mAP@[.5:.95]".
  static QString metricTitle(const QString& metric);
};

}  // namespace ql::gui
