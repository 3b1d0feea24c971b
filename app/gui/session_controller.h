// Sessions in the window: File > Save session (Ctrl+S) / Save session as... / Open session... / Restore last
// session (and, when chosen, on start), a .qlsession given on the command line or dropped on the window. Opening
// one reopens its models, images, preprocessing, float fallback, annotations and window layout, and shows its
// layer error report again unless a model file changed since (then the report is dropped with a notice). Closing
// the window with unsaved changes offers Save / Discard / Cancel (not in quiet mode). Sessions are written through
// a temporary file and a rename.
#pragma once

#include <functional>
#include <optional>

#include <QObject>
#include <QString>
#include <nlohmann/json.hpp>

#include "app/gui/session.h"

class QAction;

namespace ql::gui {

class MainWindow;

class SessionController : public QObject {
  Q_OBJECT
 public:
  // Adds the session actions to the File menu and watches the window's close and drops.
  explicit SessionController(MainWindow* window);

  // The layer error report: where the current one is read from and where a restored one is shown (the Layer
  // error dock's, set on construction; tests may put others). Without hooks a report read from a session is kept
  // as it was and saved again unchanged.
  void setReportHooks(std::function<const DebugReport*()> current, std::function<void(const DebugReport&)> show);

  // The window's state as a session.
  Session capture() const;
  // Writes the session to `path` (".qlsession" added when it has no suffix); false with the message shown.
  bool save(const QString& path);
  // Starts restoring `path`; `restored` follows when the window is as it was, `failed` when it cannot be.
  bool open(const QString& path);
  // The session file in use ("" before one was saved or opened).
  const QString& path() const { return path_; }
  bool hasUnsavedChanges() const;
  // What the last restore had to tell (a model changed, the report was dropped ...); "" when nothing.
  const QString& notice() const { return notice_; }
  const QString& lastError() const { return last_error_; }

  // The session saved or opened last (QSettings), and whether to restore it when the app starts.
  static QString lastSessionPath();
  static bool restoreOnStart();
  // Opens the last session when the user chose so and it is there; true when it started.
  bool restoreLastOnStartIfChosen();

 signals:
  void restored();
  void failed(const QString& message);
  void saved(const QString& path);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void buildActions();
  void finishRestore();
  void fail(const QString& message);
  bool saveInteractively();
  bool saveAsDialog();
  void remember(const QString& path);
  // Asks whether to save unsaved changes; false when the user cancelled (or saving failed).
  bool offerToSave();

  MainWindow* window_;
  QString path_;
  QString notice_;
  QString last_error_;
  nlohmann::json saved_state_;  // the session (without view) as last saved or opened
  std::optional<Session> pending_;
  QString pending_path_;
  std::optional<DebugReport> carried_report_;  // read from a session, kept while no hook shows it
  std::function<const DebugReport*()> current_report_;
  std::function<void(const DebugReport&)> show_report_;
  int selected_op_ = -1;
  bool selected_quant_side_ = true;
  QAction* restore_last_ = nullptr;
};

}  // namespace ql::gui
