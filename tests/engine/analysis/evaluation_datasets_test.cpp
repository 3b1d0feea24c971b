// The annotation readers on hand-made files: COCO JSON, YOLO labels with classes.txt / data.yaml, Pascal VOC XML
// and label maps, class folders, file,label CSV, class mapping, and image sizes from file headers.
#include <gtest/gtest.h>

#include <filesystem>

#include "analysis/evaluation/annotations.h"
#include "analysis/evaluation/class_mapping.h"
#include "analysis/evaluation/label_map_png.h"
#include "analysis/evaluation/segmentation_eval.h"
#include "analysis/evaluation/yolo_annotations.h"
#include "evaluation_test_files.h"
#include "support/test_support.h"
#include "util/error.h"
#include "vision/image_size.h"

namespace fs = std::filesystem;

namespace ql {
namespace {

using test::writeBmp;
using test::writePng;
using test::writeText;

class EvaluationDatasets : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = test::makeTempDir("eval-datasets");
    fs::create_directories(dir + "/images");
    writeBmp(dir + "/images/a.bmp", 200, 100);
    writeBmp(dir + "/images/b.bmp", 50, 40);
  }
  void TearDown() override { fs::remove_all(dir); }
  ImageLocator images() const { return ImageLocator::folder(dir + "/images"); }
  std::string dir;
};

template <typename F>
std::string errorOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    return e.what();
  }
  return "(no error)";
}

TEST_F(EvaluationDatasets, ImageSizeFromHeaders) {
  EXPECT_EQ(imageSize(dir + "/images/a.bmp").width, 200);
  EXPECT_EQ(imageSize(dir + "/images/a.bmp").height, 100);
  writePng(dir + "/m.png", 3, 2, {0, 1, 2, 3, 4, 5}, 0);
  EXPECT_EQ(imageSize(dir + "/m.png").width, 3);
  EXPECT_EQ(imageSize(dir + "/m.png").height, 2);
  if (!test::sharedDir().empty()) {  // a real JPEG: its frame header after the EXIF/JFIF segments
    const ImageSize s = imageSize(test::sharedDir() + "/images/coco/000000404249.jpg");
    EXPECT_EQ(s.width, 427);
    EXPECT_EQ(s.height, 640);
  }
  EXPECT_NE(errorOf([&] { imageSize(dir + "/nothing.jpg"); }).find("nothing.jpg"), std::string::npos);
}

TEST_F(EvaluationDatasets, CocoJsonInIdOrderWithCrowdAreaAndMissingImages) {
  writeText(dir + "/gt.json", R"({
    "categories": [{"id": 7, "name": "dog"}, {"id": 3, "name": "cat"}],
    "images": [{"id": 20, "file_name": "b.bmp", "width": 50, "height": 40},
               {"id": 10, "file_name": "a.bmp", "width": 200, "height": 100},
               {"id": 30, "file_name": "gone.jpg", "width": 5, "height": 5}],
    "annotations": [{"image_id": 10, "category_id": 7, "bbox": [1, 2, 30, 40], "area": 500, "iscrowd": 0},
                    {"image_id": 10, "category_id": 3, "bbox": [0, 0, 10, 10], "iscrowd": 1},
                    {"image_id": 20, "category_id": 3, "bbox": [5, 5, 4, 4]}]})");
  Dataset d = readAnnotations(AnnotationFormat::Auto, dir + "/gt.json", images(), "");
  EXPECT_EQ(d.kind, AnnotationKind::Boxes);
  ASSERT_EQ(d.categories.size(), 2u);
  EXPECT_EQ(d.categories[0].name, "cat");  // id 3 before id 7
  ASSERT_EQ(d.images.size(), 2u);
  EXPECT_EQ(d.images[0].file, "a.bmp");  // id 10 before id 20
  EXPECT_EQ(d.images[0].width, 200);
  ASSERT_EQ(d.images[0].boxes.size(), 2u);
  EXPECT_EQ(d.images[0].boxes[0].category, 1);
  EXPECT_EQ(d.images[0].boxes[0].area, 500);
  EXPECT_TRUE(d.images[0].boxes[1].crowd);
  EXPECT_TRUE(d.images[0].boxes[1].ignore);
  EXPECT_EQ(d.images[1].boxes[0].area, 16);  // no area given: the box's
  EXPECT_EQ(d.missing, std::vector<std::string>{"gone.jpg"});

  writeText(dir + "/bad.json", R"({"categories": [], "images": [{"id": 1, "file_name": "a.bmp"}],
    "annotations": [{"image_id": 1, "category_id": 4, "bbox": [0, 0, 1, 1]}]})");
  EXPECT_NE(
      errorOf([&] { readAnnotations(AnnotationFormat::Coco, dir + "/bad.json", images(), ""); }).find("category 4"),
      std::string::npos);
  writeText(dir + "/cut.json", "{\"images\": [");
  EXPECT_NE(errorOf([&] { readAnnotations(AnnotationFormat::Coco, dir + "/cut.json", images(), ""); }).find("cut.json"),
            std::string::npos);
}

