#include "widgets/inspector/channel_table.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QKeyEvent>

#include "widgets/inspector/inspector_style.h"

namespace ql::gui::inspector {
namespace {

// A cell that sorts by its number, not by its text.
class NumberItem : public QTableWidgetItem {
 public:
  explicit NumberItem(double v) : QTableWidgetItem(number(v)) {
    setData(Qt::UserRole, v);
    setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  }
  bool operator<(const QTableWidgetItem& other) const override {
    return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
  }
};

}  // namespace

ChannelTable::ChannelTable(const WeightChannels& w, QWidget* parent) : QTableWidget(parent) {
  // The error first: it is what the table is read for; the float ranges last.
  QStringList headers = {"ch", "scale", "zp", "min", "max", "levels"};
  if (w.has_reference) headers << "rmse/scale" << "max |err|" << "float min" << "float max";
  setColumnCount(static_cast<int>(headers.size()));
  setHorizontalHeaderLabels(headers);
  setRowCount(static_cast<int>(w.channels.size()));
  setFont(monoFont());
  verticalHeader()->setVisible(false);
  verticalHeader()->setDefaultSectionSize(QFontMetrics(monoFont()).height() + 4);
  horizontalHeader()->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
  horizontalHeader()->setHighlightSections(false);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setSelectionBehavior(QAbstractItemView::SelectRows);
  setAlternatingRowColors(true);
  setShowGrid(false);
  setWordWrap(false);
  for (size_t r = 0; r < w.channels.size(); ++r) {
    const WeightChannel& c = w.channels[r];
    std::vector<double> cells = {static_cast<double>(c.channel), c.scale, static_cast<double>(c.zero_point), c.min,
                                 c.max, static_cast<double>(c.levels)};
    if (w.has_reference)
      cells.insert(cells.end(), {c.rmse_over_scale, c.max_abs_error, c.reference_min, c.reference_max});
    bool suspect = w.has_reference && c.rmse_over_scale > kSuspectRmseOverScale;
    for (size_t col = 0; col < cells.size(); ++col) {
      auto* item = new NumberItem(cells[col]);
      if (suspect) item->setForeground(QColor(200, 30, 30));
      setItem(static_cast<int>(r), static_cast<int>(col), item);
    }
  }
  resizeColumnsToContents();
  setColumnWidth(0, columnWidth(0) + 14);  // room for the sort arrow next to "ch"
  setSortingEnabled(true);
  sortByColumn(0, Qt::AscendingOrder);
  int rows = std::min<int>(rowCount(), 10);
  setFixedHeight(horizontalHeader()->sizeHint().height() + rows * verticalHeader()->defaultSectionSize() + 4);
}

std::vector<double> ChannelTable::scales() const {
  std::vector<double> out(static_cast<size_t>(rowCount()));
  for (int r = 0; r < rowCount(); ++r) {
    size_t channel = static_cast<size_t>(item(r, 0)->data(Qt::UserRole).toDouble());
    if (channel < out.size()) out[channel] = item(r, 1)->data(Qt::UserRole).toDouble();
  }
  return out;
}

void ChannelTable::keyPressEvent(QKeyEvent* event) {
  if (!event->matches(QKeySequence::Copy)) {
    QTableWidget::keyPressEvent(event);
    return;
  }
  QStringList lines;
  QStringList head;
  for (int c = 0; c < columnCount(); ++c) head << horizontalHeaderItem(c)->text();
  lines << head.join(",");
  for (int r = 0; r < rowCount(); ++r) {
    if (!selectionModel()->isRowSelected(r, QModelIndex())) continue;
    QStringList cells;
    // Full precision from the engine's value, not the six digits on screen.
    for (int c = 0; c < columnCount(); ++c) cells << QString::number(item(r, c)->data(Qt::UserRole).toDouble(), 'g', 9);
    lines << cells.join(",");
  }
  QApplication::clipboard()->setText(lines.join("\n") + "\n");
}

}  // namespace ql::gui::inspector
