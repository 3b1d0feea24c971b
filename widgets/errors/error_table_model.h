// The debugger's layer rows as a table: the op index, then the columns of `quantlens-cli debug --csv` in its
// order, numbers shown to six significant digits with the CSV's full-precision text as their tooltip (and what a
// copy takes). A row whose op has quantized weights expands into one child per output channel: that channel's
// weight quantization error (scale, zero point, max abs error, mean squared error, rmse/scale) in the columns of
// the same name. Rows above the threshold are tinted red, ops kept in float carry a hatched swatch. Sorting is by
// value (Qt::UserRole).
#pragma once

#include <set>

#include <QAbstractItemModel>

#include "analysis/quant_debugger.h"

namespace ql::gui {

class ErrorTableModel : public QAbstractItemModel {
  Q_OBJECT
 public:
  static constexpr int kSortRole = Qt::UserRole;
  static constexpr int kOpRole = Qt::UserRole + 1;  // the op a row (or its parent row) is about

  explicit ErrorTableModel(QObject* parent = nullptr);

  // Replaces the rows; a report of the same ops (the next partial one) updates them in place, keeping the view's
  // expansion and scroll position.
  void setReport(const DebugReport& report);
  void setAboveThreshold(const std::set<int>& ops);
  void setFallbackOps(const std::set<int>& ops);
  const std::vector<LayerRow>& rows() const { return rows_; }
  // The column holding the debug CSV's column `name` ("rmse/scale"), or -1.
  int columnOf(const QString& name) const;
  // The CSV's text of a cell (what the tooltip shows and a copy takes).
  QString exactText(const QModelIndex& index) const;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  QVariant layerData(const LayerRow& row, int column, int role) const;
  QVariant channelData(const LayerRow& row, const ChannelError& c, int column, int role) const;

  std::vector<LayerRow> rows_;
  std::vector<QString> columns_;
  std::set<int> above_, fallback_;
};

}  // namespace ql::gui
