#pragma once
#include "data/Dataset.h"

#include <torch/types.h>

namespace dfq::data {

/// CIFAR-10 binary batches (data_batch_1..5.bin for training, test_batch.bin for test): records of
/// 3073 bytes, a label byte then 1024 R, 1024 G and 1024 B bytes of a 32x32 image (row-major).
/// All records are read once into a uint8 tensor [N,3,32,32] (the training set is 150 MB); get()
/// converts the requested images to the geometry (resize / gray) and normalises.
/// Class names come from batches.meta.txt beside the files (one per line) when present, else the
/// CIFAR-10 names (airplane, automobile, ..., truck).
class CifarBinary : public Dataset {
public:
    static constexpr int64_t kRecordBytes = 3073;

    /// Reads the files in the given order. Throws DataError naming a file whose size is not a multiple
    /// of 3073 bytes, or a label outside the class names.
    CifarBinary(const std::vector<std::string>& files, const DatasetOptions& options);

    /// The batch files of one split in a folder: data_batch_*.bin (sorted) for train, test_batch.bin
    /// for test; when neither naming is used, every *.bin file (sorted). Empty when there is no .bin file;
    /// throws DataError when the folder uses the CIFAR names but lacks the requested split.
    static std::vector<std::string> filesInFolder(const std::string& folder, bool train);

    int64_t size() const override { return images_.size(0); }
    ImageGeometry geometry() const override { return geometry_; }
    const std::vector<std::string>& classNames() const override { return classNames_; }
    Batch get(const std::vector<int64_t>& indices) const override;
    std::vector<std::string> notes() const override { return notes_; }
    std::string describe() const override;

    /// The pixels as stored: uint8 [N,3,32,32], RGB.
    const torch::Tensor& storedImages() const { return images_; }

private:
    std::string where_;
    ImageGeometry geometry_;
    Normalization normalization_;
    torch::Tensor images_;  // uint8 [N,3,32,32]
    torch::Tensor labels_;  // int64 [N]
    std::vector<std::string> classNames_;
    std::vector<std::string> notes_;
};

} // namespace dfq::data
