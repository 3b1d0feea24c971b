// The quantlens main window: one document (the loaded float/quantized pair) shown by the views of widgets/: the
// two graphs side by side, linked op to op through the engine's matching, the inspector and the model page in
// docks. Menus, shortcuts, drag and drop, recent files and window state live here; nothing is computed here.
#pragma once

#include <QMainWindow>

#include "app/gui/document.h"

class QLabel;
class QLineEdit;
class QStackedWidget;
class QAction;
class QMenu;
class QProgressBar;

namespace ql::gui {

class ErrorsController;
class EvaluationController;
class FloatFallback;
class SessionController;
class GraphView;
class ImagesController;
class InspectorView;
class ModelPage;
class SelectiveController;
class TensorController;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  Document& document() { return document_; }
  GraphView* floatView() const { return float_view_; }
  GraphView* quantView() const { return quant_view_; }
  InspectorView* inspector() const { return inspector_; }
  ModelPage* modelPage() const { return model_page_; }
  QDockWidget* inspectorDock() const { return inspector_dock_; }
  QDockWidget* modelDock() const { return model_dock_; }
  ImagesController* images() const { return images_; }
  ErrorsController* errors() const { return errors_; }
  TensorController* tensors() const { return tensors_; }
  EvaluationController* evaluation() const { return evaluation_; }
  SessionController* session() const { return session_; }
  // The ops of the quantized model marked to keep in float (one set for every view, with undo).
  FloatFallback* fallback() const { return fallback_; }
  // The selective model of that set (marking ops, the segment band, the selective panel, File > Export).
  SelectiveController* selective() const { return selective_; }
  // Menus other controllers add their actions to.
  QMenu* fileMenu() const { return file_menu_; }
  QMenu* viewMenu() const { return view_menu_; }
  QMenu* analyzeMenu() const { return analyze_menu_; }
  // The graph area: both panes side by side.
  QWidget* graphArea() const;

  // Opens one or two models (roles from their quantization kind) or a forced pair.
  void openFiles(const QStringList& files, const QString& float_path = {}, const QString& quant_path = {});
  // Selects `op` of `view` as if the user clicked it: the twin in the other view, the inspector follow.
  void selectOp(GraphView* view, int op);
  // The op `spec` names in `view`: an index ("12", "#12"), an op's output tensor name, else the first found;
  // an empty spec means the first CONV_2D. -1 when none.
  int resolveOp(GraphView* view, const QString& spec) const;
  // Finds `text` in the active view (then the other), selects the next hit; the number of hits.
  int find(const QString& text);
  bool exportActiveView(const QString& path, QString* error = nullptr);
  QString notice() const;
  QString lastError() const { return last_error_; }
  // Don't pop up message boxes (screenshot mode, tests).
  void setQuiet(bool quiet) { quiet_ = quiet; }
  bool quiet() const { return quiet_; }

 signals:
  void modelsShown();
  // An op was selected in a graph (by click, find, a bar of the error plot...): `quant_side` says in which graph,
  // `twin` is its twin on the other side (-1 when none).
  void opSelected(bool quant_side, int op, int twin);
  void openFailed(const QString& message);

 protected:
  void closeEvent(QCloseEvent* e) override;
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;

 private:
  void buildMenus();
  void buildDocks();
  void showPair();
  void showFailure(const QString& message);
  void linkFrom(GraphView* source, int op, bool centre_source);
  GraphView* activeView() const;
  GraphView* otherView(GraphView* v) const;
  void rememberRecent(const QStringList& files);
  void rebuildRecentMenu();
  void openDialog(int role);  // 0 any, 1 float, 2 quantized
  void exportDialog(const QString& suffix);
  void updateStatus();

  Document document_;
  GraphView* float_view_ = nullptr;
  GraphView* quant_view_ = nullptr;
  QWidget* float_pane_ = nullptr;
  QWidget* quant_pane_ = nullptr;
  QLabel* float_title_ = nullptr;
  QLabel* quant_title_ = nullptr;
  QLabel* notice_ = nullptr;
  QStackedWidget* stack_ = nullptr;
  QWidget* graph_area_ = nullptr;
  InspectorView* inspector_ = nullptr;
  ModelPage* model_page_ = nullptr;
  QDockWidget* inspector_dock_ = nullptr;
  QDockWidget* model_dock_ = nullptr;
  ImagesController* images_ = nullptr;
  ErrorsController* errors_ = nullptr;
  TensorController* tensors_ = nullptr;
  EvaluationController* evaluation_ = nullptr;
  SessionController* session_ = nullptr;
  FloatFallback* fallback_ = nullptr;
  SelectiveController* selective_ = nullptr;
  QMenu* file_menu_ = nullptr;
  QMenu* view_menu_ = nullptr;
  QMenu* analyze_menu_ = nullptr;
  QLineEdit* find_box_ = nullptr;
  QMenu* recent_menu_ = nullptr;
  QAction* differences_action_ = nullptr;
  QLabel* status_label_ = nullptr;
  QProgressBar* busy_ = nullptr;
  GraphView* active_ = nullptr;
  QString last_find_;
  int find_index_ = -1;
  QString last_error_;
  QStringList pending_files_;
  bool quiet_ = false;
};

}  // namespace ql::gui
