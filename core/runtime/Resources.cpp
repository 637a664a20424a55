#include "runtime/Resources.h"

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace dfq::runtime {
namespace {

fs::path executableDir() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe.parent_path();
}

} // namespace

std::string resourcePath(const std::string& rel) {
    std::vector<fs::path> roots;
    if (const char* env = std::getenv("DFQ_RESOURCES"))
        roots.emplace_back(env);
    const fs::path exeDir = executableDir();
    if (!exeDir.empty())
        roots.push_back(exeDir / ".." / "share" / "dfq-studio");
#ifdef DFQ_RESOURCE_DIR
    roots.emplace_back(DFQ_RESOURCE_DIR);
#endif
    for (const auto& r : roots) {
        std::error_code ec;
        const fs::path p = r / rel;
        if (fs::exists(p, ec))
            return fs::weakly_canonical(p, ec).string();
    }
    return {};
}

std::string defaultModelPath() { return resourcePath("models/fmnist_resnet8.pt"); }

std::string defaultDataPath() { return "/usr/share/datasets/fashion-mnist"; }

} // namespace dfq::runtime
