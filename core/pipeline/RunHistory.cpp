#include "pipeline/RunHistory.h"

#include "pipeline/PipelineError.h"
#include "pipeline/RunStore.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

namespace dfq::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
/// Keys of a metrics line that are labels or x coordinates, not series.
bool isCoordinate(const std::string& k) {
    return k == "stage" || k == "event" || k == "step" || k == "epoch" || k == "iteration" || k == "unit" ||
           k == "batch" || k == "seconds" || k == "reused_from";
}
} // namespace

RunHistory readRunHistory(const std::string& dir) {
    RunStore store = RunStore::open(dir);   // not a run directory: PipelineError
    const json manifest = store.manifest();
    RunHistory h;
    h.format = manifest.value("format", "");
    if (h.format != kRunFormat)
        throw PipelineError("'" + store.path("manifest.json") + "' is format '" + (h.format.empty() ? "none" : h.format) +
                            "'; this DFQ Studio reads '" + kRunFormat +
                            "' (a run from a newer version: open it with that version)");
    // summarizeRun reads these without checking (a const json's operator[] on a missing key is
    // undefined): a manifest from elsewhere or edited by hand must be refused here instead.
    const json* resolved = manifest.contains("config") && manifest["config"].is_object() && manifest["config"].contains("resolved")
                               ? &manifest["config"]["resolved"] : nullptr;
    for (const char* section : {"synthesis", "ptq", "quant"})
        if (!resolved || !resolved->is_object() || !resolved->contains(section) || !(*resolved)[section].is_object())
            throw PipelineError("'" + store.path("manifest.json") + "' has no config.resolved." + section +
                                " section: it was not written by DFQ Studio or was edited");
    h.summary = summarizeRun(dir);
    const RunState state = store.state();
    h.message = state.message;
    h.created = manifest.value("created", "");
    if (manifest.contains("config") && manifest["config"].contains("resolved"))
        h.resolvedConfig = manifest["config"]["resolved"];
    if (store.exists("results.json"))
        h.results = store.readJson("results.json");
    for (const auto& stage : state.completed)
        if (state.seconds.contains(stage) && state.seconds[stage].is_number())
            h.stageSeconds.emplace_back(stage, state.seconds[stage].get<double>());

    // Series in first-seen order, keyed by (stage, name).
    std::map<std::pair<std::string, std::string>, size_t> index;
    std::map<std::string, double> calibrateCount;   // calibrate: iterations restart per unit
    for (const json& line : readMetrics(store.path("metrics.jsonl"), &h.metricsTruncated)) {
        if (!line.is_object() || (line.contains("event") && line["event"] != "epoch"))
            continue;   // stage-start / stage-end markers
        const std::string stage = line.value("stage", "");
        std::string xKey;
        double x = 0;
        if (line.contains("epoch") && line["epoch"].is_number() && (!line.contains("step") || stage == "generative")) {
            xKey = "epoch";
            x = line["epoch"].get<double>();
        } else if (line.contains("step") && line["step"].is_number()) {
            xKey = "step";
            x = line["step"].get<double>();
        } else if (line.contains("iteration") && line["iteration"].is_number()) {
            xKey = "iteration";
            x = ++calibrateCount[stage];
        } else {
            continue;   // one-off lines (evaluate's accuracies are in results.json)
        }
        for (auto it = line.begin(); it != line.end(); ++it) {
            if (isCoordinate(it.key()) || !(it.value().is_number() || it.value().is_null()))
                continue;
            const auto key = std::make_pair(stage, it.key());
            auto found = index.find(key);
            if (found == index.end()) {
                found = index.emplace(key, h.series.size()).first;
                h.series.push_back({stage, it.key(), xKey, {}, {}});
            }
            auto& s = h.series[found->second];
            s.x.push_back(x);
            // null: a non-finite value the run recorded (finiteOrNull), kept as a gap.
            s.y.push_back(it.value().is_number() ? it.value().get<double>() : std::nan(""));
        }
    }

    std::error_code ec;
    const fs::path snaps = fs::path(dir) / "snapshots";
    if (fs::is_directory(snaps, ec))
        for (const auto& e : fs::directory_iterator(snaps, ec))
            if (e.is_regular_file() && e.path().extension() == ".png")
                h.snapshots.push_back("snapshots/" + e.path().filename().string());
    std::sort(h.snapshots.begin(), h.snapshots.end());
    return h;
}

} // namespace dfq::pipeline
