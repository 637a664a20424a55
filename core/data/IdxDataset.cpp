#include "data/IdxDataset.h"

#include "data/DataError.h"
#include "data/ImageConversion.h"
#include "data/SampleSelection.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace dfq::data {
namespace {

constexpr uint32_t kImagesMagic = 0x00000803;  // unsigned byte, 3 dimensions
constexpr uint32_t kLabelsMagic = 0x00000801;  // unsigned byte, 1 dimension

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string hex32(uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", v);
    return buf;
}

/// An IDX file opened through zlib, which reads gzip and raw files alike.
class IdxReader {
public:
    explicit IdxReader(const std::string& path) : path_(path) {
        if (!fs::is_regular_file(path))
            throw DataError(path, "file not found");
        file_ = gzopen(path.c_str(), "rb");
        if (!file_)
            throw DataError(path, std::string("cannot open: ") + std::strerror(errno));
    }
    ~IdxReader() {
        if (file_)
            gzclose(file_);
    }
    IdxReader(const IdxReader&) = delete;
    IdxReader& operator=(const IdxReader&) = delete;

    /// Reads the magic number and the dimensions; throws unless the magic is `expected`.
    std::vector<int64_t> header(uint32_t expected, const char* kind) {
        const uint32_t magic = readU32("the header");
        if (magic != expected)
            throw DataError(path_, std::string("not an IDX ") + kind + " file (magic 0x" + hex32(magic) +
                                       ", expected 0x" + hex32(expected) + ")");
        std::vector<int64_t> dims;
        for (uint32_t d = 0; d < (expected & 0xff); ++d)
            dims.push_back(int64_t(readU32("the dimensions")));
        return dims;
    }

    void read(void* dst, int64_t bytes, const char* what) {
        auto* p = static_cast<uint8_t*>(dst);
        int64_t done = 0;
        while (done < bytes) {
            const unsigned chunk = unsigned(std::min<int64_t>(bytes - done, 1 << 30));
            const int got = gzread(file_, p + done, chunk);
            if (got < 0) {
                int err = 0;
                throw DataError(path_, std::string("corrupt data while reading ") + what + ": " + gzerror(file_, &err));
            }
            if (got == 0)
                throw DataError(path_, std::string("truncated: ") + what + " need " + std::to_string(bytes) +
                                           " bytes, the file has " + std::to_string(done));
            done += got;
        }
    }

private:
    uint32_t readU32(const char* what) {
        uint8_t b[4];
        read(b, 4, what);
        return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | uint32_t(b[3]);
    }

    std::string path_;
    gzFile file_ = nullptr;
};

std::vector<std::string> classNamesFor(const std::string& path, int64_t maxLabel) {
    if (lower(path).find("fashion") != std::string::npos)
        return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    std::vector<std::string> names;
    for (int64_t i = 0; i <= std::max<int64_t>(9, maxLabel); ++i)
        names.push_back(std::to_string(i));
    return names;
}

} // namespace

bool IdxDataset::isImagesFile(const std::string& path) {
    const std::string name = lower(fs::path(path).filename().string());
    const auto ends = [&](const std::string& s) {
        return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
    };
    return ends("images-idx3-ubyte") || ends("images-idx3-ubyte.gz") || ends("images.idx3-ubyte");
}

std::string IdxDataset::labelsFileFor(const std::string& imagesPath) {
    const fs::path p(imagesPath);
    std::string name = p.filename().string();
    const std::string lname = lower(name);
    for (const char* from : {"images-idx3", "images.idx3"}) {
        const size_t at = lname.rfind(from);
        if (at == std::string::npos)
            continue;
        std::string stem = name.substr(0, at) + (from[6] == '-' ? "labels-idx1" : "labels.idx1") +
                           name.substr(at + 11);
        if (stem.size() > 3 && lower(stem.substr(stem.size() - 3)) == ".gz")
            stem.resize(stem.size() - 3);
        for (const std::string& candidate : {stem + ".gz", stem})
            if (fs::is_regular_file(p.parent_path() / candidate))
                return (p.parent_path() / candidate).string();
        throw DataError(imagesPath, "no labels file beside it (looked for " + stem + "[.gz])");
    }
    throw DataError(imagesPath, "not an IDX images file name (expected *-images-idx3-ubyte[.gz])");
}

