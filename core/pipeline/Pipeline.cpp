#include "pipeline/Pipeline.h"

#include "data/DataError.h"
#include "data/Dataset.h"
#include "metrics/Evaluator.h"
#include "models/ModelLoader.h"
#include "pipeline/PipelineError.h"
#include "pipeline/PipelineStage.h"
#include "pipeline/PtqRecipe.h"
#include "pipeline/QuantizedState.h"
#include "pipeline/RunReport.h"
#include "pipeline/RunStore.h"
#include "quant/AdaRound.h"
#include "quant/Brecq.h"
#include "quant/QatDistiller.h"
#include "quant/QuantExport.h"
#include "quant/QuantizedModel.h"
#include "runtime/Threads.h"
#include "synth/Synthesize.h"
#include "synth/SyntheticSetIO.h"

#include <opencv2/core/version.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>
#include <torch/version.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace dfq::pipeline {
namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

std::string cpuModel() {
    std::ifstream f("/proc/cpuinfo");
    for (std::string line; std::getline(f, line);)
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos)
                return line.substr(line.find_first_not_of(' ', colon + 1));
        }
    return "unknown";
}

std::string utcNow(const char* format) {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::ostringstream os;
    os << std::put_time(&tm, format);
    return os.str();
}

std::string readFile(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw PipelineError("cannot read checkpoint '" + path + "'");
    std::ostringstream os;
    os << f.rdbuf();
    return os.str();
}

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json evalJson(const metrics::EvalResult& r) {
    return {{"images", r.images}, {"top1", r.top1}, {"top5", r.top5}, {"per_class", r.perClass}, {"seconds", r.seconds}};
}

// Extrapolates the remaining time of a stage from its mean unit time.
struct StageClock {
    Clock::time_point start = Clock::now();
    double eta(int64_t done, int64_t total) const {
        if (done <= 0 || total <= done)
            return 0;
        const double s = std::chrono::duration<double>(Clock::now() - start).count();
        return s / double(done) * double(total - done);
    }
};

data::DatasetOptions datasetOptions(const ExperimentConfig& c, const models::ModelInfo& info) {
    data::DatasetOptions o;
    o.geometry = {info.inChannels, info.inHeight, info.inWidth};
    const std::string preset = c.normalization != "model" ? c.normalization
                               : info.normalization.empty() ? "none" : info.normalization;
    o.normalization = data::normalizationPreset(preset);
    o.limit = c.testLimit;
    o.limitPerClass = c.testLimitPerClass;
    return o;
}

