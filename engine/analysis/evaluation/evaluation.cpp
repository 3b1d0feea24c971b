#include "analysis/evaluation/evaluation.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

#include "analysis/evaluation/label_map_png.h"
#include "analysis/evaluation/segmentation_eval.h"
#include "util/error.h"
#include "vision/image_size.h"

namespace fs = std::filesystem;

namespace ql {

namespace {

EvalBox pixelBox(const Detection& d, int w, int h) {
  return {d.xmin * static_cast<double>(w), d.ymin * static_cast<double>(h), (d.xmax - d.xmin) * static_cast<double>(w),
          (d.ymax - d.ymin) * static_cast<double>(h)};
}

int mapped(const ClassMapping& m, int cls) {
  return cls >= 0 && static_cast<size_t>(cls) < m.category_of_class.size()
             ? m.category_of_class[static_cast<size_t>(cls)]
             : -1;
}

std::string labelOf(const EvaluatedModel& m, int cls) {
  return cls >= 0 && static_cast<size_t>(cls) < m.labels.size() ? m.labels[static_cast<size_t>(cls)] : "";
}

// --- against annotations -------------------------------------------------------------------------------------

void detectionMetrics(const Dataset& ds, const ClassMapping& mapping, ModelResult& r) {
  std::vector<ImageBoxes> boxes(ds.images.size());
  for (size_t i = 0; i < boxes.size(); ++i) {
    boxes[i].truth = ds.images[i].boxes;
    for (const Detection& d : r.images[i].prediction.detections) {
      const int cat = mapped(mapping, d.cls);
      if (cat >= 0) boxes[i].detections.push_back({pixelBox(d, r.images[i].width, r.images[i].height), cat, d.score});
    }
  }
  BoxEvaluation e(boxes, static_cast<int>(ds.categories.size()));
  const BoxMetrics m = e.metrics();
  r.metrics = {{"map", m.map},
               {"map50", m.map50},
               {"map75", m.map75},
               {"map_small", m.map_small},
               {"map_medium", m.map_medium},
               {"map_large", m.map_large},
               {"ar100", m.ar100}};
  r.per_class_metric = "ap";
  for (const CategoryAp& c : m.per_category) {
    if (c.ground_truth == 0) continue;  // left out of the mean
    const Category& cat = ds.categories[static_cast<size_t>(c.category)];
    r.per_class.push_back({cat.id, cat.name, c.ap, c.ground_truth, {c.precision50.begin(), c.precision50.end()}});
  }
  for (size_t i = 0; i < boxes.size(); ++i) r.images[i].score = e.imageMap(i);
}

void classificationMetrics(const Dataset& ds, const ClassMapping& mapping, ModelResult& r) {
  std::vector<size_t> count(ds.categories.size()), correct(ds.categories.size());
  double top1 = 0, top5 = 0;
  for (size_t i = 0; i < ds.images.size(); ++i) {
    const int truth = ds.images[i].label;
    const auto& t5 = r.images[i].prediction.top5;
    const bool hit1 = !t5.empty() && mapped(mapping, t5[0].first) == truth;
    const bool hit5 = std::any_of(t5.begin(), t5.end(), [&](auto& p) { return mapped(mapping, p.first) == truth; });
    top1 += hit1;
    top5 += hit5;
    r.images[i].score = hit1;
    if (truth >= 0) ++count[static_cast<size_t>(truth)], correct[static_cast<size_t>(truth)] += hit1;
  }
  const double n = static_cast<double>(std::max<size_t>(1, ds.images.size()));
  r.metrics = {{"top1", ds.images.empty() ? -1 : top1 / n}, {"top5", ds.images.empty() ? -1 : top5 / n}};
  r.per_class_metric = "accuracy";
  for (size_t k = 0; k < ds.categories.size(); ++k)
    if (count[k])
      r.per_class.push_back({ds.categories[k].id,
                             ds.categories[k].name,
                             static_cast<double>(correct[k]) / static_cast<double>(count[k]),
                             count[k],
                             {}});
}

// One image's confusion against its label map (read once for every model).
Confusion labelConfusion(const Dataset& ds, const std::map<int64_t, int>& index_of_id, const LabelMap& truth,
                         const ClassMapping& mapping, const Prediction& p) {
  const std::vector<int32_t> mask = resizeNearest(p.mask, p.mask_width, p.mask_height, truth.width, truth.height);
  Confusion image(ds.categories.size());
  for (size_t px = 0; px < mask.size(); ++px) {
    if (truth.values[px] == kIgnoredLabel) continue;
    auto t = index_of_id.find(truth.values[px]);
    if (t != index_of_id.end()) image.add(t->second, mapped(mapping, mask[px]));
  }
  return image;
}

void segmentationMetrics(const Dataset& ds, const Confusion& total, ModelResult& r) {
  r.metrics = {{"miou", total.meanIou()}};
  r.per_class_metric = "iou";
  const std::vector<double> iou = total.iou();
  for (size_t k = 0; k < ds.categories.size(); ++k)
    if (total.truthPixels(k))
      r.per_class.push_back({ds.categories[k].id, ds.categories[k].name, iou[k], total.truthPixels(k), {}});
}

// --- against the first model ---------------------------------------------------------------------------------

double detectionAgreement(const ModelResult& ref, ModelResult& r) {
  std::vector<ImageBoxes> boxes(r.images.size());
  int classes = 1;
  for (size_t i = 0; i < boxes.size(); ++i) {
    const ImageResult& a = ref.images[i];
    for (const Detection& d : a.prediction.detections) {
      if (d.score < kAgreementScore || d.cls < 0) continue;
      GroundTruthBox g;
      g.box = pixelBox(d, a.width, a.height);
      g.category = d.cls;
      g.area = g.box.w * g.box.h;
      boxes[i].truth.push_back(g);
      classes = std::max(classes, d.cls + 1);
    }
    for (const Detection& d : r.images[i].prediction.detections) {
      if (d.cls < 0) continue;
      boxes[i].detections.push_back({pixelBox(d, a.width, a.height), d.cls, d.score});
      classes = std::max(classes, d.cls + 1);
    }
  }
  BoxEvaluation e(boxes, classes);
  for (size_t i = 0; i < boxes.size(); ++i) r.images[i].agreement = e.imageMap(i);
  return e.metrics().map;
}

double classificationAgreement(const ModelResult& ref, ModelResult& r) {
  double same = 0;
  for (size_t i = 0; i < r.images.size(); ++i) {
    const auto& a = ref.images[i].prediction.top5;
    const auto& b = r.images[i].prediction.top5;
    r.images[i].agreement = !a.empty() && !b.empty() && a[0].first == b[0].first;
    same += r.images[i].agreement;
  }
  return r.images.empty() ? -1 : same / static_cast<double>(r.images.size());
}

// One image's mask against the first model's, at the first model's resolution.
Confusion maskAgreement(const Prediction& ref, const Prediction& p) {
  const std::vector<int32_t> mask = resizeNearest(p.mask, p.mask_width, p.mask_height, ref.mask_width, ref.mask_height);
  int32_t classes = 1;
  for (const auto* m : {&ref.mask, &mask})
    for (int32_t v : *m) classes = std::max(classes, v + 1);
  Confusion image(static_cast<size_t>(classes));
  for (size_t px = 0; px < mask.size() && px < ref.mask.size(); ++px) image.add(ref.mask[px], mask[px]);
  return image;
}

AnnotationKind kindFor(ModelTask t) {
  return t == ModelTask::Detection        ? AnnotationKind::Boxes
         : t == ModelTask::Classification ? AnnotationKind::ImageLabels
                                          : AnnotationKind::Masks;
}

const char* kindName(AnnotationKind k) {
  return k == AnnotationKind::Boxes ? "boxes" : k == AnnotationKind::ImageLabels ? "image labels" : "label maps";
}

}  // namespace

ClassMapping classMappingFor(const EvaluatedModel& model, const Dataset& ds, const std::string& class_map_file) {
  ClassMapping m = class_map_file.empty()
                       ? mapClassesByName(model.labels, ds.categories)
                       : readClassMap(class_map_file, model.labels, model.class_count, ds.categories);
  if (m.mapped == 0)
    badInput(model.name, model.labels.empty()
                             ? "has no labels to match the annotation categories by name; give --model-labels FILE "
                               "or --class-map FILE"
                             : "no label of the model names an annotation category; give --class-map FILE");
  return m;
}

void numberUnnamedLabelMapClasses(Dataset& d, const EvaluatedModel& model) {
  if (d.kind != AnnotationKind::Masks || !d.categories.empty()) return;
  for (int c = 0; c < model.class_count; ++c) d.categories.push_back({c, ""});
}

EvaluationResult evaluateModels(const std::vector<EvaluatedModel>& models, const EvaluationInputs& in,
                                Progress& progress) {
  const Dataset* ds = in.dataset;
  EvaluationResult out;
  if (ds) {
    out.annotations = ds->source;
    out.missing = ds->missing;
    for (const EvaluatedModel& m : models)
      if (kindFor(m.task) != ds->kind)
        badInput(ds->source, std::string("holds ") + kindName(ds->kind) + ", but " + m.name + " is a " +
                                 modelTaskName(m.task) + " model (it needs " + kindName(kindFor(m.task)) + ")");
    if (in.mappings.size() != models.size()) badInput("", "one class mapping per model is needed");
  }
  std::vector<std::string> paths;
  std::vector<std::string> files;
  if (ds)
    for (const AnnotatedImage& a : ds->images) paths.push_back(a.path), files.push_back(a.file);
  else
    for (const std::string& p : in.images) paths.push_back(p), files.push_back(fs::path(p).filename().string());
  if (paths.empty()) badInput(ds ? ds->source : "", "no image to evaluate on");

  // The original image sizes: boxes come back normalized to them.
  std::vector<ImageSize> sizes(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    if (ds && ds->images[i].width > 0 && ds->images[i].height > 0)
      sizes[i] = {ds->images[i].width, ds->images[i].height};
    else
      sizes[i] = imageSize(paths[i]);
  }

  out.models.resize(models.size());
  for (size_t mi = 0; mi < models.size(); ++mi) {
    out.models[mi].model = models[mi].name;
    out.models[mi].task = models[mi].task;
    out.models[mi].images.resize(paths.size());
  }
  // Segmenters are measured image by image and their masks dropped, so memory does not grow with the images.
  const bool first_segments = models[0].task == ModelTask::Segmentation;
  std::vector<Confusion> label_totals(models.size(), Confusion(ds ? ds->categories.size() : 0));
  std::vector<Confusion> agreement_totals(models.size(), Confusion(0));
  std::map<int64_t, int> index_of_id;
  if (ds)
    for (size_t k = 0; k < ds->categories.size(); ++k) index_of_id[ds->categories[k].id] = static_cast<int>(k);

  const size_t total = models.size() * paths.size();
  for (size_t i = 0; i < paths.size(); ++i) {
    for (size_t mi = 0; mi < models.size(); ++mi) {
      const EvaluatedModel& model = models[mi];
      progress.step(i * models.size() + mi, total, fs::path(model.name).filename().string() + ": " + files[i]);
      ImageResult& im = out.models[mi].images[i];
      im.file = files[i];
      im.width = sizes[i].width;
      im.height = sizes[i].height;
      im.prediction = model.predict(paths[i]);
      for (Detection& d : im.prediction.detections) d.label = labelOf(model, d.cls);
    }
    std::unique_ptr<LabelMap> truth;
    for (size_t mi = 0; mi < models.size(); ++mi) {
      if (models[mi].task != ModelTask::Segmentation) continue;
      ImageResult& im = out.models[mi].images[i];
      if (ds) {
        if (!truth) truth = std::make_unique<LabelMap>(readLabelMap(ds->images[i].mask_path));
        const Confusion c = labelConfusion(*ds, index_of_id, *truth, in.mappings[mi], im.prediction);
        im.score = c.meanIou();
        label_totals[mi].add(c);
      }
      if (mi > 0 && first_segments) {
        const Confusion c = maskAgreement(out.models[0].images[i].prediction, im.prediction);
        im.agreement = c.meanIou();
        agreement_totals[mi].add(c);
      }
    }
    for (ModelResult& r : out.models) r.images[i].prediction.mask = {};
  }

  for (size_t mi = 0; mi < models.size(); ++mi) {
    const EvaluatedModel& model = models[mi];
    ModelResult& r = out.models[mi];
    if (ds) {
      const ClassMapping& mapping = in.mappings[mi];
      switch (model.task) {
        case ModelTask::Detection: detectionMetrics(*ds, mapping, r); break;
        case ModelTask::Classification: classificationMetrics(*ds, mapping, r); break;
        case ModelTask::Segmentation: segmentationMetrics(*ds, label_totals[mi], r); break;
      }
      const size_t classes = mapping.category_of_class.size();
      if (mapping.mapped < classes)
        r.notes.push_back(std::to_string(classes - mapping.mapped) + " of " + std::to_string(classes) +
                          " model classes name no annotation category: their predictions are left out");
    } else if (model.task == ModelTask::Detection) {
      r.per_class_metric = "ap";
    }
    if (mi == 0) continue;
    const ModelResult& ref = out.models[0];
    if (ref.task != model.task) {
      r.notes.push_back("no agreement: the first model is a " + std::string(modelTaskName(ref.task)) + " model");
      continue;
    }
    const double a = model.task == ModelTask::Detection        ? detectionAgreement(ref, r)
                     : model.task == ModelTask::Classification ? classificationAgreement(ref, r)
                                                               : agreement_totals[mi].meanIou();
    r.metrics.emplace_back("agreement", a);
  }
  progress.step(total, total, "done");
  return out;
}

}  // namespace ql
