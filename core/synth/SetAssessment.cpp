#include "synth/SetAssessment.h"

#include "synth/BnStatTap.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

namespace dfq::synth {
namespace {

// PCA of the present classes' centroids of `points` [N,D] (>= 3 of them), else of all points; every
// point and centroid on the same axes.
void mapCentroids(const torch::Tensor& points, const metrics::ClassCentroids& centroids, metrics::Pca2d& map,
                  torch::Tensor& imageMap, bool& ofCentroids) {
    const torch::Tensor present = centroids.present();
    ofCentroids = present.size(0) >= 3;
    map = metrics::pca2d(ofCentroids ? present : points);
    const torch::Tensor axes = map.components.to(torch::kFloat32);
    const torch::Tensor centre = map.mean.to(torch::kFloat32);
    imageMap = torch::matmul(points.to(torch::kFloat32) - centre, axes.t());
    if (!ofCentroids)   // the fallback mapped the images: put the centroids on those axes too
        map.projected = torch::matmul(present.to(torch::kFloat32) - centre, axes.t());
}

} // namespace

SetAssessment assessSyntheticSet(models::ZooModelImpl& model, const SyntheticSet& set) {
    SetAssessment a;
    a.layers = metrics::bnDivergence(model, set.images);
    a.mean = metrics::meanDivergence(a.layers);
    const int64_t classes = std::max<int64_t>(1, model.info().numClasses);
    // Penultimate features and logits in chunks; with `layerMeans`, also each BN input's per-image
    // channel means ([N,C] per BN layer) from a tap on the same forward.
    const auto run = [&](const torch::Tensor& images, std::vector<torch::Tensor>* layerMeans) {
        torch::NoGradGuard ng;
        const bool wasTraining = model.is_training();
        model.eval();
        std::unique_ptr<BnStatTap> tap;
        std::vector<std::vector<torch::Tensor>> means;
        if (layerMeans) {
            tap = std::make_unique<BnStatTap>(model);
            means.resize(tap->layerCount());
        }
        std::vector<torch::Tensor> parts, outs;
        for (int64_t s = 0; s < images.size(0); s += 256) {
            parts.push_back(model.features(images.narrow(0, s, std::min<int64_t>(256, images.size(0) - s))));
            outs.push_back(model.classify(parts.back()));
            for (size_t l = 0; tap && l < tap->layerCount(); ++l)
                if (tap->layer(l).recorded())
                    means[l].push_back(tap->layer(l).sampleMean.detach().to(torch::kFloat32));
        }
        if (tap) {
            tap.reset();
            for (auto& m : means)
                layerMeans->push_back(m.empty() ? torch::Tensor() : torch::cat(m, 0));
        }
        model.train(wasTraining);
        return std::make_pair(torch::cat(parts, 0), torch::cat(outs, 0));
    };
    std::vector<torch::Tensor> layerMeans;
    const auto [features, logits] = run(set.images, &layerMeans);
    a.features = metrics::intraClassDiversity(features, set.labels, classes);
    a.pixels = metrics::intraClassDiversity(set.images, set.labels, classes);
    a.confidence = metrics::teacherConfidence(logits);
    a.labelProbability =
        torch::softmax(logits.to(torch::kFloat32), 1).gather(1, set.labels.to(torch::kLong).unsqueeze(1)).squeeze(1);
    {
        auto gen = at::detail::createCPUGenerator(0);
        const torch::Tensor noise = torch::randn(set.images.sizes(), gen);
        const auto [noiseFeatures, noiseLogits] = run(noise, nullptr);
        a.modeCollapse = metrics::modeCollapse(
            a.features, metrics::intraClassDiversity(noiseFeatures, noiseLogits.argmax(1), classes));
    }
    a.centroids = metrics::classCentroids(features, set.labels, classes);
    mapCentroids(features, a.centroids, a.centroidMap, a.imageMap, a.mapOfCentroids);
    const auto bns = model.bnLayers();
    for (size_t l = 0; l < layerMeans.size() && l < bns.size(); ++l) {
        if (!layerMeans[l].defined() || layerMeans[l].size(0) != set.images.size(0))
            continue;   // a BN the forward did not reach (e.g. one outside features())
        SetAssessment::LayerMap m;
        m.layer = bns[l].name;
        mapCentroids(layerMeans[l], metrics::classCentroids(layerMeans[l], set.labels, classes), m.centroidMap,
                     m.imageMap, m.mapOfCentroids);
        a.layerMaps.push_back(std::move(m));
    }
    a.closestPairs = metrics::mostSimilarPairs(features, set.labels, classes, 3);
    return a;
}

} // namespace dfq::synth
