#include "widgets/graph/fallback_legend.h"

#include "widgets/graph/fallback_marks.h"
#include "widgets/graph/graph_view.h"
#include "widgets/graph/segment_band.h"

namespace ql::gui {

namespace {
QString swatch(const QColor& c, const QString& glyph = "■") {
  return QString("<span style='color:%1; font-size:12pt'>%2</span>").arg(c.name(), glyph);
}
}  // namespace

FallbackLegend::FallbackLegend(GraphView* view) : QLabel(view) {
  setTextFormat(Qt::RichText);
  setStyleSheet("QLabel { background: rgba(255,255,255,230); border: 1px solid #d5d9de; border-radius: 3px; "
                "padding: 3px 7px; color: #30343a; }");
  setAttribute(Qt::WA_TransparentForMouseEvents);
  move(10, 10);
  hide();
}

void FallbackLegend::setProblem(const QString& problem) {
  problem_ = problem.isEmpty() ? QString() : "No selective model: " + problem;
  setToolTip(problem_);
}

void FallbackLegend::describe(int kept, const SegmentReport* segments, int picked, bool twins) {
  QStringList rows;
  if (kept > 0)
    rows << swatch(keptInFloatColour(), "▨") +
                (twins ? QString(" %1 twin%2 of ops kept in float").arg(kept).arg(kept == 1 ? "" : "s")
                       : QString(" %1 op%2 kept in float").arg(kept).arg(kept == 1 ? "" : "s"));
  if (picked > 0)
    rows << swatch(QColor(0xe0, 0x8a, 0x00), "▭") +
                QString(" %1 picked (right-click: keep in float)").arg(picked);
  if (segments && !segments->segments.empty()) {
    QStringList parts;
    std::vector<QString> shown;
    for (const Segment& s : segments->segments) {
      const QString label = segmentLabel(s);
      if (std::find(shown.begin(), shown.end(), label) != shown.end()) continue;
      shown.push_back(label);
      parts << swatch(segmentColour(s)) + " " + label;
    }
    rows << parts.join("&nbsp;&nbsp;");
    rows << QString("<span style='color:#6b7178'>Edge TPU-like: %1 ops on the accelerator, %2 on the CPU</span>")
                .arg(segments->accelerator_ops)
                .arg(segments->cpu_ops);
  }
  if (!problem_.isEmpty())
    rows << QString("<span style='color:#b3261e'>%1</span>")
                .arg(fontMetrics().elidedText(problem_, Qt::ElideRight, 520).toHtmlEscaped());
  setText(rows.join("<br>"));
  setVisible(!rows.isEmpty());
  adjustSize();
  raise();
  if (auto* view = qobject_cast<GraphView*>(parentWidget())) view->setTopInset(rows.isEmpty() ? 0 : height() + 2 * y());
}

}  // namespace ql::gui
