#pragma once
// Class centroids of penultimate features and a 2-D PCA map of them: how well separated the classes
// of a synthetic set are, and where they sit next to real data's centroids.
#include <torch/types.h>

#include <vector>

namespace dfq::metrics {

struct ClassCentroids {
    torch::Tensor centroids;        ///< [K,D] float32 mean feature per class; NaN rows for empty classes
    std::vector<int64_t> counts;    ///< [K]
    /// Centroids of the classes that have samples, [K',D], and which classes they are.
    torch::Tensor present() const;
    std::vector<int64_t> presentClasses() const;
};

/// features [N,D], labels [N] int64 in [0, numClasses).
ClassCentroids classCentroids(const torch::Tensor& features, const torch::Tensor& labels, int64_t numClasses);

/// Principal-component projection of M points onto their first two axes.
struct Pca2d {
    torch::Tensor projected;        ///< [M,2] coordinates (centred), float32
    torch::Tensor components;       ///< [2,D] unit axes; each flipped so its largest-|·| entry is > 0
    torch::Tensor mean;             ///< [D] the centre that was subtracted
    double explained[2] = {0, 0};   ///< fraction of the total variance along each axis
};

/// points [M,D] (finite). Computed by SVD of the centred points (double precision, CPU). Axes that do
/// not exist (M < 3 or D < 2 leave fewer than two) come back as zeros with explained 0.
/// Also usable to project other points: (x − mean)·componentsᵀ.
Pca2d pca2d(const torch::Tensor& points);

} // namespace dfq::metrics
