#include "data/CifarBinary.h"

#include "data/DataError.h"
#include "data/ImageConversion.h"
#include "data/SampleSelection.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace dfq::data {
namespace {

std::vector<std::string> readClassNames(const fs::path& metaFile) {
    std::vector<std::string> names;
    std::ifstream f(metaFile);
    std::string line;
    while (std::getline(f, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.pop_back();
        if (!line.empty())
            names.push_back(line);
    }
    return names;
}

} // namespace

std::vector<std::string> CifarBinary::filesInFolder(const std::string& folder, bool train) {
    std::vector<std::string> all, dataBatches, testBatches;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(folder, ec)) {
        if (!e.is_regular_file() || e.path().extension() != ".bin")
            continue;
        const std::string name = e.path().filename().string();
        all.push_back(e.path().string());
        if (name.rfind("data_batch", 0) == 0)
            dataBatches.push_back(e.path().string());
        else if (name == "test_batch.bin")
            testBatches.push_back(e.path().string());
    }
    std::sort(all.begin(), all.end());
    std::sort(dataBatches.begin(), dataBatches.end());
    if (dataBatches.empty() && testBatches.empty())
        return all;
    if ((train ? dataBatches : testBatches).empty())
        throw DataError(folder, std::string("has CIFAR batches but no ") +
                                    (train ? "data_batch_*.bin for the training split" : "test_batch.bin for the test split"));
    return train ? dataBatches : testBatches;
}

CifarBinary::CifarBinary(const std::vector<std::string>& files, const DatasetOptions& options)
    : geometry_(options.geometry), normalization_(options.normalization) {
    if (files.empty())
        throw DataError("", "no CIFAR binary files given");
    where_ = files.size() == 1 ? files[0] : fs::path(files[0]).parent_path().string();

    // Check every size first so that a bad file is reported before anything big is allocated.
    int64_t total = 0;
    for (const auto& f : files) {
        std::error_code ec;
        const auto bytes = int64_t(fs::file_size(f, ec));
        if (ec)
            throw DataError(f, "cannot read file");
        if (bytes == 0 || bytes % kRecordBytes != 0)
            throw DataError(f, "not a CIFAR-10 binary batch (size " + std::to_string(bytes) +
                                   " bytes is not a multiple of the 3073-byte record)");
        total += bytes / kRecordBytes;
    }

    images_ = torch::empty({total, 3, 32, 32}, torch::kUInt8);
    std::vector<int64_t> labels(static_cast<size_t>(total));
    uint8_t* dst = images_.data_ptr<uint8_t>();
    std::vector<char> record(static_cast<size_t>(kRecordBytes));
    int64_t n = 0;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        if (!in)
            throw DataError(f, "cannot read file");
        // Record layout = label byte + CHW pixels, exactly the tensor layout: copy the pixels as they are.
        while (in.read(record.data(), kRecordBytes)) {
            labels[size_t(n)] = int64_t(uint8_t(record[0]));
            std::memcpy(dst + n * (kRecordBytes - 1), record.data() + 1, size_t(kRecordBytes - 1));
            ++n;
        }
    }
    if (n != total)
        throw DataError(where_, "read " + std::to_string(n) + " records, expected " + std::to_string(total));

    const fs::path meta = fs::path(files[0]).parent_path() / "batches.meta.txt";
    classNames_ = fs::is_regular_file(meta) ? readClassNames(meta) : std::vector<std::string>{};
    if (classNames_.empty())
        classNames_ = {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
    const int64_t maxLabel = *std::max_element(labels.begin(), labels.end());
    if (maxLabel >= int64_t(classNames_.size()))
        throw DataError(where_, "label " + std::to_string(maxLabel) + " but only " +
                                    std::to_string(classNames_.size()) + " class names");

    labels_ = torch::tensor(labels, torch::kInt64);
    if (options.limit >= 0 || options.limitPerClass >= 0) {
        const auto keep = selectSamples(labels, options.limit, options.limitPerClass);
        const auto idx = torch::tensor(keep, torch::kInt64);
        images_ = images_.index_select(0, idx);
        labels_ = labels_.index_select(0, idx);
        notes_.push_back("kept " + std::to_string(keep.size()) + " of " + std::to_string(total) + " images");
        if (keep.empty())
            throw DataError(where_, "the limit keeps no images");
    }
    try {
        checkNormalization(normalization_, geometry_.channels);
    } catch (const std::invalid_argument& e) {
        throw DataError(where_, e.what());
    }
    if (geometry_.height != 32 || geometry_.width != 32)
        notes_.push_back("images resized from 32x32 to " + std::to_string(geometry_.height) + "x" +
                         std::to_string(geometry_.width));
    if (geometry_.channels == 1)
        notes_.push_back("colour images converted to grayscale");
}

Batch CifarBinary::get(const std::vector<int64_t>& indices) const {
    for (int64_t i : indices)
        if (i < 0 || i >= size())
            throw std::out_of_range("CifarBinary::get: index " + std::to_string(i) + " outside [0, " +
                                    std::to_string(size()) + ")");
    const auto idx = torch::tensor(indices, torch::kInt64);
    Batch b;
    b.images = prepareImages(images_.index_select(0, idx), geometry_, normalization_);
    b.labels = labels_.index_select(0, idx);
    return b;
}

std::string CifarBinary::describe() const {
    std::ostringstream s;
    s << "CIFAR binary " << where_ << " (" << classNames_.size() << " classes, " << size() << " images)";
    return s.str();
}

} // namespace dfq::data
