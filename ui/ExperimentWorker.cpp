#include "ExperimentWorker.h"

#include "EpochReportConverter.h"
#include "SynthesisFeed.h"

#include "pipeline/Pipeline.h"
#include "runtime/CancelToken.h"

#include <QtGlobal>

#include <functional>

namespace dfq::ui {
namespace {

// Pipeline events -> queued signals (emitted from the worker thread; Qt queues them to the UI).
class SignalEvents : public pipeline::PipelineEvents {
public:
    explicit SignalEvents(ExperimentWorker& w, synth::SynthesisEvents& feed) : w_(w), feed_(feed) {
        diagnosticsEvery = feed.diagnosticsEvery;
        snapshotEvery = feed.snapshotEvery;
        snapshotPerClass = feed.snapshotPerClass;
    }
    // The synthesis stage's live view goes to the Synthesize tab, as for a synthesis of its own.
    void lossTerms(int64_t step, const std::map<std::string, double>& terms) override { feed_.lossTerms(step, terms); }
    void layerDiagnostics(int64_t step, const std::vector<metrics::LayerDivergence>& layers) override {
        feed_.layerDiagnostics(step, layers);
    }
    void snapshot(const synth::ImageSnapshot& s) override { feed_.snapshot(s); }
    // A generator method's epoch: once per epoch, so converted whole (probe images, maps, pairs).
    void epochFinished(const generative::EpochReport& r) override { Q_EMIT w_.epochFinished(epochs_.convert(r)); }
    void stageStarted(const std::string& stage, int index, int count, bool fromCheckpoint) override {
        Q_EMIT w_.stageStarted(QString::fromStdString(stage), index, count);
    }
    void stageFinished(const std::string& stage, double seconds, bool) override {
        Q_EMIT w_.message(QStringLiteral("%1 done in %2 s").arg(QString::fromStdString(stage)).arg(seconds, 0, 'f', 1));
    }
    void stageProgress(const std::string&, int64_t done, int64_t total, double eta) override {
        Q_EMIT w_.progress(done, total, eta);
    }
    void message(const std::string& text) override { Q_EMIT w_.message(QString::fromStdString(text)); }
    void note(const std::string& text) override { Q_EMIT w_.message(QString::fromStdString(text)); }

private:
    ExperimentWorker& w_;
    synth::SynthesisEvents& feed_;
    EpochReportConverter epochs_;
};

} // namespace

struct ExperimentWorker::State {
    runtime::CancelToken cancel;
    pipeline::PipelineOptions options;   ///< of the run or resume in progress (events live in execute)
    pipeline::RunOutcome outcome;
};

ExperimentWorker::ExperimentWorker() : state_(std::make_unique<State>()), feed_(new SynthesisFeed(this)) {
    qRegisterMetaType<GeneratorEpoch>();
}
ExperimentWorker::~ExperimentWorker() = default;

void ExperimentWorker::cancel() { state_->cancel.cancel(); }

void ExperimentWorker::resetCancel() { state_->cancel.reset(); }

void ExperimentWorker::run(const QString& configPath) {
    execute([this, configPath] {
        const auto config = pipeline::loadExperimentConfig(configPath.toStdString());
        const std::string dir = pipeline::defaultRunDir(config);
        Q_EMIT message(QStringLiteral("Run directory: %1").arg(QString::fromStdString(dir)));
        state_->outcome = pipeline::startRun(config, dir, state_->options);
    });
}

void ExperimentWorker::resume(const QString& runDir) {
    execute([this, runDir] {
        Q_EMIT message(QStringLiteral("Resuming %1").arg(runDir));
        state_->outcome = pipeline::resumeRun(runDir.toStdString(), state_->options);
    });
}

void ExperimentWorker::execute(const std::function<void()>& start) {
    Q_EMIT busyChanged(true);
    // The outcome is announced after busyChanged(false), as the ModelWorker does: a slot reacting to
    // it may start the next job at once.
    std::function<void()> announce;
    try {
        SignalEvents events(*this, feed_->events());
        state_->options = {};
        state_->outcome = {};
        state_->options.events = &events;
        state_->options.cancel = state_->cancel;
        state_->options.appVersions = {{"qt", qVersion()}};
        start();
        const auto& outcome = state_->outcome;
        const QString runDir = QString::fromStdString(outcome.runDir);
        if (outcome.status != "finished") {
            announce = [this, runDir] { Q_EMIT cancelled(runDir); };
        } else {
            const auto& r = outcome.results;
            QString summary = QStringLiteral("%1, protocol %2")
                                  .arg(QString::fromStdString(r.value("label", "")), QString::fromStdString(r.value("protocol", "")));
            if (r.contains("quant_top1"))
                summary += QStringLiteral("\nFP32 top-1 %1 %, quantized top-1 %2 %")
                               .arg(r["fp32_top1"].get<double>(), 0, 'f', 2)
                               .arg(r["quant_top1"].get<double>(), 0, 'f', 2);
            announce = [this, runDir, summary] { Q_EMIT finished(runDir, summary); };
        }
    } catch (const std::exception& e) {
        const QString message = QString::fromStdString(e.what());
        announce = [this, message] { Q_EMIT failed(message); };
    }
    Q_EMIT busyChanged(false);
    announce();
}

} // namespace dfq::ui
