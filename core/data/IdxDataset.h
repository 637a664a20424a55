#pragma once
#include "data/Dataset.h"

#include <torch/types.h>

namespace dfq::data {

/// MNIST-style IDX files: images (magic 0x00000803, uint8 [N,rows,cols]) and labels (magic 0x00000801,
/// uint8 [N]), gzip-compressed (.gz) or raw. The whole image file is decoded once into a uint8 tensor
/// [N,1,rows,cols] kept in memory (Fashion-MNIST train: 47 MB); get() converts only the requested images
/// to float, /255, resizes / replicates channels when the geometry differs, and normalises.
/// Class names: the ten Fashion-MNIST names when the path contains "fashion", else "0".."9".
class IdxDataset : public Dataset {
public:
    /// Throws DataError naming the file (missing, wrong magic, truncated, counts differ).
    IdxDataset(const std::string& imagesPath, const std::string& labelsPath, const DatasetOptions& options);

    /// True when the file name looks like "<prefix>-images-idx3-ubyte" or "...ubyte.gz".
    static bool isImagesFile(const std::string& path);
    /// The labels file beside an images file ("images-idx3" -> "labels-idx1", with or without .gz);
    /// throws DataError when there is none.
    static std::string labelsFileFor(const std::string& imagesPath);
    /// The images file of the requested split in a folder ("train-*" for train, otherwise "t10k-*" or
    /// "test-*"); "" when the folder has no IDX images file at all; throws DataError when it has IDX
    /// files but none of that split.
    static std::string imagesFileInFolder(const std::string& folder, bool train);

    int64_t size() const override { return images_.size(0); }
    ImageGeometry geometry() const override { return geometry_; }
    const std::vector<std::string>& classNames() const override { return classNames_; }
    Batch get(const std::vector<int64_t>& indices) const override;
    std::vector<std::string> notes() const override { return notes_; }
    std::string describe() const override;

    /// The decoded pixels as stored: uint8 [N,1,rows,cols].
    const torch::Tensor& storedImages() const { return images_; }

private:
    std::string path_;
    ImageGeometry geometry_;
    Normalization normalization_;
    torch::Tensor images_;  // uint8 [N,1,rows,cols]
    torch::Tensor labels_;  // int64 [N]
    std::vector<std::string> classNames_;
    std::vector<std::string> notes_;
};

} // namespace dfq::data
