// Detections drawn on their image: boxes coloured by class, "label score" captions, keypoints.
#pragma once

#include <string>
#include <vector>

#include "analysis/detections.h"

namespace ql {

// Writes `image_path` with `detections` drawn on it to `out_path` (.png, .jpg or .bmp, atomically). Classes
// without a label are captioned "class N".
void drawDetections(const std::string& image_path, const std::vector<Detection>& detections,
                    const std::string& out_path);

// "person" or "class 3".
std::string detectionName(const Detection& d);

}  // namespace ql
