#include "synth/SetAssessment.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

namespace dfq::synth {

SetAssessment assessSyntheticSet(models::ZooModelImpl& model, const SyntheticSet& set) {
    SetAssessment a;
    a.layers = metrics::bnDivergence(model, set.images);
    a.mean = metrics::meanDivergence(a.layers);
    const int64_t classes = std::max<int64_t>(1, model.info().numClasses);
    const auto run = [&](const torch::Tensor& images) {
        torch::NoGradGuard ng;
        const bool wasTraining = model.is_training();
        model.eval();
        std::vector<torch::Tensor> parts, outs;
        for (int64_t s = 0; s < images.size(0); s += 256) {
            parts.push_back(model.features(images.narrow(0, s, std::min<int64_t>(256, images.size(0) - s))));
            outs.push_back(model.classify(parts.back()));
        }
        model.train(wasTraining);
        return std::make_pair(torch::cat(parts, 0), torch::cat(outs, 0));
    };
    const auto [features, logits] = run(set.images);
    a.features = metrics::intraClassDiversity(features, set.labels, classes);
    a.pixels = metrics::intraClassDiversity(set.images, set.labels, classes);
    a.confidence = metrics::teacherConfidence(logits);
    {
        auto gen = at::detail::createCPUGenerator(0);
        const torch::Tensor noise = torch::randn(set.images.sizes(), gen);
        const auto [noiseFeatures, noiseLogits] = run(noise);
        a.modeCollapse = metrics::modeCollapse(
            a.features, metrics::intraClassDiversity(noiseFeatures, noiseLogits.argmax(1), classes));
    }
    a.centroids = metrics::classCentroids(features, set.labels, classes);
    const torch::Tensor present = a.centroids.present();
    a.mapOfCentroids = present.size(0) >= 3;
    a.centroidMap = metrics::pca2d(a.mapOfCentroids ? present : features);
    const torch::Tensor axes = a.centroidMap.components.to(torch::kFloat32);
    const torch::Tensor centre = a.centroidMap.mean.to(torch::kFloat32);
    a.imageMap = torch::matmul(features.to(torch::kFloat32) - centre, axes.t());
    if (!a.mapOfCentroids)   // the fallback mapped the images: put the centroids on those axes too
        a.centroidMap.projected = torch::matmul(present.to(torch::kFloat32) - centre, axes.t());
    return a;
}

} // namespace dfq::synth
