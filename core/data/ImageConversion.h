#pragma once
#include "data/Dataset.h"

#include <opencv2/core.hpp>
#include <torch/types.h>

namespace dfq::data {

/// Converts one 8-bit image to the target geometry, the way torchvision's
/// Grayscale/convert("RGB") + Resize(shorter side) + CenterCrop do it:
///  - channels: 1 -> 3 replicates the gray value; 3 -> 1 uses PIL's ITU-R 601 integer formula
///    L = (19595 R + 38470 G + 7471 B + 32768) >> 16 (PIL's convert("L")).
///  - size: when it differs, the image is scaled so that it covers height x width (for a square target:
///    shorter side -> target, longer side truncated like torchvision), bilinear (INTER_LINEAR when enlarging,
///    INTER_AREA when shrinking, which approximates PIL's antialiased bilinear), then centre-cropped with
///    torchvision's rounding. An image that already has the target size is left untouched.
/// `image` is CV_8UC1 (gray) or CV_8UC3 in RGB order; the result is CV_8UC1 or CV_8UC3 (RGB), continuous.
cv::Mat fitToGeometry(const cv::Mat& image, const ImageGeometry& geometry);

/// RGB (CV_8UC3) -> gray (CV_8UC1) with PIL's integer ITU-R 601 weights (see above).
cv::Mat rgbToGray601(const cv::Mat& rgb);

/// uint8 images [n,C,H,W] -> float32 [n,C,H,W]: x/255, then (x - mean[c]) / std[c].
/// Throws std::invalid_argument when the normalisation has neither 1 nor C values.
torch::Tensor normalizeImages(const torch::Tensor& images, const Normalization& normalization);

/// uint8 images [n,C0,H0,W0] in their stored geometry -> normalised float32 [n,C,H,W] in `geometry`
/// (fitToGeometry per image when the geometry differs, nothing extra when it matches).
torch::Tensor prepareImages(const torch::Tensor& images, const ImageGeometry& geometry,
                            const Normalization& normalization);

/// Throws std::invalid_argument when `normalization` cannot apply to `channels` channels.
void checkNormalization(const Normalization& normalization, int64_t channels);

} // namespace dfq::data
