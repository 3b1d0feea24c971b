// The window's one document: the loaded pair (models, op matching) and the images given for later runs. Files
// are read and matched on a worker thread so that opening a large model never freezes the window; the result
// arrives as a signal on the UI thread.
#pragma once

#include <QObject>
#include <QStringList>

#include "app/gui/model_pair.h"

namespace ql::gui {

class Document : public QObject {
  Q_OBJECT
 public:
  explicit Document(QObject* parent = nullptr);
  ~Document() override;

  // Starts loading; `loaded` or `failed` follows. A newer open supersedes one still running.
  void open(const QStringList& files, const QString& float_path = {}, const QString& quant_path = {});
  bool loading() const { return loading_; }
  const ModelPair& pair() const { return pair_; }
  bool empty() const { return !pair_.float_model && !pair_.quant_model; }

  // Images for the runs of the next views; only remembered for now.
  void setImages(const QStringList& images) { images_ = images; }
  const QStringList& images() const { return images_; }

 signals:
  void loadingStarted(const QString& what);
  void loaded();
  void failed(const QString& message);

 private:
  ModelPair pair_;
  QStringList images_;
  int generation_ = 0;
  bool loading_ = false;
};

}  // namespace ql::gui
