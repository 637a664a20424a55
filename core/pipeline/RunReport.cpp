#include "pipeline/RunReport.h"
#include "pipeline/HtmlEscape.h"

#include "pipeline/Chart.h"
#include "pipeline/PipelineError.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

namespace dfq::pipeline {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {


std::string pct(double v) {
    if (!std::isfinite(v))
        return "-";
    char b[32];
    std::snprintf(b, sizeof b, "%.2f", v);
    return b;
}

std::string num(double v, const char* f = "%.4g") {
    if (!std::isfinite(v))
        return "-";
    char b[32];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

double getNum(const json& j, const std::string& key) {
    return j.contains(key) && j[key].is_number() ? j[key].get<double>() : NAN;
}

std::string val(const json& j) {
    if (j.is_string())
        return j.get<std::string>();
    return j.dump();
}

const char* kStyle =
    "<style>body{font-family:sans-serif;margin:24px;max-width:1100px}table{border-collapse:collapse;margin:8px 0 20px}"
    "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px}th{background:#f2f2f2}"
    "td.n{text-align:right}img{border:1px solid #ddd;margin:4px}h2{margin-top:28px}code{background:#f6f6f6}</style>";

// Writes a chart as SVG and PNG under plots/ and returns the <figure> that shows it.
std::string plot(RunStore& store, const std::string& name, const Chart& chart) {
    store.makeDir("plots");
    store.writeText("plots/" + name + ".svg", renderSvg(chart));
    store.writeText("plots/" + name + ".png", renderPng(chart));
    return "<figure><img src=\"plots/" + name + ".svg\" alt=\"" + htmlEscape(chart.title) + "\"><figcaption>" + htmlEscape(chart.title) +
           " (<a href=\"plots/" + name + ".png\">PNG</a>, <a href=\"plots/" + name + ".svg\">SVG</a>)</figcaption></figure>\n";
}

} // namespace

void writeRunReport(RunStore& store) {
    const json m = store.manifest();
    const RunState st = store.state();
    const json res = store.exists("results.json") ? store.readJson("results.json") : json::object();
    const auto metrics = readMetrics(store.path("metrics.jsonl"));
    const json& cfg = m["config"]["resolved"];
    std::ostringstream h;
    h << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>DFQ run " << htmlEscape(fs::path(store.dir()).filename().string())
      << "</title>" << kStyle << "</head><body>\n";
    h << "<h1>DFQ Studio run <code>" << htmlEscape(fs::path(store.dir()).filename().string()) << "</code></h1>\n";
    h << "<p>Status <b>" << htmlEscape(st.status) << "</b>" << (st.message.empty() ? "" : " — " + htmlEscape(st.message))
      << ". Protocol <b>" << htmlEscape(m.value("protocol", "")) << "</b>, quantization <b>"
      << htmlEscape(m.contains("placement") ? m["placement"].value("label", "") : "") << "</b>.</p>\n";

    h << "<h2>Configuration</h2><table>";
    auto row = [&](const std::string& k, const std::string& v) { h << "<tr><th>" << htmlEscape(k) << "</th><td>" << htmlEscape(v) << "</td></tr>"; };
    row("model", cfg["model"].value("path", "") + " (" + m.value("arch", cfg["model"].value("arch", "")) + ")");
    row("test data", val(cfg["data"]["test"]) + " (limit " + val(cfg["data"]["limit"]) + ", per class " +
                         val(cfg["data"]["limit_per_class"]) + ")");
    row("synthesis", val(cfg["synthesis"]["method"]) + ", n = " + val(cfg["synthesis"]["n"]) + ", options " +
                         cfg["synthesis"].value("resolved_options", json::object()).dump());
    row("quantization", "W" + val(cfg["quant"]["wbits"]) + "A" + val(cfg["quant"]["abits"]) + ", preset " +
                            val(cfg["quant"]["preset"]) + ", observers " + val(cfg["quant"]["weight_observer"]) + " / " +
                            val(cfg["quant"]["activation_observer"]));
    row("PTQ", val(cfg["ptq"]["method"]) + " (batch " + val(cfg["ptq"]["batch"]) + ", adaround iters " +
                   val(cfg["ptq"]["adaround_iters"]) + ", brecq iters " + val(cfg["ptq"]["brecq_iters"]) + ")");
    row("QAT-KD", val(cfg["qat"]["epochs"]) + " epochs, lr " + val(cfg["qat"]["lr"]) + ", batch " + val(cfg["qat"]["batch"]));
    row("seed / threads", val(m["seed"]) + " / " + val(m["threads"]) + " (" + val(m["hardware_threads"]) + " hardware)");
    row("CPU", m.value("cpu", ""));
    std::string versions;
    for (auto it = m["versions"].begin(); it != m["versions"].end(); ++it)
        versions += (versions.empty() ? "" : ", ") + it.key() + " " + val(it.value());
    row("versions", versions);
    row("created", m.value("created", ""));
    h << "</table>\n";

    h << "<h2>Results</h2><table><tr><th></th><th>top-1 %</th><th>top-5 %</th></tr>";
    h << "<tr><th>FP32</th><td class=n>" << pct(getNum(res, "fp32_top1")) << "</td><td class=n>" << pct(getNum(res, "fp32_top5")) << "</td></tr>";
    h << "<tr><th>quantized</th><td class=n>" << pct(getNum(res, "quant_top1")) << "</td><td class=n>" << pct(getNum(res, "quant_top5"))
      << "</td></tr></table>\n";
    h << "<table><tr><th>stage</th><th>seconds</th></tr>";
    for (auto it = st.seconds.begin(); it != st.seconds.end(); ++it)
        h << "<tr><td>" << htmlEscape(it.key()) << "</td><td class=n>" << num(it.value().get<double>(), "%.1f") << "</td></tr>";
    h << "</table>\n";

    // plots
    h << "<h2>Plots</h2>\n";
    Chart synthLoss = Chart::make(Chart::Kind::Line, "Synthesis loss (total)", "step", "loss");
    synthLoss.logY = true;
    ChartSeries sl("total");
    Chart qatLoss = Chart::make(Chart::Kind::Line, "QAT-KD loss", "step", "loss");
    ChartSeries ql("loss");
    for (const auto& j : metrics) {
        if (j.value("stage", "") == "synthesize" && j.contains("loss_total") && j.contains("step")) {
            sl.x.push_back(getNum(j, "step"));
            sl.y.push_back(getNum(j, "loss_total"));
        }
        if (j.value("stage", "") == "fine-tune" && j.contains("loss")) {
            ql.x.push_back(getNum(j, "step"));
            ql.y.push_back(getNum(j, "loss"));
        }
    }
    if (!sl.y.empty()) {
        synthLoss.xLabel = "step (batches one after another; recorded every 10 steps)";
        synthLoss.series.push_back(sl);
        h << plot(store, "synthesis-loss", synthLoss);
    }
    if (!ql.y.empty()) {
        qatLoss.series.push_back(ql);
        h << plot(store, "qat-loss", qatLoss);
    }
    if (res.contains("evaluation")) {
        const json& ev = res["evaluation"];
        Chart pc = Chart::make(Chart::Kind::Bar, "Per-class top-1 accuracy", "class", "top-1 %");
        pc.categories = ev.value("class_names", std::vector<std::string>{});
        pc.series.push_back(ChartSeries("FP32", {}, ev["fp32"].value("per_class", std::vector<double>{})));
        pc.series.push_back(ChartSeries("quantized", {}, ev["quant"].value("per_class", std::vector<double>{})));
        if (pc.categories.empty())
            for (size_t i = 0; i < pc.series[0].y.size(); ++i)
                pc.categories.push_back(std::to_string(i));
        h << plot(store, "per-class-accuracy", pc);
        h << "<table><tr><th>class</th><th>FP32 %</th><th>quantized %</th></tr>";
        for (size_t i = 0; i < pc.categories.size(); ++i)
            h << "<tr><td>" << htmlEscape(pc.categories[i]) << "</td><td class=n>"
              << pct(i < pc.series[0].y.size() ? pc.series[0].y[i] : NAN) << "</td><td class=n>"
              << pct(i < pc.series[1].y.size() ? pc.series[1].y[i] : NAN) << "</td></tr>";
        h << "</table>\n";
    }
    if (res.contains("synthesis") && res["synthesis"].contains("bn_divergence") && !res["synthesis"]["bn_divergence"].empty()) {
        Chart bn = Chart::make(Chart::Kind::Bar, "Per-layer BN divergence of the last synthetic batch (KL, nats)", "BN layer", "KL");
        ChartSeries s("KL");
        for (const auto& d : res["synthesis"]["bn_divergence"]) {
            bn.categories.push_back(d.value("layer", ""));
            s.y.push_back(getNum(d, "kl"));
        }
        bn.series.push_back(s);
        h << plot(store, "bn-divergence", bn);
    }

    // snapshots
    std::vector<std::string> snaps;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(store.path("snapshots"), ec))
        if (e.path().extension() == ".png")
            snaps.push_back(e.path().filename().string());
    std::sort(snaps.begin(), snaps.end());
    if (!snaps.empty()) {
        h << "<h2>Synthesis snapshots</h2>\n";
        const size_t step = std::max<size_t>(1, snaps.size() / 12);
        for (size_t i = 0; i < snaps.size(); i += step)
            h << "<div><img src=\"snapshots/" << htmlEscape(snaps[i]) << "\" alt=\"" << htmlEscape(snaps[i]) << "\"><br><small>" << htmlEscape(snaps[i])
              << "</small></div>\n";
    }

