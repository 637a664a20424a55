#include "pipeline/StageContext.h"

#include "pipeline/PipelineError.h"
#include "pipeline/PipelineStage.h"
#include "pipeline/PtqRecipe.h"
#include "pipeline/RunStore.h"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace dfq::pipeline {
using nlohmann::json;
using Clock = std::chrono::steady_clock;

StageContext::StageContext(ExperimentConfig c, RunStore* store, PipelineEvents* ev, runtime::CancelToken token,
                           SeedPolicy seeds)
    : config(std::move(c)), events(ev), cancel(std::move(token)), store_(store), seeds_(seeds) {}

uint64_t StageContext::seed(const std::string& stage) const {
    return seeds_ == SeedPolicy::PerStage ? stageSeed(config.seed, stage) : config.seed;
}

double StageContext::elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

void StageContext::metric(json line) {
    line["t"] = std::round(elapsed() * 1000) / 1000;
    if (store_)
        store_->appendMetric(line);
    if (events)
        events->metric(line);
}

void StageContext::checkBudget(const std::string& stage) {
    if (config.maxSeconds > 0 && elapsed() > config.maxSeconds) {
        budgetExceeded_ = "budget.max_seconds (" + json(config.maxSeconds).dump() + " s) exceeded during stage " + stage;
        cancel.cancel();
    }
    if (cancel.cancelled())
        throw runtime::Cancelled();
}

void StageContext::progress(const std::string& stage, int64_t done, int64_t total, double etaSeconds) {
    checkBudget(stage);
    if (events)
        events->stageProgress(stage, done, total, etaSeconds);
}

void StageContext::message(const std::string& text) {
    if (events)
        events->message(text);
}

RunStore& StageContext::store() {
    if (!store_)
        throw PipelineError("this run has no run directory (nothing is checkpointed)");
    return *store_;
}

std::string StageContext::path(const std::string& rel) const { return store_ ? store_->path(rel) : rel; }

bool StageContext::exists(const std::string& rel) const { return store_ && store_->exists(rel); }

void StageContext::saveFile(const std::string& rel, const std::string& bytes) {
    if (store_)
        store_->writer().writeFile(store_->path(rel), bytes);
}

void StageContext::saveJson(const std::string& rel, const json& j) {
    if (store_)
        store_->writeJson(rel, j);
}

std::string StageContext::readFile(const std::string& rel) const {
    if (!store_)
        throw PipelineError("cannot read checkpoint '" + rel + "': this run has no run directory");
    const std::string p = store_->path(rel);
    std::ifstream f(p, std::ios::binary);
    if (!f)
        throw PipelineError("cannot read checkpoint '" + p + "'");
    std::ostringstream os;
    os << f.rdbuf();
    return os.str();
}

json StageContext::readJson(const std::string& rel) const {
    if (!store_)
        throw PipelineError("cannot read checkpoint '" + rel + "': this run has no run directory");
    return store_->readJson(rel);
}

void StageContext::recordSpecInManifest() {
    if (!store_)
        return;
    json layers = json::array(), acts = json::array();
    for (const auto& l : spec.layers)
        layers.push_back({{"name", l.name}, {"kind", l.kind}, {"wbits", l.weight.bits}, {"input_bits", l.input.bits}});
    for (const auto& a : spec.activations)
        acts.push_back({{"name", a.name}, {"abits", a.output.bits}});
    json m = store_->manifest();
    m["arch"] = model->info().arch;
    m["placement"] = {{"preset", config.preset}, {"label", spec.label()}, {"layers", layers}, {"activations", acts}};
    m["quant_spec"] = spec.toJson();
    store_->writeJson("manifest.json", m);
}

double StageClock::eta(int64_t done, int64_t total) const {
    if (done <= 0 || total <= done)
        return 0;
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    return s / double(done) * double(total - done);
}

json finiteOrNull(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string epochCheckpointBase(const std::string& stem, int64_t epoch) {
    std::ostringstream base;
    base << "checkpoints/" << stem << "-epoch-" << std::setw(3) << std::setfill('0') << epoch;
    return base.str();
}

data::DatasetOptions datasetOptionsFor(const ExperimentConfig& c, const models::ModelInfo& info) {
    data::DatasetOptions o;
    o.geometry = {info.inChannels, info.inHeight, info.inWidth};
    const std::string preset = c.normalization != "model" ? c.normalization
                               : info.normalization.empty() ? "none" : info.normalization;
    o.normalization = data::normalizationPreset(preset);
    o.limit = c.testLimit;
    o.limitPerClass = c.testLimitPerClass;
    return o;
}

quant::QuantSpec quantSpecFor(const ExperimentConfig& c, models::ZooModelImpl& model) {
    if (!c.quantSpec.is_null()) {
        auto given = quant::QuantSpec::fromJson(c.quantSpec);
        quant::validateQuantSpec(given, model);
        return given;
    }
    auto options = quantOptionsForPtq(c.ptqMethod, c.weightObserver, c.activationObserver);
    options.foldBn = c.foldBn;
    options.symmetricWeights = c.symmetricWeights;
    auto spec = quant::buildQuantSpec(model, quant::parsePlacement(c.preset), c.wbits, c.abits, options);
    for (const auto& [name, o] : c.layers) {
        for (auto& l : spec.layers)
            if (l.name == name) {
                if (o.wbits)
                    l.weight.bits = o.wbits;
                if (o.abits)
                    l.input.bits = o.abits;
            }
        for (auto& a : spec.activations)
            if (a.name == name && o.abits)
                a.output.bits = o.abits;
    }
    quant::validateQuantSpec(spec, model);
    return spec;
}

} // namespace dfq::pipeline
