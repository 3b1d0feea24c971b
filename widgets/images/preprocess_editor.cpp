#include "widgets/images/preprocess_editor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace ql::gui {

namespace {

QString joined(const std::vector<float>& v) {
  QStringList parts;
  for (float f : v) parts << QString::number(static_cast<double>(f));
  return parts.join(",");
}

bool parseValues(const QString& text, std::vector<float>* out) {
  out->clear();
  for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
    bool ok = false;
    const float v = part.trimmed().toFloat(&ok);
    if (!ok) return false;
    out->push_back(v);
  }
  return out->size() == 1 || out->size() == 3;
}

}  // namespace

PreprocessEditor::PreprocessEditor(QWidget* parent) : QWidget(parent) {
  title_ = new QLabel;
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  title_->setVisible(false);
  resize_ = new QComboBox;
  resize_->addItem("stretch");
  resize_->addItem("letterbox");
  mean_ = new QLineEdit;
  std_ = new QLineEdit;
  mean_->setToolTip("Subtracted from each pixel (0-255): one value or R,G,B");
  std_->setToolTip("The difference is divided by this: one value or R,G,B");
  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(title_);
  form->addRow("Resize", resize_);
  form->addRow("Mean", mean_);
  form->addRow("Std", std_);
  connect(resize_, &QComboBox::currentIndexChanged, this, &PreprocessEditor::edited);
  connect(mean_, &QLineEdit::editingFinished, this, &PreprocessEditor::edited);
  connect(std_, &QLineEdit::editingFinished, this, &PreprocessEditor::edited);
}

void PreprocessEditor::setTitle(const QString& title) {
  title_->setText(title);
  title_->setVisible(!title.isEmpty());
}

void PreprocessEditor::set(const PreprocessOptions& o) {
  const QSignalBlocker b1(resize_), b2(mean_), b3(std_);
  resize_->setCurrentIndex(o.resize == ResizeMode::Letterbox ? 1 : 0);
  mean_->setText(joined(o.norm.mean));
  std_->setText(joined(o.norm.std));
}

bool PreprocessEditor::get(PreprocessOptions* out, QString* error) const {
  const QString who = title_->text().isEmpty() ? QString() : title_->text() + " ";
  if (!parseValues(mean_->text(), &out->norm.mean)) {
    *error = who + "Mean: one number or three (R,G,B), comma-separated";
    return false;
  }
  if (!parseValues(std_->text(), &out->norm.std)) {
    *error = who + "Std: one number or three (R,G,B), comma-separated";
    return false;
  }
  for (float s : out->norm.std)
    if (s == 0) {
      *error = who + "Std: must not be 0";
      return false;
    }
  out->resize = resize_->currentIndex() == 1 ? ResizeMode::Letterbox : ResizeMode::Stretch;
  return true;
}

}  // namespace ql::gui
