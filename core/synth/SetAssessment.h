#pragma once
// How good and how diverse a synthetic set is, in the numbers the CLI (`dfq synth --json`), the GUI
// and the benchmarks report: BN divergence of the whole set, intra-class diversity on the teacher's
// penultimate features and on pixels, how many images each label got, the teacher's confidence, and
// a 2-D map of the class centroids with every image on it (mode collapse shows as tight clusters).
#include "metrics/BnDivergence.h"
#include "metrics/Centroids.h"
#include "metrics/Confidence.h"
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
    metrics::TeacherConfidence confidence;          ///< on the teacher's logits of the set
    torch::Tensor labelProbability;                 ///< float [N]: the teacher's softmax probability of each label
    /// Per class, 1 − (the set's feature diversity) / (Gaussian noise's), metrics::modeCollapse: the
    /// reference is N(0,1) images of the same shape and count, labelled by the teacher (seed 0), since
    /// a data-free user has no real images to compare with. NaN for classes with < 2 images.
    std::vector<double> modeCollapse;
    metrics::ClassCentroids centroids;              ///< per label, of the penultimate features
    /// The 2-D map: PCA of the present classes' centroids when there are >= 3 of them (the axes that
    /// separate the classes), else of all images' features. centroidMap.projected [K',2] follows
    /// centroids.presentClasses(); imageMap [N,2] puts every image on the same axes.
    metrics::Pca2d centroidMap;
    torch::Tensor imageMap;
    bool mapOfCentroids = true;                     ///< false: the fallback PCA of all features
    /// The same map for each BN layer (forward order), on each image's per-channel mean of that BN's
    /// input ([N,C] -> class centroids [K',C]): where the classes part in the network. Same fallback.
    struct LayerMap {
        std::string layer;                          ///< module path, e.g. "layer3.2.bn2"
        metrics::Pca2d centroidMap;                 ///< projected [K',2], following centroids.presentClasses()
        torch::Tensor imageMap;                     ///< [N,2]
        bool mapOfCentroids = true;
    };
    std::vector<LayerMap> layerMaps;
    /// Per class, its 3 most similar images on penultimate features (metrics::mostSimilarPairs).
    std::vector<metrics::SimilarPair> closestPairs;
};

/// Runs the teacher (eval, no autograd, in chunks of 256) over set.images [N,C,H,W] with set.labels [N].
SetAssessment assessSyntheticSet(models::ZooModelImpl& model, const SyntheticSet& set);

} // namespace dfq::synth
