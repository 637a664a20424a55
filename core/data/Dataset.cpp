#include "data/Dataset.h"

#include "data/CifarBinary.h"
#include "data/DataError.h"
#include "data/IdxDataset.h"
#include "data/ImageFolder.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace fs = std::filesystem;

namespace dfq::data {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

/// For a folder holding split folders (e.g. cifar10-jpeg/{test,train-5k}), the one to use: "train*" for
/// training, "test*" or "val*" otherwise. "" when the sub-folders are not all split names (then the folder
/// is taken as an ImageFolder root whose sub-folders are classes).
std::string splitFolder(const std::string& folder, bool train) {
    std::vector<fs::path> trainDirs, testDirs;
    bool other = false;
    for (const auto& e : fs::directory_iterator(folder)) {
        if (!e.is_directory() || e.path().filename().string()[0] == '.')
            continue;
        const std::string name = lower(e.path().filename().string());
        if (name.rfind("train", 0) == 0)
            trainDirs.push_back(e.path());
        else if (name.rfind("test", 0) == 0 || name.rfind("val", 0) == 0)
            testDirs.push_back(e.path());
        else
            other = true;
    }
    if (other || (trainDirs.empty() && testDirs.empty()))
        return {};
    auto& pick = train ? trainDirs : testDirs;
    if (pick.empty())
        throw DataError(folder, std::string("has split folders but no ") + (train ? "train*" : "test* or val*") +
                                    " folder");
    // Several candidates (train, train-5k): the shortest name, i.e. the plain "train" / "test" when present.
    std::sort(pick.begin(), pick.end(), [](const fs::path& a, const fs::path& b) {
        const auto na = a.filename().string(), nb = b.filename().string();
        return na.size() != nb.size() ? na.size() < nb.size() : na < nb;
    });
    return pick.front().string();
}

} // namespace

std::unique_ptr<Dataset> openDataset(const std::string& path, const DatasetOptions& options) {
    if (!fs::exists(path))
        throw DataError(path, "no such file or folder");
    if (fs::is_directory(path)) {
        if (const std::string images = IdxDataset::imagesFileInFolder(path, options.train); !images.empty())
            return std::make_unique<IdxDataset>(images, "", options);
        if (const auto bins = CifarBinary::filesInFolder(path, options.train); !bins.empty())
            return std::make_unique<CifarBinary>(bins, options);
        if (const std::string split = splitFolder(path, options.train); !split.empty())
            return std::make_unique<ImageFolder>(split, options);
        return std::make_unique<ImageFolder>(path, options);
    }
    if (IdxDataset::isImagesFile(path))
        return std::make_unique<IdxDataset>(path, "", options);
    if (fs::path(path).extension() == ".bin")
        return std::make_unique<CifarBinary>(std::vector<std::string>{path}, options);
    throw DataError(path, "not a dataset: expected a folder (class folders, IDX files or CIFAR .bin batches), "
                          "an *-images-idx3-ubyte[.gz] file or a CIFAR .bin batch");
}

} // namespace dfq::data
