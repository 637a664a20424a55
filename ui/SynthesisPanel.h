#pragma once
// The Synthesize tab: choose a method and its budget (Method & Budget, generated from the method's
// option specs: pixel methods and generator methods), watch the images, the loss and the per-layer BN
// divergence evolve while a worker distils them or trains a generator, inspect one image large with the
// teacher's prediction, the centroid map, mode collapse per class and a generator's epoch curves, then
// save the set. Only draws: the work and every tensor stay in the worker threads (this header is torch-free).
#include "SessionTypes.h"

#include <QMap>
#include <QSize>
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace dfq::ui {

class CentroidMapView;
class DivergenceHeatmap;
class ImageInspector;
class MethodOptionsForm;
class ModeCollapseView;
class TrainingCurves;

class SynthesisPanel : public QWidget {
    Q_OBJECT
public:
    explicit SynthesisPanel(QWidget* parent = nullptr);

    /// The methods to offer, each with its option form (methodCatalog()).
    void setMethods(const QVector<SynthesisMethodInfo>& methods, const QString& preferred);
    /// Class names for the gallery's captions (index = label); empty: numbers.
    void setClassNames(const QStringList& names);
    void setBusy(bool busy);
    SynthesisSettings settings() const;
    MethodOptionsForm* optionsForm() const { return options_; }
    ImageInspector* inspector() const { return inspector_; }
    CentroidMapView* centroidMap() const { return centroidMap_; }
    ModeCollapseView* modeCollapse() const { return modeCollapse_; }
    TrainingCurves* trainingCurves() const { return curves_; }
    /// What hovering layer i of the divergence bars shows (layer, KL, mean gap, std gap); "" outside.
    QString divergenceTip(int layer) const;
    /// Shows one of the views on the right: "loss", "centroids", "collapse" or "curves".
    void showView(const QString& view);

public Q_SLOTS:
    /// Clears the live views for a new synthesis; `what` goes in the summary line meanwhile.
    void started(const QString& what);
    void showLoss(qint64 step, double total);
    void showDiagnostics(qint64 step, const QVector<dfq::ui::LayerDivergenceRow>& layers);
    void showSnapshot(const dfq::ui::SynthesisSnapshot& snapshot);
    void showSummary(const dfq::ui::SynthesisSummary& summary);
    /// A generator method finished an epoch: curves, probe maps, mode collapse, ClusterQ trajectories.
    void showEpoch(const dfq::ui::GeneratorEpoch& epoch);
    /// A synthesis that ended without a set (cancelled, failed): `text` in the summary line.
    void showEnded(const QString& text);

Q_SIGNALS:
    void synthesizeRequested(const dfq::ui::SynthesisSettings& settings);
    void saveRequested(const QString& dir);

private:
    /// Icon size of a gallery tile: SynthesisSnapshot::perClass thumbnails side by side.
    static QSize stripSize();
    void drawDivergence(const QVector<LayerDivergenceRow>& layers, const QString& title);

    const SynthesisMethodInfo* currentMethod() const;
    void methodChanged();
    void inspectClass(int label);
    QString className(int label) const;

    QComboBox* method_ = nullptr;
    QLabel* methodHelp_ = nullptr;
    MethodOptionsForm* options_ = nullptr;
    QSpinBox* images_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QPushButton* start_ = nullptr;
    QPushButton* save_ = nullptr;
    QListWidget* gallery_ = nullptr;
    ImageInspector* inspector_ = nullptr;
    QTabWidget* views_ = nullptr;
    QCustomPlot* loss_ = nullptr;
    QCustomPlot* divergence_ = nullptr;
    DivergenceHeatmap* heatmap_ = nullptr;   ///< layer × step of the live diagnostics
    CentroidMapView* centroidMap_ = nullptr;
    ModeCollapseView* modeCollapse_ = nullptr;
    TrainingCurves* curves_ = nullptr;
    QLabel* summary_ = nullptr;
    QVector<LayerDivergenceRow> shownLayers_;   ///< the divergence bars' layers
    QVector<SynthesisMethodInfo> methods_;
    QStringList classNames_;
    struct ClassImages {
        QVector<QImage> images;
        QVector<double> confidence;
    };
    QMap<int, ClassImages> latest_;   ///< the newest preview's images per class (the gallery's tiles)
    qint64 latestStep_ = 0;
    int inspected_ = -1;              ///< the class shown large (-1: none)
    bool haveSet_ = false;
    bool busy_ = false;
    double lossMin_ = 0, lossMax_ = 0;
};

} // namespace dfq::ui
