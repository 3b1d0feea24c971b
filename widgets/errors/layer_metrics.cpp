#include "widgets/errors/layer_metrics.h"

#include "analysis/debug_report.h"

namespace ql::gui {

const std::vector<LayerMetric>& layerMetrics() {
  static const std::vector<LayerMetric> metrics = {
      {"rmse/scale", [](const LayerRow& r) { return r.rmse_over_scale; }, false},
      {"range", [](const LayerRow& r) { return r.range; }, true},
      {"max_abs_error", [](const LayerRow& r) { return r.stats.max_abs_error; }, true},
      {"mean_squared_error", [](const LayerRow& r) { return r.stats.mean_squared_error; }, true},
      {"stddev", [](const LayerRow& r) { return r.stats.stddev; }, true},
      {"mean_error", [](const LayerRow& r) { return r.stats.mean_error; }, false},
      {"scale", [](const LayerRow& r) { return r.scale; }, true},
  };
  return metrics;
}

const LayerMetric* layerMetric(const QString& name) {
  for (const LayerMetric& m : layerMetrics())
    if (m.name == name) return &m;
  return nullptr;
}

QString layerRowTooltip(const LayerRow& row) {
  const std::vector<std::string>& columns = debugReportCsvColumns();
  const std::vector<std::string> fields = debugReportCsvFields(row);
  QString rows;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == "op_name" || columns[i] == "tensor_name") continue;  // in the title already
    rows += QString("<tr><td style='color:#6b7178'>%1</td><td>&nbsp;%2</td></tr>")
                .arg(QString::fromStdString(columns[i]), QString::fromStdString(fields[i]).toHtmlEscaped());
  }
  QString tensor = QString::fromStdString(row.tensor_name);
  if (tensor.size() > 90) tensor = tensor.left(87) + "...";
  return QString("<b>op %1 &nbsp;%2</b><br><span style='color:#6b7178'>%3</span><table>%4</table>")
      .arg(row.op_index)
      .arg(QString::fromStdString(row.op_name).toHtmlEscaped(), tensor.toHtmlEscaped(), rows);
}

}  // namespace ql::gui
