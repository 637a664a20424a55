#include "data/ImageFolder.h"

#include "data/DataError.h"
#include "data/ImageConversion.h"
#include "data/SampleSelection.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace dfq::data {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

bool isHidden(const fs::path& p) { return !p.filename().empty() && p.filename().string()[0] == '.'; }

std::vector<uint8_t> readBytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary | std::ios::ate);
    if (!f)
        throw DataError(path, "cannot read file");
    const std::streamsize n = f.tellg();
    std::vector<uint8_t> bytes(static_cast<size_t>(std::max<std::streamsize>(n, 0)));
    f.seekg(0);
    if (n > 0 && !f.read(reinterpret_cast<char*>(bytes.data()), n))
        throw DataError(path, "cannot read file");
    return bytes;
}

/// Runs fn(k) for k in [0, n) on `workers` threads (the caller included). Small sets of 32x32 JPEGs
/// decode in ~30 us each, so work is handed out in chunks from an atomic counter. When calls throw,
/// the exception of the smallest k is rethrown (so the reported file does not depend on thread
/// timing) after all workers have stopped.
template <class Fn>
void parallelFor(int64_t n, int64_t workers, Fn fn) {
    if (n <= 0)
        return;
    constexpr int64_t chunk = 16;
    std::atomic<int64_t> nextStart{0};
    std::atomic<bool> failed{false};
    std::mutex errorMutex;
    int64_t errorIndex = n;
    std::exception_ptr error;

    auto work = [&] {
        for (;;) {
            const int64_t start = nextStart.fetch_add(chunk);
            if (start >= n || failed.load())
                return;
            for (int64_t k = start; k < std::min(n, start + chunk); ++k) {
                try {
                    fn(k);
                } catch (...) {
                    std::lock_guard<std::mutex> lock(errorMutex);
                    if (k < errorIndex) {
                        errorIndex = k;
                        error = std::current_exception();
                    }
                    failed = true;
                    break;
                }
            }
        }
    };
    std::vector<std::thread> threads;
    for (int64_t t = 1; t < workers; ++t)
        threads.emplace_back(work);
    work();  // the calling thread works too
    for (auto& t : threads)
        t.join();
    if (error)
        std::rethrow_exception(error);
}

} // namespace

const std::vector<std::string>& ImageFolder::imageExtensions() {
    static const std::vector<std::string> exts = {".jpg", ".jpeg", ".png", ".bmp", ".ppm",
                                                  ".pgm", ".tif",  ".tiff", ".webp"};
    return exts;
}

bool ImageFolder::hasImageExtension(const std::string& path) {
    const std::string ext = lower(fs::path(path).extension().string());
    const auto& exts = imageExtensions();
    return std::find(exts.begin(), exts.end(), ext) != exts.end();
}

cv::Mat ImageFolder::decodeFile(const std::string& path, int64_t channels, bool* wasGray) {
    const std::vector<uint8_t> bytes = readBytes(path);
    cv::Mat img;
    if (!bytes.empty()) {
        try {
            // IMREAD_UNCHANGED: no EXIF rotation and no implicit colour conversion, like PIL.Image.open.
            img = cv::imdecode(cv::Mat(1, int(bytes.size()), CV_8UC1, const_cast<uint8_t*>(bytes.data())),
                               cv::IMREAD_UNCHANGED);
        } catch (const cv::Exception&) {
            img.release();
        }
    }
    if (img.empty())
        throw DataError(path, "not a decodable image");
    if (img.depth() == CV_16U)
        img.convertTo(img, CV_8U, 1.0 / 257.0);  // 16-bit PNG/TIFF: 65535 -> 255
    else if (img.depth() != CV_8U)
        throw DataError(path, "unsupported pixel type (only 8- and 16-bit images)");

    cv::Mat rgb;
    switch (img.channels()) {
    case 1:
        rgb = img;
        break;
    case 3:
        cv::cvtColor(img, rgb, cv::COLOR_BGR2RGB);
        break;
    case 4:
        cv::cvtColor(img, rgb, cv::COLOR_BGRA2RGB);  // alpha dropped, as PIL's convert("RGB") does
        break;
    default:
        throw DataError(path, "unsupported number of channels: " + std::to_string(img.channels()));
    }
    if (wasGray)
        *wasGray = rgb.channels() == 1;
    if (channels == 3 && rgb.channels() == 1)
        cv::cvtColor(rgb, rgb, cv::COLOR_GRAY2RGB);
    else if (channels == 1 && rgb.channels() == 3)
        rgb = rgbToGray601(rgb);
    return rgb;
}

