#include "pipeline/Chart.h"
#include "pipeline/HtmlEscape.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace dfq::pipeline {
namespace {

// Both renderers draw the same list of primitives, laid out once here.
struct Rgb {
    int r, g, b;
};
struct Shape {
    enum class Kind { Line, Rect, Polyline, Text };
    Shape(Kind kind_, std::vector<std::pair<double, double>> pts_, Rgb color_, double width_ = 1, std::string text_ = {},
          double size_ = 11, std::string anchor_ = "start", double rotate_ = 0)
        : kind(kind_), pts(std::move(pts_)), color(color_), width(width_), text(std::move(text_)), size(size_),
          anchor(std::move(anchor_)), rotate(rotate_) {}
    Kind kind;
    std::vector<std::pair<double, double>> pts;  ///< Line: 2 points; Rect: corner + size; Polyline: points
    Rgb color{0, 0, 0};
    double width = 1;
    std::string text;
    double size = 11;                            ///< font size in px
    std::string anchor = "start";                ///< start | middle | end
    double rotate = 0;                           ///< degrees (SVG only; PNG draws unrotated)
};

const Rgb kPalette[] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40}, {148, 103, 189}, {140, 86, 75}};

std::string fmt(double v) {
    char buf[32];
    const double a = std::fabs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e5))
        std::snprintf(buf, sizeof buf, "%.2g", v);
    else
        std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::vector<Shape> layout(const Chart& c) {
    std::vector<Shape> s;
    const double left = 64, right = 16, top = c.series.size() > 1 ? 46 : 30, bottom = c.kind == Chart::Kind::Bar ? 90 : 44;
    const double W = c.width - left - right, H = c.height - top - bottom;
    s.push_back({Shape::Kind::Text, {{c.width / 2.0, 18}}, {0, 0, 0}, 1, c.title, 13, "middle"});
    // value range
    double lo = INFINITY, hi = -INFINITY, xlo = INFINITY, xhi = -INFINITY;
    auto tr = [&](double v) { return c.logY ? std::log10(v) : v; };
    for (const auto& se : c.series)
        for (size_t i = 0; i < se.y.size(); ++i) {
            if (!std::isfinite(se.y[i]) || (c.logY && se.y[i] <= 0))
                continue;
            lo = std::min(lo, tr(se.y[i]));
            hi = std::max(hi, tr(se.y[i]));
            if (c.kind == Chart::Kind::Line && i < se.x.size()) {
                xlo = std::min(xlo, se.x[i]);
                xhi = std::max(xhi, se.x[i]);
            }
        }
    if (!std::isfinite(lo)) {
        lo = 0;
        hi = 1;
    }
    if (c.kind == Chart::Kind::Bar)
        lo = std::min(lo, 0.0);
    if (hi - lo < 1e-12)
        hi = lo + 1;
    if (!std::isfinite(xlo)) {
        xlo = 0;
        xhi = 1;
    }
    if (xhi - xlo < 1e-12)
        xhi = xlo + 1;
    auto py = [&](double v) { return top + H - (tr(v) - lo) / (hi - lo) * H; };
    auto pyRaw = [&](double t) { return top + H - (t - lo) / (hi - lo) * H; };
    // axes and y grid
    s.push_back({Shape::Kind::Line, {{left, top}, {left, top + H}}, {0, 0, 0}});
    s.push_back({Shape::Kind::Line, {{left, top + H}, {left + W, top + H}}, {0, 0, 0}});
    for (int k = 0; k <= 4; ++k) {
        const double t = lo + (hi - lo) * k / 4.0, y = pyRaw(t);
        s.push_back({Shape::Kind::Line, {{left, y}, {left + W, y}}, {225, 225, 225}});
        s.push_back({Shape::Kind::Text, {{left - 6, y + 4}}, {60, 60, 60}, 1, fmt(c.logY ? std::pow(10, t) : t), 10, "end"});
    }
    s.push_back({Shape::Kind::Text, {{14, top + H / 2}}, {0, 0, 0}, 1, c.yLabel, 11, "middle", -90});
    s.push_back({Shape::Kind::Text, {{left + W / 2, c.height - 6.0}}, {0, 0, 0}, 1, c.xLabel, 11, "middle"});

    if (c.kind == Chart::Kind::Line) {
        for (int k = 0; k <= 4; ++k) {
            const double xv = xlo + (xhi - xlo) * k / 4.0, x = left + W * k / 4.0;
            s.push_back({Shape::Kind::Text, {{x, top + H + 16}}, {60, 60, 60}, 1, fmt(xv), 10, "middle"});
        }
        for (size_t si = 0; si < c.series.size(); ++si) {
            const auto& se = c.series[si];
            Shape line(Shape::Kind::Polyline, {}, kPalette[si % 6], 1.5);
            for (size_t i = 0; i < se.y.size() && i < se.x.size(); ++i)
                if (std::isfinite(se.y[i]) && !(c.logY && se.y[i] <= 0))
                    line.pts.push_back({left + (se.x[i] - xlo) / (xhi - xlo) * W, py(se.y[i])});
            s.push_back(line);
        }
    } else {
        const size_t groups = std::max<size_t>(1, c.categories.size()), per = std::max<size_t>(1, c.series.size());
        const double gw = W / double(groups), bw = gw * 0.8 / double(per);
        for (size_t g = 0; g < groups; ++g) {
            for (size_t si = 0; si < c.series.size(); ++si) {
                if (g >= c.series[si].y.size() || !std::isfinite(c.series[si].y[g]))
                    continue;
                const double x = left + g * gw + gw * 0.1 + si * bw, y0 = py(0), y1 = py(c.series[si].y[g]);
                s.push_back({Shape::Kind::Rect, {{x, std::min(y0, y1)}, {bw, std::fabs(y1 - y0)}}, kPalette[si % 6]});
            }
            if (g < c.categories.size()) {
                std::string label = c.categories[g];
                if (label.size() > 18)
                    label = label.substr(0, 17) + "…";
                s.push_back({Shape::Kind::Text, {{left + (g + 0.5) * gw, top + H + 12}}, {60, 60, 60}, 1, label, 9, "end", -45});
            }
        }
    }
    // legend
    if (c.series.size() > 1)
        for (size_t si = 0; si < c.series.size(); ++si) {
            const double x = left + 10 + si * 140.0, y = top - 16;
            s.push_back({Shape::Kind::Rect, {{x, y}, {10, 10}}, kPalette[si % 6]});
            s.push_back({Shape::Kind::Text, {{x + 14, y + 9}}, {0, 0, 0}, 1, c.series[si].name, 10});
        }
    return s;
}


