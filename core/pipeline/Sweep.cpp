#include "pipeline/Sweep.h"

#include "pipeline/PipelineError.h"
#include "synth/SynthesisMethod.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

namespace dfq::pipeline {
namespace fs = std::filesystem;
using nlohmann::json;

std::vector<int> parseIntList(const std::string& text, const std::string& what) {
    std::vector<int> out;
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, ',');) {
        try {
            size_t used = 0;
            const int v = std::stoi(item, &used);
            if (used != item.size())
                throw std::invalid_argument(item);
            out.push_back(v);
        } catch (const std::exception&) {
            throw ConfigError({{what, "'" + item + "' is not an integer (expected a list like 4,6,8)"}});
        }
    }
    return out;
}

std::vector<std::string> parseNameList(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty())
            out.push_back(item);
    return out;
}

std::vector<RunSummary> runSweep(const json& base, const std::string& baseDir, const SweepGrid& grid,
                                 const std::string& sweepDir, const PipelineOptions& options,
                                 const std::function<void(int, int, const std::string&)>& onCell) {
    // Validate every cell's configuration before running any of them.
    const ExperimentConfig baseConfig = parseExperimentConfig(base, baseDir);
    const auto methods = grid.methods.empty() ? std::vector<std::string>{baseConfig.synthMethod} : grid.methods;
    const auto wbits = grid.wbits.empty() ? std::vector<int>{baseConfig.wbits} : grid.wbits;
    struct Cell {
        ExperimentConfig config;
        std::string dir;
    };
    std::vector<Cell> cells;
    std::vector<ConfigIssue> issues;
    for (const auto& m : methods)
        for (int w : wbits) {
            const auto abits = grid.abits.empty() ? std::vector<int>{w} : grid.abits;
            for (int a : abits) {
                json doc = base;
                doc["synthesis"]["method"] = m;
                doc["quant"]["wbits"] = w;
                doc["quant"]["abits"] = a;
                // Method-specific options of the base config may not fit another method.
                if (m != baseConfig.synthMethod && doc["synthesis"].contains("options"))
                    doc["synthesis"].erase("options");
                // The batch/iters shortcuts apply to the methods that have them (noise does not iterate).
                const auto known = synth::methodNames();
                if (std::find(known.begin(), known.end(), m) != known.end()) {
                    const auto defs = synth::createMethod(m)->defaultOptions();
                    if (!defs.contains("iterations"))
                        doc["synthesis"].erase("iters");
                    if (!defs.contains("batch_size"))
                        doc["synthesis"].erase("batch");
                }
                const std::string name = m + "-W" + std::to_string(w) + "A" + std::to_string(a);
                try {
                    cells.push_back({parseExperimentConfig(doc, baseDir), (fs::path(sweepDir) / name).string()});
                } catch (const ConfigError& e) {
                    for (auto i : e.issues()) {
                        i.path = name + ": " + i.path;
                        issues.push_back(i);
                    }
                }
            }
        }
    if (!issues.empty())
        throw ConfigError(std::move(issues));
    std::error_code ec;
    fs::create_directories(sweepDir, ec);
    if (ec)
        throw PipelineError("sweep directory '" + sweepDir + "' is not writable: " + ec.message());
    auto writer = options.writer ? options.writer : std::make_shared<AtomicFileWriter>();

    std::vector<RunSummary> rows;
    std::map<std::string, std::string> synthesisDone; // method -> a cell whose synthesis completed
    for (size_t i = 0; i < cells.size(); ++i) {
        const auto& cell = cells[i];
        PipelineOptions cellOptions = options;
        if (auto it = synthesisDone.find(cell.config.synthMethod); it != synthesisDone.end())
            cellOptions.reuseSynthesisFrom = it->second;
        if (onCell)
            onCell(int(i), int(cells.size()), cell.dir);
        if (options.cancel.cancelled())
            break;
        try {
            if (fs::exists(fs::path(cell.dir) / "manifest.json"))
                resumeRun(cell.dir, cellOptions);
            else
                startRun(cell.config, cell.dir, cellOptions);
        } catch (const runtime::Cancelled&) {
            break;
        } catch (const std::exception& e) {
            if (options.events)
                options.events->message("sweep cell " + cell.dir + " failed: " + e.what());
        }
        if (fs::exists(fs::path(cell.dir) / "manifest.json")) {
            rows.push_back(summarizeRun(cell.dir));
            if (RunStore::open(cell.dir).state().done("synthesize"))
                synthesisDone.emplace(cell.config.synthMethod, cell.dir);
        }
        else {
            RunSummary s;
            s.dir = cell.dir;
            s.status = "failed";
            s.method = cell.config.synthMethod;
            s.ptq = cell.config.ptqMethod;
            s.wbits = cell.config.wbits;
            s.abits = cell.config.abits;
            s.protocol = cell.config.protocol();
            s.placement = cell.config.preset;
            rows.push_back(s);
        }
        // Tables after every cell: a sweep killed half-way still has the table of what it did.
        writer->writeFile((fs::path(sweepDir) / "results.csv").string(), comparisonCsv(rows));
        writer->writeFile((fs::path(sweepDir) / "results.md").string(), comparisonMarkdown(rows));
        writer->writeFile((fs::path(sweepDir) / "report.html").string(),
                          comparisonHtml(rows, "DFQ Studio sweep " + fs::path(sweepDir).filename().string(), sweepDir));
    }
    return rows;
}

} // namespace dfq::pipeline
