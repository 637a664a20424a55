#pragma once
// Reports that open offline (relative paths, no external JS/CSS):
//   - per run: RUN/report.html with the config summary, protocol, placement, per-layer bits,
//     results, plots (RUN/plots/*.svg and *.png: loss curves, per-class accuracy, per-layer BN
//     divergence) and the synthesis snapshots;
//   - a comparison of runs (`dfq report`, sweeps): one row per run, as text, Markdown, CSV and HTML.
#include "pipeline/RunStore.h"

#include <cmath>
#include <string>
#include <vector>

namespace dfq::pipeline {

/// Writes report.html and plots/ into the run directory (atomically, file by file).
void writeRunReport(RunStore& store);

/// One row of a comparison: what the run was and what it reached.
struct RunSummary {
    std::string dir;
    std::string status;            ///< running | finished | failed | cancelled
    std::string method;            ///< synthesis method
    std::string ptq;
    int wbits = 0, abits = 0;
    std::string protocol, placement;
    double fp32Top1 = NAN, quantTop1 = NAN;   ///< percent; NaN when not evaluated (yet)
    double loss = NAN;             ///< results.json final_loss
    double seconds = NAN;          ///< sum of the stage times
};

/// Reads manifest.json, state.json and results.json (when present) of a run directory. Throws
/// PipelineError when it is not a run directory.
RunSummary summarizeRun(const std::string& dir);

std::string comparisonText(const std::vector<RunSummary>& rows);      ///< fixed-width table
std::string comparisonMarkdown(const std::vector<RunSummary>& rows);
std::string comparisonCsv(const std::vector<RunSummary>& rows);
/// A standalone page; run directories are linked relative to `htmlDir` (where the page is written).
std::string comparisonHtml(const std::vector<RunSummary>& rows, const std::string& title, const std::string& htmlDir);

} // namespace dfq::pipeline
