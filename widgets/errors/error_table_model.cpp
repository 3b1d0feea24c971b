#include "widgets/errors/error_table_model.h"

#include <cmath>
#include <limits>

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QPainter>
#include <QPixmap>

#include "analysis/debug_report.h"
#include "widgets/errors/layer_metrics.h"

namespace ql::gui {

namespace {

// internalId of a top-level row; a channel row's is its parent row + 1.
constexpr quintptr kTopLevel = 0;
const QColor kAboveTint(0xfb, 0xe4, 0xe2);

QString shown(double v) {
  if (std::isnan(v)) return QStringLiteral("—");
  return QString::number(v, 'g', 6);
}

QVariant sortValue(double v) {
  // Rows without a value sort below every number.
  return std::isnan(v) ? -std::numeric_limits<double>::infinity() : v;
}

QPixmap hatchSwatch() {
  QPixmap p(12, 12);
  p.fill(Qt::transparent);
  QPainter painter(&p);
  painter.setPen(QColor(0x23, 0x27, 0x2b));
  painter.setBrush(QBrush(QColor(0x23, 0x27, 0x2b), Qt::BDiagPattern));
  painter.drawRect(0, 0, 11, 11);
  return p;
}

}  // namespace

ErrorTableModel::ErrorTableModel(QObject* parent) : QAbstractItemModel(parent) {
  columns_.push_back("op");
  for (const std::string& c : debugReportCsvColumns()) columns_.push_back(QString::fromStdString(c));
}

void ErrorTableModel::setReport(const DebugReport& report) {
  bool same_ops = report.layers.size() == rows_.size();
  for (size_t i = 0; same_ops && i < rows_.size(); ++i)
    same_ops = rows_[i].op_index == report.layers[i].op_index &&
               rows_[i].per_channel.channels.size() == report.layers[i].per_channel.channels.size();
  if (same_ops && !rows_.empty()) {
    rows_ = report.layers;
    emit dataChanged(index(0, 0), index(static_cast<int>(rows_.size()) - 1, columnCount() - 1));
    for (size_t i = 0; i < rows_.size(); ++i)
      if (!rows_[i].per_channel.channels.empty()) {
        QModelIndex parent = index(static_cast<int>(i), 0);
        emit dataChanged(index(0, 0, parent),
                         index(static_cast<int>(rows_[i].per_channel.channels.size()) - 1, columnCount() - 1, parent));
      }
    return;
  }
  beginResetModel();
  rows_ = report.layers;
  endResetModel();
}

void ErrorTableModel::setAboveThreshold(const std::set<int>& ops) {
  above_ = ops;
  if (!rows_.empty()) emit dataChanged(index(0, 0), index(static_cast<int>(rows_.size()) - 1, columnCount() - 1));
}

void ErrorTableModel::setFallbackOps(const std::set<int>& ops) {
  fallback_ = ops;
  if (!rows_.empty()) emit dataChanged(index(0, 0), index(static_cast<int>(rows_.size()) - 1, 0));
}

int ErrorTableModel::columnOf(const QString& name) const {
  for (size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i] == name) return static_cast<int>(i);
  return -1;
}

QModelIndex ErrorTableModel::index(int row, int column, const QModelIndex& parent) const {
  if (row < 0 || column < 0 || column >= columnCount()) return {};
  if (!parent.isValid()) return row < static_cast<int>(rows_.size()) ? createIndex(row, column, kTopLevel) : QModelIndex();
  if (parent.internalId() != kTopLevel) return {};
  const LayerRow& owner = rows_[static_cast<size_t>(parent.row())];
  if (row >= static_cast<int>(owner.per_channel.channels.size())) return {};
  return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex ErrorTableModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == kTopLevel) return {};
  return createIndex(static_cast<int>(child.internalId() - 1), 0, kTopLevel);
}

int ErrorTableModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) return static_cast<int>(rows_.size());
  if (parent.internalId() != kTopLevel || parent.column() != 0) return 0;
  return static_cast<int>(rows_[static_cast<size_t>(parent.row())].per_channel.channels.size());
}

