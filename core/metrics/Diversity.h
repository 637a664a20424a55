#pragma once
// Intra-class diversity of a sample set, measured as cosine distances (on penultimate features or
// raw pixels), and a per-class mode-collapse score against a reference set.
#include <torch/types.h>

#include <vector>

namespace dfq::metrics {

/// Mean over all unordered pairs i<j of the cosine distance 1 − cos(x_i, x_j), rows x_i = rows[i]
/// flattened ([n, ...] -> [n, D]). 0 for identical directions, 1 for orthogonal rows, up to 2 for
/// opposite ones. A zero row counts as orthogonal to everything. NaN when n < 2.
/// Cost O(n·D): uses Σ_{i≠j} x̂_i·x̂_j = ‖Σ x̂_i‖² − Σ‖x̂_i‖², no n×n matrix.
double meanPairwiseCosineDistance(const torch::Tensor& rows);

struct ClassDiversity {
    std::vector<double> perClass;   ///< [K] mean pairwise cosine distance within class c (NaN if < 2 samples)
    std::vector<int64_t> counts;    ///< [K] samples per class
    double meanOverClasses = 0;     ///< average of perClass over classes with >= 2 samples (NaN if none)
    double pooled = 0;              ///< the same distance over all samples regardless of class
};

/// rows [N, ...] (features [N,D] or images [N,C,H,W]), labels [N] int64 in [0, numClasses).
ClassDiversity intraClassDiversity(const torch::Tensor& rows, const torch::Tensor& labels, int64_t numClasses);

/// Mode-collapse score per class: 1 − d_c / r_c, where d_c is the synthetic set's diversity in
/// class c and r_c the reference set's (real images, or Gaussian noise when no data is at hand) in
/// the same class, or the reference's meanOverClasses when that class has < 2 reference samples.
/// 0 = as diverse as the reference, 1 = all samples of the class identical, < 0 = more diverse than
/// the reference. NaN where d_c is NaN or the reference diversity is NaN / 0.
std::vector<double> modeCollapse(const ClassDiversity& synthetic, const ClassDiversity& reference);

/// Two samples of one class, by row index, and their cosine similarity cos(x_a, x_b) in [−1, 1].
struct SimilarPair {
    int64_t cls = 0;
    int64_t a = 0, b = 0;           ///< row indices into the rows given, a < b
    double similarity = 0;
};

/// Per class, its `perClass` most similar pairs (highest cosine similarity first; fewer where the
/// class has fewer pairs): what a collapsed mode looks like, side by side. Classes in ascending order.
/// A zero row has similarity 0 with everything. Exact (all pairs of a class, n_c² · D).
std::vector<SimilarPair> mostSimilarPairs(const torch::Tensor& rows, const torch::Tensor& labels, int64_t numClasses,
                                          int perClass = 3);

} // namespace dfq::metrics
