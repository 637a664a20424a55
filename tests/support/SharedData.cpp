#include "support/SharedData.h"

#include "runtime/Resources.h"

#include <cstdlib>
#include <filesystem>
#include <random>

namespace fs = std::filesystem;

namespace dfq::testing {

std::string sharedDir() {
    if (const char* env = std::getenv("DFQ_SHARED_DIR"); env && fs::is_directory(env))
        return fs::canonical(env).string();
    fs::path p = fs::path(DFQ_SOURCE_DIR) / ".." / "shared";
    if (fs::is_directory(p))
        return fs::canonical(p).string();
    return {};
}

std::string sharedPath(const std::string& rel) {
    const std::string dir = sharedDir();
    if (dir.empty())
        return {};
    fs::path p = fs::path(dir) / rel;
    return fs::exists(p) ? p.string() : std::string();
}

std::string sourcePath(const std::string& rel) { return (fs::path(DFQ_SOURCE_DIR) / rel).string(); }

std::string makeTempDir(const std::string& tag) {
    std::random_device rd;
    fs::path p = fs::temp_directory_path() / ("dfq-test-" + tag + "-" + std::to_string(rd()));
    fs::create_directories(p);
    return p.string();
}

std::string missingEmbeddedModel() {
    if (!runtime::defaultModelPath().empty())
        return {};
    return "the embedded model resources/models/fmnist_resnet8.pt is missing (it is part of the source tree)";
}

std::string missingFashionMnist() {
    const fs::path dir = runtime::defaultDataPath();
    for (const char* f : {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"})
        if (!fs::exists(dir / f))
            return "Debian's Fashion-MNIST is not installed (" + (dir / f).string() +
                   " is missing; scripts/setup.sh installs dataset-fashion-mnist)";
    return {};
}

std::string datasetsRequiredBecause() {
    auto truthy = [](const char* name) {
        const char* v = std::getenv(name);
        if (!v)
            return false;
        const std::string s = v;
        return s == "1" || s == "true" || s == "TRUE" || s == "True" || s == "yes";
    };
    if (truthy("CI"))
        return "CI is set";
    if (truthy("DFQ_REQUIRE_DATASETS"))
        return "DFQ_REQUIRE_DATASETS is set";
    std::error_code ec;
    if (fs::exists("/var/lib/dpkg/info/dataset-fashion-mnist.list", ec))
        return "dpkg lists dataset-fashion-mnist as installed";
    return {};
}

RemoveOnExit::~RemoveOnExit() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

} // namespace dfq::testing