    // placement
    if (m.contains("placement") && m["placement"].contains("layers")) {
        h << "<h2>Placement and per-layer bits (" << htmlEscape(m["placement"].value("preset", "")) << ")</h2>\n";
        h << "<table><tr><th>layer</th><th>kind</th><th>weight bits</th><th>input bits</th></tr>";
        for (const auto& l : m["placement"]["layers"])
            h << "<tr><td>" << htmlEscape(l.value("name", "")) << "</td><td>" << htmlEscape(l.value("kind", "")) << "</td><td class=n>"
              << val(l["wbits"]) << "</td><td class=n>" << val(l["input_bits"]) << "</td></tr>";
        h << "</table><table><tr><th>activation</th><th>bits</th></tr>";
        for (const auto& a : m["placement"]["activations"])
            h << "<tr><td>" << htmlEscape(a.value("name", "")) << "</td><td class=n>" << val(a["abits"]) << "</td></tr>";
        h << "</table><p>32 = stays float.</p>\n";
    }
    h << "<p><small>Files: <a href=\"manifest.json\">manifest.json</a>, <a href=\"results.json\">results.json</a>, "
         "<a href=\"metrics.jsonl\">metrics.jsonl</a>, <a href=\"state.json\">state.json</a>.</small></p>\n</body></html>\n";
    store.writeText("report.html", h.str());
}

RunSummary summarizeRun(const std::string& dir) {
    RunStore store = RunStore::open(dir);
    const json m = store.manifest();
    const json& cfg = m["config"]["resolved"];
    RunSummary s;
    s.dir = dir;
    s.status = store.state().status;
    s.method = cfg["synthesis"].value("method", "");
    s.ptq = cfg["ptq"].value("method", "");
    s.wbits = cfg["quant"].value("wbits", 0);
    s.abits = cfg["quant"].value("abits", 0);
    s.protocol = m.value("protocol", "");
    s.placement = m.contains("placement") ? m["placement"].value("preset", "") : "";
    if (store.exists("results.json")) {
        const json r = store.readJson("results.json");
        s.fp32Top1 = getNum(r, "fp32_top1");
        s.quantTop1 = getNum(r, "quant_top1");
        s.loss = getNum(r, "final_loss");
        s.seconds = getNum(r, "seconds");
    }
    return s;
}

namespace {
std::vector<std::vector<std::string>> cells(const std::vector<RunSummary>& rows) {
    std::vector<std::vector<std::string>> t;
    t.push_back({"run", "status", "method", "ptq", "wbits", "abits", "protocol", "placement", "fp32 top1", "quant top1", "loss", "time s"});
    for (const auto& r : rows)
        t.push_back({fs::path(r.dir).filename().string(), r.status, r.method, r.ptq, std::to_string(r.wbits), std::to_string(r.abits),
                     r.protocol, r.placement, pct(r.fp32Top1), pct(r.quantTop1), num(r.loss), num(r.seconds, "%.1f")});
    return t;
}
} // namespace

std::string comparisonText(const std::vector<RunSummary>& rows) {
    const auto t = cells(rows);
    std::vector<size_t> w(t[0].size(), 0);
    for (const auto& r : t)
        for (size_t i = 0; i < r.size(); ++i)
            w[i] = std::max(w[i], r[i].size());
    std::ostringstream o;
    for (const auto& r : t) {
        for (size_t i = 0; i < r.size(); ++i)
            o << r[i] << std::string(w[i] - r[i].size() + 2, ' ');
        o << '\n';
    }
    return o.str();
}

std::string comparisonMarkdown(const std::vector<RunSummary>& rows) {
    const auto t = cells(rows);
    std::ostringstream o;
    for (size_t k = 0; k < t.size(); ++k) {
        o << '|';
        for (const auto& c : t[k])
            o << ' ' << c << " |";
        o << '\n';
        if (k == 0) {
            o << '|';
            for (size_t i = 0; i < t[0].size(); ++i)
                o << "---|";
            o << '\n';
        }
    }
    return o.str();
}

std::string comparisonCsv(const std::vector<RunSummary>& rows) {
    std::ostringstream o;
    o << "run,status,method,ptq,wbits,abits,protocol,placement,fp32_top1,quant_top1,loss,seconds\n";
    auto n = [](double v, const char* f) { return std::isfinite(v) ? num(v, f) : std::string(); };
    for (const auto& r : rows)
        o << fs::path(r.dir).filename().string() << ',' << r.status << ',' << r.method << ',' << r.ptq << ',' << r.wbits << ','
          << r.abits << ',' << r.protocol << ',' << r.placement << ',' << n(r.fp32Top1, "%.2f") << ',' << n(r.quantTop1, "%.2f")
          << ',' << n(r.loss, "%.6g") << ',' << n(r.seconds, "%.1f") << '\n';
    return o.str();
}

std::string comparisonHtml(const std::vector<RunSummary>& rows, const std::string& title, const std::string& htmlDir) {
    std::ostringstream h;
    h << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" << htmlEscape(title) << "</title>" << kStyle << "</head><body>\n<h1>"
      << htmlEscape(title) << "</h1>\n<table>";
    const auto t = cells(rows);
    h << "<tr>";
    for (const auto& c : t[0])
        h << "<th>" << htmlEscape(c) << "</th>";
    h << "</tr>\n";
    for (size_t k = 1; k < t.size(); ++k) {
        std::error_code ec;
        std::string rel = fs::relative(fs::absolute(rows[k - 1].dir), fs::absolute(htmlDir), ec).string();
        if (ec || rel.empty())
            rel = fs::absolute(rows[k - 1].dir).string();
        h << "<tr><td><a href=\"" << htmlEscape(rel) << "/report.html\">" << htmlEscape(t[k][0]) << "</a></td>";
        for (size_t i = 1; i < t[k].size(); ++i)
            h << (i >= 8 ? "<td class=n>" : "<td>") << htmlEscape(t[k][i]) << "</td>";
        h << "</tr>\n";
    }
    h << "</table>\n";
    // quant top-1 per run as a bar chart, inline SVG (the page stays one file)
    Chart c = Chart::make(Chart::Kind::Bar, "Top-1 % per run", "run", "top-1 %");
    ChartSeries fp("FP32"), q("quantized");
    for (const auto& r : rows) {
        c.categories.push_back(r.method + " " + r.ptq + " W" + std::to_string(r.wbits) + "A" + std::to_string(r.abits));
        fp.y.push_back(r.fp32Top1);
        q.y.push_back(r.quantTop1);
    }
    c.series = {fp, q};
    c.width = std::max(720, int(rows.size()) * 60 + 100);
    h << renderSvg(c) << "</body></html>\n";
    return h.str();
}

} // namespace dfq::pipeline
