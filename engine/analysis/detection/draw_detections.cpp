#include "analysis/detection/draw_detections.h"

#include <iomanip>
#include <sstream>

#include "vision/draw_boxes.h"

namespace ql {

std::string detectionName(const Detection& d) { return d.label.empty() ? "class " + std::to_string(d.cls) : d.label; }

void drawDetections(const std::string& image_path, const std::vector<Detection>& detections,
                    const std::string& out_path) {
  std::vector<DrawnBox> drawn;
  for (const Detection& d : detections) {
    std::ostringstream caption;
    caption << detectionName(d) << " " << std::fixed << std::setprecision(2) << d.score;
    drawn.push_back({d.ymin, d.xmin, d.ymax, d.xmax, caption.str(), d.cls, d.keypoints});
  }
  drawBoxesOnImage(image_path, drawn, out_path);
}

}  // namespace ql