// The spec of the config for a model: preset, bits, observers of the PTQ method, per-layer overrides.
quant::QuantSpec specFor(const ExperimentConfig& c, models::ZooModelImpl& model) {
    auto spec = quant::buildQuantSpec(model, quant::parsePlacement(c.preset), c.wbits, c.abits,
                                      quantOptionsForPtq(c.ptqMethod, c.weightObserver, c.activationObserver));
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

json placementJson(const quant::QuantSpec& spec, const std::string& preset) {
    json layers = json::array(), acts = json::array();
    for (const auto& l : spec.layers)
        layers.push_back({{"name", l.name}, {"kind", l.kind}, {"wbits", l.weight.bits}, {"input_bits", l.input.bits}});
    for (const auto& a : spec.activations)
        acts.push_back({{"name", a.name}, {"abits", a.output.bits}});
    return {{"preset", preset}, {"label", spec.label()}, {"layers", layers}, {"activations", acts}};
}

// Writes a row of up to 16 snapshot images as one PNG (nearest-neighbour ×2 for small inputs).
std::string snapshotPng(const synth::ImageSnapshot& s) {
    auto imgs = s.images.contiguous();
    if (!imgs.defined() || imgs.dim() != 4 || imgs.size(0) == 0)
        return {};
    const int n = int(std::min<int64_t>(16, imgs.size(0))), h = int(imgs.size(1)), w = int(imgs.size(2)),
              ch = int(imgs.size(3));
    if (ch != 1 && ch != 3)
        return {};
    cv::Mat row(h, n * w, ch == 1 ? CV_8UC1 : CV_8UC3);
    for (int i = 0; i < n; ++i) {
        cv::Mat one(h, w, ch == 1 ? CV_8UC1 : CV_8UC3, imgs[i].data_ptr<uint8_t>());
        one.copyTo(row(cv::Rect(i * w, 0, w, h)));
    }
    if (ch == 3)
        cv::cvtColor(row, row, cv::COLOR_RGB2BGR);
    if (h < 64)
        cv::resize(row, row, {}, 2, 2, cv::INTER_NEAREST);
    std::vector<uchar> buf;
    cv::imencode(".png", row, buf);
    return std::string(buf.begin(), buf.end());
}

class PipelineRun;

// Forwards synthesis events to the user's PipelineEvents and records loss terms, BN divergence and
// snapshots in the run directory.
class SynthesisRecorder : public synth::SynthesisEvents {
public:
    SynthesisRecorder(PipelineRun& run, PipelineEvents* user) : run_(run), user_(user) {
        diagnosticsEvery = user ? user->diagnosticsEvery : 0;
        snapshotEvery = user ? user->snapshotEvery : 0;
        snapshotPerClass = user ? user->snapshotPerClass : 1;
    }
    void progress(const synth::SynthesisProgress& p) override;
    void lossTerms(int64_t step, const std::map<std::string, double>& terms) override;
    void layerDiagnostics(int64_t step, const std::vector<metrics::LayerDivergence>& layers) override;
    void snapshot(const synth::ImageSnapshot& s) override;
    void batchFinished(int64_t batch, const torch::Tensor& images, const torch::Tensor& labels) override {
        if (user_)
            user_->batchFinished(batch, images, labels);
    }
    void note(const std::string& m) override {
        if (user_)
            user_->note(m);
    }

    std::vector<metrics::LayerDivergence> lastDiagnostics;
    double lastLoss = std::nan("");

private:
    PipelineRun& run_;
    PipelineEvents* user_;
};

class PipelineRun {
public:
    PipelineRun(RunStore store, ExperimentConfig config, const PipelineOptions& options)
        : store_(std::move(store)), c_(std::move(config)), o_(options), events_(options.events) {}

    RunOutcome run();

    // used by SynthesisRecorder
    void metric(json j) {
        j["t"] = std::round(elapsed() * 1000) / 1000;
        store_.appendMetric(j);
    }
    void progress(const std::string& stage, int64_t done, int64_t total, double eta) {
        checkBudget(stage);
        if (events_)
            events_->stageProgress(stage, done, total, eta);
    }
    RunStore& store() { return store_; }
    const runtime::CancelToken& cancel() const { return o_.cancel; }

private:
    double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
    void checkBudget(const std::string& stage) {
        if (c_.maxSeconds > 0 && elapsed() > c_.maxSeconds) {
            budgetExceeded_ = "budget.max_seconds (" + json(c_.maxSeconds).dump() + " s) exceeded during stage " + stage;
            o_.cancel.cancel();
        }
        if (o_.cancel.cancelled())
            throw runtime::Cancelled();
    }
    std::vector<std::string> stages() const {
        std::vector<std::string> s{stage::Load, stage::Synthesize, stage::Calibrate};
        if (c_.qatEpochs > 0)
            s.push_back(stage::FineTune);
        if (!c_.testPath.empty())
            s.push_back(stage::Evaluate);
        if (c_.exportModel)
            s.push_back(stage::Export);
        return s;
    }
    void runStage(const std::string& name, bool restore);
    void load();
    void synthesize(bool restore);
    bool reuseSynthesis(const std::string& dir, uint64_t seed);
    void calibrate(bool restore);
    void fineTune(bool restore);
    void evaluate(bool restore);
    void exportModel();
    json results(const RunState& st);

    RunStore store_;
    ExperimentConfig c_;
    PipelineOptions o_;
    PipelineEvents* events_;
    Clock::time_point start_ = Clock::now();
    std::string budgetExceeded_;

    models::ZooModel model_{nullptr}, fp32_{nullptr};
    data::DatasetOptions dopt_;
    quant::QuantSpec spec_;
    std::unique_ptr<quant::QuantizedModel> qm_;
    torch::Tensor images_, labels_;
    json synthJson_, calibJson_, qatJson_, evalJson_;
};

void SynthesisRecorder::progress(const synth::SynthesisProgress& p) {
    if (user_)
        user_->progress(p);
    run_.progress(stage::Synthesize, p.step, p.totalSteps, p.etaSeconds);
}

void SynthesisRecorder::lossTerms(int64_t step, const std::map<std::string, double>& terms) {
    if (user_)
        user_->lossTerms(step, terms);
    if (auto it = terms.find("total"); it != terms.end())
        lastLoss = it->second;
    if (step % 10 == 0 || step == 1) {
        json j = {{"stage", stage::Synthesize}, {"step", step}};
        for (const auto& [k, v] : terms)
            j["loss_" + k] = num(v);
        run_.metric(j);
    }
}

void SynthesisRecorder::layerDiagnostics(int64_t step, const std::vector<metrics::LayerDivergence>& layers) {
    if (user_)
        user_->layerDiagnostics(step, layers);
    lastDiagnostics = layers;
}

void SynthesisRecorder::snapshot(const synth::ImageSnapshot& s) {
    if (user_)
        user_->snapshot(s);
    const std::string png = snapshotPng(s);
    if (png.empty())
        return;
    std::ostringstream name;
    name << "snapshots/batch" << std::setw(3) << std::setfill('0') << s.batch << "-step" << std::setw(6) << s.step << ".png";
    run_.store().writer().writeFile(run_.store().path(name.str()), png);
}

RunOutcome PipelineRun::run() {
    RunState st = store_.state();
    st.status = "running";
    st.message.clear();
    store_.writeState(st);
    const auto names = stages();
    try {
        for (size_t i = 0; i < names.size(); ++i) {
            const auto& name = names[i];
            const bool restore = st.done(name);
            if (events_)
                events_->stageStarted(name, int(i), int(names.size()), restore);
            if (!restore) {
                st.current = name;
                store_.writeState(st);
                metric({{"event", "stage-start"}, {"stage", name}});
            }
            const auto t0 = Clock::now();
            runStage(name, restore);
            const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
            if (!restore) {
                st.completed.push_back(name);
                st.seconds[name] = secs;
                st.current.clear();
                store_.writeState(st);
                metric({{"event", "stage-end"}, {"stage", name}, {"seconds", secs}});
            }
            if (events_)
                events_->stageFinished(name, secs, restore);
        }
        checkBudget("results");
    } catch (const runtime::Cancelled&) {
        st.status = budgetExceeded_.empty() ? "cancelled" : "failed";
        st.message = budgetExceeded_.empty() ? "cancelled by the user" : budgetExceeded_;
        store_.writeState(st);
        if (!budgetExceeded_.empty())
            throw PipelineError(budgetExceeded_ + " (run directory " + store_.dir() + ")");
        return {store_.dir(), "cancelled", json()};
    } catch (const std::exception& e) {
        st.status = "failed";
        st.message = e.what();
        try {
            store_.writeState(st);
        } catch (...) {
        }
        throw;
    }
    const json res = results(st);
    store_.writeJson("results.json", res);
    st.status = "finished";
    store_.writeState(st);
    try {
        writeRunReport(store_);
    } catch (const std::exception& e) {
        if (events_)
            events_->message(std::string("report not written: ") + e.what());
    }
    return {store_.dir(), "finished", res};
}

void PipelineRun::runStage(const std::string& name, bool restore) {
    if (name == stage::Load)
        load();
    else if (name == stage::Synthesize)
        synthesize(restore);
    else if (name == stage::Calibrate)
        calibrate(restore);
    else if (name == stage::FineTune)
        fineTune(restore);
    else if (name == stage::Evaluate)
        evaluate(restore);
    else if (name == stage::Export && !restore)
        exportModel();
}

// Always re-executed: the model file is the checkpoint of this stage.
void PipelineRun::load() {
    auto loaded = models::loadModel(c_.modelPath, c_.arch);
    model_ = loaded.model;
    model_->eval();
    fp32_ = quant::cloneModel(*model_);
    dopt_ = datasetOptions(c_, model_->info());
    spec_ = specFor(c_, *model_);
    json m = store_.manifest();
    m["arch"] = model_->info().arch;
    m["placement"] = placementJson(spec_, c_.preset);
    m["quant_spec"] = spec_.toJson();
    store_.writeJson("manifest.json", m);
}

void PipelineRun::synthesize(bool restore) {
    const std::string dir = store_.path("checkpoints/synthetic");
    if (restore) {
        auto set = synth::readSyntheticSet(dir);
        images_ = set.images;
        labels_ = set.labels;
        synthJson_ = store_.readJson("checkpoints/synthesis.json");
        return;
    }
    const uint64_t seed = stageSeed(c_.seed, stage::Synthesize);
    if (reuseSynthesis(dir, seed))
        return;
    torch::manual_seed(seed);
    SynthesisRecorder rec(*this, events_);
    auto set = synth::synthesize(c_.synthMethod, *model_, c_.synthOptions, c_.synthN, seed, &rec, o_.cancel);
    synth::SyntheticSetWriteOptions wo;
    wo.overwrite = true;
    synth::writeSyntheticSet(dir, set, wo);
    images_ = set.images;
    labels_ = set.labels;
    json div = json::array();
    for (const auto& d : rec.lastDiagnostics)
        div.push_back({{"layer", d.name}, {"mean_l2", num(d.meanL2)}, {"std_l2", num(d.stdL2)}, {"kl", num(d.kl)}});
    synthJson_ = {{"method", set.method}, {"options", set.options}, {"n", set.size()}, {"seed", seed},
                  {"seconds", set.seconds}, {"final_loss", num(rec.lastLoss)}, {"bn_divergence", div},
                  {"notes", set.notes}};
    store_.writeJson("checkpoints/synthesis.json", synthJson_);
}

bool PipelineRun::reuseSynthesis(const std::string& dir, uint64_t seed) {
    if (o_.reuseSynthesisFrom.empty())
        return false;
    try {
        RunStore other = RunStore::open(o_.reuseSynthesisFrom);
        if (!other.state().done(stage::Synthesize))
            return false;
        const json theirs = other.readJson("checkpoints/synthesis.json");
        const json m = other.manifest();
        const json& rc = m.at("config").at("resolved");
        const bool same = theirs.value("method", "") == c_.synthMethod && theirs.value("n", int64_t(-1)) == c_.synthN &&
                          theirs.value("seed", uint64_t(0)) == seed &&
                          rc.at("synthesis").value("resolved_options", json()) == c_.resolved.at("synthesis").value("resolved_options", json()) &&
                          rc.at("model").value("path", "") == c_.modelPath && m.value("arch", "") == model_->info().arch &&
                          m.value("threads", -1) == runtime::configureThreads(c_.threads);
        if (!same)
            return false;
        auto set = synth::readSyntheticSet(other.path("checkpoints/synthetic"));
        if (set.size() != c_.synthN)
            return false;
        synth::SyntheticSetWriteOptions wo;
        wo.overwrite = true;
        synth::writeSyntheticSet(dir, set, wo);
        images_ = set.images;
        labels_ = set.labels;
        synthJson_ = theirs;
        synthJson_["reused_from"] = o_.reuseSynthesisFrom;
        store_.writeJson("checkpoints/synthesis.json", synthJson_);
        metric({{"stage", stage::Synthesize}, {"reused_from", o_.reuseSynthesisFrom}});
        if (events_)
            events_->message("synthetic set reused from " + o_.reuseSynthesisFrom + " (same method, options, n, seed)");
        return true;
    } catch (const std::exception&) {
        return false; // anything unreadable: synthesise here
    }
}

void PipelineRun::calibrate(bool restore) {
    qm_ = std::make_unique<quant::QuantizedModel>(model_, spec_);
    if (restore) {
        restoreQuantizedState(*qm_, readFile(store_.path("checkpoints/quantized.pt")));
        calibJson_ = store_.readJson("checkpoints/calibration.json");
        return;
    }
    const uint64_t seed = stageSeed(c_.seed, stage::Calibrate);
    torch::manual_seed(seed);
    quant::TensorBatchSource src(images_, c_.calibBatch);
    const auto rep = qm_->calibrate(src);
    calibJson_ = {{"images", rep.images}, {"batches", rep.batches}, {"ptq", c_.ptqMethod}};
    StageClock clock;
    int64_t unit = -1, done = 0;
    std::string lastUnit;
    auto onProgress = [&](int64_t units, int64_t iters) {
        return [&, units, iters](const std::string& u, int64_t it, double recLoss, double regLoss) {
            if (u != lastUnit) {
                lastUnit = u;
                ++unit;
            }
            done = unit * iters + it;
            metric({{"stage", stage::Calibrate}, {"unit", u}, {"iteration", it}, {"loss_rec", num(recLoss)}, {"loss_reg", num(regLoss)}});
            progress(stage::Calibrate, done, units * iters, clock.eta(done, units * iters));
        };
    };
    if (c_.ptqMethod == "adaround") {
        quant::TensorBatchSource s2(images_, c_.calibBatch);
        quant::AdaRoundOptions ao;
        ao.iterations = c_.adaroundIters;
        ao.seed = seed;
        ao.cancel = o_.cancel;
        ao.progress = onProgress(int64_t(qm_->layerNames().size()), c_.adaroundIters);
        json rows = json::array();
        for (const auto& r : quant::runAdaRound(*qm_, s2, ao))
            rows.push_back({{"layer", r.layer}, {"mse_nearest", r.mseNearest}, {"mse_adaround", r.mseAdaRound}});
        calibJson_["adaround"] = rows;
    } else if (c_.ptqMethod == "brecq") {
        quant::TensorBatchSource s2(images_, c_.calibBatch);
        quant::BrecqOptions bo;
        bo.iterations = c_.brecqIters;
        bo.seed = seed;
        bo.cancel = o_.cancel;
        bo.progress = onProgress(int64_t(quant::brecqUnits(*model_).size()), c_.brecqIters);
        json rows = json::array();
        for (const auto& r : quant::runBrecq(*qm_, s2, bo))
            rows.push_back({{"block", r.block}, {"mse_before", r.mseBefore}, {"mse_after", r.mseAfter}});
        calibJson_["brecq"] = rows;
    }
    store_.writer().writeFile(store_.path("checkpoints/quantized.pt"), saveQuantizedState(*qm_));
    store_.writeJson("checkpoints/calibration.json", calibJson_);
}

void PipelineRun::fineTune(bool restore) {
    if (restore) {
        restoreQuantizedState(*qm_, readFile(store_.path("checkpoints/quantized-finetuned.pt")));
        qatJson_ = store_.readJson("checkpoints/fine-tune.json");
        return;
    }
    const uint64_t seed = stageSeed(c_.seed, stage::FineTune);
    const int64_t n = images_.size(0), perEpoch = (n + c_.qatBatch - 1) / c_.qatBatch;
    // Each epoch's order comes from its own generator, so a resumed epoch shuffles as the original.
    auto epochOrder = [&](int64_t e) {
        auto gen = at::detail::createCPUGenerator(seed + uint64_t(e) + 1);
        return torch::randperm(n, gen, torch::kLong);
    };
    int64_t startEpoch = 0;
    std::string optimBytes;
    if (store_.exists("checkpoints/qat.json")) { // an interrupted fine-tune: continue from its last epoch
        startEpoch = store_.readJson("checkpoints/qat.json").at("epoch").get<int64_t>();
        std::ostringstream base;
        base << "checkpoints/qat-epoch-" << std::setw(3) << std::setfill('0') << startEpoch;
        restoreQuantizedState(*qm_, readFile(store_.path(base.str() + ".pt")));
        optimBytes = readFile(store_.path(base.str() + ".optim"));
        if (events_)
            events_->message("fine-tune resumes after epoch " + std::to_string(startEpoch));
    }
    int64_t epoch = startEpoch, pos = 0;
    torch::Tensor order = epochOrder(epoch);
    quant::QatOptions qo;
    qo.steps = perEpoch * c_.qatEpochs;
    qo.lr = c_.qatLr;
    qo.firstStep = startEpoch * perEpoch;
    qo.cancel = o_.cancel;
    qo.rewind = [&] {
        ++epoch;
        order = epochOrder(epoch);
        pos = 0;
    };
    auto next = [&]() -> std::optional<data::Batch> {
        if (pos >= n)
            return std::nullopt;
        const auto idx = order.narrow(0, pos, std::min(c_.qatBatch, n - pos));
        pos += idx.size(0);
        return data::Batch{images_.index_select(0, idx), labels_.defined() ? labels_.index_select(0, idx) : torch::Tensor()};
    };
    StageClock clock;
    const int64_t first = qo.firstStep;
    qo.progress = [&](int64_t step, int64_t steps, double loss) {
        metric({{"stage", stage::FineTune}, {"step", step + 1}, {"epoch", step / perEpoch + 1}, {"loss", num(loss)}});
        progress(stage::FineTune, step + 1, steps, clock.eta(step + 1 - first, steps - first));
    };
    qo.prepareOptimizer = [&](torch::optim::Optimizer& opt) {
        if (optimBytes.empty())
            return;
        torch::serialize::InputArchive a;
        std::istringstream is(optimBytes);
        a.load_from(is);
        opt.load(a);
    };
    qo.afterStep = [&](int64_t step, torch::optim::Optimizer& opt) {
        if ((step + 1) % perEpoch != 0)
            return;
        const int64_t done = (step + 1) / perEpoch;
        std::ostringstream base;
        base << "checkpoints/qat-epoch-" << std::setw(3) << std::setfill('0') << done;
        torch::serialize::OutputArchive a;
        opt.save(a);
        std::ostringstream os;
        a.save_to(os);
        store_.writer().writeFile(store_.path(base.str() + ".pt"), saveQuantizedState(*qm_));
        store_.writer().writeFile(store_.path(base.str() + ".optim"), os.str());
        store_.writeJson("checkpoints/qat.json", {{"epoch", done}, {"steps", step + 1}});
    };
    torch::manual_seed(seed);
    const auto r = quant::runQatDistillation(*qm_, fp32_, next, qo);
    qatJson_ = {{"epochs", c_.qatEpochs}, {"steps", r.steps}, {"lr", c_.qatLr}, {"batch", c_.qatBatch},
                {"final_loss", num(r.lastLoss)}, {"resumed_at_epoch", startEpoch},
                {"labels", labels_.defined() ? "synthetic set labels" : "teacher argmax"}};
    store_.writer().writeFile(store_.path("checkpoints/quantized-finetuned.pt"), saveQuantizedState(*qm_));
    store_.writeJson("checkpoints/fine-tune.json", qatJson_);
}

void PipelineRun::evaluate(bool restore) {
    if (restore) {
        evalJson_ = store_.readJson("checkpoints/evaluation.json");
        return;
    }
    auto test = data::openDataset(c_.testPath, dopt_);
    metrics::EvalOptions eo;
    eo.batchSize = c_.evalBatch;
    eo.cancel = o_.cancel;
    StageClock clock;
    const int64_t total = 2 * test->size();
    int64_t offset = 0;
    eo.progress = [&](int64_t done, int64_t) { progress(stage::Evaluate, offset + done, total, clock.eta(offset + done, total)); };
    const auto fp = metrics::evaluate(*fp32_, *test, eo);
    offset = test->size();
    qm_->setMode(quant::QuantMode::Frozen);
    const auto q = metrics::evaluate(*model_, *test, eo);
    evalJson_ = {{"dataset", test->describe()}, {"class_names", test->classNames()}, {"fp32", evalJson(fp)},
                 {"quant", evalJson(q)}};
    metric({{"stage", stage::Evaluate}, {"fp32_top1", fp.top1}, {"quant_top1", q.top1}, {"fp32_top5", fp.top5},
            {"quant_top5", q.top5}});
    store_.writeJson("checkpoints/evaluation.json", evalJson_);
}

void PipelineRun::exportModel() { quant::exportQuantized(*qm_, store_.path("export")); }

json PipelineRun::results(const RunState& st) {
    json r;
    r["protocol"] = c_.protocol();
    r["label"] = spec_.label();
    r["placement"] = c_.preset;
    r["arch"] = model_->info().arch;
    r["synthesis_method"] = c_.synthMethod;
    r["ptq"] = c_.ptqMethod;
    r["wbits"] = c_.wbits;
    r["abits"] = c_.abits;
    r["seed"] = c_.seed;
    r["synthesis"] = synthJson_;
    r["calibration"] = calibJson_;
    if (!qatJson_.is_null())
        r["fine_tune"] = qatJson_;
    if (!evalJson_.is_null()) {
        r["evaluation"] = evalJson_;
        r["fp32_top1"] = evalJson_["fp32"]["top1"];
        r["quant_top1"] = evalJson_["quant"]["top1"];
        r["fp32_top5"] = evalJson_["fp32"]["top5"];
        r["quant_top5"] = evalJson_["quant"]["top5"];
    }
    // The loss the run ended on: QAT's last loss when fine-tuned, else the synthesis loss.
    r["final_loss"] = !qatJson_.is_null() ? qatJson_["final_loss"] : synthJson_.value("final_loss", json(nullptr));
    r["stage_seconds"] = st.seconds;
    double total = 0;
    for (auto it = st.seconds.begin(); it != st.seconds.end(); ++it)
        total += it.value().get<double>();
    r["seconds"] = total;
    return r;
}

json baseManifest(const ExperimentConfig& c, const PipelineOptions& o, int threads) {
    json versions = {{"dfq_studio", DFQ_VERSION}, {"libtorch", TORCH_VERSION}, {"opencv", CV_VERSION}};
    if (o.appVersions.contains("qt"))
        versions["qt"] = o.appVersions["qt"];
    else
        versions["qt"] = "not recorded (dfq_core has no Qt; this front end did not report it)";
    for (auto it = o.appVersions.begin(); it != o.appVersions.end(); ++it)
        versions[it.key()] = it.value();
    return {{"format", "dfq-run-1"},
            {"created", utcNow("%Y-%m-%dT%H:%M:%SZ")},
            {"config", {{"given", c.given}, {"resolved", c.resolved}, {"base_dir", c.baseDir}}},
            {"seed", c.seed},
            {"threads", threads},
            {"hardware_threads", runtime::hardwareThreads()},
            {"cpu", cpuModel()},
            {"versions", versions},
            {"protocol", c.protocol()},
            {"placement", {{"preset", c.preset}}}};
}

} // namespace

