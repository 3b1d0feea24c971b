// The images where quantization hurts most (the engine's imagesByHarm): for one later model against the first,
// a row per image, worst first, with both models' scores on it, the drop and the agreement. Clicking a row asks
// for that image to be opened.
#pragma once

#include <QStringList>
#include <QTreeWidget>

#include "analysis/evaluation/evaluation.h"

namespace ql::gui {

class WorstImagesList : public QTreeWidget {
  Q_OBJECT
 public:
  explicit WorstImagesList(QWidget* parent = nullptr);

  // The images of model `model` (>= 1) of `result`, ranked; `columns` name the models.
  void showRanking(const EvaluationResult& result, const QStringList& columns, int model);
  void clearRanking();
  // The image index (into the result's images) of row `row`, or -1.
  int imageAt(int row) const;

 signals:
  void imageActivated(int image);
};

}  // namespace ql::gui
