#include "EpochReportConverter.h"

#include "AssessmentView.h"
#include "SynthesisFeed.h"

#include "generative/JointEvents.h"
#include "synth/SynthesisEvents.h"

#include <torch/torch.h>

#include <vector>

namespace dfq::ui {

struct EpochReportConverter::History {
    std::string layer;
    std::vector<torch::Tensor> means;         ///< [K,C] per epoch
    std::vector<torch::Tensor> initialised;   ///< [K] uint8 per epoch
};

EpochReportConverter::EpochReportConverter() : history_(std::make_unique<History>()) {}
EpochReportConverter::~EpochReportConverter() = default;

void EpochReportConverter::reset() { *history_ = History(); }

GeneratorEpoch EpochReportConverter::convert(const generative::EpochReport& r) {
    GeneratorEpoch e;
    e.epoch = r.epoch;
    e.epochs = r.epochs;
    e.iterations = r.iterations;
    e.studentTrained = r.studentTrained;
    for (const auto& [k, v] : r.meanTerms)
        e.terms.insert(QString::fromStdString(k), v);
    e.studentTop1 = r.studentTop1;
    e.seconds = r.seconds;
    e.probeKl = r.probe.mean.kl;
    e.layers = SynthesisFeed::rows(r.probe.layers);
    if (r.probeImages.defined()) {
        synth::ImageSnapshot s;
        s.step = r.iterations;
        s.images = r.probeImages;
        s.labels = r.probeLabels;
        s.confidence = r.probe.labelProbability;
        e.probe = SynthesisFeed::toSnapshot(s);
    }
    e.quality = toSetQuality(r.probe, r.probeLabels, r.probeImages);

    // ClusterQ: its centroids this epoch join the history; all of it goes on the axes of the probe's
    // map of the same layer, so trajectories, probe images and probe centroids share one frame.
    const auto means = r.methodTensors.find("centroid_means");
    if (means == r.methodTensors.end() || !r.methodJson.contains("centroid_layer"))
        return e;
    const std::string layer = r.methodJson["centroid_layer"].get<std::string>();
    if (layer != history_->layer)
        *history_ = History{layer, {}, {}};
    history_->means.push_back(means->second.detach().to(torch::kFloat32).clone());
    const auto init = r.methodTensors.find("centroid_initialised");
    history_->initialised.push_back(init != r.methodTensors.end() ? init->second.to(torch::kUInt8).clone()
                                                                    : torch::ones({means->second.size(0)}, torch::kUInt8));
    const synth::SetAssessment::LayerMap* map = nullptr;
    for (const auto& m : r.probe.layerMaps)
        if (m.layer == layer)
            map = &m;
    if (!map || map->centroidMap.components.size(1) != means->second.size(1))
        return e;
    const torch::Tensor axes = map->centroidMap.components.to(torch::kFloat32);
    const torch::Tensor centre = map->centroidMap.mean.to(torch::kFloat32);
    e.trajectories.layer = QString::fromStdString(layer);
    const int64_t classes = means->second.size(0);
    for (int64_t k = 0; k < classes; ++k) {
        QVector<QPointF> path;
        for (size_t t = 0; t < history_->means.size(); ++t) {
            if (history_->initialised[t][k].item<uint8_t>() == 0)
                continue;
            const torch::Tensor p = torch::matmul(history_->means[t][k] - centre, axes.t()).to(torch::kDouble);
            path.push_back(QPointF(p[0].item<double>(), p[1].item<double>()));
        }
        if (!path.isEmpty()) {
            e.trajectories.classes.push_back(int(k));
            e.trajectories.points.push_back(path);
        }
    }
    return e;
}

} // namespace dfq::ui