std::string rgb(const Rgb& c) {
    return "rgb(" + std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ")";
}

} // namespace

std::string renderSvg(const Chart& c) {
    std::ostringstream o;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << c.width << "\" height=\"" << c.height
      << "\" viewBox=\"0 0 " << c.width << ' ' << c.height << "\" font-family=\"sans-serif\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    for (const auto& s : layout(c)) {
        switch (s.kind) {
        case Shape::Kind::Line:
            o << "<line x1=\"" << s.pts[0].first << "\" y1=\"" << s.pts[0].second << "\" x2=\"" << s.pts[1].first
              << "\" y2=\"" << s.pts[1].second << "\" stroke=\"" << rgb(s.color) << "\" stroke-width=\"" << s.width << "\"/>\n";
            break;
        case Shape::Kind::Rect:
            o << "<rect x=\"" << s.pts[0].first << "\" y=\"" << s.pts[0].second << "\" width=\"" << s.pts[1].first
              << "\" height=\"" << s.pts[1].second << "\" fill=\"" << rgb(s.color) << "\"/>\n";
            break;
        case Shape::Kind::Polyline: {
            o << "<polyline fill=\"none\" stroke=\"" << rgb(s.color) << "\" stroke-width=\"" << s.width << "\" points=\"";
            for (const auto& p : s.pts)
                o << p.first << ',' << p.second << ' ';
            o << "\"/>\n";
            break;
        }
        case Shape::Kind::Text:
            o << "<text x=\"" << s.pts[0].first << "\" y=\"" << s.pts[0].second << "\" font-size=\"" << s.size
              << "\" text-anchor=\"" << s.anchor << "\" fill=\"" << rgb(s.color) << "\"";
            if (s.rotate != 0)
                o << " transform=\"rotate(" << s.rotate << ' ' << s.pts[0].first << ' ' << s.pts[0].second << ")\"";
            o << '>' << htmlEscape(s.text) << "</text>\n";
            break;
        }
    }
    o << "</svg>\n";
    return o.str();
}

std::string renderPng(const Chart& c) {
    cv::Mat img(c.height, c.width, CV_8UC3, cv::Scalar(255, 255, 255));
    auto col = [](const Rgb& x) { return cv::Scalar(x.b, x.g, x.r); };
    auto pt = [](const std::pair<double, double>& p) { return cv::Point(int(std::lround(p.first)), int(std::lround(p.second))); };
    for (const auto& s : layout(c)) {
        switch (s.kind) {
        case Shape::Kind::Line: cv::line(img, pt(s.pts[0]), pt(s.pts[1]), col(s.color), 1, cv::LINE_AA); break;
        case Shape::Kind::Rect:
            cv::rectangle(img, cv::Rect(pt(s.pts[0]), cv::Size(int(std::max(1.0, s.pts[1].first)), int(std::max(1.0, s.pts[1].second)))),
                          col(s.color), cv::FILLED);
            break;
        case Shape::Kind::Polyline: {
            std::vector<cv::Point> p;
            for (const auto& q : s.pts)
                p.push_back(pt(q));
            if (p.size() > 1)
                cv::polylines(img, p, false, col(s.color), 2, cv::LINE_AA);
            break;
        }
        case Shape::Kind::Text: {
            if (s.rotate != 0 && s.rotate != -45)
                break; // the rotated y label does not fit unrotated
            std::string t;
            for (unsigned char ch : s.text)
                if (ch < 128)
                    t += char(ch);
            const double scale = s.size / 26.0;
            int base = 0;
            const auto sz = cv::getTextSize(t, cv::FONT_HERSHEY_SIMPLEX, scale, 1, &base);
            cv::Point p = pt(s.pts[0]);
            if (s.rotate == -45) { // bar labels: short, centred under the bar
                // The end of a layer name tells layers apart ("layer1.0.bn1" vs "layer1.0.bn2").
                for (size_t at = t.find("layer"); at != std::string::npos; at = t.find("layer"))
                    t.replace(at, 5, "L");
                if (t.size() > 8)
                    t = t.substr(t.size() - 8);
                p.x -= cv::getTextSize(t, cv::FONT_HERSHEY_SIMPLEX, scale, 1, &base).width / 2;
            } else if (s.anchor == "middle") {
                p.x -= sz.width / 2;
            } else if (s.anchor == "end") {
                p.x -= sz.width;
            }
            cv::putText(img, t, p, cv::FONT_HERSHEY_SIMPLEX, scale, col(s.color), 1, cv::LINE_AA);
            break;
        }
        }
    }
    std::vector<uchar> buf;
    cv::imencode(".png", img, buf);
    return std::string(buf.begin(), buf.end());
}

} // namespace dfq::pipeline
