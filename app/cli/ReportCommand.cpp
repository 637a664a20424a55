// dfq report RUN... [--html FILE]: compares run directories (or sweep directories: their cells) as a
// table on stdout and a standalone HTML page; --rebuild rewrites each run's own report.html.
#include "Commands.h"

#include "pipeline/RunReport.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace dfq::cli {
namespace {

struct ReportArgs {
    std::vector<std::string> runs;
    std::string html = "dfq-report.html";
    bool rebuild = false;
};

int runReport(const ReportArgs& a) {
    namespace fs = std::filesystem;
    std::vector<pipeline::RunSummary> rows;
    for (const auto& r : a.runs) {
        if (!fs::exists(fs::path(r) / "manifest.json") && fs::is_directory(r)) { // a sweep: its cells
            std::vector<std::string> cells;
            for (const auto& e : fs::directory_iterator(r))
                if (fs::exists(e.path() / "manifest.json"))
                    cells.push_back(e.path().string());
            std::sort(cells.begin(), cells.end());
            if (cells.empty())
                throw std::runtime_error("'" + r + "' is neither a run directory nor a sweep directory");
            for (const auto& c : cells)
                rows.push_back(pipeline::summarizeRun(c));
            continue;
        }
        rows.push_back(pipeline::summarizeRun(r));
    }
    if (a.rebuild)
        for (const auto& r : rows) {
            auto store = pipeline::RunStore::open(r.dir);
            pipeline::writeRunReport(store);
        }
    std::cout << pipeline::comparisonText(rows);
    const std::string dir = fs::absolute(a.html).parent_path().string();
    pipeline::AtomicFileWriter().writeFile(a.html, pipeline::comparisonHtml(rows, "DFQ Studio runs", dir));
    std::printf("html         %s\n", a.html.c_str());
    return 0;
}

} // namespace

void addReportCommand(CLI::App& app, CommonOptions& common, CommandBody& body) {
    auto args = std::make_shared<ReportArgs>();
    CLI::App* cmd = app.add_subcommand("report", "compare run directories: a table on stdout and an HTML page");
    cmd->add_option("runs", args->runs, "run directories (or sweep directories)")->required();
    cmd->add_option("--html", args->html, "HTML file to write");
    cmd->add_flag("--rebuild", args->rebuild, "also rewrite each run's report.html and plots");
    cmd->callback([&body, args] { body = [args] { return runReport(*args); }; });
    (void)common;
}

} // namespace dfq::cli