std::string IdxDataset::imagesFileInFolder(const std::string& folder, bool train) {
    std::vector<std::string> all;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(folder, ec))
        if (e.is_regular_file() && isImagesFile(e.path().string()))
            all.push_back(e.path().string());
    if (all.empty())
        return {};
    std::sort(all.begin(), all.end());
    for (const auto& f : all) {
        const std::string name = lower(fs::path(f).filename().string());
        const bool isTrain = name.rfind("train", 0) == 0;
        const bool isTest = name.rfind("t10k", 0) == 0 || name.rfind("test", 0) == 0;
        if ((train && isTrain) || (!train && isTest))
            return f;
    }
    throw DataError(folder, std::string("has IDX files but no ") + (train ? "train-" : "t10k-") +
                                "images-idx3-ubyte[.gz] for the " + (train ? "training" : "test") + " split");
}

IdxDataset::IdxDataset(const std::string& imagesPath, const std::string& labelsPath, const DatasetOptions& options)
    : path_(imagesPath), geometry_(options.geometry), normalization_(options.normalization) {
    const std::string labelsFile = labelsPath.empty() ? labelsFileFor(imagesPath) : labelsPath;

    IdxReader images(imagesPath);
    const auto dims = images.header(kImagesMagic, "image");
    if (dims[0] <= 0 || dims[1] <= 0 || dims[2] <= 0 || dims[1] > 4096 || dims[2] > 4096)
        throw DataError(imagesPath, "implausible IDX image dimensions");
    IdxReader labels(labelsFile);
    const auto ldims = labels.header(kLabelsMagic, "label");
    if (ldims[0] != dims[0])
        throw DataError(labelsFile, std::to_string(ldims[0]) + " labels for " + std::to_string(dims[0]) +
                                        " images in " + imagesPath);

    std::vector<uint8_t> rawLabels(static_cast<size_t>(ldims[0]));
    labels.read(rawLabels.data(), ldims[0], "labels");
    std::vector<int64_t> labelVec(rawLabels.begin(), rawLabels.end());

    images_ = torch::empty({dims[0], 1, dims[1], dims[2]}, torch::kUInt8);
    images.read(images_.data_ptr<uint8_t>(), images_.numel(), "pixels");
    labels_ = torch::tensor(labelVec, torch::kInt64);

    if (options.limit >= 0 || options.limitPerClass >= 0) {
        const auto keep = selectSamples(labelVec, options.limit, options.limitPerClass);
        const auto idx = torch::tensor(keep, torch::kInt64);
        images_ = images_.index_select(0, idx);
        labels_ = labels_.index_select(0, idx);
        notes_.push_back("kept " + std::to_string(keep.size()) + " of " + std::to_string(dims[0]) + " images");
    }
    if (images_.size(0) == 0)
        throw DataError(imagesPath, "no images");

    const int64_t maxLabel = *std::max_element(labelVec.begin(), labelVec.end());
    classNames_ = classNamesFor(imagesPath, maxLabel);
    if (maxLabel >= int64_t(classNames_.size()))
        throw DataError(labelsFile, "label " + std::to_string(maxLabel) + " out of range for " +
                                        std::to_string(classNames_.size()) + " classes");
    try {
        checkNormalization(normalization_, geometry_.channels);
    } catch (const std::invalid_argument& e) {
        throw DataError(imagesPath, e.what());
    }
    if (geometry_.height != dims[1] || geometry_.width != dims[2])
        notes_.push_back("images resized from " + std::to_string(dims[1]) + "x" + std::to_string(dims[2]) + " to " +
                         std::to_string(geometry_.height) + "x" + std::to_string(geometry_.width));
    if (geometry_.channels == 3)
        notes_.push_back("grayscale images replicated to 3 channels");
}

Batch IdxDataset::get(const std::vector<int64_t>& indices) const {
    for (int64_t i : indices)
        if (i < 0 || i >= size())
            throw std::out_of_range("IdxDataset::get: index " + std::to_string(i) + " outside [0, " +
                                    std::to_string(size()) + ")");
    const auto idx = torch::tensor(indices, torch::kInt64);
    Batch b;
    b.images = prepareImages(images_.index_select(0, idx), geometry_, normalization_);
    b.labels = labels_.index_select(0, idx);
    return b;
}

std::string IdxDataset::describe() const {
    std::ostringstream s;
    s << "IDX " << path_ << " (" << classNames_.size() << " classes, " << size() << " images)";
    return s.str();
}

} // namespace dfq::data
