#include "MainWindow.h"

#include "ExperimentWorker.h"
#include "JobController.h"
#include "ModelWorker.h"
#include "SynthesisFeed.h"
#include "SynthesisPanel.h"
#include "runtime/BlasCheck.h"
#include "runtime/Resources.h"
#include "runtime/Threads.h"

#include "QCustomPlotInclude.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
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
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>
#include <utility>

// The resources live in the static dfq_ui library: register them explicitly, or the linker drops them.
static void initUiResources() { Q_INIT_RESOURCE(resources); }

namespace dfq::ui {

MainWindow::MainWindow(const QString& modelPath, const QString& dataPath, QWidget* parent) : QMainWindow(parent) {
    initUiResources();
    setWindowTitle(tr("DFQ Studio"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/dfq-studio.svg")));
    buildUi();
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
    connect(worker_, &ModelWorker::cancelled, this, [this] {
        log(tr("Cancelled: %1.").arg(describe(job_)));
        if (job_ == Job::Evaluate) {
            resultLabel_->setText(tr("Cancelled"));
            Q_EMIT evaluationFinished();
        } else if (job_ == Job::Synthesize) {
            synthPanel_->showEnded(tr("Synthesis cancelled."));
            Q_EMIT synthesisFinished();
        }
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
        log(tr("Synthesised %1 images with %2 in %3 s: mean BN KL %4, feature diversity %5.")
                .arg(s.images).arg(s.method).arg(s.seconds, 0, 'f', 1).arg(s.meanKl, 0, 'g', 3)
                .arg(s.featureDiversity, 0, 'f', 3));
        Q_EMIT synthesisFinished();
    });
    connect(worker_, &ModelWorker::syntheticSetSaved, this, [this](const QString& dir) {
        log(tr("Synthetic set saved to %1 (use it with `dfq quantize --calib synth:%1`).").arg(dir));
        Q_EMIT syntheticSetSaved(dir);
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
    connect(experiment_, &ExperimentWorker::progress, this, [this](qint64 done, qint64 total, double eta) {
        progress_->setMaximum(int(total));
        progress_->setValue(int(done));
        progress_->setFormat(tr("%p% · ETA %1 s").arg(qRound(eta)));
    });
    connect(experiment_, &ExperimentWorker::finished, this, [this](const QString& dir, const QString& summary) {
        progress_->setFormat(QStringLiteral("%p%"));
        resultLabel_->setText(summary);
        log(tr("Experiment finished: %1\nReport: %2/report.html").arg(summary, dir));
        Q_EMIT experimentFinished(dir);
    });
    connect(experiment_, &ExperimentWorker::cancelled, this, [this](const QString& dir) {
        progress_->setFormat(QStringLiteral("%p%"));
        log(tr("Experiment cancelled; `dfq resume %1` continues it.").arg(dir));
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

bool MainWindow::isBusy() const { return jobs_->isBusy(); }

QString MainWindow::describe(Job job) const {
    switch (job) {
    case Job::LoadModel: return tr("loading the model");
    case Job::LoadDataset: return tr("opening the dataset");
    case Job::Evaluate: return tr("evaluation");
    case Job::Synthesize: return tr("synthesis");
    case Job::SaveSet: return tr("saving the synthetic set");
    case Job::Experiment: return tr("experiment");
    }
    return {};
}

bool MainWindow::startJob(int worker, Job job) {
    if (!jobs_->start(worker, describe(job))) {
        log(tr("Busy (%1): wait for it to finish or cancel it.").arg(jobs_->activeJob()));
        return false;
    }
    job_ = job;
    return true;
}

void MainWindow::buildUi() {
    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* openModelAct = openModelAct_ = fileMenu->addAction(tr("Open &model…"));
    openModelAct->setObjectName(QStringLiteral("openModelAction"));
    openModelAct->setShortcut(QKeySequence::Open);
    connect(openModelAct, &QAction::triggered, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Open checkpoint"), {},
                                                       tr("Checkpoints (*.pt *.pth *.th *.tar *.bin);;All files (*)"));
        if (!p.isEmpty())
            openModel(p);
    });
    QAction* openDataAct = openDataAct_ = fileMenu->addAction(tr("Open &dataset folder…"));
    openDataAct->setObjectName(QStringLiteral("openDatasetAction"));
    connect(openDataAct, &QAction::triggered, this, [this] {
        const QString p = QFileDialog::getExistingDirectory(this, tr("Open dataset folder"));
        if (!p.isEmpty())
            openDataset(p);
    });
    QAction* runAct = runExperimentAct_ = fileMenu->addAction(tr("Run &experiment…"));
    runAct->setObjectName(QStringLiteral("runExperimentAction"));
    connect(runAct, &QAction::triggered, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Experiment config"), {}, tr("Experiment configs (*.json)"));
        if (!p.isEmpty())
            runExperiment(p);
    });
    fileMenu->addSeparator();
    QAction* quitAct = fileMenu->addAction(tr("&Quit"));
    quitAct->setShortcut(QKeySequence::Quit);
    connect(quitAct, &QAction::triggered, this, &QWidget::close);
    auto* helpMenu = menuBar()->addMenu(tr("&Help"));
    connect(helpMenu->addAction(tr("&About DFQ Studio")), &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About DFQ Studio"),
                           tr("<b>DFQ Studio %1</b><p>Data-free quantization of convolutional networks.</p>")
                               .arg(QStringLiteral(DFQ_VERSION)));
    });

    // Left: the model.
    auto* modelBox = new QGroupBox(tr("Model"));
    modelLabel_ = new QLabel(tr("No model loaded"));
    modelLabel_->setObjectName(QStringLiteral("modelLabel"));
    modelLabel_->setWordWrap(true);
    modelLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layerTree_ = new QTreeWidget;
    layerTree_->setObjectName(QStringLiteral("layerTree"));
    layerTree_->setHeaderLabels({tr("Layer"), tr("Kind"), tr("Shape"), tr("Parameters")});
    layerTree_->setRootIsDecorated(false);
    layerTree_->setAlternatingRowColors(true);
    layerTree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    auto* modelLayout = new QVBoxLayout(modelBox);
    modelLayout->addWidget(modelLabel_);
    modelLayout->addWidget(layerTree_, 1);

    // Right: data, evaluation, results.
    auto* dataBox = new QGroupBox(tr("Dataset"));
    datasetLabel_ = new QLabel(tr("No dataset loaded"));
    datasetLabel_->setObjectName(QStringLiteral("datasetLabel"));
    datasetLabel_->setWordWrap(true);
    (new QVBoxLayout(dataBox))->addWidget(datasetLabel_);

    auto* evalBox = new QGroupBox(tr("FP32 evaluation"));
    evaluateButton_ = new QPushButton(tr("Evaluate"));
    evaluateButton_->setObjectName(QStringLiteral("evaluateButton"));
    cancelButton_ = new QPushButton(tr("Cancel"));
    cancelButton_->setObjectName(QStringLiteral("cancelButton"));
    cancelButton_->setEnabled(false);
    progress_ = new QProgressBar;
    progress_->setObjectName(QStringLiteral("progressBar"));
    progress_->setValue(0);
    resultLabel_ = new QLabel(tr("Not evaluated yet"));
    resultLabel_->setObjectName(QStringLiteral("resultLabel"));
    QFont big = resultLabel_->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    resultLabel_->setFont(big);
    perClassPlot_ = new QCustomPlot;
    perClassPlot_->setObjectName(QStringLiteral("perClassPlot"));
    perClassPlot_->setMinimumHeight(260);
    perClassPlot_->yAxis->setLabel(tr("top-1 per class (%)"));
    perClassPlot_->yAxis->setRange(0, 100);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(evaluateButton_);
    buttons->addStretch(1);
    auto* evalLayout = new QVBoxLayout(evalBox);
    evalLayout->addLayout(buttons);
    evalLayout->addWidget(resultLabel_);
    evalLayout->addWidget(perClassPlot_, 1);
    connect(evaluateButton_, &QPushButton::clicked, this, &MainWindow::evaluate);
    connect(cancelButton_, &QPushButton::clicked, this, &MainWindow::cancel);

    synthPanel_ = new SynthesisPanel;
    synthPanel_->setMethods(ModelWorker::synthesisMethods(), QStringLiteral("zeroq"));
    auto* tabs = new QTabWidget;
    tabs->setObjectName(QStringLiteral("tabs"));
    tabs->addTab(evalBox, tr("&Evaluate"));
    tabs->addTab(synthPanel_, tr("&Synthesize"));

    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(dataBox);
    rightLayout->addWidget(tabs, 1);
    // Progress and Cancel serve whichever job runs (evaluation, synthesis, experiment).
    auto* jobRow = new QHBoxLayout;
    jobRow->addWidget(progress_, 1);
    jobRow->addWidget(cancelButton_);
    rightLayout->addLayout(jobRow);

    auto* split = new QSplitter;
    split->addWidget(modelBox);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({400, 1000});   // room for the layer names
    setCentralWidget(split);

    log_ = new QPlainTextEdit;
    log_->setObjectName(QStringLiteral("log"));
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(5000);
    auto* dock = new QDockWidget(tr("Log"), this);
    dock->setObjectName(QStringLiteral("logDock"));
    dock->setWidget(log_);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    resize(1200, 800);
}

void MainWindow::openModel(const QString& path) {
    if (!startJob(modelWorkerId_, Job::LoadModel))
        return;
    log(tr("Loading model %1 …").arg(path));
    QMetaObject::invokeMethod(worker_, [w = worker_, path] { w->loadModel(path, QString()); }, Qt::QueuedConnection);
}

void MainWindow::openDataset(const QString& path) {
    if (!startJob(modelWorkerId_, Job::LoadDataset))
        return;
    log(tr("Opening dataset %1 …").arg(path));
    QMetaObject::invokeMethod(worker_, [w = worker_, path] { w->loadDataset(path, QString()); }, Qt::QueuedConnection);
}

void MainWindow::evaluate() {
    if (!startJob(modelWorkerId_, Job::Evaluate))
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
    if (!startJob(modelWorkerId_, Job::Synthesize))
        return;
    progress_->setValue(0);
    synthPanel_->started(tr("Synthesising %1 images with %2 …").arg(settings.images).arg(settings.method));
    log(tr("Synthesising %1 images with %2 (seed %3) …").arg(settings.images).arg(settings.method).arg(settings.seed));
    QMetaObject::invokeMethod(worker_, [w = worker_, settings] { w->synthesize(settings); }, Qt::QueuedConnection);
}

void MainWindow::saveSyntheticSet(const QString& dir) {
    if (!startJob(modelWorkerId_, Job::SaveSet))
        return;
    log(tr("Saving the synthetic set to %1 …").arg(dir));
    QMetaObject::invokeMethod(worker_, [w = worker_, dir] { w->saveSyntheticSet(dir); }, Qt::QueuedConnection);
}

void MainWindow::cancel() { jobs_->cancel(); }

void MainWindow::runExperiment(const QString& configPath) {
    if (!startJob(experimentWorkerId_, Job::Experiment))
        return;
    log(tr("Experiment %1").arg(configPath));
    QMetaObject::invokeMethod(experiment_, "run", Qt::QueuedConnection, Q_ARG(QString, configPath));
}

void MainWindow::onModelLoaded(const ModelSummary& s) {
    model_ = s;
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
    layerTree_->clear();
    for (const auto& l : s.layers)
        layerTree_->addTopLevelItem(new QTreeWidgetItem({l.name, l.kind, l.shape, QLocale().toString(l.parameters)}));
    log(tr("Model %1 loaded: %2 parameters.").arg(s.arch).arg(s.parameters));
    // Idle now (the worker reports idle before the result): the waiting dataset starts before anyone
    // reacting to modelReady can start something else.
    if (!pendingDataset_.isEmpty())
        openDataset(std::exchange(pendingDataset_, QString()));
    Q_EMIT modelReady();
}

void MainWindow::onDatasetLoaded(const DatasetSummary& s) {
    dataset_ = s;
    QString text = s.description.toHtmlEscaped();
    for (const auto& n : s.notes)
        text += QStringLiteral("<br><i>%1</i>").arg(n.toHtmlEscaped());
    datasetLabel_->setText(text);
    log(tr("Dataset ready: %1").arg(s.description));
    for (const auto& n : s.notes)
        log(tr("Note: %1").arg(n));
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
    Q_EMIT evaluationFinished();
}

void MainWindow::onFailed(const QString& message) {
    log(tr("Error: %1").arg(message));
    statusBar()->showMessage(tr("Error: %1").arg(message), 10000);
    if (!pendingDataset_.isEmpty()) {   // it was waiting for the model that just failed to load
        log(tr("Dataset %1 not opened: no model is loaded.").arg(std::exchange(pendingDataset_, QString())));
    }
    if (job_ == Job::Evaluate) {
        resultLabel_->setText(tr("Error"));
        Q_EMIT evaluationFinished();
    } else if (job_ == Job::Synthesize) {
        synthPanel_->showEnded(tr("Error: %1").arg(message));
        Q_EMIT synthesisFinished();
    }
    Q_EMIT jobFailed(message);
}

void MainWindow::setBusy(bool busy) {
    // Everything that starts a job waits for the running one (the slots refuse it anyway).
    for (QAction* a : {openModelAct_, openDataAct_, runExperimentAct_})
        a->setEnabled(!busy);
    evaluateButton_->setEnabled(!busy);
    cancelButton_->setEnabled(busy);
    synthPanel_->setBusy(busy);
}

void MainWindow::log(const QString& line) {
    log_->appendPlainText(QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}

} // namespace dfq::ui
