// Saving what the Images dock holds: "Save view as PNG..." (the side-by-side panels and the change list, as
// seen) and "Save results as JSON..." (every image's results: per model the `detect --json` object, per image the
// comparison of each model with the float one in the form `debug --json` uses). Both write through a temporary
// file and rename it. The actions sit on the dock's bar and in the File menu.
#pragma once

#include <QObject>
#include <QString>

#include <nlohmann/json.hpp>

namespace ql::gui {

class ImagesController;
class MainWindow;

// {"threshold": t, "models": [{"role", "path"}], "images": [{"image", "results": [{"role", "result"}],
//  "comparisons": [{"first", "second", "comparison"}], "error"?}]}, images in the strip's order, results at the
// dock's score threshold. Models are a list so that a third (the selective model) slots in as another role.
nlohmann::json imagesResultsJson(MainWindow* window);

// false with `error` set (naming the file) when it cannot be written.
bool saveImagesResultsJson(MainWindow* window, const QString& path, QString* error);
bool saveImagesViewPng(MainWindow* window, const QString& path, QString* error);

// Adds the two actions to the Images dock's bar and the File menu.
class ImagesExport : public QObject {
  Q_OBJECT
 public:
  explicit ImagesExport(MainWindow* window);

 private:
  void save(bool json);
  MainWindow* window_;
};

}  // namespace ql::gui
