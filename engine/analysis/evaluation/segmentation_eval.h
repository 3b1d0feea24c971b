// Mean IoU of class maps (Pascal VOC style): a confusion matrix over the pixels, 255 in the ground truth ignored,
// IoU per class = hits / (truth + predicted - hits), the mean over the classes that occur in either.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ql {

constexpr int32_t kIgnoredLabel = 255;

class Confusion {
 public:
  explicit Confusion(size_t classes);
  // truth in [0, classes); a prediction outside it (an unmapped class) is a miss of the truth's class.
  void add(int truth, int predicted);
  void add(const Confusion& other);  // grows to the other's classes when it has more
  std::vector<double> iou() const;   // -1 for classes in neither truth nor prediction
  double meanIou() const;            // -1 when no class occurs
  uint64_t truthPixels(size_t cls) const;
  size_t classes() const { return n_; }

 private:
  size_t n_;
  std::vector<uint64_t> m_;  // [truth][predicted], predicted n_ = none
};

// A class map resized with nearest neighbours (pixel centres), as label maps are compared at their own size; an
// empty map gives -1 (no class) everywhere.
std::vector<int32_t> resizeNearest(const std::vector<int32_t>& mask, int width, int height, int to_width,
                                   int to_height);

}  // namespace ql
