#include "vision/draw_boxes.h"

#include <algorithm>
#include <filesystem>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "util/atomic_write.h"
#include "util/error.h"

namespace ql {

namespace {

cv::Scalar colourFor(int index) {
  static const cv::Scalar palette[] = {{56, 56, 255},  {151, 157, 255}, {31, 112, 255}, {29, 178, 255},
                                       {49, 210, 207}, {10, 249, 72},   {23, 204, 146}, {134, 219, 61},
                                       {211, 188, 0},  {209, 130, 255}, {255, 148, 0},  {147, 69, 52}};
  const int n = static_cast<int>(sizeof palette / sizeof palette[0]);
  return palette[((index % n) + n) % n];  // BGR
}

}  // namespace

void drawBoxesOnImage(const std::string& image_path, const std::vector<DrawnBox>& boxes, const std::string& out_path) {
  cv::Mat img = cv::imread(image_path, cv::IMREAD_COLOR);
  if (img.empty()) badInput(image_path, "cannot read as an image");
  const int thickness = std::max(1, std::min(img.cols, img.rows) / 300);
  const double font = std::max(0.4, std::min(img.cols, img.rows) / 900.0);
  for (const DrawnBox& b : boxes) {
    const cv::Scalar colour = colourFor(b.colour_index);
    const cv::Point p0(static_cast<int>(b.xmin * img.cols), static_cast<int>(b.ymin * img.rows));
    const cv::Point p1(static_cast<int>(b.xmax * img.cols), static_cast<int>(b.ymax * img.rows));
    cv::rectangle(img, p0, p1, colour, thickness);
    for (const auto& k : b.keypoints)
      cv::circle(img, cv::Point(static_cast<int>(k[0] * img.cols), static_cast<int>(k[1] * img.rows)),
                 thickness + 1, colour, cv::FILLED);
    if (b.caption.empty()) continue;
    int baseline = 0;
    const cv::Size text = cv::getTextSize(b.caption, cv::FONT_HERSHEY_SIMPLEX, font, thickness, &baseline);
    const cv::Point origin(std::max(0, p0.x), std::max(text.height + baseline, p0.y));
    cv::rectangle(img, origin + cv::Point(0, baseline), origin + cv::Point(text.width, -text.height), colour,
                  cv::FILLED);
    cv::putText(img, b.caption, origin, cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar(255, 255, 255), thickness,
                cv::LINE_AA);
  }
  std::string ext = std::filesystem::path(out_path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext != ".png" && ext != ".jpg" && ext != ".jpeg" && ext != ".bmp")
    badInput(out_path, "--draw writes .png, .jpg or .bmp");
  std::vector<uint8_t> encoded;
  if (!cv::imencode(ext, img, encoded)) badInput(out_path, "cannot encode the image");
  writeFileAtomically(out_path, {encoded.data()}, {encoded.size()});
}

}  // namespace ql
