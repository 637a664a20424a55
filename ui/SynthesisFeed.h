#pragma once
// A running synthesis as Qt signals: the bridge from synth::SynthesisEvents (called on the worker
// thread, between optimisation steps) to the UI thread (queued connections). Tensors become plain Qt
// values here, so nothing torch crosses threads; this header stays torch-free.
#include "SessionTypes.h"

#include <QObject>

#include <memory>
#include <vector>

namespace dfq::synth {
class SynthesisEvents;
struct ImageSnapshot;
}
namespace dfq::metrics {
struct LayerDivergence;
}

namespace dfq::ui {

class SynthesisFeed : public QObject {
    Q_OBJECT
public:
    explicit SynthesisFeed(QObject* parent = nullptr);
    ~SynthesisFeed() override;

    /// The events to give synth::synthesize, or to forward a pipeline's synthesis events to. Per-layer
    /// divergence and a preview every 10 steps, up to SynthesisSnapshot::perClass (4) images per
    /// predicted class.
    synth::SynthesisEvents& events();

    /// Images, labels and the teacher's confidence of a core snapshot, as Qt values.
    static SynthesisSnapshot toSnapshot(const synth::ImageSnapshot& snapshot);
    static QVector<LayerDivergenceRow> rows(const std::vector<metrics::LayerDivergence>& layers);

Q_SIGNALS:
    void progress(qint64 step, qint64 total);
    void loss(qint64 step, double total);
    void diagnostics(qint64 step, const QVector<dfq::ui::LayerDivergenceRow>& layers);
    void snapshot(const dfq::ui::SynthesisSnapshot& snapshot);
    /// Something worth telling the user that is not an error (e.g. a recovered NaN).
    void note(const QString& message);

private:
    class Adapter;
    std::unique_ptr<Adapter> adapter_;
};

} // namespace dfq::ui
