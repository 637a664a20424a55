#pragma once
#include "data/Dataset.h"

#include <opencv2/core.hpp>
#include <torch/types.h>

#include <atomic>
#include <cstdint>

namespace dfq::data {

/// torchvision-style ImageFolder: root/<class>/**/<image>. Classes are the sub-folders sorted by name
/// (label = position; hidden folders are skipped), images are the files with an image extension
/// (.jpg .jpeg .png .bmp .ppm .pgm .tif .tiff .webp, any case) sorted by (folder, name) like
/// torchvision's sorted(os.walk()). Other files are ignored and counted in notes().
///
/// Each image is decoded with OpenCV (libjpeg-turbo, ISLOW DCT and fancy upsampling, like PIL), converted
/// to RGB (or gray, PIL's ITU-R 601 weights), resized + centre-cropped to the geometry when its size
/// differs (see fitToGeometry), scaled to [0,1] and normalised.
///
/// Caching: when the converted uint8 pixels of the whole set fit in kCacheLimitBytes (the 10,000-image
/// CIFAR-10 test set at 3x32x32 is 31 MB), every image is decoded at open time, in parallel, into a uint8
/// tensor; get() then only converts to float. A bigger set (e.g. ImageNet at 224x224) is decoded lazily:
/// get() decodes the requested files in parallel, so a BatchLoader overlaps decoding with compute.
/// Broken files are reported at open time when cached, by get() (a DataError) otherwise.
class ImageFolder : public Dataset {
public:
    static constexpr int64_t kCacheLimitBytes = 200ll * 1024 * 1024;
    static constexpr int kMaxDecodeThreads = 8;

    /// Throws DataError naming the folder (empty, no class folders, a class without images) or the file
    /// (not a decodable image).
    /// `cacheLimitBytes` decides between decoding at open and per batch (tests lower it).
    ImageFolder(const std::string& root, const DatasetOptions& options, int64_t cacheLimitBytes = kCacheLimitBytes);

    /// The image file extensions recognised, lower case with the dot.
    static const std::vector<std::string>& imageExtensions();
    static bool hasImageExtension(const std::string& path);

    int64_t size() const override { return int64_t(files_.size()); }
    ImageGeometry geometry() const override { return geometry_; }
    const std::vector<std::string>& classNames() const override { return classNames_; }
    Batch get(const std::vector<int64_t>& indices) const override;
    std::vector<std::string> notes() const override;
    std::string describe() const override;

    bool cached() const { return cache_.defined(); }
    const std::vector<std::string>& files() const { return files_; }
    const std::vector<int64_t>& labels() const { return labels_; }
    /// Threads the last decode ran on (options.decodeThreads, or LibTorch's intra-op count, capped at
    /// kMaxDecodeThreads and at the number of files); 0 before any decode.
    int lastDecodeWorkers() const { return lastDecodeWorkers_.load(); }

    /// Decodes one file to an 8-bit RGB (CV_8UC3) or gray (CV_8UC1) image at its own size, converting
    /// BGR/BGRA/16-bit as needed, without resizing. Throws DataError naming the file.
    static cv::Mat decodeFile(const std::string& path, int64_t channels, bool* wasGray = nullptr);

private:
    /// Decodes files_[indices[k]] into out[k] (uint8 [n,C,H,W]) on several threads; rethrows the error of
    /// the first failing index. `counting` adds the conversions to the counters reported by notes().
    void decodeInto(const std::vector<int64_t>& indices, torch::Tensor& out, bool counting) const;
    int decodeWorkers(int64_t files) const;

    std::string root_;
    ImageGeometry geometry_;
    Normalization normalization_;
    std::vector<std::string> classNames_;
    std::vector<std::string> files_;
    std::vector<int64_t> labels_;
    torch::Tensor cache_;  // uint8 [N,C,H,W] in the target geometry, undefined when decoding lazily
    std::vector<std::string> openNotes_;
    int decodeThreads_ = 0;
    mutable std::atomic<int> lastDecodeWorkers_{0};
    // Counted while decoding (possibly on several threads, possibly lazily).
    mutable std::atomic<int64_t> grayToRgb_{0};
    mutable std::atomic<int64_t> colorToGray_{0};
    mutable std::atomic<int64_t> resized_{0};
};

} // namespace dfq::data
