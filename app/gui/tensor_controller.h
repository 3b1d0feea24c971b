// The Tensor dock: when an image has been run (Images dock) and an op is selected in a graph, the selected op's
// output tensor on the current image, next to the float values it stands for per layer (engine:
// tensor_on_image). The runs of both models on that image happen on a worker thread once per image and are kept,
// so selecting another op of the same image only summarizes; a newer selection cancels one still computing, and
// closing the window or the models meanwhile is safe (the worker holds the models by shared_ptr).
#pragma once

#include <memory>
#include <thread>

#include <QObject>
#include <QPointer>
#include <QString>

#include "analysis/tensor_on_image.h"
#include "vision/preprocess.h"

class QDockWidget;

namespace ql {
class CancelFlag;
}

namespace ql::gui {

class ImagesController;
class MainWindow;
class TensorView;

class TensorController : public QObject {
  Q_OBJECT
 public:
  explicit TensorController(MainWindow* window);
  ~TensorController() override;  // cancels and waits for the worker

  QDockWidget* dock() const { return dock_; }
  TensorView* view() const { return view_; }
  // The quantized op whose output is shown or being computed (-1: none).
  int op() const { return op_; }
  bool busy() const { return busy_; }
  // Shows output 0 of quantized op `quant_op` on the current image (computed on the worker).
  void showOp(int quant_op);

 signals:
  // The view shows a new tensor or a message (a result arrived, or there is nothing to compute).
  void tensorShown();

 private:
  // What the kept runs were computed from: a different key needs new runs.
  struct RunKey {
    QString image;
    const void* float_model = nullptr;
    const void* quant_model = nullptr;
    PreprocessOptions float_pre, quant_pre;
    bool operator==(const RunKey& o) const;
  };
  void opSelected(bool quant_side, int op, int twin);
  void refresh();
  void stopThread();
  void showMessage(const QString& text);

  MainWindow* window_;
  // Null once the Images dock's controller is gone (the window closing): its strip may still signal then.
  QPointer<ImagesController> images_;
  QDockWidget* dock_ = nullptr;
  TensorView* view_ = nullptr;
  int op_ = -1;
  bool busy_ = false;
  bool raised_once_ = false;
  std::thread thread_;
  std::shared_ptr<CancelFlag> cancel_;
  int generation_ = 0;
  std::shared_ptr<const ImageTensors> kept_;
  RunKey kept_key_;
};

}  // namespace ql::gui
