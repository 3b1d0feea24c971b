#include "widgets/inspector/inspector_style.h"

#include <cmath>

#include <QFontDatabase>
#include <QVBoxLayout>

namespace ql::gui::inspector {

QFont monoFont() {
  QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  f.setPointSizeF(QFont().pointSizeF() * 0.95);
  return f;
}

QString number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return QString::number(v, 'g', 6);
}

QString shapeText(const std::vector<int32_t>& shape) {
  QStringList dims;
  for (int32_t d : shape) dims << QString::number(d);
  return "[" + dims.join(",") + "]";
}

QLabel* sectionTitle(const QString& text) {
  auto* label = new QLabel(text.toUpper());
  QFont f = label->font();
  f.setBold(true);
  f.setPointSizeF(f.pointSizeF() * 0.9);
  f.setLetterSpacing(QFont::PercentageSpacing, 105);
  label->setFont(f);
  label->setObjectName("sectionTitle");
  label->setContentsMargins(0, 10, 0, 2);
  return label;
}

QLabel* valueLabel(const QString& text, bool mono) {
  auto* label = new QLabel(text);
  label->setObjectName("value");
  label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
  label->setWordWrap(true);
  if (mono) label->setFont(monoFont());
  return label;
}

FieldGrid::FieldGrid(QWidget* parent) : QWidget(parent), grid_(new QGridLayout(this)) {
  grid_->setContentsMargins(0, 0, 0, 0);
  grid_->setHorizontalSpacing(10);
  grid_->setVerticalSpacing(3);
  grid_->setColumnStretch(1, 1);
}

QLabel* FieldGrid::addText(const QString& name, const QString& value, bool mono) {
  QLabel* label = valueLabel(value, mono);
  addWidget(name, label);
  return label;
}

void FieldGrid::addWidget(const QString& name, QWidget* value) {
  int row = grid_->rowCount();
  // Long option names are elided as Netron does, whole in the tooltip, so the values keep the width.
  auto* key = new QLabel;
  const int width = 120;
  QString shown = key->fontMetrics().elidedText(name, Qt::ElideRight, width);
  key->setText(shown);
  if (shown != name) key->setToolTip(name);
  key->setObjectName("fieldName");
  key->setAlignment(Qt::AlignRight | Qt::AlignTop);
  key->setMinimumWidth(72);
  key->setMaximumWidth(width + 4);
  grid_->addWidget(key, row, 0);
  grid_->addWidget(value, row, 1);
}

QScrollArea* pageScrollArea(QWidget* page) {
  auto* outer = new QVBoxLayout(page);
  outer->setContentsMargins(0, 0, 0, 0);
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  outer->addWidget(scroll);
  return scroll;
}

}  // namespace ql::gui::inspector
