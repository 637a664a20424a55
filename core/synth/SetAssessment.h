#pragma once
// How good and how diverse a synthetic set is, in the numbers the CLI (`dfq synth --json`), the GUI
// and the benchmarks report: BN divergence of the whole set, intra-class diversity on the teacher's
// penultimate features and on pixels, and how many images each (teacher-)label got.
#include "metrics/BnDivergence.h"
#include "metrics/Diversity.h"
#include "models/ZooModel.h"
#include "synth/SyntheticSet.h"

#include <vector>

namespace dfq::synth {

struct SetAssessment {
    std::vector<metrics::LayerDivergence> layers;   ///< per BN layer, forward order (empty without BN)
    metrics::LayerDivergence mean;                  ///< their average ("mean")
    metrics::ClassDiversity features;               ///< on penultimate features; counts = images per label
    metrics::ClassDiversity pixels;                 ///< on the normalised images
};

/// Runs the teacher (eval, no autograd, in chunks of 256) over set.images [N,C,H,W] with set.labels [N].
SetAssessment assessSyntheticSet(models::ZooModelImpl& model, const SyntheticSet& set);

} // namespace dfq::synth
