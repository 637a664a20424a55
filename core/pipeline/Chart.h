#pragma once
// Simple charts for the offline HTML reports: a line chart (e.g. a loss curve) or a bar chart (e.g.
// per-class accuracy, per-layer BN divergence), rendered as hand-written SVG and as PNG (OpenCV
// drawing). No external libraries, nothing fetched: the report opens offline.
#include <string>
#include <utility>
#include <vector>

namespace dfq::pipeline {

struct ChartSeries {
    explicit ChartSeries(std::string name_ = {}, std::vector<double> x_ = {}, std::vector<double> y_ = {})
        : name(std::move(name_)), x(std::move(x_)), y(std::move(y_)) {}
    std::string name;
    std::vector<double> x;   ///< line charts: x values (same length as y); bar charts: unused
    std::vector<double> y;   ///< non-finite values are skipped
};

struct Chart {
    enum class Kind { Line, Bar } kind = Kind::Line;
    std::string title, xLabel, yLabel;
    std::vector<std::string> categories;   ///< bar charts: one label per bar group
    std::vector<ChartSeries> series;       ///< bar charts: one value per category in each series
    bool logY = false;                     ///< line charts: log10 axis (values <= 0 skipped)
    int width = 720, height = 360;         ///< pixels

    static Chart make(Kind kind, std::string title, std::string xLabel, std::string yLabel) {
        Chart c;
        c.kind = kind;
        c.title = std::move(title);
        c.xLabel = std::move(xLabel);
        c.yLabel = std::move(yLabel);
        return c;
    }
};

std::string renderSvg(const Chart& chart);
/// PNG bytes (8-bit RGB).
std::string renderPng(const Chart& chart);

} // namespace dfq::pipeline