TEST_F(EvaluationDatasets, YoloLabelsInPixelsWithClassesTxtOrDataYaml) {
  fs::create_directories(dir + "/labels");
  writeText(dir + "/labels/a.txt", "1 0.5 0.5 0.2 0.4\n\n0 0.1 0.1 0.2 0.2\n");
  writeText(dir + "/labels/orphan.txt", "0 0.5 0.5 0.1 0.1\n");
  writeText(dir + "/labels/classes.txt", "person\ncar\n");
  Dataset d = readAnnotations(AnnotationFormat::Auto, dir + "/labels", images(), "");
  ASSERT_EQ(d.categories.size(), 2u);
  EXPECT_EQ(d.categories[1].name, "car");
  ASSERT_EQ(d.images.size(), 2u);
  const GroundTruthBox& g = d.images[0].boxes[0];  // a.bmp is 200x100
  EXPECT_EQ(g.category, 1);
  EXPECT_DOUBLE_EQ(g.box.x, 80);
  EXPECT_DOUBLE_EQ(g.box.y, 30);
  EXPECT_DOUBLE_EQ(g.box.w, 40);
  EXPECT_DOUBLE_EQ(g.box.h, 40);
  EXPECT_DOUBLE_EQ(g.area, 1600);
  EXPECT_TRUE(d.images[1].boxes.empty());  // b.bmp has no label file: no objects
  EXPECT_EQ(d.missing, std::vector<std::string>{"orphan.txt"});

  // data.yaml one folder up, names as `index: name` lines; and as a list.
  fs::remove(dir + "/labels/classes.txt");
  writeText(dir + "/data.yaml", "path: ../x\nnames:\n  0: person # people\n  1: 'car'\nnc: 2\n");
  EXPECT_EQ(readAnnotations(AnnotationFormat::Yolo, dir + "/labels", images(), "").categories[1].name, "car");
  writeText(dir + "/list.yaml", "nc: 3\nnames: ['a', \"b c\", d]\n");
  EXPECT_EQ(readYamlNames(dir + "/list.yaml"), (std::vector<std::string>{"a", "b c", "d"}));
  writeText(dir + "/dash.yaml", "names:\n  - x\n  - y\n");
  EXPECT_EQ(readYamlNames(dir + "/dash.yaml"), (std::vector<std::string>{"x", "y"}));

  writeText(dir + "/map.yaml", "names: {0: p, 1: 'q'}\n");
  EXPECT_EQ(readYamlNames(dir + "/map.yaml"), (std::vector<std::string>{"p", "q"}));
  // A segmentation polygon counts as its bounding box: x 0.1..0.5, y 0.2..0.6 of 200x100.
  writeText(dir + "/labels/a.txt", "0 0.1 0.2 0.5 0.2 0.3 0.6\n");
  const GroundTruthBox p = readYoloLabels(dir + "/labels", images()).images[0].boxes.at(0);
  EXPECT_NEAR(p.box.x, 20, 1e-9);
  EXPECT_NEAR(p.box.y, 20, 1e-9);
  EXPECT_NEAR(p.box.w, 80, 1e-9);
  EXPECT_NEAR(p.box.h, 40, 1e-9);

  writeText(dir + "/labels/a.txt", "1 0.5 0.5\n");
  EXPECT_NE(errorOf([&] { readYoloLabels(dir + "/labels", images()); }).find("a.txt:1"), std::string::npos);
  writeText(dir + "/labels/a.txt", "5 0.5 0.5 0.1 0.1\n");
  EXPECT_NE(errorOf([&] { readYoloLabels(dir + "/labels", images()); }).find("class 5"), std::string::npos);
}

