#include "app/gui/session_controller.h"

#include <QCloseEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QUndoStack>

#include "app/gui/errors_controller.h"
#include "app/gui/evaluation_controller.h"
#include "app/gui/float_fallback.h"
#include "app/gui/images_controller.h"
#include "app/gui/main_window.h"
#include "util/error.h"
#include "widgets/graph/graph_view.h"
#include "widgets/images/images_strip.h"

namespace ql::gui {

namespace {

constexpr const char* kSuffix = "qlsession";
constexpr const char* kLastKey = "session/last";
constexpr const char* kOnStartKey = "session/restoreOnStart";

bool isSessionFile(const QString& path) { return QFileInfo(path).suffix().compare(kSuffix, Qt::CaseInsensitive) == 0; }

std::string absolute(const std::string& path) {
  return QFileInfo(QString::fromStdString(path)).absoluteFilePath().toStdString();
}

std::string base64(const QByteArray& bytes) { return bytes.toBase64().toStdString(); }
QByteArray fromBase64(const std::string& text) { return QByteArray::fromBase64(QByteArray::fromStdString(text)); }

size_t opCount(const std::shared_ptr<const Model>& m) { return m && !m->subgraphs.empty() ? m->subgraphs[0].ops.size() : 0; }

}  // namespace

SessionController::SessionController(MainWindow* window) : QObject(window), window_(window) {
  buildActions();
  window->installEventFilter(this);
  // The layer error report is the Layer error dock's: saved from it, shown in it again.
  if (ErrorsController* errors = window->errors())
    setReportHooks([errors] { return errors->report(); },
                   [errors](const DebugReport& r) { errors->showReport(r); });
  connect(window, &MainWindow::opSelected, this, [this](bool quant_side, int op, int) {
    selected_quant_side_ = quant_side;
    selected_op_ = op;
  });
  connect(window, &MainWindow::modelsShown, this, [this] {
    selected_op_ = -1;
    if (pending_) finishRestore();
  });
  connect(window, &MainWindow::openFailed, this, [this](const QString& m) {
    if (pending_) {
      pending_.reset();
      fail(pending_path_ + ": " + m);
    }
  });
}

void SessionController::buildActions() {
  QMenu* file = window_->fileMenu();
  // Beside the opening of models: before the first separator of the File menu.
  QAction* before = nullptr;
  for (QAction* a : file->actions())
    if (a->isSeparator()) {
      before = a;
      break;
    }
  auto add = [&](const QString& text, auto slot) {
    auto* a = new QAction(text, file);
    connect(a, &QAction::triggered, this, slot);
    file->insertAction(before, a);
    return a;
  };
  file->insertSeparator(before);
  add("Open &session...", [this] {
    const QString path = QFileDialog::getOpenFileName(window_, "Open session", QFileInfo(lastSessionPath()).path(),
                                                      "quantlens sessions (*.qlsession);;All files (*)");
    if (!path.isEmpty()) open(path);
  });
  add("&Save session", [this] { saveInteractively(); })->setShortcuts(QKeySequence::Save);
  add("Save session &as...", [this] { saveAsDialog(); })->setShortcuts(QKeySequence::SaveAs);
  restore_last_ = add("Restore &last session", [this] {
    if (!lastSessionPath().isEmpty()) open(lastSessionPath());
  });
  restore_last_->setEnabled(!lastSessionPath().isEmpty());
  QAction* on_start = add("Restore last session on s&tart", [](bool on) { QSettings().setValue(kOnStartKey, on); });
  on_start->setCheckable(true);
  on_start->setChecked(restoreOnStart());
}

void SessionController::setReportHooks(std::function<const DebugReport*()> current,
                                       std::function<void(const DebugReport&)> show) {
  current_report_ = std::move(current);
  show_report_ = std::move(show);
}

Session SessionController::capture() const {
  Session s;
  const ModelPair& pair = window_->document().pair();
  const ImagesController* images = window_->images();
  if (pair.float_model && !pair.float_is_twin)
    s.float_model = SessionModel{absolute(pair.float_path), stampOf(pair.float_path)};
  if (pair.quant_model) s.quant_model = SessionModel{absolute(pair.quant_path), stampOf(pair.quant_path)};
  s.float_is_twin = pair.float_is_twin;
  for (const QString& f : images->strip()->images()) s.images.push_back(f.toStdString());
  s.labels = images->labelsFile().isEmpty() ? std::string() : absolute(images->labelsFile().toStdString());
  if (pair.float_model) s.float_preprocess = images->floatSetup().preprocess;
  if (pair.quant_model) s.quant_preprocess = images->quantSetup().preprocess;
  s.float_fallback.assign(window_->fallback()->ops().begin(), window_->fallback()->ops().end());
  s.annotations = window_->evaluation()->annotations().toStdString();
  const DebugReport* report = current_report_ ? current_report_() : nullptr;
  if (report) s.layer_error_report = *report;
  else if (!current_report_ || !show_report_) s.layer_error_report = carried_report_;
  if (const EvaluationOutcome* o = window_->evaluation()->outcome()) {
    SessionEvaluation e{o->result, {}, o->image_paths};
    for (const QString& c : o->columns) e.columns.push_back(c.toStdString());
    for (ModelResult& m : e.result.models)
      for (ImageResult& im : m.images) im.prediction = {};  // not kept: the dock shows scores only
    s.evaluation = std::move(e);
  }
  if (const ErrorsController* errors = window_->errors()) {
    s.layer_error_threshold = errors->threshold();
    s.view.colour_by = errors->colourMetric().toStdString();
  }
  s.view.geometry = base64(window_->saveGeometry());
  s.view.state = base64(window_->saveState());
  s.view.current_image = images->strip()->current();
  s.view.selected_op = selected_op_;
  s.view.selected_quant_side = selected_quant_side_;
  return s;
}

bool SessionController::hasUnsavedChanges() const {
  if (window_->document().empty()) return false;
  return sessionJson(capture(), false) != saved_state_;
}

void SessionController::remember(const QString& path) {
  path_ = path;
  QSettings().setValue(kLastKey, path);
  restore_last_->setEnabled(true);
}

bool SessionController::save(const QString& given) {
  if (window_->document().empty()) {
    fail("Nothing to save: a session needs an open model.");
    return false;
  }
  QString path = QFileInfo(given).absoluteFilePath();
  if (QFileInfo(path).suffix().isEmpty()) path += QString(".") + kSuffix;
  const Session s = capture();
  try {
    writeSession(path.toStdString(), s);
  } catch (const std::exception& e) {
    fail(QString("Could not save the session: ") + e.what());
    return false;
  }
  saved_state_ = sessionJson(s, false);
  remember(path);
  window_->statusBar()->showMessage("Saved session " + path, 5000);
  emit saved(path);
  return true;
}

bool SessionController::saveInteractively() {
  if (window_->document().empty()) return save(QString());  // says why there is nothing to save
  return path_.isEmpty() ? saveAsDialog() : save(path_);
}

bool SessionController::saveAsDialog() {
  const QString start = !path_.isEmpty() ? path_ : QFileInfo(lastSessionPath()).path();
  const QString path = QFileDialog::getSaveFileName(window_, "Save session", start,
                                                    "quantlens sessions (*.qlsession)");
  return !path.isEmpty() && save(path);
}

bool SessionController::open(const QString& given) {
  const QString path = QFileInfo(given).absoluteFilePath();
  Session s;
  try {
    s = readSession(path.toStdString());
    const std::vector<std::string> missing = missingSessionModels(s);
    if (!missing.empty()) badInput(path.toStdString(), "names a model file that is not there: " + missing.front());
  } catch (const std::exception& e) {
    fail(QString("Could not open the session: ") + e.what());
    return false;
  }
  pending_ = s;
  pending_path_ = path;
  ImagesController* images = window_->images();
  images->cancel();
  images->strip()->clearImages();
  images->setLabelsFile(QString::fromStdString(s.labels));
  QStringList files;
  for (const std::string& f : s.images) files << QString::fromStdString(f);
  window_->document().setImages(files);
  window_->evaluation()->setAnnotations(QString::fromStdString(s.annotations));
  const QString float_path = s.float_model && !s.float_is_twin ? QString::fromStdString(s.float_model->path) : "";
  const QString quant_path = s.quant_model ? QString::fromStdString(s.quant_model->path) : "";
  window_->statusBar()->showMessage("Opening session " + path + " ...");
  window_->openFiles({}, float_path, quant_path);
  return true;
}

void SessionController::finishRestore() {
  const Session s = *pending_;
  pending_.reset();
  const bool unchanged = sessionModelsUnchanged(s);
  QStringList notices;
  const ModelPair& pair = window_->document().pair();
  ImagesController* images = window_->images();
  if (s.float_preprocess || s.quant_preprocess)
    images->setPreprocessing(s.float_preprocess.value_or(images->floatSetup().preprocess),
                             s.quant_preprocess.value_or(images->quantSetup().preprocess));
  QStringList gone;
  for (const std::string& f : s.images)
    if (!QFileInfo(QString::fromStdString(f)).isFile()) gone << QString::fromStdString(f);
  if (!gone.isEmpty())
    notices << QString("%1 image(s) of the session are no longer there: %2").arg(gone.size()).arg(gone.join(", "));
  // The ops kept in float, as one state rather than an undo step: undo starts from the restored session.
  std::set<int> ops;
  for (int op : s.float_fallback)
    if (op >= 0 && static_cast<size_t>(op) < opCount(pair.quant_model)) ops.insert(op);
  if (ops.size() != s.float_fallback.size())
    notices << QString("%1 op(s) kept in float are beyond the quantized model's ops and were left out.")
                   .arg(s.float_fallback.size() - ops.size());
  window_->fallback()->set(ops, "Restore session");
  window_->fallback()->undoStack()->clear();

  carried_report_.reset();
  if (s.layer_error_report) {
    if (!unchanged) {
      notices << "A model file changed since the session was saved: its layer error report was dropped; compute it "
                 "again in the layer error dock.";
    } else if (show_report_) {
      show_report_(*s.layer_error_report);
    } else {
      carried_report_ = s.layer_error_report;
    }
  } else if (!unchanged) {
    notices << "A model file changed since the session was saved.";
  }

  if (ErrorsController* errors = window_->errors()) {
    if (s.layer_error_threshold >= 0) errors->setThreshold(s.layer_error_threshold);
    errors->setColourMetric(QString::fromStdString(s.view.colour_by));
  }
  if (s.evaluation) {
    if (unchanged) {
      EvaluationOutcome o;
      o.result = s.evaluation->result;
      o.image_paths = s.evaluation->image_paths;
      for (const std::string& c : s.evaluation->columns) o.columns << QString::fromStdString(c);
      window_->evaluation()->showOutcome(o);
    } else {
      notices << "Its evaluation was dropped too: Evaluate again.";
    }
  }
  window_->restoreGeometry(fromBase64(s.view.geometry));
  window_->restoreState(fromBase64(s.view.state));
  if (s.view.current_image >= 0 && s.view.current_image < images->strip()->images().size())
    images->strip()->setCurrent(s.view.current_image);
  GraphView* view = s.view.selected_quant_side && pair.quant_model ? window_->quantView() : window_->floatView();
  if (s.view.selected_op >= 0 && static_cast<size_t>(s.view.selected_op) < opCount(view->model()))
    window_->selectOp(view, s.view.selected_op);

  remember(pending_path_);
  saved_state_ = sessionJson(capture(), false);
  notice_ = notices.join("\n");
  last_error_.clear();
  window_->statusBar()->showMessage("Opened session " + pending_path_, 5000);
  if (!notice_.isEmpty() && !window_->quiet())
    QMessageBox::information(window_, "quantlens", QFileInfo(pending_path_).fileName() + ": " + notice_);
  emit restored();
}

void SessionController::fail(const QString& message) {
  last_error_ = message;
  window_->statusBar()->showMessage(message, 10000);
  if (!window_->quiet()) QMessageBox::warning(window_, "quantlens", message);
  emit failed(message);
}

QString SessionController::lastSessionPath() { return QSettings().value(kLastKey).toString(); }

bool SessionController::restoreOnStart() { return QSettings().value(kOnStartKey, false).toBool(); }

bool SessionController::restoreLastOnStartIfChosen() {
  const QString last = lastSessionPath();
  if (!restoreOnStart() || last.isEmpty() || !QFileInfo::exists(last)) return false;
  return open(last);
}

bool SessionController::offerToSave() {
  QMessageBox box(QMessageBox::Question, "quantlens", "Save the session before closing?",
                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, window_);
  box.setInformativeText("The models, images, preprocessing, float fallback and computed reports can be reopened "
                         "as they are now from a .qlsession file.");
  box.setDefaultButton(QMessageBox::Save);
  switch (box.exec()) {
    case QMessageBox::Save: return saveInteractively();
    case QMessageBox::Discard: return true;
    default: return false;
  }
}

bool SessionController::eventFilter(QObject* watched, QEvent* event) {
  if (watched != window_) return false;
  if (event->type() == QEvent::Close && !window_->quiet() && hasUnsavedChanges() && !offerToSave()) {
    event->ignore();
    return true;
  }
  if (event->type() == QEvent::Drop) {
    auto* drop = static_cast<QDropEvent*>(event);
    for (const QUrl& url : drop->mimeData()->urls())
      if (url.isLocalFile() && isSessionFile(url.toLocalFile())) {
        open(url.toLocalFile());
        drop->acceptProposedAction();
        return true;
      }
  }
  return false;
}

}  // namespace ql::gui
