// How users mark ops to keep in float, and how the marks look: the graphs' context menu (Keep in float / Quantize
// again, on an op, its float twin or a rubber-band pick), Shift+drag picking in the quantized graph, and Analyze >
// Keep in float (by op type, the first or last N ops, clear). Every change goes through the window's
// FloatFallback, one undo step each; the marked ops are drawn hatched on the quantized graph and on their float
// twins, with a legend and a status-bar count.
#pragma once

#include <optional>
#include <set>

#include <QObject>
#include <QStringList>

#include "analysis/accelerator_segments.h"

class QLabel;
class QMenu;

namespace ql::gui {

class FallbackLegend;
class FallbackMarks;
class MainWindow;
class OpRubberBand;

class FallbackMarking : public QObject {
  Q_OBJECT
 public:
  explicit FallbackMarking(MainWindow* window);

  // What the menus do (tests call these as the menus would).
  void keepInFloat(const std::set<int>& ops, const QString& what);
  void quantizeAgain(const std::set<int>& ops, const QString& what);
  void keepOpTypes(const QStringList& types);
  void keepFirst(int n);
  void keepLast(int n);
  void keepPicked();
  void quantizePickedAgain();
  void clear();

  // The quantized model's op types with their op counts, in order of first appearance ("CONV_2D (13)").
  QStringList opTypes() const;

  OpRubberBand* rubberBand() const { return band_; }
  FallbackMarks* quantMarks() const { return quant_marks_; }
  FallbackMarks* floatMarks() const { return float_marks_; }
  FallbackLegend* quantLegend() const { return quant_legend_; }
  QMenu* menu() const { return menu_; }
  QString statusText() const;
  // The segments the quantized graph's band shows, for its legend (nullopt: no band).
  void describeSegments(std::optional<SegmentReport> segments, const QString& problem = {});

 signals:
  // The marks or the pick were drawn again (the legend may want to say more).
  void marksChanged();

 private:
  void redrawMarks();
  void addContextActions(bool quant_side, int op, QMenu* menu);
  void chooseOpTypes();
  void chooseCount(bool first);
  bool haveQuantModel() const;

  MainWindow* window_;
  OpRubberBand* band_ = nullptr;
  FallbackMarks* quant_marks_ = nullptr;
  FallbackMarks* float_marks_ = nullptr;
  FallbackLegend* quant_legend_ = nullptr;
  FallbackLegend* float_legend_ = nullptr;
  QLabel* status_ = nullptr;
  QMenu* menu_ = nullptr;
  std::optional<SegmentReport> segments_;
};

}  // namespace ql::gui