ImageFolder::ImageFolder(const std::string& root, const DatasetOptions& options, int64_t cacheLimitBytes)
    : root_(root), geometry_(options.geometry), normalization_(options.normalization),
      decodeThreads_(std::max(0, options.decodeThreads)) {
    if (!fs::is_directory(root))
        throw DataError(root, "not a folder");
    try {
        checkNormalization(normalization_, geometry_.channels);
    } catch (const std::invalid_argument& e) {
        throw DataError(root, e.what());
    }
    if (geometry_.channels != 1 && geometry_.channels != 3)
        throw DataError(root, "images can be converted to 1 or 3 channels, not " + std::to_string(geometry_.channels));

    // Class folders, sorted by name like torchvision's find_classes.
    std::vector<fs::path> classDirs;
    bool anyEntry = false;
    for (const auto& e : fs::directory_iterator(root)) {
        anyEntry = true;
        if (e.is_directory() && !isHidden(e.path()))
            classDirs.push_back(e.path());
    }
    if (!anyEntry)
        throw DataError(root, "empty folder");
    if (classDirs.empty())
        throw DataError(root, "no class folders (expected one sub-folder of images per class)");
    std::sort(classDirs.begin(), classDirs.end());

    std::vector<std::string> allFiles;
    std::vector<int64_t> allLabels;
    int64_t ignored = 0;
    for (size_t c = 0; c < classDirs.size(); ++c) {
        // (folder, name) pairs sorted like torchvision's sorted(os.walk(class_dir, followlinks=True)).
        std::vector<std::pair<std::string, std::string>> found;
        for (const auto& e : fs::recursive_directory_iterator(classDirs[c], fs::directory_options::follow_directory_symlink)) {
            if (!e.is_regular_file())
                continue;
            if (hasImageExtension(e.path().string()))
                found.emplace_back(e.path().parent_path().string(), e.path().filename().string());
            else
                ++ignored;
        }
        if (found.empty())
            throw DataError(classDirs[c].string(), "no images in this class folder (expected .jpg, .jpeg, .png, "
                                                   ".bmp, .ppm, .pgm, .tif, .tiff or .webp files)");
        std::sort(found.begin(), found.end());
        for (const auto& [dir, name] : found) {
            allFiles.push_back((fs::path(dir) / name).string());
            allLabels.push_back(int64_t(c));
        }
        classNames_.push_back(classDirs[c].filename().string());
    }
    if (ignored > 0)
        openNotes_.push_back(std::to_string(ignored) + " files without an image extension ignored");

    if (options.limit >= 0 || options.limitPerClass >= 0) {
        for (int64_t i : selectSamples(allLabels, options.limit, options.limitPerClass)) {
            files_.push_back(allFiles[size_t(i)]);
            labels_.push_back(allLabels[size_t(i)]);
        }
        openNotes_.push_back("kept " + std::to_string(files_.size()) + " of " + std::to_string(allFiles.size()) +
                             " images");
        if (files_.empty())
            throw DataError(root, "the limit keeps no images");
    } else {
        files_ = std::move(allFiles);
        labels_ = std::move(allLabels);
    }

    const int64_t bytes = size() * geometry_.channels * geometry_.height * geometry_.width;
    if (bytes <= cacheLimitBytes) {
        std::vector<int64_t> all(files_.size());
        for (size_t i = 0; i < all.size(); ++i)
            all[i] = int64_t(i);
        torch::Tensor cache = torch::empty({size(), geometry_.channels, geometry_.height, geometry_.width}, torch::kUInt8);
        decodeInto(all, cache, /*counting=*/true);
        cache_ = cache;
        openNotes_.push_back("decoded into memory at open (" + std::to_string((bytes + (1 << 20) - 1) >> 20) + " MB)");
    } else {
        openNotes_.push_back("decoded per batch (" + std::to_string(bytes >> 20) +
                             " MB would exceed the in-memory cache limit)");
    }
}

