#pragma once
// The Runs tab: run directories (from `dfq run` / `dfq sweep` or the GUI's own experiments) opened
// side by side. A table compares them (status, method, bits, protocol, FP32 and quantized top-1,
// time) and plots their quantized top-1 against the weight bits per method (a sweep's trade-off); the curve view overlays one metric of every checked run, raw and smoothed (debiased EMA or
// moving average; the raw curve stays visible); the snapshot strip and viewer scrub the selected run's
// images step by step; Assess set measures the selected run's synthetic set (centroid map and mode
// collapse, as the Synthesize tab shows them after a synthesis).
// An interrupted run can be resumed and a finished one's report opened. Reading happens off the UI
// thread (RunLoader). Torch-free.
#include "AppSettings.h"
#include "SessionTypes.h"

#include <QMap>
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTabWidget;
class QTreeWidget;

namespace dfq::ui {

class CentroidMapView;
class ModeCollapseView;
class RunLoader;
class SnapshotViewer;

class RunsPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunsPanel(QWidget* parent = nullptr);

    /// Reads dir in the background; runOpened or openFailed follows.
    void openRun(const QString& dir);
    /// Adds run (or replaces the one with its directory) and selects it.
    void showRun(const RunView& run);
    const QVector<RunView>& runs() const { return runs_; }
    /// "stage: name" of every series any shown run has, in first-seen order.
    QStringList seriesKeys() const;
    /// The metric the curve view shows ("synthesize: loss_total").
    void selectSeries(const QString& key);
    QString selectedSeries() const;
    void setSmoothing(SmoothingKind kind, double emaWeight, int window);
    /// While the window runs a job, Resume and Assess set wait.
    void setBusy(bool busy);
    /// The assessment of dir's synthetic set (ModelWorker::assessRunSet): kept for that run and
    /// drawn in the Centroids and Mode collapse views while it is selected.
    void showSetQuality(const QString& dir, const SetQuality& quality, const QStringList& classNames, const QString& what);
    /// The ONNX Runtime check of dir's export/model.onnx (ModelWorker::checkRunOnnx), in the status line.
    void showOnnxCheck(const QString& dir, const QString& text);
    QString statusText() const;
    CentroidMapView* centroidView() const { return centroids_; }
    ModeCollapseView* modeCollapseView() const { return collapse_; }

Q_SIGNALS:
    void runOpened(const QString& dir);
    void openFailed(const QString& dir, const QString& message);
    void resumeRequested(const QString& dir);
    /// Assess set was clicked for the run in dir (it holds checkpoints/synthetic).
    void assessRequested(const QString& dir);
    /// Check in ONNX Runtime was clicked for the run in dir (it holds export/model.onnx).
    void onnxCheckRequested(const QString& dir);
    void smoothingChanged(dfq::ui::SmoothingKind kind, double emaWeight, int window);

private:
    void redrawCurves();
    /// Quantized top-1 against weight bits, one series per method (the checked, evaluated runs).
    void redrawBits();
    void showSnapshots(int row);
    void showQuality(int row);
    void updateButtons();
    int currentRow() const;

    RunLoader* loader_ = nullptr;
    QVector<RunView> runs_;
    QTreeWidget* table_ = nullptr;
    QComboBox* series_ = nullptr;
    QComboBox* smoothing_ = nullptr;
    QDoubleSpinBox* smoothingParam_ = nullptr;
    QCustomPlot* curves_ = nullptr;
    QCustomPlot* bits_ = nullptr;
    QListWidget* snapshots_ = nullptr;
    SnapshotViewer* viewer_ = nullptr;   ///< the selected snapshot, large, with the step slider
    QLabel* status_ = nullptr;
    QPushButton* open_ = nullptr;
    QPushButton* resume_ = nullptr;
    QPushButton* report_ = nullptr;
    QPushButton* assess_ = nullptr;
    QPushButton* onnx_ = nullptr;
    QTabWidget* views_ = nullptr;
    CentroidMapView* centroids_ = nullptr;
    ModeCollapseView* collapse_ = nullptr;
    struct Assessed {
        SetQuality quality;
        QStringList classNames;
        QString what;
    };
    QMap<QString, Assessed> assessed_;   ///< by run directory
    bool busy_ = false;
};

} // namespace dfq::ui