std::string defaultRunDir(const ExperimentConfig& c) {
    std::string name = c.runName;
    if (name.empty())
        name = utcNow("%Y%m%d-%H%M%S") + "-" + c.synthMethod + "-" + c.ptqMethod + "-W" + std::to_string(c.wbits) + "A" +
               std::to_string(c.abits);
    return (fs::path(c.outputDir) / name).string();
}

RunOutcome startRun(const ExperimentConfig& config, const std::string& runDir, const PipelineOptions& options) {
    const int threads = runtime::configureThreads(config.threads);
    // Model phase of the validation, and the test data, before anything is written.
    {
        models::LoadedModel loaded;
        try {
            loaded = models::loadModel(config.modelPath, config.arch);
        } catch (const std::exception& e) {
            throw ConfigError({ConfigIssue{"model.path", e.what()}});
        }
        auto issues = checkAgainstModel(config, *loaded.model);
        if (!config.testPath.empty()) {
            try {
                auto ds = data::openDataset(config.testPath, datasetOptions(config, loaded.model->info()));
                if (ds->size() == 0)
                    issues.push_back({"data.test", "'" + config.testPath + "' holds no images"});
            } catch (const std::exception& e) {
                issues.push_back({"data.test", e.what()});
            }
        }
        if (issues.empty()) {
            try {
                specFor(config, *loaded.model);
            } catch (const std::exception& e) {
                issues.push_back({"quant", e.what()});
            }
        }
        if (!issues.empty())
            throw ConfigError(std::move(issues));
    }
    const bool existed = fs::exists(runDir);
    RunStore store = RunStore::create(runDir, options.writer);
    try {
        store.makeDir("checkpoints");
        store.makeDir("snapshots");
        store.writeJson("manifest.json", baseManifest(config, options, threads));
        store.writeState(RunState{});
    } catch (...) {
        // Nothing half-written: a run directory without its manifest and state is removed again.
        std::error_code ec;
        if (!existed)
            fs::remove_all(runDir, ec);
        else
            for (const auto& e : fs::directory_iterator(runDir, ec))
                fs::remove_all(e.path(), ec);
        throw;
    }
    return PipelineRun(std::move(store), config, options).run();
}

RunOutcome resumeRun(const std::string& runDir, const PipelineOptions& options) {
    RunStore store = RunStore::open(runDir, options.writer);
    const json m = store.manifest();
    if (store.state().status == "finished" && store.exists("results.json"))
        return {runDir, "finished", store.readJson("results.json")};
    const auto& cfg = m.at("config");
    ExperimentConfig c = parseExperimentConfig(cfg.at("given"), cfg.at("base_dir").get<std::string>());
    // The thread count is part of the protocol: the same count gives the same floating-point sums.
    c.threads = m.value("threads", c.threads);
    runtime::configureThreads(c.threads);
    return PipelineRun(std::move(store), std::move(c), options).run();
}

} // namespace dfq::pipeline
