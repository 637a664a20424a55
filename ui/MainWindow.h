#pragma once
#include "AppSettings.h"
#include "SessionTypes.h"

#include <QMainWindow>

#include <functional>
#include <memory>

class QAction;
class QJsonObject;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QThread;
class QTreeWidget;
class QCustomPlot;
class QMenu;

namespace dfq::ui {

class ModelWorker;
class ExperimentWorker;
class JobController;
class SynthesisFeed;
class SynthesisPanel;
class BitWidthPanel;
class RunsPanel;
struct QuantizeSettings;
class AppSettings;
class RecentFileList;

/// The DFQ Studio main window: docks for the model and dataset summaries and the log; tabs Evaluate
/// (per-class accuracy), Synthesize (SynthesisPanel), Bit-widths (BitWidthPanel: interactive
/// quantization, mixed precision, full runs) and Runs (RunsPanel). All work runs in the ModelWorker's
/// thread, experiments in the ExperimentWorker's, one job at a time (JobController): a request while
/// a job runs is refused with a note in the log, except that a user's job pre-empts a bit-width trial.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// Opens with `modelPath` / `dataPath` loaded (empty: the embedded default).
    explicit MainWindow(const QString& modelPath = {}, const QString& dataPath = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    bool isBusy() const;
    const ModelSummary& modelSummary() const { return model_; }
    const DatasetSummary& datasetSummary() const { return dataset_; }
    const EvalSummary& lastEvaluation() const { return eval_; }
    const SynthesisSummary& lastSynthesis() const { return synthesis_; }
    SynthesisPanel* synthesisPanel() const { return synthPanel_; }
    BitWidthPanel* bitWidthPanel() const { return bitPanel_; }
    RunsPanel* runsPanel() const { return runsPanel_; }

public Q_SLOTS:
    /// Loads a checkpoint. An open dataset is opened again for the new model (its input size may differ).
    void openModel(const QString& path);
    void openDataset(const QString& path);
    void evaluate();
    /// Cancels the running job; nothing when idle.
    void cancel();
    /// Runs the experiment config (JSON, docs/config.md) through the pipeline in its own worker thread;
    /// progress in the progress bar, stages and results in the log, report.html in the run directory.
    void runExperiment(const QString& configPath);
    /// Shows a run directory in the Runs tab (read in the background; a dialog when it cannot be read).
    void openRun(const QString& dir);
    /// Continues an interrupted run (ExperimentWorker::resume); experimentFinished when it ends.
    void resumeRun(const QString& dir);
    /// Bit-widths > Quantize: saves the current synthetic set under the runs folder, then runs an
    /// experiment with spec (quant.spec) on it, the open model and test data; the run opens in Runs.
    void quantizeRun(const QByteArray& spec, const dfq::ui::QuantizeSettings& settings);
    /// Synthesises a calibration set from the loaded model (Synthesize tab); synthesisFinished when done.
    void synthesize(const dfq::ui::SynthesisSettings& settings);
    /// Saves the last synthesised set to dir (replacing it); syntheticSetSaved when written.
    void saveSyntheticSet(const QString& dir);
    /// Measures per-layer weight sensitivity under spec on the last synthesised set (Bit-widths >
    /// Mixed precision); the panel shows it.
    void measureSensitivity(const QByteArray& spec, const QVector<int>& candidates);
    /// The Runs tab's Assess set: the run's synthetic set measured in the model worker.
    void assessRun(const QString& dir);
    /// The Runs tab's Check in ONNX Runtime, on the open dataset.
    void checkRunOnnx(const QString& dir);
    /// Light, dark or the system's look, plots included; remembered for the next start.
    void setTheme(dfq::ui::Theme theme);
    /// View > Language: "" (the system's), "en" or "zh_CN". Switches the running window's texts
    /// (LiveTranslator) and is remembered for the next start.
    void setLanguage(const QString& code);

protected:
    /// Saves the window layout and preferences; a running job is cancelled by the destructor.
    void closeEvent(QCloseEvent* event) override;

Q_SIGNALS:
    /// An evaluation ended: with a result (lastEvaluation), cancelled or failed.
    void evaluationFinished();
    void experimentFinished(const QString& runDir);
    void modelReady();
    void datasetReady();
    /// A synthesis ended: with a set (lastSynthesis), cancelled or failed.
    void synthesisFinished();
    void syntheticSetSaved(const QString& dir);
    /// Any job ended cancelled / failed (the message is in the log and the status bar).
    void jobCancelled();
    void jobFailed(const QString& message);

private:
    /// What a job of the ModelWorker is, for the messages of its end.
    enum class Job { LoadModel, LoadDataset, Evaluate, Synthesize, SaveSet, Experiment, Trial, Sensitivity, AssessRun, OnnxCheck };
    /// Claims the JobController for `job` on `worker`; false (and a note in the log) while a job runs.
    /// A running bit-width trial is cancelled instead, and retry runs as soon as it has ended.
    bool startJob(int worker, Job job, std::function<void()> retry = {});
    /// The end of every job's handling: starts a job that pre-empted a trial, or a deferred trial.
    void jobEnded();
    QString describe(Job job) const;
    void buildUi();
    /// Shows a synthesis feed (ours or an experiment's) in the Synthesize tab and its notes in the log.
    void connectFeed(SynthesisFeed* feed);
    void onModelLoaded(const ModelSummary& s);
    void onDatasetLoaded(const DatasetSummary& s);
    void onEvaluated(const EvalSummary& s);
    void onFailed(const QString& message);
    /// The bit-width panel asks for trial `serial`: run it now, or tell the panel why it waits.
    void startTrial(quint64 serial, const QByteArray& spec, qint64 evalLimit);
    void setBusy(bool busy);
    /// The calibration set of a Quantize request is saved: write its config and run it.
    void startQuantizeExperiment();
    /// A generator method: an experiment (load → generative → evaluate → export) at the Bit-widths
    /// tab's spec, whose epochs the Synthesize tab shows live.
    void trainGenerator(const SynthesisSettings& settings);
    /// Writes config under the runs folder's configs/ as NAME.json (QSaveFile); "" with a log line on failure.
    QString writeRunConfig(const QJsonObject& config, const QString& name);
    void log(const QString& line);

    std::unique_ptr<AppSettings> settings_;
    RecentFileList* recentModels_ = nullptr;
    RecentFileList* recentDatasets_ = nullptr;
    RecentFileList* recentRuns_ = nullptr;
    QMenu* recentRunsMenu_ = nullptr;
    QMenu* recentModelsMenu_ = nullptr;
    QMenu* recentDatasetsMenu_ = nullptr;

    QThread* thread_ = nullptr;
    ModelWorker* worker_ = nullptr;
    QThread* experimentThread_ = nullptr;
    ExperimentWorker* experiment_ = nullptr;
    JobController* jobs_ = nullptr;
    int modelWorkerId_ = -1, experimentWorkerId_ = -1;
    Job job_ = Job::LoadModel;     ///< the job started last (the one running while busy)
    /// Opened as soon as the model is loaded: the start-up dataset, or the open one after a new model.
    QString onnxCheckDir_;   ///< the run the ONNX Runtime check runs for
    QString pendingDataset_;
    ModelSummary model_;
    DatasetSummary dataset_;
    EvalSummary eval_;
    SynthesisSummary synthesis_;

    QAction* openModelAct_ = nullptr;
    QAction* openDataAct_ = nullptr;
    QAction* runExperimentAct_ = nullptr;
    QLabel* modelLabel_ = nullptr;
    QTreeWidget* layerTree_ = nullptr;
    QLabel* datasetLabel_ = nullptr;
    QPushButton* evaluateButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QAction* cancelAct_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* resultLabel_ = nullptr;
    QCustomPlot* perClassPlot_ = nullptr;
    QPlainTextEdit* log_ = nullptr;
    SynthesisPanel* synthPanel_ = nullptr;
    BitWidthPanel* bitPanel_ = nullptr;
    RunsPanel* runsPanel_ = nullptr;
    quint64 trialSerial_ = 0;      ///< the trial the worker runs (job_ == Trial)
    bool trialDeferred_ = false;   ///< a trial waits for the running job: asked for again by jobEnded
    std::function<void()> preempted_;   ///< a user's job that cancelled a trial, started when it ends
    /// Bit-widths > Quantize waits for its calibration set to be saved: that folder and the config
    /// to run then.
    QString quantizeCalibDir_;
    QByteArray quantizeConfig_;
    QString quantizeConfigPath_;
    bool quantizeRunning_ = false;   ///< the running experiment is Bit-widths > Quantize's
};

} // namespace dfq::ui
