#include "ModelWorker.h"

#include "AssessmentView.h"
#include "MethodCatalog.h"
#include "SynthesisFeed.h"
#include "synth/PixelConversion.h"
#include "data/Normalization.h"

#include "data/Dataset.h"
#include "deploy/RuntimeCheck.h"
#include "metrics/Evaluator.h"
#include "models/ModelLoader.h"
#include "pipeline/QuantTrial.h"
#include "pipeline/RunStore.h"
#include "quant/BatchSource.h"
#include "quant/MixedPrecision.h"
#include "quant/ParetoFront.h"
#include "quant/Observers.h"
#include "quant/QuantSpec.h"
#include "quant/QuantTopology.h"
#include "runtime/CancelToken.h"
#include "synth/SetAssessment.h"
#include "synth/SynthesisMethod.h"
#include "synth/Synthesize.h"
#include "synth/SyntheticSetIO.h"

#include <QDir>
#include <QImage>

#include <nlohmann/json.hpp>

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

namespace dfq::ui {

struct ModelWorker::State {
    models::ZooModel model;
    std::unique_ptr<data::Dataset> dataset;
    runtime::CancelToken cancel;
    std::string datasetPath;
    std::optional<synth::SyntheticSet> lastSet;
    /// FP32 top-1 on the first N test images (-1 = all), for a trial's drop on the same images;
    /// cleared when the model or the dataset changes.
    std::map<int64_t, double> fp32Top1;
};

ModelWorker::ModelWorker() : state_(std::make_unique<State>()) {
    qRegisterMetaType<ModelSummary>();
    qRegisterMetaType<DatasetSummary>();
    qRegisterMetaType<EvalSummary>();
    qRegisterMetaType<SynthesisSettings>();
    qRegisterMetaType<SynthesisSummary>();
    qRegisterMetaType<QuantTrialSummary>();
    qRegisterMetaType<SensitivitySummary>();
    qRegisterMetaType<SetQuality>();
    feed_ = new SynthesisFeed(this);   // a child: it moves to the worker thread with us
    connect(feed_, &SynthesisFeed::progress, this, &ModelWorker::progress);
}

QVector<SynthesisMethodInfo> ModelWorker::synthesisMethods() { return methodCatalog(); }

QStringList ModelWorker::observerNames() {
    QStringList names;
    for (const auto& n : quant::observerNames())
        names << QString::fromStdString(n);
    return names;
}

ModelWorker::~ModelWorker() = default;

void ModelWorker::cancel() { state_->cancel.cancel(); }

void ModelWorker::resetCancel() { state_->cancel.reset(); }

namespace {
QString shapeOf(const torch::Tensor& t) {
    QStringList parts;
    for (int64_t i = 0; i < t.dim(); ++i)
        parts << QString::number(t.size(i));
    return parts.join(QLatin1Char('x'));
}
} // namespace

void ModelWorker::runJob(const std::function<Announce()>& job) {
    Q_EMIT busyChanged(true);
    try {
        const Announce announce = job();
        // Idle first, then the result: a slot reacting to the result may start the next job at once.
        Q_EMIT busyChanged(false);
        announce();
    } catch (const runtime::Cancelled&) {
        Q_EMIT busyChanged(false);
        Q_EMIT cancelled();
    } catch (const std::exception& e) {
        Q_EMIT busyChanged(false);
        Q_EMIT failed(QString::fromStdString(e.what()));
    }
}

void ModelWorker::loadModel(const QString& path, const QString& arch) {
    runJob([&] {
        auto loaded = models::loadModel(path.toStdString(), arch.isEmpty() ? "auto" : arch.toStdString());
        state_->model = loaded.model;
        state_->dataset.reset();   // a dataset prepared for another geometry no longer fits
        state_->fp32Top1.clear();
        state_->datasetPath.clear();
        state_->lastSet.reset();   // distilled from the previous model
        auto& m = *state_->model;
        const auto& info = m.info();
        ModelSummary s;
        s.path = path;
        s.arch = QString::fromStdString(info.arch);
        s.format = QString::fromLatin1(checkpoint::toString(loaded.checkpoint.format));
        s.archDetected = loaded.archDetected;
        s.inChannels = int(info.inChannels);
        s.inHeight = int(info.inHeight);
        s.inWidth = int(info.inWidth);
        s.numClasses = int(info.numClasses);
        s.parameters = m.parameterCount();
        s.normalization = QString::fromStdString(info.normalization);
        for (const auto& c : info.classNames)
            s.classNames << QString::fromStdString(c);
        auto ql = m.quantLayers();
        auto bn = m.bnLayers();
        s.quantLayers = int(ql.size());
        s.bnLayers = int(bn.size());
        for (auto& l : ql)
            s.layers.push_back({QString::fromStdString(l.name), l.isConv() ? QStringLiteral("conv") : QStringLiteral("linear"),
                                shapeOf(l.weight()), l.weightCount()});
        for (auto& b : bn)
            s.layers.push_back({QString::fromStdString(b.name), QStringLiteral("bn"),
                                QString::number(b.bn->channels()), 2 * b.bn->channels()});
        const auto topo = quant::quantTopology(m);
        s.topology.arch = QString::fromStdString(topo.arch);
        for (const auto& l : topo.layers)
            s.topology.layers.push_back({QString::fromStdString(l.name), l.conv, l.weightElements, l.outChannels});
        for (const auto& a : topo.activations)
            s.topology.activations << QString::fromStdString(a);
        s.topology.floatElements = topo.floatElements;
        return Announce([this, s] { Q_EMIT modelLoaded(s); });
    });
}

void ModelWorker::loadDataset(const QString& path, const QString& normalization) {
    runJob([&] {
        if (!state_->model)
            throw std::runtime_error("load a model before the dataset: images are prepared for its input size");
        const auto& info = state_->model->info();
        data::DatasetOptions o;
        o.geometry = {info.inChannels, info.inHeight, info.inWidth};
        const std::string preset = !normalization.isEmpty() ? normalization.toStdString()
                                   : (info.normalization.empty() ? "none" : info.normalization);
        o.normalization = data::normalizationPreset(preset);
        auto dataset = data::openDataset(path.toStdString(), o);
        // Labels beyond the model's classes cannot be scored: refuse before anything changes.
        const auto classes = int64_t(dataset->classNames().size());
        if (classes > info.numClasses)
            throw std::runtime_error(path.toStdString() + ": the dataset has " + std::to_string(classes) +
                                     " classes but the model '" + info.arch + "' predicts " +
                                     std::to_string(info.numClasses) + "; open a test set of the model's classes");
        state_->dataset = std::move(dataset);
        state_->datasetPath = path.toStdString();
        state_->fp32Top1.clear();
        DatasetSummary s;
        s.path = path;
        s.description = QString::fromStdString(state_->dataset->describe());
        s.images = state_->dataset->size();
        for (const auto& c : state_->dataset->classNames())
            s.classNames << QString::fromStdString(c);
        for (const auto& n : state_->dataset->notes())
            s.notes << QString::fromStdString(n);
        return Announce([this, s] { Q_EMIT datasetLoaded(s); });
    });
}

void ModelWorker::evaluate(qint64 limit) {
    runJob([&] {
        if (!state_->model || !state_->dataset)
            throw std::runtime_error("load a model and a dataset first");
        metrics::EvalOptions o;
        o.limit = limit;
        o.cancel = state_->cancel;
        o.progress = [this](int64_t done, int64_t total) { Q_EMIT progress(done, total); };
        const auto r = metrics::evaluate(*state_->model, *state_->dataset, o);
        EvalSummary s;
        s.images = r.images;
        s.top1 = r.top1;
        s.top5 = r.top5;
        s.seconds = r.seconds;
        s.imagesPerSecond = r.imagesPerSecond;
        for (double v : r.perClass)
            s.perClass.push_back(v);
        return Announce([this, s] { Q_EMIT evaluated(s); });
    });
}

void ModelWorker::synthesize(const SynthesisSettings& settings) {
    runJob([&] {
        if (!state_->model)
            throw std::runtime_error("load a model first: synthetic images are distilled from it");
        // The form's options; the method validates them (unknown keys, types, ranges) and names the bad one.
        const std::string name = settings.method.toStdString();
        nlohmann::json options = nlohmann::json::parse(optionsJson(settings.options));
        std::set<std::string> keys;
        for (const auto& spec : synth::createMethod(name)->optionSpecs())
            keys.insert(spec.key);
        if (keys.count("data") && !options.contains("data")) {   // "real": images from the open dataset
            if (!state_->dataset)
                throw std::runtime_error("the '" + name + "' method takes its images from a dataset: open one first");
            options["data"] = state_->datasetPath;
        }
        auto set = synth::synthesize(name, *state_->model,
                                     options.empty() ? nlohmann::json() : options, settings.images, settings.seed,
                                     &feed_->events(), state_->cancel);
        const auto quality = synth::assessSyntheticSet(*state_->model, set);
        SynthesisSummary s;
        s.method = QString::fromStdString(set.method);
        s.images = set.size();
        s.seconds = set.seconds;
        s.meanKl = quality.mean.kl;
        s.meanL2 = quality.mean.meanL2;
        s.featureDiversity = quality.features.meanOverClasses;
        s.pixelDiversity = quality.pixels.meanOverClasses;
        s.layers = SynthesisFeed::rows(quality.layers);
        for (int64_t c : quality.features.counts)
            s.classCounts.push_back(c);
        s.meanMaxProbability = quality.confidence.meanMaxProbability;
        s.meanEntropy = quality.confidence.meanEntropy;
        const std::string preset = state_->model->info().normalization.empty() ? "none" : state_->model->info().normalization;
        s.quality = toSetQuality(quality, set.labels, synth::toPixels(set.images, data::normalizationPreset(preset)));
        for (const auto& n : set.notes)
            s.notes << QString::fromStdString(n);
        state_->lastSet = std::move(set);
        return Announce([this, s] { Q_EMIT synthesized(s); });
    });
}

void ModelWorker::measureSensitivity(const QByteArray& specJson, const QVector<int>& candidates) {
    runJob([&] {
        if (!state_->model)
            throw std::runtime_error("load a model first");
        if (!state_->lastSet)
            throw std::runtime_error("synthesise a calibration set first: sensitivity is measured on it");
        const auto spec = quant::QuantSpec::fromJson(nlohmann::json::parse(specJson.toStdString()));
        quant::validateQuantSpec(spec, *state_->model);
        const auto t0 = std::chrono::steady_clock::now();
        quant::TensorBatchSource source(state_->lastSet->images, 64);
        std::vector<int> bits(candidates.begin(), candidates.end());
        std::sort(bits.begin(), bits.end());
        constexpr int64_t kMaxImages = 256;   // ZeroQ's measurement size, as the pipeline's mixed precision
        const auto table = quant::measureSensitivity(state_->model, spec, source, bits, kMaxImages);
        if (table.layers.empty())
            throw std::runtime_error("the spec quantizes no weights: nothing to measure");
        const auto front = quant::paretoFront(table, 40);
        SensitivitySummary s;
        for (size_t i = 0; i < table.layers.size(); ++i) {
            s.layers << QString::fromStdString(table.layers[i]);
            s.weightCounts << table.weightCounts[i];
            s.omega << QVector<double>(table.omega[i].begin(), table.omega[i].end());
        }
        s.bits = QVector<int>(table.bits.begin(), table.bits.end());
        for (const auto& a : front)
            s.front.push_back({double(a.sizeBits) / 8.0, a.totalOmega, QVector<int>(a.bits.begin(), a.bits.end())});
        s.images = std::min<int64_t>(kMaxImages, state_->lastSet->images.size(0));
        s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return Announce([this, s] { Q_EMIT sensitivityMeasured(s); });
    });
}

void ModelWorker::quantTrial(quint64 serial, const QByteArray& specJson, qint64 evalLimit) {
    runJob([&] {
        if (!state_->model)
            throw std::runtime_error("load a model first");
        if (!state_->dataset)
            throw std::runtime_error("open a test dataset: the trial measures the quantized model's accuracy on it");
        if (!state_->lastSet)
            throw std::runtime_error("synthesise a calibration set first: the trial calibrates on it");
        const auto spec = quant::QuantSpec::fromJson(nlohmann::json::parse(specJson.toStdString()));
        quant::validateQuantSpec(spec, *state_->model);
        pipeline::QuantTrialOptions o;
        o.evalLimit = evalLimit > 0 ? evalLimit : -1;
        o.cancel = state_->cancel;
        auto fp32 = state_->fp32Top1.find(o.evalLimit);
        double fp32Seconds = 0;
        if (fp32 == state_->fp32Top1.end()) {
            const auto t0 = std::chrono::steady_clock::now();
            metrics::EvalOptions eo;
            eo.limit = o.evalLimit;
            eo.cancel = state_->cancel;
            fp32 = state_->fp32Top1.emplace(o.evalLimit, metrics::evaluate(*state_->model, *state_->dataset, eo).top1).first;
            fp32Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        }
        const auto r = pipeline::runQuantTrial(state_->model, spec, state_->lastSet->images, *state_->dataset, o);
        QuantTrialSummary s;
        s.serial = serial;
        s.label = QString::fromStdString(r.label);
        s.top1 = r.top1;
        s.top5 = r.top5;
        s.fp32Top1 = fp32->second;
        s.images = r.images;
        for (double v : r.perClass)
            s.perClass.push_back(v);
        s.sizeBytes = r.size.totalBytes();
        s.fp32Bytes = double(r.size.fp32Bits) / 8.0;
        s.calibrationImages = r.calibrationImages;
        s.seconds = r.seconds;
        s.calibrationSeconds = r.calibrationSeconds;
        s.evaluationSeconds = r.evaluationSeconds;
        s.fp32Seconds = fp32Seconds;
        return Announce([this, s] { Q_EMIT trialDone(s); });
    });
}

void ModelWorker::assessRunSet(const QString& dir) {
    runJob([&] {
        const std::string root = dir.toStdString();
        const nlohmann::json manifest = pipeline::RunStore::open(root).manifest();   // PipelineError naming the file
        const auto model = manifest.at("config").at("resolved").at("model");
        auto loaded = models::loadModel(model.at("path").get<std::string>(), model.value("arch", "auto"));
        const auto set = synth::readSyntheticSet(root + "/checkpoints/synthetic");
        const auto quality = synth::assessSyntheticSet(*loaded.model, set);
        const auto& info = loaded.model->info();
        const std::string preset = info.normalization.empty() ? "none" : info.normalization;
        const SetQuality q = toSetQuality(quality, set.labels, synth::toPixels(set.images, data::normalizationPreset(preset)));
        QStringList names;
        for (const auto& n : info.classNames)
            names << QString::fromStdString(n);
        const QString what = tr("%1 set of the run, %2 images").arg(QString::fromStdString(set.method)).arg(set.size());
        return Announce([this, dir, q, names, what] { Q_EMIT runSetAssessed(dir, q, names, what); });
    });
}

void ModelWorker::checkRunOnnx(const QString& dir, const QString& dataPath) {
    runJob([&] {
        deploy::RuntimeCheckOptions o;
        o.file = QDir(dir).filePath(QStringLiteral("export/model.onnx")).toStdString();
        o.data = dataPath.toStdString();
        o.threads = std::max(1, at::get_num_threads());
        const auto r = deploy::checkInOnnxRuntime(o);
        const auto& c = r.comparison;
        const QString text =
            tr("ONNX Runtime %1: top-1 %2 % vs simulated %3 % (%4 points) on %5 images; %6 % same class; largest "
               "logit difference %7; %8 integer and %9 float convolutions in the graph it ran.")
                .arg(QString::fromStdString(c.runtimeVersion))
                .arg(c.runtimeTop1, 0, 'f', 2)
                .arg(c.simulatedTop1, 0, 'f', 2)
                .arg(c.runtimeTop1 - c.simulatedTop1, 0, 'f', 2)
                .arg(c.images)
                .arg(c.agreement, 0, 'f', 2)
                .arg(c.maxLogitDiff, 0, 'g', 3)
                .arg(c.optimized.integerConvs())
                .arg(c.optimized.floatConvs());
        QString hint;
        if (r.label != "FP32" && c.optimized.integerConvs() == 0)
            hint = tr(" None is integer: BN was kept, so a float BatchNormalization sits between each conv and its "
                      "quantizer; tick Fold BN in Bit-widths for integer convolutions.");
        return Announce([this, dir, text = text + hint] { Q_EMIT onnxChecked(dir, text); });
    });
}

void ModelWorker::saveSyntheticSet(const QString& dir) {
    runJob([&] {
        if (!state_->lastSet)
            throw std::runtime_error("nothing to save: synthesise a set first");
        synth::SyntheticSetWriteOptions o;
        o.overwrite = true;
        synth::writeSyntheticSet(dir.toStdString(), *state_->lastSet, o);
        return Announce([this, dir] { Q_EMIT syntheticSetSaved(dir); });
    });
}

} // namespace dfq::ui
