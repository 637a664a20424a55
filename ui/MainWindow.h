#pragma once
#include "SessionTypes.h"

#include <QMainWindow>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QThread;
class QTreeWidget;
class QCustomPlot;

namespace dfq::ui {

class ModelWorker;
class ExperimentWorker;
class SynthesisFeed;
class SynthesisPanel;

/// The DFQ Studio main window: model and dataset summaries; an Evaluate tab (progress, Cancel,
/// per-class accuracy) and a Synthesize tab (SynthesisPanel: live gallery, loss, BN divergence); a
/// log. All work runs in the ModelWorker's thread, experiments in the ExperimentWorker's.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// Opens with `modelPath` / `dataPath` loaded (empty: the embedded default).
    explicit MainWindow(const QString& modelPath = {}, const QString& dataPath = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    bool isBusy() const { return busy_; }
    const ModelSummary& modelSummary() const { return model_; }
    const DatasetSummary& datasetSummary() const { return dataset_; }
    const EvalSummary& lastEvaluation() const { return eval_; }
    const SynthesisSummary& lastSynthesis() const { return synthesis_; }
    SynthesisPanel* synthesisPanel() const { return synthPanel_; }

public Q_SLOTS:
    void openModel(const QString& path);
    void openDataset(const QString& path);
    void evaluate();
    void cancel();
    /// Runs the experiment config (JSON, docs/config.md) through the pipeline in its own worker thread;
    /// progress in the progress bar, stages and results in the log, report.html in the run directory.
    void runExperiment(const QString& configPath);
    /// Synthesises a calibration set from the loaded model (Synthesize tab); synthesisFinished when done.
    void synthesize(const dfq::ui::SynthesisSettings& settings);
    /// Saves the last synthesised set to dir (replacing it); syntheticSetSaved when written.
    void saveSyntheticSet(const QString& dir);

Q_SIGNALS:
    void evaluationFinished();
    void experimentFinished(const QString& runDir);
    void modelReady();
    void datasetReady();
    void synthesisFinished();
    void syntheticSetSaved(const QString& dir);

private:
    void buildUi();
    /// Shows a synthesis feed (ours or an experiment's) in the Synthesize tab and its notes in the log.
    void connectFeed(SynthesisFeed* feed);
    void onModelLoaded(const ModelSummary& s);
    void onDatasetLoaded(const DatasetSummary& s);
    void onEvaluated(const EvalSummary& s);
    void onFailed(const QString& message);
    void setBusy(bool busy);
    void log(const QString& line);

    QThread* thread_ = nullptr;
    ModelWorker* worker_ = nullptr;
    QThread* experimentThread_ = nullptr;
    ExperimentWorker* experiment_ = nullptr;
    bool busy_ = false;
    ModelSummary model_;
    DatasetSummary dataset_;
    EvalSummary eval_;
    SynthesisSummary synthesis_;

    QLabel* modelLabel_ = nullptr;
    QTreeWidget* layerTree_ = nullptr;
    QLabel* datasetLabel_ = nullptr;
    QPushButton* evaluateButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* resultLabel_ = nullptr;
    QCustomPlot* perClassPlot_ = nullptr;
    QPlainTextEdit* log_ = nullptr;
    SynthesisPanel* synthPanel_ = nullptr;
};

} // namespace dfq::ui
