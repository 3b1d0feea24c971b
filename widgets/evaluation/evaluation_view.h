// The evaluation dock's content: the annotations in use (a COCO .json, a YOLO / VOC / class-folder folder or a
// file,label .csv, the format told from the path as `quantlens-cli evaluate` tells it; none: agreement with the
// first model), Evaluate / Cancel with progress, then the metrics table (a column per model), the precision-recall
// curves of a class chosen in a picker, and the images where a chosen model does worst next to the first.
#pragma once

#include <QStringList>
#include <QWidget>

#include "analysis/evaluation/evaluation.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace ql::gui {

class MetricsTable;
class PrCurvePlot;
class WorstImagesList;

class EvaluationView : public QWidget {
  Q_OBJECT
 public:
  explicit EvaluationView(QWidget* parent = nullptr);

  void setAnnotations(const QString& path);
  void setRunning(bool running);
  void setProgress(int done, int total, const QString& what);
  // Shows an evaluation; `columns` name its models ("float", "quantized", "selective").
  void showResult(const EvaluationResult& result, const QStringList& columns, const QString& summary);
  void clearResult(const QString& message);
  void showMessage(const QString& message, bool error);
  QString message() const;

  // Shows the curves of the class with this category id (as the annotations number it); false when none has it.
  bool selectClass(int64_t cls);
  int64_t currentClass() const;

  MetricsTable* table() const { return table_; }
  PrCurvePlot* plot() const { return plot_; }
  WorstImagesList* worstImages() const { return worst_; }
  QComboBox* classBox() const { return class_box_; }
  QComboBox* worstModelBox() const { return worst_model_; }
  QPushButton* evaluateButton() const { return evaluate_; }

 signals:
  void annotationsChosen(const QString& path);  // empty: none
  void evaluateRequested();
  void cancelRequested();
  void imageActivated(int image);  // an index into the result's images

 private:
  void showClass();
  void showWorst();
  void chooseFile();
  void chooseFolder();

  EvaluationResult result_;
  QStringList columns_;
  QLineEdit* annotations_ = nullptr;
  QPushButton* evaluate_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* summary_ = nullptr;
  MetricsTable* table_ = nullptr;
  QComboBox* class_box_ = nullptr;
  PrCurvePlot* plot_ = nullptr;
  QComboBox* worst_model_ = nullptr;
  WorstImagesList* worst_ = nullptr;
};

}  // namespace ql::gui
