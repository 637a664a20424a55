#include "synth/SyntheticSetIO.h"

#include "checkpoint/CheckpointError.h"
#include "checkpoint/CheckpointReader.h"
#include "checkpoint/CheckpointWriter.h"
#include "runtime/AtomicDirectory.h"
#include "synth/PixelConversion.h"
#include "synth/SynthesisError.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string_view>

namespace fs = std::filesystem;

namespace dfq::synth {
namespace {

constexpr const char* kFormat = "dfq-synthetic-set";
constexpr int kVersion = 1;

std::string sanitize(const std::string& name) {
    std::string out;
    for (unsigned char ch : name)
        out += (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '+' || ch == ' ') ? char(ch) : '_';
    // "." and ".." are not folder names we can use; leading dots would hide the folder.
    while (!out.empty() && (out.front() == '.' || out.front() == ' '))
        out.erase(out.begin());
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

std::vector<std::string> classFolders(const SyntheticSet& set) {
    const int64_t k = set.numClasses;
    std::vector<std::string> names;
    if (int64_t(set.classNames.size()) == k) {
        for (const auto& n : set.classNames)
            names.push_back(sanitize(n));
        const bool nonEmpty = std::none_of(names.begin(), names.end(), [](const auto& s) { return s.empty(); });
        const bool unique = std::set<std::string>(names.begin(), names.end()).size() == names.size();
        if (nonEmpty && unique && std::is_sorted(names.begin(), names.end()))
            return names;
    }
    names.clear();
    const int width = int(std::to_string(std::max<int64_t>(0, k - 1)).size());
    for (int64_t c = 0; c < k; ++c) {
        std::string s = std::to_string(c);
        names.push_back(std::string(size_t(width) - s.size(), '0') + s);
    }
    return names;
}

std::string indexName(int64_t i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%06lld.png", static_cast<long long>(i));
    return buf;
}

nlohmann::json normalizationJson(const data::Normalization& n) {
    return {{"name", n.name.empty() ? "none" : n.name}, {"mean", n.mean}, {"std", n.stdev}};
}

std::string readText(const fs::path& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw SynthesisError(path.string() + ": cannot open");
    return std::string(std::istreambuf_iterator<char>(f), {});
}

// A folder writeSyntheticSet may replace: it holds a manifest.json of our format.
bool isSyntheticSet(const fs::path& dir) {
    try {
        return nlohmann::json::parse(readText(dir / "manifest.json")).value("format", "") == kFormat;
    } catch (const std::exception&) {
        return false;
    }
}

} // namespace

void writeSyntheticSet(const std::string& dirName, const SyntheticSet& set, const SyntheticSetWriteOptions& opt) {
    const auto start = std::chrono::steady_clock::now();
    const fs::path dir = fs::path(dirName).lexically_normal();
    if (dir.empty() || dir.filename().empty())
        throw SynthesisError("'" + dirName + "': not a usable folder name for a synthetic set");
    if (!set.images.defined() || set.images.dim() != 4 || !set.labels.defined() || set.labels.dim() != 1 ||
        set.labels.size(0) != set.images.size(0))
        throw SynthesisError(dir.string() + ": the synthetic set needs images [N,C,H,W] and labels [N]");
    if (!torch::isfinite(set.images).all().item<bool>())
        throw SynthesisError(dir.string() + ": refusing to save non-finite images");
    const int64_t n = set.images.size(0), c = set.images.size(1);
    const int64_t k = std::max<int64_t>(set.numClasses, n ? set.labels.max().item<int64_t>() + 1 : 0);
    if (n && set.labels.min().item<int64_t>() < 0)
        throw SynthesisError(dir.string() + ": labels must be class indices >= 0");
    if (opt.png && c != 1 && c != 3 && c != 4)
        throw SynthesisError(dir.string() + ": PNG cannot hold images with " + std::to_string(c) +
                             " channels (write tensors only)");
    if (fs::exists(dir) && !opt.overwrite)
        throw SynthesisError(dir.string() + ": already exists (choose another folder or allow overwriting)");

    try {
        // Refuses, before anything is written, a folder that is not a synthetic set (or a DIR.tmp that
        // is not an unfinished one): overwriting never deletes what we did not write.
        runtime::AtomicDirectory out(dir, isSyntheticSet, "a synthetic set (a folder with a " + std::string(kFormat) +
                                                              " manifest.json)");
        const fs::path tmp = out.staging();
        SyntheticSet meta = set;
        meta.numClasses = k;
        const std::vector<std::string> folders = classFolders(meta);
        const torch::Tensor labels = set.labels.to(torch::kLong).contiguous();
        const auto* lab = labels.data_ptr<int64_t>();

        if (opt.png) {
            torch::Tensor pixels;
            try {
                pixels = toPixels(set.images, set.normalization);   // [N,H,W,C] uint8
            } catch (const std::invalid_argument& e) {
                throw SynthesisError(dir.string() + ": " + e.what());
            }
            const int h = int(pixels.size(1)), w = int(pixels.size(2));
            // Every class gets its folder, empty ones too: an ImageFolder loader numbers classes by
            // their sorted folder names, so a missing one would shift the labels after it.
            for (const auto& f : folders)
                fs::create_directories(tmp / f);
            for (int64_t i = 0; i < n; ++i) {
                cv::Mat rgb(h, w, CV_8UC(int(c)), pixels[i].data_ptr<uint8_t>());
                cv::Mat bgr;
                if (c == 3)
                    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
                else if (c == 4)
                    cv::cvtColor(rgb, bgr, cv::COLOR_RGBA2BGRA);
                else
                    bgr = rgb;
                const fs::path file = fs::path(folders[size_t(lab[i])]) / indexName(i);
                std::vector<uchar> png;
                if (!cv::imencode(".png", bgr, png))
                    throw SynthesisError((tmp / file).string() + ": cannot encode PNG");
                out.writeFile(file, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
            }
        }
        if (opt.tensors) {
            checkpoint::StateDict sd;
            sd.insert("images", set.images.detach().to(torch::kFloat32).contiguous());
            sd.insert("labels", labels);
            try {
                checkpoint::writeStateDict((tmp / "tensors.pt").string(), sd);
            } catch (const checkpoint::CheckpointError& e) {
                throw SynthesisError(e.what());
            }
        }

        nlohmann::json classes = nlohmann::json::array();
        const torch::Tensor counts = n ? torch::bincount(labels, {}, k) : torch::zeros({k}, torch::kLong);
        for (int64_t i = 0; i < k; ++i)
            classes.push_back({{"index", i},
                               {"name", i < int64_t(set.classNames.size()) ? set.classNames[size_t(i)] : std::to_string(i)},
                               {"folder", folders[size_t(i)]},
                               {"count", counts[i].item<int64_t>()}});
        // Curves per iteration, averaged over batches: the loss and the per-step diagnostics
        // (StepRecord), enough to plot convergence and mode collapse without the images.
        const auto curve = [&](const std::function<double(const StepRecord&)>& value) {
            std::map<int64_t, std::pair<double, int64_t>> acc;
            for (const auto& s : set.steps) {
                const double v = value(s);
                if (!std::isfinite(v))
                    continue;
                auto& a = acc[s.iteration];
                a.first += v;
                ++a.second;
            }
            nlohmann::json out = nlohmann::json::array();
            for (const auto& [it, a] : acc)
                out.push_back(a.first / double(a.second));
            return out;
        };
        const nlohmann::json lossCurve = curve([](const StepRecord& r) {
            const auto it = r.terms.find("total");
            return it == r.terms.end() ? std::nan("") : it->second;
        });
        const nlohmann::json diagnostics = {
            {"bn_kl", curve([](const StepRecord& r) { return r.bnKl; })},
            {"teacher_confidence", curve([](const StepRecord& r) { return r.confidence; })},
            {"teacher_entropy", curve([](const StepRecord& r) { return r.entropy; })},
            {"feature_diversity", curve([](const StepRecord& r) { return r.featureDiversity; })},
        };

        const double exportSeconds =
            opt.exportSeconds >= 0 ? opt.exportSeconds
                                   : std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        nlohmann::json m = {
            {"format", kFormat},
            {"version", kVersion},
            {"method", set.method},
            {"options", set.options.is_null() ? nlohmann::json::object() : set.options},
            {"seed", set.seed},
            {"n", n},
            {"model_arch", set.modelArch},
            {"image_shape", {c, set.images.size(2), set.images.size(3)}},
            {"num_classes", k},
            {"classes", classes},
            {"normalization", normalizationJson(set.normalization)},
            {"timings", {{"synthesis_seconds", set.seconds}, {"export_seconds", exportSeconds}, {"batches", set.batches}}},
            {"files", {{"tensors", opt.tensors ? nlohmann::json("tensors.pt") : nlohmann::json()},
                       {"png", opt.png},
                       {"png_pattern", "<class folder>/<index>.png"}}},
            {"loss_curve", lossCurve},
            {"diagnostics_curves", diagnostics},
            {"notes", set.notes},
        };
        out.writeFile("manifest.json", m.dump(2) + "\n");
        out.commit();   // every file fsynced, then the folder renamed into place
    } catch (const runtime::FileError& e) {
        throw SynthesisError(e.what());
    } catch (const fs::filesystem_error& e) {
        throw SynthesisError(dir.string() + ": " + e.what());
    }
}

SyntheticSet readSyntheticSet(const std::string& dirName, SyntheticSetSource* source, bool preferTensors) {
    const fs::path dir(dirName);
    const fs::path manifestPath = dir / "manifest.json";
    if (!fs::is_regular_file(manifestPath))
        throw SynthesisError(dir.string() + ": no manifest.json (not a synthetic set written by dfq synth)");
    nlohmann::json m;
    try {
        m = nlohmann::json::parse(readText(manifestPath));
    } catch (const nlohmann::json::exception& e) {
        throw SynthesisError(manifestPath.string() + ": not valid JSON (" + e.what() + ")");
    }
    if (m.value("format", "") != kFormat)
        throw SynthesisError(manifestPath.string() + ": not a " + std::string(kFormat) + " manifest");

    SyntheticSet set;
    std::vector<std::string> folders;
    int64_t n = 0, c = 0, h = 0, w = 0;
    try {
        if (m.at("version").get<int>() > kVersion)
            throw SynthesisError(manifestPath.string() + ": written by a newer version (format " +
                                 m.at("version").dump() + ")");
        set.method = m.at("method").get<std::string>();
        set.options = m.at("options");
        set.seed = m.at("seed").get<uint64_t>();
        set.modelArch = m.value("model_arch", "");
        n = m.at("n").get<int64_t>();
        const auto shape = m.at("image_shape").get<std::vector<int64_t>>();
        if (shape.size() != 3)
            throw SynthesisError(manifestPath.string() + ": image_shape must be [C,H,W]");
        c = shape[0], h = shape[1], w = shape[2];
        set.numClasses = m.at("num_classes").get<int64_t>();
        for (const auto& cl : m.at("classes")) {
            set.classNames.push_back(cl.at("name").get<std::string>());
            folders.push_back(cl.at("folder").get<std::string>());
        }
        const auto& nj = m.at("normalization");
        set.normalization.name = nj.at("name").get<std::string>();
        set.normalization.mean = nj.at("mean").get<std::vector<float>>();
        set.normalization.stdev = nj.at("std").get<std::vector<float>>();
        set.seconds = m.at("timings").value("synthesis_seconds", 0.0);
        set.batches = m.at("timings").value("batches", int64_t(0));
        set.notes = m.value("notes", std::vector<std::string>{});
    } catch (const nlohmann::json::exception& e) {
        throw SynthesisError(manifestPath.string() + ": incomplete manifest (" + e.what() + ")");
    }

    const fs::path tensorsPath = dir / "tensors.pt";
    if (preferTensors && fs::is_regular_file(tensorsPath)) {
        try {
            const auto ck = checkpoint::readCheckpoint(tensorsPath.string());
            torch::Tensor images = ck.tensors.at("images"), labels = ck.tensors.at("labels");
            if (images.dim() != 4 || images.size(0) != n || images.size(1) != c || images.size(2) != h ||
                images.size(3) != w || labels.dim() != 1 || labels.size(0) != n)
                throw SynthesisError(tensorsPath.string() + ": tensor shapes disagree with manifest.json");
            set.images = images.to(torch::kFloat32).contiguous();
            set.labels = labels.to(torch::kLong).contiguous();
            if (source)
                *source = SyntheticSetSource::Tensors;
            return set;
        } catch (const checkpoint::CheckpointError& e) {
            set.notes.push_back(std::string("tensors.pt could not be read (") + e.what() +
                                "): using the 8-bit PNGs instead");
        } catch (const std::out_of_range& e) {
            set.notes.push_back(std::string("tensors.pt lacks images/labels (") + e.what() +
                                "): using the 8-bit PNGs instead");
        }
    }

    if (!m.at("files").value("png", false))
        throw SynthesisError(dir.string() + ": no readable tensors.pt and no PNGs in this synthetic set");
    if (c != 1 && c != 3 && c != 4)
        throw SynthesisError(manifestPath.string() + ": PNG sets hold 1, 3 or 4 channels, manifest says " +
                             std::to_string(c));
    torch::Tensor pixels = torch::empty({n, h, w, c}, torch::kUInt8);
    torch::Tensor labels = torch::full({n}, -1, torch::kLong);
    auto* lab = labels.data_ptr<int64_t>();
    for (size_t k = 0; k < folders.size(); ++k) {
        const fs::path folder = dir / folders[k];
        if (!fs::is_directory(folder))
            continue;   // a class without images
        for (const auto& entry : fs::directory_iterator(folder)) {
            const fs::path p = entry.path();
            if (p.extension() != ".png")
                continue;
            int64_t idx = -1;
            try {
                size_t used = 0;
                idx = std::stoll(p.stem().string(), &used);
                if (used != p.stem().string().size())
                    idx = -1;
            } catch (...) {
            }
            if (idx < 0 || idx >= n)
                throw SynthesisError(p.string() + ": not an image of this set (index outside 0.." +
                                     std::to_string(n - 1) + ")");
            if (lab[idx] != -1)
                throw SynthesisError(p.string() + ": index " + std::to_string(idx) + " appears twice");
            cv::Mat img = cv::imread(p.string(), cv::IMREAD_UNCHANGED);
            if (img.empty() || img.depth() != CV_8U || img.channels() != c || img.rows != h || img.cols != w)
                throw SynthesisError(p.string() + ": not a " + std::to_string(w) + "x" + std::to_string(h) + " " +
                                     std::to_string(c) + "-channel 8-bit PNG");
            if (c == 3)
                cv::cvtColor(img, img, cv::COLOR_BGR2RGB);
            else if (c == 4)
                cv::cvtColor(img, img, cv::COLOR_BGRA2RGBA);
            if (!img.isContinuous())
                img = img.clone();
            std::memcpy(pixels[idx].data_ptr<uint8_t>(), img.data, size_t(h * w * c));
            lab[idx] = int64_t(k);
        }
    }
    for (int64_t i = 0; i < n; ++i)
        if (lab[i] == -1)
            throw SynthesisError(dir.string() + ": image " + indexName(i) + " is missing from every class folder");
    try {
        set.images = fromPixels(pixels, set.normalization);
    } catch (const std::invalid_argument& e) {
        throw SynthesisError(manifestPath.string() + ": " + e.what());
    }
    set.labels = labels;
    if (source)
        *source = SyntheticSetSource::Png;
    return set;
}

} // namespace dfq::synth
