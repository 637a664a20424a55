#include "pipeline/RunStore.h"

#include "pipeline/PipelineError.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace dfq::pipeline {
namespace fs = std::filesystem;
using nlohmann::json;

json RunState::toJson() const {
    return {{"status", status}, {"completed", completed}, {"current", current}, {"message", message}, {"seconds", seconds}};
}

RunState RunState::fromJson(const json& j) {
    RunState s;
    s.status = j.value("status", "running");
    s.completed = j.value("completed", std::vector<std::string>{});
    s.current = j.value("current", "");
    s.message = j.value("message", "");
    s.seconds = j.value("seconds", json::object());
    return s;
}

bool RunState::done(const std::string& stage) const {
    return std::find(completed.begin(), completed.end(), stage) != completed.end();
}

RunStore RunStore::create(const std::string& dir, std::shared_ptr<FileWriter> writer) {
    if (!writer)
        writer = std::make_shared<AtomicFileWriter>();
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_empty(dir, ec))
        throw PipelineError("run directory '" + dir + "' already exists and is not empty (choose another output.name, or `dfq resume` it)");
    fs::create_directories(dir, ec);
    if (ec)
        throw PipelineError("output directory '" + dir + "' is not writable: " + ec.message());
    if (::access(dir.c_str(), W_OK) != 0)
        throw PipelineError("output directory '" + dir + "' is not writable: permission denied");
    RunStore s(dir, writer);
    return s;
}

RunStore RunStore::open(const std::string& dir, std::shared_ptr<FileWriter> writer) {
    if (!writer)
        writer = std::make_shared<AtomicFileWriter>();
    if (!fs::is_directory(dir))
        throw PipelineError("'" + dir + "' is not a run directory (no such directory)");
    RunStore s(dir, writer);
    if (!s.exists("manifest.json") || !s.exists("state.json"))
        throw PipelineError("'" + dir + "' is not a run directory (manifest.json or state.json is missing)");
    s.readJson("manifest.json");
    s.readJson("state.json");
    return s;
}

std::string RunStore::path(const std::string& rel) const { return (fs::path(dir_) / rel).string(); }

void RunStore::writeJson(const std::string& rel, const json& j) { writer_->writeFile(path(rel), j.dump(2) + "\n"); }

void RunStore::writeText(const std::string& rel, const std::string& text) { writer_->writeFile(path(rel), text); }

json RunStore::readJson(const std::string& rel) const {
    std::ifstream f(path(rel));
    if (!f)
        throw PipelineError("cannot read '" + path(rel) + "'");
    try {
        return json::parse(f);
    } catch (const json::parse_error& e) {
        throw PipelineError("'" + path(rel) + "' is not valid JSON: " + e.what());
    }
}

bool RunStore::exists(const std::string& rel) const { return fs::exists(path(rel)); }

void RunStore::makeDir(const std::string& rel) {
    std::error_code ec;
    fs::create_directories(path(rel), ec);
    if (ec)
        throw PipelineError("cannot create '" + path(rel) + "': " + ec.message());
}

RunState RunStore::state() const { return RunState::fromJson(readJson("state.json")); }

void RunStore::writeState(const RunState& s) { writeJson("state.json", s.toJson()); }

void RunStore::appendMetric(const json& line) { writer_->appendLine(path("metrics.jsonl"), line.dump()); }

std::vector<json> readMetrics(const std::string& path, bool* truncated) {
    if (truncated)
        *truncated = false;
    std::vector<json> out;
    std::ifstream f(path);
    if (!f)
        return out;
    std::vector<std::string> lines;
    for (std::string l; std::getline(f, l);)
        if (!l.empty())
            lines.push_back(l);
    for (size_t i = 0; i < lines.size(); ++i) {
        json j = json::parse(lines[i], nullptr, false);
        if (j.is_discarded()) {
            if (i + 1 == lines.size()) {
                if (truncated)
                    *truncated = true;
                break;
            }
            throw PipelineError("'" + path + "' line " + std::to_string(i + 1) + " is not valid JSON");
        }
        out.push_back(std::move(j));
    }
    return out;
}

} // namespace dfq::pipeline
