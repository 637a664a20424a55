#include "pipeline/Pipeline.h"

#include "data/Dataset.h"
#include "models/ModelLoader.h"
#include "pipeline/PipelineError.h"
#include "pipeline/RunReport.h"
#include "pipeline/RunStore.h"
#include "pipeline/StagePlan.h"
#include "runtime/AtomicFile.h"
#include "runtime/DirectoryLock.h"
#include "runtime/LibraryVersions.h"
#include "runtime/Threads.h"


#include <chrono>
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

/// The run directory's writer lock (runtime/DirectoryLock.h), as a PipelineError when refused.
std::shared_ptr<runtime::DirectoryLock> lockRun(const std::string& dir, const std::string& what) {
    try {
        return std::make_shared<runtime::DirectoryLock>(dir, what);
    } catch (const runtime::FileError& e) {
        throw PipelineError(e.what());
    }
}

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

// results.json: what every stage reported, plus what the run was.
json composeResults(const StageContext& ctx, const std::vector<std::unique_ptr<Stage>>& stages, const json& seconds) {
    const auto& c = ctx.config;
    json r = json::object();
    for (const auto& s : stages)
        r.update(s->report());
    r["protocol"] = c.protocol();
    r["label"] = ctx.spec.label();
    r["placement"] = c.preset;
    r["arch"] = ctx.model->info().arch;
    r["synthesis_method"] = c.synthMethod;
    r["ptq"] = c.ptqMethod;
    r["wbits"] = c.wbits;
    r["abits"] = c.abits;
    r["seed"] = c.seed;
    // The loss the run ended on: QAT's last loss when fine-tuned, else the synthesis loss.
    if (r.contains("fine_tune"))
        r["final_loss"] = r["fine_tune"].value("final_loss", json(nullptr));
    else
        r["final_loss"] = r.contains("synthesis") ? r["synthesis"].value("final_loss", json(nullptr)) : json(nullptr);
    r["stage_seconds"] = seconds;
    double total = 0;
    for (auto it = seconds.begin(); it != seconds.end(); ++it)
        total += it.value().get<double>();
    r["seconds"] = total;
    return r;
}

// Runs the stages of a run directory in order: completed ones are restored, the rest run; state.json
// is rewritten at every boundary, events report every stage, cancellation and errors end the run.
class PipelineRun {
public:
    PipelineRun(RunStore store, ExperimentConfig config, const PipelineOptions& options,
                std::shared_ptr<runtime::DirectoryLock> lock)
        : lock_(std::move(lock)), store_(std::move(store)), o_(options), ctx_(std::move(config), &store_, options.events, options.cancel),
          stages_(buildStages(ctx_.config)) {
        ctx_.reuseSynthesisFrom = options.reuseSynthesisFrom;
        ctx_.exportDir = store_.path("export");
    }

