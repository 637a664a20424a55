#include "synth/SetAssessment.h"

#include <torch/torch.h>

namespace dfq::synth {

SetAssessment assessSyntheticSet(models::ZooModelImpl& model, const SyntheticSet& set) {
    SetAssessment a;
    a.layers = metrics::bnDivergence(model, set.images);
    a.mean = metrics::meanDivergence(a.layers);
    const int64_t classes = std::max<int64_t>(1, model.info().numClasses);
    torch::Tensor features;
    {
        torch::NoGradGuard ng;
        const bool wasTraining = model.is_training();
        model.eval();
        std::vector<torch::Tensor> parts;
        for (int64_t s = 0; s < set.size(); s += 256)
            parts.push_back(model.features(set.images.narrow(0, s, std::min<int64_t>(256, set.size() - s))));
        model.train(wasTraining);
        features = torch::cat(parts, 0);
    }
    a.features = metrics::intraClassDiversity(features, set.labels, classes);
    a.pixels = metrics::intraClassDiversity(set.images, set.labels, classes);
    return a;
}

} // namespace dfq::synth
