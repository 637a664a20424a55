#include "support/SharedData.h"

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

RemoveOnExit::~RemoveOnExit() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

} // namespace dfq::testing
