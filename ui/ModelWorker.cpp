#include "ModelWorker.h"

#include "data/Dataset.h"
#include "metrics/Evaluator.h"
#include "models/ModelLoader.h"
#include "runtime/CancelToken.h"

#include <mutex>
#include <sstream>

namespace dfq::ui {

struct ModelWorker::State {
    models::ZooModel model;
    std::unique_ptr<data::Dataset> dataset;
    runtime::CancelToken cancel;
};

ModelWorker::ModelWorker() : state_(std::make_unique<State>()) {
    qRegisterMetaType<ModelSummary>();
    qRegisterMetaType<DatasetSummary>();
    qRegisterMetaType<EvalSummary>();
}

ModelWorker::~ModelWorker() = default;

void ModelWorker::cancel() { state_->cancel.cancel(); }

namespace {
QString shapeOf(const torch::Tensor& t) {
    QStringList parts;
    for (int64_t i = 0; i < t.dim(); ++i)
        parts << QString::number(t.size(i));
    return parts.join(QLatin1Char('x'));
}
} // namespace

void ModelWorker::loadModel(const QString& path, const QString& arch) {
    Q_EMIT busyChanged(true);
    try {
        auto loaded = models::loadModel(path.toStdString(), arch.isEmpty() ? "auto" : arch.toStdString());
        state_->model = loaded.model;
        state_->dataset.reset();   // a dataset prepared for another geometry no longer fits
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
        Q_EMIT busyChanged(false);
        Q_EMIT modelLoaded(s);
    } catch (const std::exception& e) {
        Q_EMIT busyChanged(false);
        Q_EMIT failed(QString::fromStdString(e.what()));
    }
}

void ModelWorker::loadDataset(const QString& path, const QString& normalization) {
    Q_EMIT busyChanged(true);
    try {
        if (!state_->model)
            throw std::runtime_error("load a model before the dataset: images are prepared for its input size");
        const auto& info = state_->model->info();
        data::DatasetOptions o;
        o.geometry = {info.inChannels, info.inHeight, info.inWidth};
        const std::string preset = !normalization.isEmpty() ? normalization.toStdString()
                                   : (info.normalization.empty() ? "none" : info.normalization);
        o.normalization = data::normalizationPreset(preset);
        state_->dataset = data::openDataset(path.toStdString(), o);
        DatasetSummary s;
        s.path = path;
        s.description = QString::fromStdString(state_->dataset->describe());
        s.images = state_->dataset->size();
        for (const auto& c : state_->dataset->classNames())
            s.classNames << QString::fromStdString(c);
        for (const auto& n : state_->dataset->notes())
            s.notes << QString::fromStdString(n);
        Q_EMIT busyChanged(false);
        Q_EMIT datasetLoaded(s);
    } catch (const std::exception& e) {
        Q_EMIT busyChanged(false);
        Q_EMIT failed(QString::fromStdString(e.what()));
    }
}

void ModelWorker::evaluate(qint64 limit) {
    Q_EMIT busyChanged(true);
    try {
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
        state_->cancel.reset();
        Q_EMIT busyChanged(false);
        Q_EMIT evaluated(s);
    } catch (const runtime::Cancelled&) {
        state_->cancel.reset();
        Q_EMIT busyChanged(false);
        Q_EMIT cancelled();
    } catch (const std::exception& e) {
        state_->cancel.reset();
        Q_EMIT busyChanged(false);
        Q_EMIT failed(QString::fromStdString(e.what()));
    }
}

} // namespace dfq::ui