    RunOutcome run() {
        RunState st = store_.state();
        st.status = "running";
        st.message.clear();
        store_.writeState(st);
        PipelineEvents* events = o_.events;
        const int count = int(stages_.size());
        try {
            for (int i = 0; i < count; ++i) {
                Stage& stage = *stages_[size_t(i)];
                const std::string name = stage.name();
                const bool restore = st.done(name);
                if (events)
                    events->stageStarted(name, i, count, restore);
                if (!restore) {
                    st.current = name;
                    store_.writeState(st);
                    ctx_.metric({{"event", "stage-start"}, {"stage", name}});
                }
                const auto t0 = Clock::now();
                if (restore)
                    stage.restore(ctx_);
                else
                    stage.run(ctx_);
                const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
                if (!restore) {
                    st.completed.push_back(name);
                    st.seconds[name] = secs;
                    st.current.clear();
                    store_.writeState(st);
                    ctx_.metric({{"event", "stage-end"}, {"stage", name}, {"seconds", secs}});
                }
                if (events)
                    events->stageFinished(name, secs, restore);
            }
            ctx_.checkBudget("results");
        } catch (const runtime::Cancelled&) {
            const std::string& budget = ctx_.budgetExceeded();
            st.status = budget.empty() ? "cancelled" : "failed";
            st.message = budget.empty() ? "cancelled by the user" : budget;
            store_.writeState(st);
            if (!budget.empty())
                throw PipelineError(budget + " (run directory " + store_.dir() + ")");
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
        const json res = composeResults(ctx_, stages_, st.seconds);
        store_.writeJson("results.json", res);
        st.status = "finished";
        store_.writeState(st);
        try {
            writeRunReport(store_);
        } catch (const std::exception& e) {
            if (events)
                events->message(std::string("report not written: ") + e.what());
        }
        return {store_.dir(), "finished", res};
    }

private:
    std::shared_ptr<runtime::DirectoryLock> lock_;   ///< one writer per run directory
    RunStore store_;
    PipelineOptions o_;
    StageContext ctx_;
    std::vector<std::unique_ptr<Stage>> stages_;
};

json baseManifest(const ExperimentConfig& c, const PipelineOptions& o, int threads) {
    const auto lib = runtime::libraryVersions();
    json versions = {{"dfq_studio", lib.dfqStudio}, {"libtorch", lib.libtorch}, {"opencv", lib.opencv}};
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
                auto ds = data::openDataset(config.testPath, datasetOptionsFor(config, loaded.model->info()));
                if (ds->size() == 0)
                    issues.push_back({"data.test", "'" + config.testPath + "' holds no images"});
            } catch (const std::exception& e) {
                issues.push_back({"data.test", e.what()});
            }
        }
        if (issues.empty()) {
            try {
                quantSpecFor(config, *loaded.model);
            } catch (const std::exception& e) {
                issues.push_back({"quant", e.what()});
            }
        }
        if (!issues.empty())
            throw ConfigError(std::move(issues));
    }
    const bool existed = fs::exists(runDir);
    RunStore store = RunStore::create(runDir, options.writer);
    std::shared_ptr<runtime::DirectoryLock> lock;
    try {
        lock = lockRun(runDir, "a run");
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
    return PipelineRun(std::move(store), config, options, std::move(lock)).run();
}

RunOutcome resumeRun(const std::string& runDir, const PipelineOptions& options) {
    RunStore store = RunStore::open(runDir, options.writer);
    auto lock = lockRun(runDir, "a resume");   // before the state is read: a live writer is refused
    const json m = store.manifest();
    if (store.state().status == "finished" && store.exists("results.json"))
        return {runDir, "finished", store.readJson("results.json")};
    const auto& cfg = m.at("config");
    ExperimentConfig c = parseExperimentConfig(cfg.at("given"), cfg.at("base_dir").get<std::string>());
    // The thread count is part of the protocol: the same count gives the same floating-point sums.
    c.threads = m.value("threads", c.threads);
    runtime::configureThreads(c.threads);
    return PipelineRun(std::move(store), std::move(c), options, std::move(lock)).run();
}

InMemoryRun runInMemory(const ExperimentConfig& config, const std::string& exportDir, const PipelineOptions& options,
                        SeedPolicy seeds) {
    runtime::configureThreads(config.threads);
    InMemoryRun out;
    out.context = std::make_unique<StageContext>(config, nullptr, options.events, options.cancel, seeds);
    StageContext& ctx = *out.context;
    ctx.exportDir = exportDir;
    const auto stages = buildStages(ctx.config);
    const int count = int(stages.size());
    json seconds = json::object();
    for (int i = 0; i < count; ++i) {
        Stage& stage = *stages[size_t(i)];
        if (options.events)
            options.events->stageStarted(stage.name(), i, count, false);
        const auto t0 = Clock::now();
        stage.run(ctx);
        const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
        seconds[stage.name()] = secs;
        if (options.events)
            options.events->stageFinished(stage.name(), secs, false);
    }
    ctx.checkBudget("results");
    out.results = composeResults(ctx, stages, seconds);
    return out;
}

} // namespace dfq::pipeline