int ImageFolder::decodeWorkers(int64_t files) const {
    const int wanted = decodeThreads_ > 0 ? decodeThreads_ : at::get_num_threads();
    return int(std::max<int64_t>(1, std::min<int64_t>({int64_t(wanted), int64_t(kMaxDecodeThreads), files})));
}

void ImageFolder::decodeInto(const std::vector<int64_t>& indices, torch::Tensor& out, bool counting) const {
    uint8_t* base = out.data_ptr<uint8_t>();
    const int64_t c = geometry_.channels, plane = geometry_.height * geometry_.width;
    const int workers = decodeWorkers(int64_t(indices.size()));
    lastDecodeWorkers_ = workers;
    parallelFor(int64_t(indices.size()), workers, [&](int64_t k) {
        const std::string& file = files_[size_t(indices[size_t(k)])];
        bool wasGray = false;
        cv::Mat img = decodeFile(file, c, &wasGray);
        const bool resize = img.rows != geometry_.height || img.cols != geometry_.width;
        cv::Mat fitted = fitToGeometry(img, geometry_);
        if (counting) {
            grayToRgb_ += (wasGray && c == 3) ? 1 : 0;
            colorToGray_ += (!wasGray && c == 1) ? 1 : 0;
            resized_ += resize ? 1 : 0;
        }
        // HWC -> CHW.
        uint8_t* dst = base + k * c * plane;
        const uint8_t* src = fitted.ptr<uint8_t>();
        for (int64_t p = 0; p < plane; ++p)
            for (int64_t ch = 0; ch < c; ++ch)
                dst[ch * plane + p] = src[p * c + ch];
    });
}

Batch ImageFolder::get(const std::vector<int64_t>& indices) const {
    for (int64_t i : indices)
        if (i < 0 || i >= size())
            throw std::out_of_range("ImageFolder::get: index " + std::to_string(i) + " outside [0, " +
                                    std::to_string(size()) + ")");
    const auto idx = torch::tensor(indices, torch::kInt64);
    Batch b;
    if (cache_.defined()) {
        b.images = normalizeImages(cache_.index_select(0, idx), normalization_);
    } else {
        torch::Tensor u8 = torch::empty({int64_t(indices.size()), geometry_.channels, geometry_.height, geometry_.width},
                                        torch::kUInt8);
        decodeInto(indices, u8, /*counting=*/false);  // lazily: each epoch again, so not counted
        b.images = normalizeImages(u8, normalization_);
    }
    std::vector<int64_t> labels;
    labels.reserve(indices.size());
    for (int64_t i : indices)
        labels.push_back(labels_[size_t(i)]);
    b.labels = torch::tensor(labels, torch::kInt64);
    return b;
}

std::vector<std::string> ImageFolder::notes() const {
    std::vector<std::string> n = openNotes_;
    if (grayToRgb_ > 0)
        n.push_back(std::to_string(grayToRgb_.load()) + " grayscale images converted to RGB");
    if (colorToGray_ > 0)
        n.push_back(std::to_string(colorToGray_.load()) + " colour images converted to grayscale");
    if (resized_ > 0)
        n.push_back(std::to_string(resized_.load()) + " images resized and centre-cropped to " +
                    std::to_string(geometry_.height) + "x" + std::to_string(geometry_.width));
    if (!cache_.defined())
        n.push_back("channel and size conversions happen per batch (not counted)");
    return n;
}

std::string ImageFolder::describe() const {
    std::ostringstream s;
    s << "ImageFolder " << root_ << " (" << classNames_.size() << " classes, " << size() << " images)";
    return s.str();
}

} // namespace dfq::data