TEST_F(EvaluationDatasets, VocXmlWithDifficultObjectsAndEntities) {
  fs::create_directories(dir + "/voc");
  writeBmp(dir + "/images/R&D.bmp", 64, 48);
  writeText(dir + "/voc/r.xml", R"(<?xml version="1.0" encoding="utf-8"?>
<!-- made by a labelling tool -->
<annotation verified="yes">
  <filename>R&amp;D.bmp</filename>
  <size><width>64</width><height>48</height><depth>3</depth></size>
  <object><name>dog</name><difficult>0</difficult>
    <bndbox><xmin>11</xmin><ymin>21</ymin><xmax>30</xmax><ymax>40</ymax></bndbox></object>
  <object><name>Cat</name><difficult>1</difficult>
    <bndbox><xmin>1.5</xmin><ymin>1</ymin><xmax>10.5</xmax><ymax>10</ymax></bndbox></object>
</annotation>)");
  writeText(dir + "/voc/gone.xml", "<annotation><filename>gone.jpg</filename></annotation>");
  Dataset d = readAnnotations(AnnotationFormat::Auto, dir + "/voc", images(), "");
  ASSERT_EQ(d.categories.size(), 2u);
  EXPECT_EQ(d.categories[0].name, "Cat");  // names found, sorted
  ASSERT_EQ(d.images.size(), 1u);
  EXPECT_EQ(d.images[0].file, "R&D.bmp");
  EXPECT_EQ(d.images[0].width, 64);
  ASSERT_EQ(d.images[0].boxes.size(), 2u);
  // 1-based inclusive pixels 11..30 are [10, 30) in continuous coordinates: 20 wide.
  EXPECT_DOUBLE_EQ(d.images[0].boxes[0].box.x, 10);
  EXPECT_DOUBLE_EQ(d.images[0].boxes[0].box.w, 20);
  EXPECT_FALSE(d.images[0].boxes[0].ignore);
  EXPECT_TRUE(d.images[0].boxes[1].ignore);
  EXPECT_FALSE(d.images[0].boxes[1].crowd);
  EXPECT_EQ(d.missing, std::vector<std::string>{"gone.jpg"});

  writeText(dir + "/voc/gone.xml", "<annotation>\n<object><name>x</name>\n</annotation>");
  EXPECT_NE(errorOf([&] { readAnnotations(AnnotationFormat::Voc, dir + "/voc", images(), ""); }).find("gone.xml:3"),
            std::string::npos);
}

TEST_F(EvaluationDatasets, VocLabelMapsAreReadAsPaletteIndices) {
  fs::create_directories(dir + "/masks");
  writePng(dir + "/masks/a.png", 2, 2, {0, 15, 255, 1}, 3);
  writePng(dir + "/masks/lost.png", 1, 1, {0}, 3);
  writeText(dir + "/voc_labels.txt", "background\naeroplane\n");
  Dataset d = readAnnotations(AnnotationFormat::Auto, dir + "/masks", images(), dir + "/voc_labels.txt");
  EXPECT_EQ(d.kind, AnnotationKind::Masks);
  ASSERT_EQ(d.images.size(), 1u);
  EXPECT_EQ(d.categories.size(), 2u);
  EXPECT_EQ(d.missing, std::vector<std::string>{"lost"});
  const LabelMap m = readLabelMap(d.images[0].mask_path);
  EXPECT_EQ(m.values, (std::vector<int32_t>{0, 15, 255, 1}));  // indices, not the palette's colours
  writePng(dir + "/grey.png", 2, 1, {3, 255}, 0);
  EXPECT_EQ(readLabelMap(dir + "/grey.png").values, (std::vector<int32_t>{3, 255}));
  writePng(dir + "/rgb.png", 1, 1, {3}, 2);
  EXPECT_NE(errorOf([&] { readLabelMap(dir + "/rgb.png"); }).find("colour"), std::string::npos);
  writeText(dir + "/text.png", "not a png");
  EXPECT_NE(errorOf([&] { readLabelMap(dir + "/text.png"); }).find("text.png"), std::string::npos);
}

