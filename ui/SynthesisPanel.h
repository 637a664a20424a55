#pragma once
// The Synthesize tab: choose a method and a budget, watch the images, the loss and the per-layer BN
// divergence evolve while the ModelWorker distils them, then save the set. Only draws: the work and
// every tensor stay in the worker thread (this header is torch-free).
#include "SessionTypes.h"

#include <QSize>
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace dfq::ui {

class DivergenceHeatmap;

class SynthesisPanel : public QWidget {
    Q_OBJECT
public:
    explicit SynthesisPanel(QWidget* parent = nullptr);

    /// The methods to offer; Iterations is enabled only for those that have the option.
    void setMethods(const QVector<SynthesisMethodInfo>& methods, const QString& preferred);
    /// Class names for the gallery's captions (index = label); empty: numbers.
    void setClassNames(const QStringList& names);
    void setBusy(bool busy);
    SynthesisSettings settings() const;

public Q_SLOTS:
    /// Clears the live views for a new synthesis; `what` goes in the summary line meanwhile.
    void started(const QString& what);
    void showLoss(qint64 step, double total);
    void showDiagnostics(qint64 step, const QVector<dfq::ui::LayerDivergenceRow>& layers);
    void showSnapshot(const dfq::ui::SynthesisSnapshot& snapshot);
    void showSummary(const dfq::ui::SynthesisSummary& summary);
    /// A synthesis that ended without a set (cancelled, failed): `text` in the summary line.
    void showEnded(const QString& text);

Q_SIGNALS:
    void synthesizeRequested(const dfq::ui::SynthesisSettings& settings);
    void saveRequested(const QString& dir);

private:
    /// Icon size of a gallery tile: SynthesisSnapshot::perClass thumbnails side by side.
    static QSize stripSize();
    void drawDivergence(const QVector<LayerDivergenceRow>& layers, const QString& title);
    void drawCentroids(const SynthesisSummary& summary);
    /// Iterations only for a method that has the option (the others would reject it).
    bool methodHasIterations() const;
    void updateIterations();

    QComboBox* method_ = nullptr;
    QSpinBox* images_ = nullptr;
    QSpinBox* iterations_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QPushButton* start_ = nullptr;
    QPushButton* save_ = nullptr;
    QListWidget* gallery_ = nullptr;
    QCustomPlot* loss_ = nullptr;
    QCustomPlot* divergence_ = nullptr;
    QCustomPlot* centroids_ = nullptr;
    DivergenceHeatmap* heatmap_ = nullptr;   ///< layer × step of the live diagnostics
    QLabel* summary_ = nullptr;
    QVector<SynthesisMethodInfo> methods_;
    QStringList classNames_;
    bool haveSet_ = false;
    bool busy_ = false;
    double lossMin_ = 0, lossMax_ = 0;
};

} // namespace dfq::ui
