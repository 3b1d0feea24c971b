// The per-channel table of a quantized constant: channel, scale, zero point, the range of its real values and,
// when the twin's float weights are known, their range and the quantization error per channel. Numbers are the
// engine's WeightChannels; the table only lays them out (sortable, copyable).
#pragma once

#include <vector>

#include <QTableWidget>

#include "analysis/weight_channels.h"

namespace ql::gui::inspector {

class ChannelTable : public QTableWidget {
  Q_OBJECT
 public:
  explicit ChannelTable(const WeightChannels& channels, QWidget* parent = nullptr);
  // The scales in the table's cells, in channel order whatever the sort (for tests).
  std::vector<double> scales() const;
  // rmse/scale above this is more than rounding can explain (uniform rounding gives 0.289): the row is red.
  static constexpr double kSuspectRmseOverScale = 0.5;

 protected:
  void keyPressEvent(QKeyEvent* event) override;  // Ctrl+C copies the selected rows as CSV
};

}  // namespace ql::gui::inspector
