#include "data/Dataset.h"

#include "data/DataError.h"
#include "data/IdxDataset.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace dfq::data {

std::unique_ptr<Dataset> openDataset(const std::string& path, const DatasetOptions& options) {
    if (!fs::exists(path))
        throw DataError(path, "no such file or folder");
    if (fs::is_directory(path)) {
        if (const std::string images = IdxDataset::imagesFileInFolder(path, options.train); !images.empty())
            return std::make_unique<IdxDataset>(images, "", options);
        throw DataError(path, "not a dataset folder (expected IDX files)");
    }
    if (IdxDataset::isImagesFile(path))
        return std::make_unique<IdxDataset>(path, "", options);
    throw DataError(path, "not a dataset (expected a folder, or an *-images-idx3-ubyte[.gz] file)");
}

} // namespace dfq::data
