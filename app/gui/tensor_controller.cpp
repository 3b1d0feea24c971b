#include "app/gui/tensor_controller.h"

#include <QDockWidget>
#include <QMenu>
#include <QPointer>

#include "app/gui/images_controller.h"
#include "app/gui/main_window.h"
#include "util/error.h"
#include "util/progress.h"
#include "widgets/images/images_strip.h"
#include "widgets/tensors/tensor_view.h"

namespace ql::gui {

namespace {

std::vector<uint8_t> inputBytes(const Model& m, const QString& image, const PreprocessOptions& pre) {
  const Subgraph& sg = m.subgraphs.at(0);
  if (sg.inputs.size() != 1) unsupported(m.path, "the tensor view runs models with one image input");
  return imageFileToInput(image.toStdString(), inputSpecOf(sg.tensors.at(static_cast<size_t>(sg.inputs[0]))), pre)
      .bytes;
}

}  // namespace

bool TensorController::RunKey::operator==(const RunKey& o) const {
  return image == o.image && float_model == o.float_model && quant_model == o.quant_model &&
         samePreprocessing(float_pre, o.float_pre) && samePreprocessing(quant_pre, o.quant_pre);
}

TensorController::TensorController(MainWindow* window) : QObject(window), window_(window) {
  view_ = new TensorView;
  dock_ = new QDockWidget("Tensor", window);
  dock_->setObjectName("TensorDock");
  dock_->setWidget(view_);
  window->addDockWidget(Qt::RightDockWidgetArea, dock_);
  window->tabifyDockWidget(window->inspectorDock(), dock_);
  window->inspectorDock()->raise();
  // The menus are built after the docks: the View entry is added once the event loop turns.
  QMetaObject::invokeMethod(
      this, [this] { if (window_->viewMenu()) window_->viewMenu()->addAction(dock_->toggleViewAction()); },
      Qt::QueuedConnection);

  connect(window, &MainWindow::opSelected, this, &TensorController::opSelected);
  connect(window, &MainWindow::modelsShown, this, [this] {
    stopThread();
    kept_.reset();
    op_ = -1;
    showMessage("Run the models on an image (Images dock), then select an op to see its output tensor on it.");
  });
  images_ = window->images();
  connect(images_, &ImagesController::runFinished, this, &TensorController::refresh);
  connect(images_->strip(), &ImagesStrip::currentChanged, this, &TensorController::refresh);
}

TensorController::~TensorController() { stopThread(); }

void TensorController::stopThread() {
  if (cancel_) cancel_->cancel();
  if (thread_.joinable()) thread_.join();
  busy_ = false;
}

void TensorController::showMessage(const QString& text) {
  view_->showMessage(text);
  emit tensorShown();
}

void TensorController::opSelected(bool quant_side, int op, int twin) {
  const int quant_op = quant_side ? op : twin;
  if (op >= 0 && quant_op < 0 && window_->document().pair().quant_model) {
    stopThread();
    op_ = -1;
    showMessage("This float op has no quantized twin: there is no quantized tensor to compare.");
    return;
  }
  showOp(quant_op);
}

void TensorController::showOp(int quant_op) {
  op_ = quant_op;
  refresh();
}

void TensorController::refresh() {
  stopThread();
  ++generation_;
  if (!images_) return;  // the window is closing
  const ModelPair& pair = window_->document().pair();
  if (op_ < 0) return showMessage("Select an op in a graph to see its output tensor on the current image.");
  if (!pair.quant_model || !pair.float_model || !pair.matching)
    return showMessage("The tensor view compares a quantized model with its float model or dequantized twin.");
  ImagesController* images = images_;
  const int current = std::max(0, images->strip()->current());
  const auto result = images->results().find(current);
  if (result == images->results().end())
    return showMessage("Run the models on an image (Images dock) to see this op's tensor on it.");
  if (!result->second.error.isEmpty()) return showMessage("This image failed to run: " + result->second.error);

  RunKey key{result->second.image, pair.float_model.get(), pair.quant_model.get(),
             images->floatSetup().preprocess, images->quantSetup().preprocess};
  std::shared_ptr<const ImageTensors> kept = key == kept_key_ ? kept_ : nullptr;
  view_->showMessage(kept ? "Computing..." : "Running both models on " + key.image + " ...");
  busy_ = true;
  cancel_ = std::make_shared<CancelFlag>();
  QPointer<TensorController> self(this);
  const int generation = generation_;
  auto deliver = [self, generation](auto fn) {
    QMetaObject::invokeMethod(
        self.data(),
        [self, generation, fn] {
          if (self && self->generation_ == generation) fn(self.data());
        },
        Qt::QueuedConnection);
  };
  thread_ = std::thread([f = pair.float_model, q = pair.quant_model, matching = pair.matching, key, kept,
                         cancel = cancel_, op = op_, deliver] {
    try {
      std::shared_ptr<const ImageTensors> run = kept;
      if (!run)
        run = std::make_shared<const ImageTensors>(f, q, matching,
                                                   std::vector<std::vector<uint8_t>>{
                                                       inputBytes(*f, key.image, key.float_pre)},
                                                   std::vector<std::vector<uint8_t>>{
                                                       inputBytes(*q, key.image, key.quant_pre)},
                                                   cancel.get());
      TensorOnImage t = tensorOnImage(*run, op);
      deliver([run, key, t = std::move(t)](TensorController* c) {
        c->busy_ = false;
        c->kept_ = run;
        c->kept_key_ = key;
        c->view_->showTensor(t, key.image);
        if (!c->raised_once_) {
          c->raised_once_ = true;
          c->dock_->raise();
        }
        emit c->tensorShown();
      });
    } catch (const Cancelled&) {
      // A newer selection replaced this one; it shows its own result.
    } catch (const std::exception& e) {
      deliver([what = QString::fromStdString(e.what())](TensorController* c) {
        c->busy_ = false;
        c->showMessage(what);
      });
    }
  });
}

}  // namespace ql::gui
