// A histogram of a tensor's real values drawn with QCustomPlot: the subject's bins as bars, the twin's (the float
// weights behind quantized ones, or the other way round) as an outline on the same bins. Draws the engine's
// Histogram; counts nothing itself.
#pragma once

#include <cstdint>

#include <QString>
#include <qcustomplot.h>

#include "analysis/value_histogram.h"

namespace ql::gui::inspector {

class HistogramPlot : public QCustomPlot {
  Q_OBJECT
 public:
  explicit HistogramPlot(QWidget* parent = nullptr);
  // `overlay` may be null or empty.
  void setHistograms(const Histogram& main, const QString& main_label, const Histogram* overlay,
                     const QString& overlay_label);
  // The number of values the bars hold, and the overlay's (for tests: read back from the plot's own data).
  int64_t barsTotal() const;
  int64_t overlayTotal() const;

 private:
  QCPBars* bars_ = nullptr;
  QCPGraph* overlay_ = nullptr;
};

}  // namespace ql::gui::inspector
