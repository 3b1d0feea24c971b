#include "app/gui/document.h"

#include <QPointer>
#include <QThread>

namespace ql::gui {

Document::Document(QObject* parent) : QObject(parent) {}
Document::~Document() = default;

void Document::open(const QStringList& files, const QString& float_path, const QString& quant_path) {
  std::vector<std::string> paths;
  for (const QString& f : files) paths.push_back(f.toStdString());
  const int generation = ++generation_;
  loading_ = true;
  QStringList all = files;
  for (const QString& p : {float_path, quant_path})
    if (!p.isEmpty()) all << p;
  emit loadingStarted(all.join(", "));
  QPointer<Document> self(this);
  std::string fp = float_path.toStdString(), qp = quant_path.toStdString();
  QThread* worker = QThread::create([self, generation, paths, fp, qp] {
    auto result = std::make_shared<ModelPair>();
    QString error;
    try {
      *result = formPair(paths, fp, qp);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    if (!self) return;
    // Back on the UI thread; a result of an open that a newer one superseded is dropped.
    QMetaObject::invokeMethod(
        self.data(),
        [self, generation, result, error] {
          if (!self || generation != self->generation_) return;
          self->loading_ = false;
          if (!error.isEmpty()) {
            emit self->failed(error);
            return;
          }
          self->pair_ = std::move(*result);
          emit self->loaded();
        },
        Qt::QueuedConnection);
  });
  connect(worker, &QThread::finished, worker, &QObject::deleteLater);
  worker->start();
}

}  // namespace ql::gui
