// The numeric columns of the debugger's layer rows that the layer error dock plots and the graphs can be coloured
// by, read straight from the engine's LayerRow; and the tooltip that names a row's op with every column of it.
#pragma once

#include <vector>

#include <QString>

#include "analysis/quant_debugger.h"

namespace ql::gui {

struct LayerMetric {
  QString name;  // the debug CSV's column name
  double (*of)(const LayerRow&);
  // A colour scale may turn logarithmic when the values span decades (not for rmse/scale, a ratio to the
  // quantization step whose meaning is linear: 0.289 ideal, the threshold broken).
  bool log_when_spread;
};

// rmse/scale first (what the threshold applies to), then range and the error statistics.
const std::vector<LayerMetric>& layerMetrics();
// The metric named `name`, or null.
const LayerMetric* layerMetric(const QString& name);

// "op 12  CONV_2D", the op's output tensor, then every column of the debug CSV as it prints it.
QString layerRowTooltip(const LayerRow& row);

}  // namespace ql::gui
