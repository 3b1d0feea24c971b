// The selective model of the current float-fallback selection, kept up to date: when the FloatFallback changes
// (debounced), the engine's buildSelective (what `quantlens-cli export` writes: with the float model's weights
// when a float model is open, dequantized weights when the float side is the twin) runs on a worker thread, then
// the quantized graph's segment band, the images dock's "selective" panel and File > Export selective model...
// use the result. An op that cannot compute in float is an error shown to the user, never a crash.
#pragma once

#include <memory>
#include <set>
#include <thread>
#include <vector>

#include <QObject>
#include <QString>

#include "analysis/selective_build.h"

class QAction;
class QTimer;

namespace ql::gui {

class FallbackMarking;
class MainWindow;
class SegmentBand;

class SelectiveController : public QObject {
  Q_OBJECT
 public:
  explicit SelectiveController(MainWindow* window);
  ~SelectiveController() override;  // waits for a build in progress

  // The quantized model with the selection in float; null when nothing is kept in float or the build failed.
  std::shared_ptr<const Model> selectiveModel() const;
  // The last build (model, changes, segments) and the selection it was made from; null as selectiveModel().
  std::shared_ptr<const SelectiveBuild> build() const { return build_; }
  const std::set<int>& builtSelection() const { return built_ops_; }
  // A build for the current selection is waiting or running.
  bool busy() const { return timer_active_ || running_; }
  QString lastError() const { return error_; }
  // The build of the current selection now, on this thread (the export must not write an older one): the last
  // build when it is current. Null with `error` set when the selection is empty or cannot be exported.
  std::shared_ptr<const SelectiveBuild> buildNow(QString* error);

  FallbackMarking* marking() const { return marking_; }
  SegmentBand* band() const { return band_; }
  QAction* exportAction() const { return export_action_; }
  // Keeps `spec` in float when the next models open ("OP,OP,..." indices or output names as `export
  // --keep-float` takes them, "first:N", "last:N"); empty does nothing. A bad spec is shown as an error.
  void keepOnOpen(const QString& spec);

  // The files the selective model is made from (an export must not overwrite them).
  std::vector<std::string> inputPaths() const;

 signals:
  void selectiveModelChanged();
  // A build failed (`message` names the op and why); the previous selective model is dropped.
  void buildFailed(const QString& message);

 private:
  struct Inputs;
  void selectionChanged();
  void startBuild();
  void finished(int generation, std::shared_ptr<const SelectiveBuild> build, const QString& error,
                const std::set<int>& ops);
  void apply();
  void showExportDialog();
  void applyKeepOnOpen();
  void dropBuild();  // nothing kept in float, or new models: no selective model, no band, no panel
  Inputs inputs() const;

  MainWindow* window_;
  FallbackMarking* marking_ = nullptr;
  SegmentBand* band_ = nullptr;
  QAction* export_action_ = nullptr;
  QAction* band_action_ = nullptr;
  QTimer* debounce_ = nullptr;
  bool timer_active_ = false;
  std::thread thread_;
  bool running_ = false;
  int generation_ = 0;  // bumped when models change: builds of older models are dropped
  std::shared_ptr<const SelectiveBuild> build_;
  std::set<int> built_ops_;
  QString error_;
  QString keep_on_open_;
};

}  // namespace ql::gui
