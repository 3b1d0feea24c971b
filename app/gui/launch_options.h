// The `quantlens` command line:
//   quantlens [FILE... | SESSION.qlsession] [--float F] [--quant Q] [--image I ...] [--images DIR] [--screenshot DIR]
//             [--select OP] [--labels FILE] [--colour-by METRIC] [--threshold T] [--keep-float OPS]
//             [--annotations PATH]
#pragma once

#include <QString>
#include <QStringList>

namespace ql::gui {

struct LaunchOptions {
  QStringList files;           // models without a role (one or two)
  QString float_path, quant_path;
  QStringList images;          // --image (repeatable; image files given as plain arguments land here too)
  QString images_dir;
  QString screenshot_dir;      // write graphs.png, inspector.png, model.png there and exit
  QString labels;              // class names for the image results (else the model's packed labels)
  QString session;             // a .qlsession to reopen
  QString annotations;         // ground truth for the evaluation dock (a COCO .json, a YOLO/VOC folder ...)
  QString select;              // the op to select: its name (output tensor), an index "12" or "#12"
  QString colour_by;           // colour the graphs by this layer error column once computed ("rmse/scale")
  double threshold = -1;       // the layer error dock's rmse/scale threshold (< 0: its default)
  QString keep_float;          // ops of the quantized model to keep in float: "OP,OP,..." (like export), first:N, last:N
  bool help = false, version = false;
};

// Parses argv (without the program name); false with `error` set for a bad command line.
bool parseLaunchOptions(const QStringList& args, LaunchOptions* out, QString* error);
QString launchUsage();

// True when Qt has somewhere to draw: a display, or a platform chosen with QT_QPA_PLATFORM.
bool haveDisplay();

}  // namespace ql::gui