int ErrorTableModel::columnCount(const QModelIndex&) const { return static_cast<int>(columns_.size()); }

QString ErrorTableModel::exactText(const QModelIndex& index) const {
  if (index.column() == 0) return data(index, Qt::DisplayRole).toString();
  return data(index, Qt::ToolTipRole).toString();
}

QVariant ErrorTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  if (index.internalId() == kTopLevel) return layerData(rows_[static_cast<size_t>(index.row())], index.column(), role);
  const LayerRow& owner = rows_[index.internalId() - 1];
  return channelData(owner, owner.per_channel.channels[static_cast<size_t>(index.row())], index.column(), role);
}

QVariant ErrorTableModel::layerData(const LayerRow& row, int column, int role) const {
  if (role == kOpRole) return row.op_index;
  if (role == Qt::BackgroundRole) return above_.count(row.op_index) ? QVariant(QBrush(kAboveTint)) : QVariant();
  if (column == 0) {
    if (role == Qt::DisplayRole || role == kSortRole) return row.op_index;
    if (role == Qt::ToolTipRole)
      return fallback_.count(row.op_index) ? QString("op %1, kept in float").arg(row.op_index)
                                           : QString("op %1").arg(row.op_index);
    if (role == Qt::DecorationRole && fallback_.count(row.op_index)) {
      static const QPixmap swatch = hatchSwatch();
      return swatch;
    }
    return {};
  }
  const QString name = columns_[static_cast<size_t>(column)];
  const QString exact = QString::fromStdString(debugReportCsvFields(row)[static_cast<size_t>(column - 1)]);
  const bool text = name == "op_name" || name == "tensor_name";
  if (role == Qt::ToolTipRole) return exact;
  if (role == Qt::TextAlignmentRole)
    return QVariant::fromValue(text ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
  if (text) return role == Qt::DisplayRole || role == kSortRole ? QVariant(exact) : QVariant();
  // The engine's value itself for the metrics, not the text read back; the integer columns as printed.
  const LayerMetric* metric = layerMetric(name);
  const bool integral = metric == nullptr;
  const double v = metric ? metric->of(row) : exact.toDouble();
  if (role == Qt::DisplayRole) return integral ? exact : shown(v);
  if (role == kSortRole) return sortValue(v);
  return {};
}

QVariant ErrorTableModel::channelData(const LayerRow& row, const ChannelError& c, int column, int role) const {
  if (role == kOpRole) return row.op_index;
  if (role == Qt::ForegroundRole) return QBrush(QColor(0x55, 0x5b, 0x62));
  const QString name = columns_[static_cast<size_t>(column)];
  double v = std::nan("");
  if (name == "op_name") {
    if (role == Qt::DisplayRole || role == kSortRole) return QString("weights, channel %1").arg(c.channel);
    if (role == Qt::ToolTipRole)
      return QString("weight quantization error of output channel %1 (axis %2, %3)")
          .arg(c.channel)
          .arg(row.per_channel.axis)
          .arg(row.per_channel.per_channel_quantization ? "a scale per channel" : "one scale for all channels");
    return {};
  }
  if (name == "scale") v = c.scale;
  else if (name == "zero_point") v = static_cast<double>(c.zero_point);
  else if (name == "max_abs_error") v = c.max_abs_error;
  else if (name == "mean_squared_error") v = c.mean_squared_error;
  else if (name == "rmse/scale") v = c.rmse_over_scale;
  else return {};
  if (role == Qt::DisplayRole) return name == "zero_point" ? QString::number(c.zero_point) : shown(v);
  if (role == Qt::ToolTipRole) return QString::number(v, 'g', 9);
  if (role == kSortRole) return sortValue(v);
  if (role == Qt::TextAlignmentRole) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  return {};
}

QVariant ErrorTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
  if (role == Qt::DisplayRole) return columns_[static_cast<size_t>(section)];
  if (role == Qt::ToolTipRole && columns_[static_cast<size_t>(section)] == "range")
    return "255 x scale (8-bit), 65535 x scale (int16)";
  return {};
}

}  // namespace ql::gui
