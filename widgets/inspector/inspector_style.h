// The inspector's look in one place: section titles, aligned name/value rows, monospace numbers, and how a
// number or a shape is written. Quiet like Netron's sidebar: grey names, values on a light field, no frames.
#pragma once

#include <vector>

#include <QFont>
#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QString>
#include <QWidget>

namespace ql::gui::inspector {

QFont monoFont();
// Six significant digits, the way a scale or a weight is read; "nan" and "inf" spelled out.
QString number(double v);
QString shapeText(const std::vector<int32_t>& shape);
QLabel* sectionTitle(const QString& text);
// A value label: selectable, monospace when it is a number, on the light field values sit on.
QLabel* valueLabel(const QString& text, bool mono);

// The frameless scroll area that fills an inspector page (`page` gets a margin-free layout holding it) and the
// page's grey field names.
QScrollArea* pageScrollArea(QWidget* page);

// Rows of "name  value", names right-aligned in grey, values left-aligned.
class FieldGrid : public QWidget {
 public:
  explicit FieldGrid(QWidget* parent = nullptr);
  QLabel* addText(const QString& name, const QString& value, bool mono = true);
  void addWidget(const QString& name, QWidget* value);

 private:
  QGridLayout* grid_;
};

}  // namespace ql::gui::inspector
