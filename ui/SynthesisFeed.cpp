#include "SynthesisFeed.h"

#include "AssessmentView.h"

#include "synth/SynthesisEvents.h"

#include <QImage>

#include <torch/torch.h>

namespace dfq::ui {

class SynthesisFeed::Adapter : public synth::SynthesisEvents {
public:
    explicit Adapter(SynthesisFeed& feed) : feed_(feed) {
        diagnosticsEvery = 10;
        snapshotEvery = 10;
        snapshotPerClass = SynthesisSnapshot::perClass;
    }
    void progress(const synth::SynthesisProgress& p) override { Q_EMIT feed_.progress(p.step, p.totalSteps); }
    void lossTerms(int64_t step, const std::map<std::string, double>& terms) override {
        // Pixel methods report "total"; the generator loop "g_total" (the generator's objective).
        auto it = terms.find("total");
        if (it == terms.end())
            it = terms.find("g_total");
        if (it != terms.end())
            Q_EMIT feed_.loss(step, it->second);
    }
    void layerDiagnostics(int64_t step, const std::vector<metrics::LayerDivergence>& layers) override {
        Q_EMIT feed_.diagnostics(step, rows(layers));
    }
    void snapshot(const synth::ImageSnapshot& s) override {
        const SynthesisSnapshot out = toSnapshot(s);
        Q_EMIT feed_.snapshot(out);
    }
    void note(const std::string& message) override { Q_EMIT feed_.note(QString::fromStdString(message)); }

private:
    SynthesisFeed& feed_;
};

SynthesisFeed::SynthesisFeed(QObject* parent) : QObject(parent), adapter_(std::make_unique<Adapter>(*this)) {
    qRegisterMetaType<SynthesisSnapshot>();
    qRegisterMetaType<QVector<LayerDivergenceRow>>();
}

SynthesisFeed::~SynthesisFeed() = default;

synth::SynthesisEvents& SynthesisFeed::events() { return *adapter_; }

SynthesisSnapshot SynthesisFeed::toSnapshot(const synth::ImageSnapshot& s) {
    SynthesisSnapshot out;
    out.step = s.step;
    const torch::Tensor images = s.images.contiguous();   // uint8 [n,H,W,C]
    const bool confident = s.confidence.defined() && s.confidence.numel() == images.size(0);
    const torch::Tensor confidence = confident ? s.confidence.to(torch::kDouble).contiguous() : torch::Tensor();
    for (int64_t i = 0; i < images.size(0); ++i) {
        out.images.push_back(toQImage(images[i]));
        out.labels.push_back(int(s.labels[i].item<int64_t>()));
        if (confident)
            out.confidence.push_back(confidence[i].item<double>());
    }
    return out;
}

QVector<LayerDivergenceRow> SynthesisFeed::rows(const std::vector<metrics::LayerDivergence>& layers) {
    QVector<LayerDivergenceRow> out;
    for (const auto& l : layers)
        out.push_back({QString::fromStdString(l.name), l.kl, l.meanL2, l.stdL2});
    return out;
}

} // namespace dfq::ui
