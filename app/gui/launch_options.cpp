#include "app/gui/launch_options.h"

#include <QFileInfo>

#include "widgets/errors/layer_metrics.h"

namespace ql::gui {

QString launchUsage() {
  return "usage: quantlens [FILE... | SESSION.qlsession] [--float F] [--quant Q] [--image I ...] [--images DIR] "
         "[--screenshot DIR] [--select OP] [--labels FILE] [--colour-by METRIC] [--threshold T] "
         "[--keep-float OPS] [--annotations PATH]\n"
         "  FILE            one or two .tflite models; which is the float one follows from their quantization\n"
         "  SESSION         a .qlsession saved by File > Save session: its models, images, settings and reports\n"
         "  --float F       the float model\n"
         "  --quant Q       the quantized model (alone: shown next to its dequantized twin)\n"
         "  --image I ...   images for runs (repeatable)\n"
         "  --images DIR    a directory of images\n"
         "  --screenshot D  write graphs.png, inspector.png and model.png (and images.png, errors.png with --image;\n"
         "                  evaluation.png with --images and --annotations) to D, then exit\n"
         "  --labels FILE   class names for the image results (one per line, or a .pbtxt label map)\n"
         "  --select OP     the op to select: its name, or its index (12 or #12); default the first CONV_2D\n"
         "  --colour-by M   colour the graphs by a layer error column (rmse/scale, range, max_abs_error, ...) once\n"
         "                  the layer error is computed on the images\n"
         "  --threshold T   the layer error plot's rmse/scale threshold (default 0.7)\n"
         "  --keep-float OPS  keep these quantized ops in float: indices or names (OP,OP,...), first:N or last:N;\n"
         "                  with --screenshot also writes fallback.png, export.png (and selective.png with --image)\n"
         "  --annotations P ground truth for the Evaluation dock: a COCO .json, a YOLO, Pascal VOC or class-folder\n"
         "                  folder, or a file,label .csv (format told from the path); evaluates once the models and\n"
         "                  images are loaded; with --screenshot and --images also writes evaluation.png\n";
}

namespace {
bool isImage(const QString& path) {
  static const QStringList kSuffixes = {"jpg", "jpeg", "png", "bmp", "ppm", "pgm", "webp", "tif", "tiff"};
  return kSuffixes.contains(QFileInfo(path).suffix().toLower());
}
}  // namespace

bool parseLaunchOptions(const QStringList& args, LaunchOptions* out, QString* error) {
  *out = LaunchOptions{};
  bool after_image = false;  // `--image a.jpg b.jpg`: images follow until the next option or model
  for (int i = 0; i < args.size(); ++i) {
    QString a = args[i];
    QString value;
    int eq = a.indexOf('=');
    bool has_inline = a.startsWith("--") && eq > 0;
    if (has_inline) {
      value = a.mid(eq + 1);
      a = a.left(eq);
    }
    auto take = [&](QString* into) {
      if (has_inline) {
        *into = value;
        return true;
      }
      if (i + 1 >= args.size() || args[i + 1].startsWith("--")) {
        *error = a + " needs a value";
        return false;
      }
      *into = args[++i];
      return true;
    };
    if (a == "-h" || a == "--help") {
      out->help = true;
    } else if (a == "--version") {
      out->version = true;
    } else if (a == "--float") {
      if (!take(&out->float_path)) return false;
    } else if (a == "--quant") {
      if (!take(&out->quant_path)) return false;
    } else if (a == "--image") {
      QString img;
      if (!take(&img)) return false;
      out->images << img;
      after_image = true;
      continue;
    } else if (a == "--images") {
      if (!take(&out->images_dir)) return false;
    } else if (a == "--screenshot") {
      if (!take(&out->screenshot_dir)) return false;
    } else if (a == "--labels") {
      if (!take(&out->labels)) return false;
    } else if (a == "--annotations") {
      if (!take(&out->annotations)) return false;
    } else if (a == "--select") {
      if (!take(&out->select)) return false;
    } else if (a == "--threshold") {
      QString t;
      if (!take(&t)) return false;
      bool ok = false;
      out->threshold = t.toDouble(&ok);
      if (!ok || !(out->threshold >= 0)) {
        *error = "--threshold " + t + ": not a number >= 0";
        return false;
      }
    } else if (a == "--colour-by") {
      if (!take(&out->colour_by)) return false;
      if (!layerMetric(out->colour_by)) {
        QStringList names;
        for (const LayerMetric& m : layerMetrics()) names << m.name;
        *error = "--colour-by " + out->colour_by + ": not a layer error column (" + names.join(", ") + ")";
        return false;
      }
    } else if (a == "--keep-float") {
      if (!take(&out->keep_float)) return false;
    } else if (a.startsWith("-") && a.size() > 1) {
      *error = "unknown option " + a;
      return false;
    } else if (a.endsWith(".qlsession", Qt::CaseInsensitive)) {
      if (!out->session.isEmpty()) {
        *error = "one session at a time";
        return false;
      }
      out->session = a;
    } else if (isImage(a) || (after_image && !a.endsWith(".tflite", Qt::CaseInsensitive))) {
      out->images << a;
      continue;
    } else {
      out->files << a;
    }
    after_image = false;
  }
  int models = static_cast<int>(out->files.size()) + !out->float_path.isEmpty() + !out->quant_path.isEmpty();
  if (!out->session.isEmpty() && models > 0) {
    *error = "a session brings its own models: give the session or models, not both";
    return false;
  }
  if (models > 2) {
    *error = "at most two models can be opened (a float one and a quantized one)";
    return false;
  }
  return true;
}

bool haveDisplay() {
  return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
         !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

}  // namespace ql::gui
