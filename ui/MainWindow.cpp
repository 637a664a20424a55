#include "MainWindow.h"

#include "AboutDialog.h"
#include "AppSettings.h"
#include "BitWidthPanel.h"
#include "ExperimentWorker.h"
#include "JobController.h"
#include "LiveTranslator.h"
#include "ModelWorker.h"
#include "PlotExport.h"
#include "QuantizeRunBox.h"
#include "PlotTheme.h"
#include "RecentFileList.h"
#include "RunsPanel.h"
#include "SynthesisFeed.h"
#include "SynthesisPanel.h"
#include "runtime/BlasCheck.h"
#include "runtime/Resources.h"
#include "runtime/Threads.h"

#include "QCustomPlotInclude.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>
#include <QTimer>
#include <QTreeWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include <cmath>
#include <tuple>
#include <utility>

// The resources live in the static dfq_ui library: register them explicitly, or the linker drops them.
static void initUiResources() { Q_INIT_RESOURCE(resources); }

namespace dfq::ui {

MainWindow::MainWindow(const QString& modelPath, const QString& dataPath, QWidget* parent) : QMainWindow(parent) {
    initUiResources();
    setWindowTitle(tr("DFQ Studio"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/dfq-studio.svg")));
    settings_ = std::make_unique<AppSettings>();
    recentModels_ = new RecentFileList(AppSettings::kRecentMax, this);
    recentModels_->setPaths(settings_->recentModels());
    connect(recentModels_, &RecentFileList::changed, this, [this](const QStringList& p) { settings_->setRecentModels(p); });
    recentDatasets_ = new RecentFileList(AppSettings::kRecentMax, this);
    recentDatasets_->setPaths(settings_->recentDatasets());
    connect(recentDatasets_, &RecentFileList::changed, this, [this](const QStringList& p) { settings_->setRecentDatasets(p); });
    recentRuns_ = new RecentFileList(AppSettings::kRecentMax, this);
    recentRuns_->setPaths(settings_->recentRuns());
    connect(recentRuns_, &RecentFileList::changed, this, [this](const QStringList& p) { settings_->setRecentRuns(p); });
    buildUi();
    bitPanel_->setEvalLimit(settings_->trialEvalLimit());
    resize(1280, 820);
    restoreGeometry(settings_->windowGeometry());
    restoreState(settings_->windowState());
    if (settings_->theme() != Theme::System)
        applyTheme(settings_->theme(), this);
    jobs_ = new JobController(this);
    connect(jobs_, &JobController::busyChanged, this, &MainWindow::setBusy);

    thread_ = new QThread(this);
    thread_->setObjectName(QStringLiteral("dfq-worker"));
    worker_ = new ModelWorker;
    worker_->moveToThread(thread_);
    connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &ModelWorker::modelLoaded, this, &MainWindow::onModelLoaded);
    connect(worker_, &ModelWorker::datasetLoaded, this, &MainWindow::onDatasetLoaded);
    connect(worker_, &ModelWorker::evaluated, this, &MainWindow::onEvaluated);
    connect(worker_, &ModelWorker::failed, this, &MainWindow::onFailed);
    modelWorkerId_ = jobs_->addWorker({[w = worker_] { w->cancel(); }, [w = worker_] { w->resetCancel(); }});
    connect(worker_, &ModelWorker::busyChanged, this, [this](bool busy) {
        if (!busy)
            jobs_->finished(modelWorkerId_);
    });
    connect(worker_, &ModelWorker::trialDone, this, [this](const QuantTrialSummary& r) {
        bitPanel_->showTrial(r);
        jobEnded();
    });
    connect(bitPanel_, &BitWidthPanel::trialRequested, this, &MainWindow::startTrial);
    connect(bitPanel_, &BitWidthPanel::sensitivityRequested, this, &MainWindow::measureSensitivity);
    connect(bitPanel_, &BitWidthPanel::quantizeRequested, this, &MainWindow::quantizeRun);
    connect(worker_, &ModelWorker::sensitivityMeasured, this, [this](const SensitivitySummary& r) {
        bitPanel_->showSensitivity(r);
        log(tr("Sensitivity of %1 layers at %2 widths measured on %3 images in %4 s.")
                .arg(r.layers.size()).arg(r.bits.size()).arg(r.images).arg(r.seconds, 0, 'f', 1));
        jobEnded();
    });
    connect(runsPanel_, &RunsPanel::assessRequested, this, &MainWindow::assessRun);
    connect(runsPanel_, &RunsPanel::onnxCheckRequested, this, &MainWindow::checkRunOnnx);
    connect(worker_, &ModelWorker::onnxChecked, this, [this](const QString& dir, const QString& text) {
        runsPanel_->showOnnxCheck(dir, text);
        log(text);
        jobEnded();
    });
    connect(worker_, &ModelWorker::runSetAssessed, this,
            [this](const QString& dir, const SetQuality& q, const QStringList& names, const QString& what) {
                runsPanel_->showSetQuality(dir, q, names, what);
                log(tr("Assessed: %1.").arg(what));
                jobEnded();
            });
    connect(bitPanel_, &BitWidthPanel::trialCancelRequested, this, [this] {
        if (job_ == Job::Trial && jobs_->isBusy())
            jobs_->cancel();
    });
    connect(worker_, &ModelWorker::cancelled, this, [this] {
        if (job_ == Job::Trial) {   // superseded by a newer spec or a user's job: not worth a log line
            bitPanel_->trialEnded(trialSerial_, QString());
            jobEnded();
            return;
        }
        log(tr("Cancelled: %1.").arg(describe(job_)));
        if (job_ == Job::Sensitivity)
            bitPanel_->sensitivityEnded(QString());
        if (job_ == Job::Evaluate) {
            resultLabel_->setText(tr("Cancelled"));
            Q_EMIT evaluationFinished();
        } else if (job_ == Job::Synthesize) {
            synthPanel_->showEnded(tr("Synthesis cancelled."));
            Q_EMIT synthesisFinished();
        }
        jobEnded();
        Q_EMIT jobCancelled();
    });
    connect(worker_, &ModelWorker::progress, this, [this](qint64 done, qint64 total) {
        progress_->setMaximum(int(total));
        progress_->setValue(int(done));
    });
    connectFeed(worker_->synthesisFeed());
    connect(worker_, &ModelWorker::synthesized, this, [this](const SynthesisSummary& s) {
        synthesis_ = s;
        synthPanel_->showSummary(s);
        bitPanel_->setCalibration(tr("%1 %2 images").arg(s.images).arg(s.method));
        trialDeferred_ = true;   // a new calibration set: the shown accuracy is re-measured on it
        log(tr("Synthesised %1 images with %2 in %3 s: mean BN KL %4, feature diversity %5.")
                .arg(s.images).arg(s.method).arg(s.seconds, 0, 'f', 1).arg(s.meanKl, 0, 'g', 3)
                .arg(s.featureDiversity, 0, 'f', 3));
        jobEnded();
        Q_EMIT synthesisFinished();
    });
    connect(worker_, &ModelWorker::syntheticSetSaved, this, [this](const QString& dir) {
        log(tr("Synthetic set saved to %1 (use it with `dfq quantize --calib synth:%1`).").arg(dir));
        const bool forQuantize = !quantizeCalibDir_.isEmpty() && dir == quantizeCalibDir_;
        jobEnded();
        Q_EMIT syntheticSetSaved(dir);
        if (forQuantize)
            startQuantizeExperiment();
    });
    connect(synthPanel_, &SynthesisPanel::synthesizeRequested, this, &MainWindow::synthesize);
    connect(synthPanel_, &SynthesisPanel::saveRequested, this, &MainWindow::saveSyntheticSet);
    thread_->start();

    experimentThread_ = new QThread(this);
    experimentThread_->setObjectName(QStringLiteral("dfq-experiment"));
    experiment_ = new ExperimentWorker;
    experiment_->moveToThread(experimentThread_);
    connect(experimentThread_, &QThread::finished, experiment_, &QObject::deleteLater);
    experimentWorkerId_ = jobs_->addWorker({[w = experiment_] { w->cancel(); }, [w = experiment_] { w->resetCancel(); }});
    connect(experiment_, &ExperimentWorker::busyChanged, this, [this](bool busy) {
        if (!busy)
            jobs_->finished(experimentWorkerId_);
    });
    connect(experiment_, &ExperimentWorker::message, this, &MainWindow::log);
    connect(experiment_, &ExperimentWorker::failed, this, &MainWindow::onFailed);
    connectFeed(experiment_->synthesisFeed());
    connect(experiment_, &ExperimentWorker::stageStarted, this, [this](const QString& stage, int index, int count) {
        log(tr("Experiment stage %1/%2: %3").arg(index + 1).arg(count).arg(stage));
        progress_->setValue(0);
        if (stage == QLatin1String("synthesize"))
            synthPanel_->started(tr("Experiment: synthesising its calibration set …"));
    });
    connect(experiment_, &ExperimentWorker::epochFinished, synthPanel_, &SynthesisPanel::showEpoch);
    connect(experiment_, &ExperimentWorker::progress, this, [this](qint64 done, qint64 total, double eta) {
        progress_->setMaximum(int(total));
        progress_->setValue(int(done));
        progress_->setFormat(tr("%p% · ETA %1 s").arg(qRound(eta)));
    });
    connect(experiment_, &ExperimentWorker::finished, this, [this](const QString& dir, const QString& summary) {
        progress_->setFormat(QStringLiteral("%p%"));
        resultLabel_->setText(summary);
        log(tr("Experiment finished: %1\nReport: %2/report.html").arg(summary, dir));
        if (std::exchange(quantizeRunning_, false))
            bitPanel_->quantizeBox()->setResult(tr("%1\nRun: %2 (Runs tab)").arg(summary, QFileInfo(dir).fileName()));
        runsPanel_->openRun(dir);   // the GUI's own runs appear in the Runs tab
        recentRuns_->add(dir);
        jobEnded();
        Q_EMIT experimentFinished(dir);
    });
    connect(experiment_, &ExperimentWorker::cancelled, this, [this](const QString& dir) {
        progress_->setFormat(QStringLiteral("%p%"));
        log(tr("Experiment cancelled; Runs > Resume (or `dfq resume %1`) continues it.").arg(dir));
        if (std::exchange(quantizeRunning_, false))
            bitPanel_->quantizeBox()->setResult(tr("Cancelled; Runs > Resume continues it."));
        if (!dir.isEmpty()) {
            runsPanel_->openRun(dir);
            recentRuns_->add(dir);
        }
        jobEnded();
        Q_EMIT experimentFinished(dir);
        Q_EMIT jobCancelled();
    });
    experimentThread_->start();

    const int threads = runtime::configureThreads(0);
    const auto blas = runtime::inspectBlas();
    statusBar()->showMessage(tr("%1 threads · BLAS: %2").arg(threads).arg(blas.isOpenBlas ? tr("OpenBLAS") : tr("reference (slow)")));
    if (!blas.warning.empty())
        log(tr("Warning: %1").arg(QString::fromStdString(blas.warning)));

    const QString model = modelPath.isEmpty() ? QString::fromStdString(runtime::defaultModelPath()) : modelPath;
    const QString data = dataPath.isEmpty() && modelPath.isEmpty() ? QString::fromStdString(runtime::defaultDataPath()) : dataPath;
    if (!model.isEmpty()) {
        openModel(model);
        pendingDataset_ = data;   // images are prepared for the model's input: opened once it is loaded
    } else {
        log(tr("The embedded default model was not found; open a checkpoint with File > Open model."));
        if (!data.isEmpty())
            openDataset(data);
    }
}

MainWindow::~MainWindow() {
    // Closing: stop whatever runs (jobs already queued see the cancelled token too).
    worker_->cancel();
    experiment_->cancel();
    thread_->quit();
    thread_->wait();
    experimentThread_->quit();
    experimentThread_->wait();
}

void MainWindow::setTheme(Theme theme) {
    applyTheme(theme, this);
    settings_->setTheme(theme);
    for (QAction* a : findChild<QActionGroup*>(QStringLiteral("themeGroup"))->actions())
        a->setChecked(a->data().toInt() == int(theme));
}

void MainWindow::setLanguage(const QString& code) {
    if (!LiveTranslator::instance().switchTo(code)) {
        statusBar()->showMessage(tr("No translation for %1 is installed.").arg(code), 10000);
        return;
    }
    settings_->setLanguage(code);
    if (!settings_->sync())
        log(tr("Could not save the settings to %1.").arg(settings_->fileName()));
    for (QAction* a : findChild<QActionGroup*>(QStringLiteral("languageGroup"))->actions())
        a->setChecked(a->data().toString() == code);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    settings_->setWindowGeometry(saveGeometry());
    settings_->setWindowState(saveState());
    settings_->setTrialEvalLimit(int(bitPanel_->evalLimit()));
    if (!settings_->sync())
        log(tr("Could not save the settings to %1.").arg(settings_->fileName()));
    QMainWindow::closeEvent(event);
}

bool MainWindow::isBusy() const { return jobs_->isBusy(); }

QString MainWindow::describe(Job job) const {
    switch (job) {
    case Job::LoadModel: return tr("loading the model");
    case Job::LoadDataset: return tr("opening the dataset");
    case Job::Evaluate: return tr("evaluation");
    case Job::Synthesize: return tr("synthesis");
    case Job::SaveSet: return tr("saving the synthetic set");
    case Job::Experiment: return tr("experiment");
    case Job::Trial: return tr("re-quantization trial");
    case Job::Sensitivity: return tr("sensitivity measurement");
    case Job::AssessRun: return tr("assessing the run's set");
    case Job::OnnxCheck: return tr("the ONNX Runtime check");
    }
    return {};
}

bool MainWindow::startJob(int worker, Job job, std::function<void()> retry) {
    // job_ is set before the claim, so that the busyChanged it emits draws the controls for this
    // job; a refused claim puts back the job that runs.
    const Job running = std::exchange(job_, job);
    if (!jobs_->start(worker, describe(job))) {
        job_ = running;
        // A bit-width trial is the app's own background work: what the user asks for goes first.
        if (job_ == Job::Trial && retry) {
            preempted_ = std::move(retry);
            trialDeferred_ = true;
            jobs_->cancel();
            return false;
        }
        log(tr("Busy (%1): wait for it to finish or cancel it.").arg(jobs_->activeJob()));
        return false;
    }
    return true;
}

void MainWindow::openModel(const QString& path) {
    if (!startJob(modelWorkerId_, Job::LoadModel, [this, path] { openModel(path); }))
        return;
    log(tr("Loading model %1 …").arg(path));
    QMetaObject::invokeMethod(worker_, [w = worker_, path] { w->loadModel(path, QString()); }, Qt::QueuedConnection);
}

void MainWindow::openDataset(const QString& path) {
    if (!startJob(modelWorkerId_, Job::LoadDataset, [this, path] { openDataset(path); }))
        return;
    log(tr("Opening dataset %1 …").arg(path));
    QMetaObject::invokeMethod(worker_, [w = worker_, path] { w->loadDataset(path, QString()); }, Qt::QueuedConnection);
}

void MainWindow::evaluate() {
    if (!startJob(modelWorkerId_, Job::Evaluate, [this] { evaluate(); }))
        return;
    progress_->setValue(0);
    resultLabel_->setText(tr("Evaluating…"));
    log(tr("Evaluating %1 on %2 …").arg(model_.arch, dataset_.path));
    QMetaObject::invokeMethod(worker_, [w = worker_] { w->evaluate(-1); }, Qt::QueuedConnection);
}

void MainWindow::connectFeed(SynthesisFeed* feed) {
    connect(feed, &SynthesisFeed::note, this, [this](const QString& n) { log(tr("Note: %1").arg(n)); });
    connect(feed, &SynthesisFeed::loss, synthPanel_, &SynthesisPanel::showLoss);
    connect(feed, &SynthesisFeed::diagnostics, synthPanel_, &SynthesisPanel::showDiagnostics);
    connect(feed, &SynthesisFeed::snapshot, synthPanel_, &SynthesisPanel::showSnapshot);
}

void MainWindow::synthesize(const SynthesisSettings& settings) {
    if (settings.generator)
        return trainGenerator(settings);
    if (!startJob(modelWorkerId_, Job::Synthesize, [this, settings] { synthesize(settings); }))
        return;
    progress_->setValue(0);
    synthPanel_->started(tr("Synthesising %1 images with %2 …").arg(settings.images).arg(settings.method));
    log(tr("Synthesising %1 images with %2 (seed %3) …").arg(settings.images).arg(settings.method).arg(settings.seed));
    QMetaObject::invokeMethod(worker_, [w = worker_, settings] { w->synthesize(settings); }, Qt::QueuedConnection);
}

void MainWindow::trainGenerator(const SynthesisSettings& settings) {
    if (model_.path.isEmpty())
        return log(tr("Open a model first: the generator is trained against it."));
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const QJsonObject spec = QJsonDocument::fromJson(bitPanel_->specJson()).object();
    const QString label = QStringLiteral("W%1A%2").arg(spec.value(QStringLiteral("weight_bits")).toInt())
                              .arg(spec.value(QStringLiteral("activation_bits")).toInt());
    const QString name = QStringLiteral("%1-%2-%3").arg(stamp, settings.method, label);
    // The generator and the student train at exactly the Bit-widths tab's spec; the student's
    // per-epoch top-1 (for the curves) and the final evaluation use the open test data.
    const QJsonObject config{
        {QStringLiteral("model"), QJsonObject{{QStringLiteral("path"), model_.path}, {QStringLiteral("arch"), model_.arch}}},
        {QStringLiteral("data"), QJsonObject{{QStringLiteral("test"), dataset_.path.isEmpty() ? QStringLiteral("none") : dataset_.path}}},
        {QStringLiteral("synthesis"), QJsonObject{{QStringLiteral("method"), settings.method},
                                                  {QStringLiteral("options"), QJsonObject::fromVariantMap(settings.options)}}},
        {QStringLiteral("quant"), QJsonObject{{QStringLiteral("spec"), spec}}},
        {QStringLiteral("seed"), qint64(settings.seed)},
        {QStringLiteral("output"), QJsonObject{{QStringLiteral("dir"), settings_->runsDirectory()}, {QStringLiteral("name"), name}}},
    };
    const QString path = writeRunConfig(config, name);
    if (path.isEmpty())
        return;
    synthPanel_->started(tr("Training %1 (%2) at %3 …").arg(settings.method, settings.options.value(QStringLiteral("budget"), QStringLiteral("standard")).toString(), label));
    runExperiment(path);
}

QString MainWindow::writeRunConfig(const QJsonObject& config, const QString& name) {
    const QDir root(settings_->runsDirectory());
    const QString path = root.filePath(QStringLiteral("configs/%1.json").arg(name));
    const QByteArray bytes = QJsonDocument(config).toJson();
    QSaveFile f(path);
    if (!root.mkpath(QStringLiteral("configs")) || !f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        log(tr("Could not write %1: %2 (Settings: files/runsDirectory).").arg(path, f.errorString()));
        return {};
    }
    return path;
}

void MainWindow::saveSyntheticSet(const QString& dir) {
    if (!startJob(modelWorkerId_, Job::SaveSet, [this, dir] { saveSyntheticSet(dir); }))
        return;
    log(tr("Saving the synthetic set to %1 …").arg(dir));
    QMetaObject::invokeMethod(worker_, [w = worker_, dir] { w->saveSyntheticSet(dir); }, Qt::QueuedConnection);
}

void MainWindow::cancel() { jobs_->cancel(); }

void MainWindow::jobEnded() {
    // Called last by every end-of-job handler, once the ended job's result is shown (job_ is read
    // there), so nothing started here can be mistaken for the job that ended.
    if (jobs_->isBusy())
        return;
    if (preempted_) {
        std::exchange(preempted_, {})();
        return;
    }
    if (trialDeferred_) {
        trialDeferred_ = false;
        bitPanel_->requestTrial();
    }
}

void MainWindow::measureSensitivity(const QByteArray& spec, const QVector<int>& candidates) {
    if (synthesis_.images == 0) {
        bitPanel_->sensitivityEnded(tr("Synthesize a calibration set first: sensitivity is measured on it."));
        return;
    }
    if (!startJob(modelWorkerId_, Job::Sensitivity, [this, spec, candidates] { measureSensitivity(spec, candidates); })) {
        if (!preempted_)   // refused (not queued behind a trial)
            bitPanel_->sensitivityEnded(tr("Busy (%1): try again when it has finished.").arg(jobs_->activeJob()));
        return;
    }
    log(tr("Measuring per-layer sensitivity …"));
    QMetaObject::invokeMethod(worker_, [w = worker_, spec, candidates] { w->measureSensitivity(spec, candidates); },
                              Qt::QueuedConnection);
}

void MainWindow::assessRun(const QString& dir) {
    if (!startJob(modelWorkerId_, Job::AssessRun, [this, dir] { assessRun(dir); }))
        return;
    log(tr("Assessing the synthetic set of %1 …").arg(QDir::toNativeSeparators(dir)));
    QMetaObject::invokeMethod(worker_, [w = worker_, dir] { w->assessRunSet(dir); }, Qt::QueuedConnection);
}

void MainWindow::checkRunOnnx(const QString& dir) {
    if (dataset_.path.isEmpty()) {
        runsPanel_->showOnnxCheck(dir, tr("Open a test dataset first: the check runs on it."));
        return;
    }
    if (!startJob(modelWorkerId_, Job::OnnxCheck, [this, dir] { checkRunOnnx(dir); }))
        return;
    onnxCheckDir_ = dir;
    log(tr("Running %1 in ONNX Runtime on %2 …").arg(QDir::toNativeSeparators(dir + QStringLiteral("/export/model.onnx")),
                                                     dataset_.path));
    QMetaObject::invokeMethod(worker_, [w = worker_, dir, data = dataset_.path] { w->checkRunOnnx(dir, data); },
                              Qt::QueuedConnection);
}

void MainWindow::startTrial(quint64 serial, const QByteArray& spec, qint64 evalLimit) {
    if (dataset_.path.isEmpty()) {
        bitPanel_->trialEnded(serial, tr("Open a test dataset to see the quantized accuracy."));
        return;
    }
    if (synthesis_.images == 0) {
        bitPanel_->trialEnded(serial, tr("Synthesize a calibration set (Synthesize tab) to see the quantized accuracy."));
        return;
    }
    // Quietly, unlike the buttons: the panel says it waits, and asks again when the job ends.
    const Job running = std::exchange(job_, Job::Trial);   // as in startJob
    if (!jobs_->start(modelWorkerId_, describe(Job::Trial))) {
        job_ = running;
        trialDeferred_ = true;
        bitPanel_->trialEnded(serial, tr("Waiting for %1 to finish.").arg(jobs_->activeJob()));
        return;
    }
    trialSerial_ = serial;
    QMetaObject::invokeMethod(worker_, [w = worker_, serial, spec, evalLimit] { w->quantTrial(serial, spec, evalLimit); },
                              Qt::QueuedConnection);
}

void MainWindow::openRun(const QString& dir) {
    settings_->setLastDirectory(QFileInfo(dir).absolutePath());
    runsPanel_->openRun(dir);
}

void MainWindow::resumeRun(const QString& dir) {
    if (!startJob(experimentWorkerId_, Job::Experiment, [this, dir] { resumeRun(dir); }))
        return;
    log(tr("Resuming run %1").arg(dir));
    QMetaObject::invokeMethod(experiment_, "resume", Qt::QueuedConnection, Q_ARG(QString, dir));
}

void MainWindow::quantizeRun(const QByteArray& spec, const QuantizeSettings& q) {
    auto refuse = [this](const QString& why) {
        bitPanel_->quantizeBox()->setResult(why);
        log(why);
    };
    if (dataset_.path.isEmpty())
        return refuse(tr("Open a test dataset first: the run evaluates on it."));
    if (synthesis_.images == 0)
        return refuse(tr("Synthesize a calibration set first (Synthesize tab): the run calibrates on it."));
    if (jobs_->isBusy() && job_ != Job::Trial)
        return refuse(tr("Busy (%1): quantize when it has finished.").arg(jobs_->activeJob()));
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const QDir root(settings_->runsDirectory());
    QJsonObject specObject = QJsonDocument::fromJson(spec).object();
    const QString label = QStringLiteral("W%1A%2").arg(specObject.value(QStringLiteral("weight_bits")).toInt())
                              .arg(specObject.value(QStringLiteral("activation_bits")).toInt());
    const QString name = QStringLiteral("%1-%2-%3-%4").arg(stamp, synthesis_.method, label, q.ptq);
    const QString calibDir = root.filePath(QStringLiteral("calibration/") + name);
    // The experiment: the open model and test data, the current synthetic set as given calibration
    // data, the panel's spec exactly (quant.spec), the chosen reconstruction and QAT-KD epochs.
    QJsonObject config{
        {QStringLiteral("model"), QJsonObject{{QStringLiteral("path"), model_.path}, {QStringLiteral("arch"), model_.arch}}},
        {QStringLiteral("data"), QJsonObject{{QStringLiteral("test"), dataset_.path},
                                             {QStringLiteral("calibration"), QStringLiteral("synth:") + calibDir}}},
        {QStringLiteral("synthesis"), QJsonObject{{QStringLiteral("method"), synthesis_.method}, {QStringLiteral("n"), synthesis_.images}}},
        {QStringLiteral("quant"), QJsonObject{{QStringLiteral("spec"), specObject}}},
        {QStringLiteral("ptq"), QJsonObject{{QStringLiteral("method"), q.ptq},
                                            {QStringLiteral("adaround_iters"), q.iterations},
                                            {QStringLiteral("brecq_iters"), q.iterations}}},
        {QStringLiteral("qat"), QJsonObject{{QStringLiteral("epochs"), q.qatEpochs}}},
        {QStringLiteral("output"), QJsonObject{{QStringLiteral("dir"), root.path()}, {QStringLiteral("name"), name}}},
    };
    if (!root.mkpath(QStringLiteral("configs")))
        return refuse(tr("Cannot create the runs folder %1 (Settings: files/runsDirectory).").arg(root.path()));
    quantizeCalibDir_ = calibDir;
    quantizeConfig_ = QJsonDocument(config).toJson();
    quantizeConfigPath_ = root.filePath(QStringLiteral("configs/%1.json").arg(name));
    bitPanel_->quantizeBox()->setResult(tr("Saving the calibration set …"));
    saveSyntheticSet(calibDir);
}

void MainWindow::startQuantizeExperiment() {
    const QString path = std::exchange(quantizeConfigPath_, QString());
    quantizeCalibDir_.clear();
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(quantizeConfig_) != quantizeConfig_.size() || !f.commit()) {
        bitPanel_->quantizeBox()->setResult(tr("Could not write %1: %2").arg(path, f.errorString()));
        return;
    }
    bitPanel_->quantizeBox()->setResult(tr("Running %1 …").arg(QFileInfo(path).completeBaseName()));
    quantizeRunning_ = true;
    runExperiment(path);
}

void MainWindow::runExperiment(const QString& configPath) {
    if (!startJob(experimentWorkerId_, Job::Experiment, [this, configPath] { runExperiment(configPath); }))
        return;
    log(tr("Experiment %1").arg(configPath));
    QMetaObject::invokeMethod(experiment_, "run", Qt::QueuedConnection, Q_ARG(QString, configPath));
}

void MainWindow::onModelLoaded(const ModelSummary& s) {
    model_ = s;
    if (s.path != QString::fromStdString(runtime::defaultModelPath()))   // the default opens anyway
        recentModels_->add(s.path);
    // The worker closed the dataset it had prepared for the previous model: show that, and open it
    // again for this one (unless another dataset is already waiting for the model).
    if (!dataset_.path.isEmpty()) {
        if (pendingDataset_.isEmpty()) {
            pendingDataset_ = dataset_.path;
            log(tr("Opening dataset %1 again for the new model's input.").arg(dataset_.path));
        }
        dataset_ = DatasetSummary();
        datasetLabel_->setText(tr("No dataset loaded"));
    }
    modelLabel_->setText(tr("<b>%1</b>%2 · %3<br>input %4×%5×%6 · %7 classes · %8 parameters<br>"
                            "%9 quantizable layers · %10 BN layers<br><small>%11</small>")
                             .arg(s.arch, s.archDetected ? tr(" (detected)") : QString(), s.format)
                             .arg(s.inChannels).arg(s.inHeight).arg(s.inWidth).arg(s.numClasses)
                             .arg(QLocale().toString(s.parameters))
                             .arg(s.quantLayers).arg(s.bnLayers)
                             .arg(s.path.toHtmlEscaped()));
    synthPanel_->setClassNames(s.classNames);
    synthesis_ = SynthesisSummary();   // the worker dropped the set distilled from the previous model
    bitPanel_->setCalibration(tr("none yet: synthesize a set"));
    bitPanel_->setModel(s.topology, ModelWorker::observerNames());
    layerTree_->clear();
    for (const auto& l : s.layers)
        layerTree_->addTopLevelItem(new QTreeWidgetItem({l.name, l.kind, l.shape, QLocale().toString(l.parameters)}));
    log(tr("Model %1 loaded: %2 parameters.").arg(s.arch).arg(s.parameters));
    // Idle now (the worker reports idle before the result): the waiting dataset starts before anyone
    // reacting to modelReady can start something else.
    if (!pendingDataset_.isEmpty())
        openDataset(std::exchange(pendingDataset_, QString()));
    jobEnded();
    Q_EMIT modelReady();
}

void MainWindow::onDatasetLoaded(const DatasetSummary& s) {
    dataset_ = s;
    if (s.path != QString::fromStdString(runtime::defaultDataPath()))
        recentDatasets_->add(s.path);
    QString text = s.description.toHtmlEscaped();
    for (const auto& n : s.notes)
        text += QStringLiteral("<br><i>%1</i>").arg(n.toHtmlEscaped());
    datasetLabel_->setText(text);
    log(tr("Dataset ready: %1").arg(s.description));
    for (const auto& n : s.notes)
        log(tr("Note: %1").arg(n));
    trialDeferred_ = true;   // new test data: re-measure
    jobEnded();
    Q_EMIT datasetReady();
}

void MainWindow::onEvaluated(const EvalSummary& s) {
    eval_ = s;
    resultLabel_->setText(tr("top-1 <b>%1 %</b> · top-5 %2 % · %3 images in %4 s (%5 images/s)")
                              .arg(s.top1, 0, 'f', 2).arg(s.top5, 0, 'f', 2).arg(s.images)
                              .arg(s.seconds, 0, 'f', 2).arg(s.imagesPerSecond, 0, 'f', 0));
    perClassPlot_->clearPlottables();
    auto* bars = new QCPBars(perClassPlot_->xAxis, perClassPlot_->yAxis);
    bars->setBrush(QColor(0x3d, 0x84, 0xc6));
    bars->setPen(Qt::NoPen);
    QVector<double> x, y;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const QStringList names = !dataset_.classNames.isEmpty() ? dataset_.classNames : model_.classNames;
    for (int c = 0; c < s.perClass.size(); ++c) {
        if (std::isnan(s.perClass[c]))
            continue;
        x << c;
        y << s.perClass[c];
        ticker->addTick(c, c < names.size() ? names[c] : QString::number(c));
    }
    bars->setData(x, y);
    perClassPlot_->xAxis->setTicker(ticker);
    perClassPlot_->xAxis->setTickLabelRotation(45);
    perClassPlot_->xAxis->setRange(-0.7, s.perClass.size() - 0.3);
    perClassPlot_->replot();
    log(tr("Evaluated: top-1 %1 %, top-5 %2 %.").arg(s.top1, 0, 'f', 2).arg(s.top5, 0, 'f', 2));
    jobEnded();
    Q_EMIT evaluationFinished();
}

void MainWindow::onFailed(const QString& message) {
    log(tr("Error: %1").arg(message));
    statusBar()->showMessage(tr("Error: %1").arg(message), 10000);
    // What the user opened or asked for: a dialog that says what is wrong and what to do. The
    // worker changes nothing on a failed load, so what was open stays open.
    QString title, hint;
    if (job_ == Job::LoadModel) {
        title = tr("Cannot open the model");
        hint = tr("DFQ Studio reads PyTorch checkpoints (.pt, .pth, .th, .tar: zip or legacy pickle) of the "
                  "architectures `dfq info` lists. %1")
                   .arg(model_.arch.isEmpty() ? tr("No model is loaded.") : tr("%1 stays open.").arg(model_.arch));
    } else if (job_ == Job::LoadDataset) {
        title = tr("Cannot open the dataset");
        hint = tr("Open a folder of class folders of images (ImageFolder), Fashion-MNIST/MNIST IDX files or the "
                  "CIFAR-10 binary batches, with the model's classes.");
    } else if (job_ == Job::Evaluate) {
        title = tr("Cannot evaluate");
        hint = tr("The test data must have the model's input size and at most its number of classes.");
    }
    if (!title.isEmpty()) {
        auto* box = new QMessageBox(QMessageBox::Warning, title, message + QStringLiteral("\n\n") + hint, QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("errorDialog"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();   // window-modal, not blocking: the window (and its workers) keep running
    }
    if (!pendingDataset_.isEmpty()) {   // it was waiting for the model that just failed to load
        log(tr("Dataset %1 not opened: no model is loaded.").arg(std::exchange(pendingDataset_, QString())));
    }
    if (job_ == Job::SaveSet && !quantizeCalibDir_.isEmpty()) {
        quantizeCalibDir_.clear();
        bitPanel_->quantizeBox()->setResult(tr("Not run: the calibration set could not be saved (%1).").arg(message));
    }
    if (job_ == Job::Experiment && std::exchange(quantizeRunning_, false))
        bitPanel_->quantizeBox()->setResult(tr("Failed: %1").arg(message));
    if (job_ == Job::OnnxCheck)   // e.g. the runtime not installed: the message names the command
        runsPanel_->showOnnxCheck(onnxCheckDir_, tr("ONNX Runtime check failed: %1").arg(message));
    if (job_ == Job::Trial) {
        bitPanel_->trialEnded(trialSerial_, tr("Trial failed: %1").arg(message));
    } else if (job_ == Job::Sensitivity) {
        bitPanel_->sensitivityEnded(tr("Error: %1").arg(message));
    } else if (job_ == Job::Evaluate) {
        resultLabel_->setText(tr("Error"));
        Q_EMIT evaluationFinished();
    } else if (job_ == Job::Synthesize) {
        synthPanel_->showEnded(tr("Error: %1").arg(message));
        Q_EMIT synthesisFinished();
    }
    jobEnded();
    Q_EMIT jobFailed(message);
}

void MainWindow::setBusy(bool busy) {
    // Everything that starts a job waits for the running one (the slots refuse it anyway). A
    // bit-width trial blocks nothing: a user's job cancels it and goes first (startJob), and it
    // has no Cancel of its own (the next edit supersedes it).
    const bool blocking = busy && job_ != Job::Trial;
    for (QAction* a : {openModelAct_, openDataAct_, runExperimentAct_})
        a->setEnabled(!blocking);
    evaluateButton_->setEnabled(!blocking);
    cancelButton_->setEnabled(blocking);
    if (cancelAct_)
        cancelAct_->setEnabled(blocking);
    synthPanel_->setBusy(blocking);
    runsPanel_->setBusy(blocking);
    bitPanel_->quantizeBox()->setBusy(blocking);
}

void MainWindow::log(const QString& line) {
    log_->appendPlainText(QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}

} // namespace dfq::ui
