#pragma once
// A grid of runs over synthesis methods × weight bits × activation bits, each cell a normal run
// directory under the sweep directory ("<method>-W<w>A<a>"), then SWEEP/results.csv, results.md
// and report.html comparing them. A cell whose run already finished is not recomputed, and an
// unfinished one is resumed, so re-running the same sweep continues it.
#include "pipeline/ExperimentConfig.h"
#include "pipeline/Pipeline.h"
#include "pipeline/RunReport.h"

#include <functional>
#include <string>
#include <vector>

namespace dfq::pipeline {

struct SweepGrid {
    std::vector<std::string> methods;   ///< synthesis methods; empty = the config's
    std::vector<int> wbits;             ///< empty = the config's
    std::vector<int> abits;             ///< empty = equal to wbits in each cell
};

/// Parses "4,6,8" (ConfigError naming `what` on anything else).
std::vector<int> parseIntList(const std::string& text, const std::string& what);
std::vector<std::string> parseNameList(const std::string& text);

/// Runs the grid. `onCell(index, count, runDir)` is called before each cell. A failing cell is
/// recorded (status failed) and the sweep goes on. Returns one summary per cell, in grid order.
std::vector<RunSummary> runSweep(const nlohmann::json& baseDocument, const std::string& baseDir, const SweepGrid& grid,
                                 const std::string& sweepDir, const PipelineOptions& options,
                                 const std::function<void(int, int, const std::string&)>& onCell = {});

} // namespace dfq::pipeline
