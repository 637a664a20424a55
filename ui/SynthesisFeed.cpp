#include "SynthesisFeed.h"

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
        if (auto it = terms.find("total"); it != terms.end())
            Q_EMIT feed_.loss(step, it->second);
    }
    void layerDiagnostics(int64_t step, const std::vector<metrics::LayerDivergence>& layers) override {
        Q_EMIT feed_.diagnostics(step, rows(layers));
    }
    void snapshot(const synth::ImageSnapshot& s) override {
        SynthesisSnapshot out;
        out.step = s.step;
        const torch::Tensor images = s.images.contiguous();   // uint8 [n,H,W,C]
        const int h = int(images.size(1)), w = int(images.size(2)), c = int(images.size(3));
        for (int64_t i = 0; i < images.size(0); ++i) {
            const torch::Tensor one = images[i].contiguous();
            const QImage view(one.data_ptr<uint8_t>(), w, h, w * c,
                              c == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
            out.images.push_back(c == 1 || c == 3 ? view.copy() : QImage());   // copy: the tensor dies here
            out.labels.push_back(int(s.labels[i].item<int64_t>()));
        }
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

QVector<LayerDivergenceRow> SynthesisFeed::rows(const std::vector<metrics::LayerDivergence>& layers) {
    QVector<LayerDivergenceRow> out;
    for (const auto& l : layers)
        out.push_back({QString::fromStdString(l.name), l.kl, l.meanL2, l.stdL2});
    return out;
}

} // namespace dfq::ui
