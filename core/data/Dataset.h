#pragma once
#include "data/Batch.h"
#include "data/Normalization.h"

#include <memory>
#include <string>
#include <vector>

namespace dfq::data {

/// Geometry the model expects; datasets convert to it (resize / centre-crop / channel conversion).
struct ImageGeometry {
    int64_t channels = 3;
    int64_t height = 32;
    int64_t width = 32;
};

/// A finite, indexable labelled image set. Implementations: ImageFolder, IdxDataset, CifarBinary.
class Dataset {
public:
    virtual ~Dataset() = default;
    virtual int64_t size() const = 0;
    virtual ImageGeometry geometry() const = 0;
    virtual const std::vector<std::string>& classNames() const = 0;
    /// Normalised images [n,C,H,W] and labels [n] for the given indices.
    virtual Batch get(const std::vector<int64_t>& indices) const = 0;
    /// Human-readable notes gathered while loading (e.g. "12 grayscale images converted to RGB").
    virtual std::vector<std::string> notes() const { return {}; }
    /// Short description for summaries: "ImageFolder /path (10 classes, 10000 images)".
    virtual std::string describe() const = 0;
};

/// Options for opening any dataset.
struct DatasetOptions {
    ImageGeometry geometry;          ///< the model's input; images are converted to it
    Normalization normalization;     ///< applied after scaling to [0,1]
    bool train = false;              ///< IDX/CIFAR binary: pick the training split when the path is a folder
    /// Keep only the first `limit` samples in file order (-1: all). For an ImageFolder file order is
    /// sorted class folder, then sorted file name: "the first 1,024 images of train-5k" are 500 airplanes,
    /// 500 automobiles and 24 birds. Use limitPerClass for a class-balanced subset.
    int64_t limit = -1;
    /// Keep at most this many samples of each class, the first ones in file order (-1: all).
    /// Applied together with `limit`: a sample is kept if its class is under the cap and fewer than
    /// `limit` samples are kept so far.
    int64_t limitPerClass = -1;
    /// Threads that decode image files (ImageFolder), at most 8. 0: as many as LibTorch's intra-op
    /// threads (what --threads set), so that decoding never uses more cores than the user allowed.
    int decodeThreads = 0;
};

/// Opens a dataset by looking at the path: a folder of class folders (ImageFolder), a folder or file
/// of IDX files (*-idx3-ubyte[.gz]), or CIFAR-10 binary batches (*.bin). Throws DataError.
std::unique_ptr<Dataset> openDataset(const std::string& path, const DatasetOptions& options);

} // namespace dfq::data