TEST_F(EvaluationDatasets, ClassFoldersAndLabelCsv) {
  fs::create_directories(dir + "/classes/tabby cat");
  fs::create_directories(dir + "/classes/dog");
  writeBmp(dir + "/classes/tabby cat/1.bmp", 8, 8);
  writeBmp(dir + "/classes/dog/2.bmp", 8, 8);
  writeBmp(dir + "/classes/dog/3.bmp", 8, 8);
  Dataset f = readAnnotations(AnnotationFormat::Auto, dir + "/classes", images(), "");
  EXPECT_EQ(f.kind, AnnotationKind::ImageLabels);
  ASSERT_EQ(f.categories.size(), 2u);
  EXPECT_EQ(f.categories[0].name, "dog");
  ASSERT_EQ(f.images.size(), 3u);
  EXPECT_EQ(f.images[2].label, 1);

  writeText(dir + "/labels.csv", "file,label\na.bmp,dog\nb.bmp,Tabby_Cat\nnope.bmp,dog\n");
  Dataset c = readAnnotations(AnnotationFormat::Auto, dir + "/labels.csv", images(), "");
  ASSERT_EQ(c.images.size(), 2u);
  EXPECT_EQ(c.missing, std::vector<std::string>{"nope.bmp"});
  EXPECT_EQ(c.categories[static_cast<size_t>(c.images[0].label)].name, "dog");
  // Quoted fields, and unquoted commas after the file name that belong to the label.
  writeText(dir + "/commas.csv", "\"a.bmp\",\"tabby, tabby cat\"\nb.bmp,tabby, tabby cat\n");
  Dataset q = readAnnotations(AnnotationFormat::Csv, dir + "/commas.csv", images(), "");
  ASSERT_EQ(q.categories.size(), 1u);
  EXPECT_EQ(q.categories[0].name, "tabby, tabby cat");
  EXPECT_EQ(q.images.size(), 2u);
  // Numbers without a labels file: the model's class of that number (a category without a name).
  writeText(dir + "/numbers.csv", "a.bmp,281\nb.bmp,7\n");
  Dataset n = readAnnotations(AnnotationFormat::Csv, dir + "/numbers.csv", images(), "");
  const Category& cat = n.categories[static_cast<size_t>(n.images[0].label)];
  EXPECT_EQ(cat.id, 281);
  EXPECT_TRUE(cat.name.empty());
  ClassMapping m = mapClassesByName(std::vector<std::string>(300, "x"), n.categories);
  EXPECT_EQ(m.category_of_class[281], n.images[0].label);
}

TEST_F(EvaluationDatasets, ClassMappingByNameOrFile) {
  std::vector<Category> cats{{1, "person"}, {3, "traffic light"}, {9, "dog"}};
  ClassMapping m = mapClassesByName({"Person", "traffic_light", "???", "cat"}, cats);
  EXPECT_EQ(m.category_of_class, (std::vector<int>{0, 1, -1, -1}));
  EXPECT_EQ(m.mapped, 2u);
  // ImageNet-style labels match a category by any of their synonyms.
  ClassMapping syn = mapClassesByName({"tabby, tabby cat", "hotdog, hot dog, red hot"}, {{0, "hot dog"}, {1, "tabby"}});
  EXPECT_EQ(syn.category_of_class, (std::vector<int>{1, 0}));
  writeText(dir + "/map.csv", "model_class,annotation_category\n3,9\ncat,person\n");
  ClassMapping f = readClassMap(dir + "/map.csv", {"Person", "traffic_light", "???", "cat"}, 5, cats);
  EXPECT_EQ(f.category_of_class, (std::vector<int>{-1, -1, -1, 0, -1}));  // class 3 ("cat"): the later line wins
  EXPECT_EQ(f.mapped, 1u);
  writeText(dir + "/bad.csv", "2,unicorn\n");
  EXPECT_NE(errorOf([&] { readClassMap(dir + "/bad.csv", {}, 5, cats); }).find("bad.csv:1"), std::string::npos);
}

}  // namespace
}  // namespace ql
