// MainWindow's widgets, menus and docks (buildUi): what the window is made of and where it sits.
// The behaviour (jobs, workers, results) is in MainWindow.cpp.
#include "MainWindow.h"

#include "AboutDialog.h"
#include "AppSettings.h"
#include "BitWidthPanel.h"
#include "ModelWorker.h"
#include "PlotExport.h"
#include "PlotTheme.h"
#include "RecentFileList.h"
#include "RunsPanel.h"
#include "SynthesisPanel.h"
#include "QCustomPlotInclude.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include <tuple>

namespace dfq::ui {

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
    recentModelsMenu_ = fileMenu->addMenu(tr("Recent &models"));
    recentModelsMenu_->setObjectName(QStringLiteral("recentModelsMenu"));
    recentDatasetsMenu_ = fileMenu->addMenu(tr("Recent data&sets"));
    recentDatasetsMenu_->setObjectName(QStringLiteral("recentDatasetsMenu"));
    QAction* openRunAct = fileMenu->addAction(tr("Open &run…"));
    openRunAct->setObjectName(QStringLiteral("openRunAction"));
    openRunAct->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    connect(openRunAct, &QAction::triggered, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open run directory"), settings_->lastDirectory());
        if (!dir.isEmpty())
            openRun(dir);
    });
    recentRunsMenu_ = fileMenu->addMenu(tr("Recent r&uns"));
    recentRunsMenu_->setObjectName(QStringLiteral("recentRunsMenu"));
    // Filled (and pruned of vanished files) whenever the File menu opens.
    auto fillRecent = [this] {
        recentModels_->fillMenu(recentModelsMenu_, [this](const QString& p) { openModel(p); });
        recentDatasets_->fillMenu(recentDatasetsMenu_, [this](const QString& p) { openDataset(p); });
        recentRuns_->fillMenu(recentRunsMenu_, [this](const QString& p) { openRun(p); });
    };
    connect(fileMenu, &QMenu::aboutToShow, this, fillRecent);
    fillRecent();
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
    auto* editMenu = menuBar()->addMenu(tr("&Edit"));   // filled once the bit-width panel exists
    auto* viewMenu = menuBar()->addMenu(tr("&View"));
    QMenu* themeMenu = viewMenu->addMenu(tr("&Theme"));
    auto* themes = new QActionGroup(this);
    themes->setObjectName(QStringLiteral("themeGroup"));
    for (auto [theme, text, name] : {std::tuple{Theme::System, tr("&System"), "themeSystemAction"},
                                     std::tuple{Theme::Light, tr("&Light"), "themeLightAction"},
                                     std::tuple{Theme::Dark, tr("&Dark"), "themeDarkAction"}}) {
        QAction* a = themeMenu->addAction(text);
        a->setObjectName(QLatin1String(name));
        a->setCheckable(true);
        a->setData(int(theme));
        a->setChecked(theme == settings_->theme());
        themes->addAction(a);
        connect(a, &QAction::triggered, this, [this, t = theme] { setTheme(t); });
    }
    // Switched at once (LiveTranslator re-translates the window's texts) and kept for the next start.
    QMenu* languageMenu = viewMenu->addMenu(tr("&Language"));
    auto* languages = new QActionGroup(this);
    languages->setObjectName(QStringLiteral("languageGroup"));
    for (auto [code, text] : {std::pair{QString(), tr("System")}, std::pair{QStringLiteral("en"), QStringLiteral("English")},
                              std::pair{QStringLiteral("zh_CN"), QStringLiteral("中文（简体）")}}) {
        QAction* a = languageMenu->addAction(text);
        a->setCheckable(true);
        a->setChecked(code == settings_->language());
        a->setData(code);
        languages->addAction(a);
        connect(a, &QAction::triggered, this, [this, code = code] { setLanguage(code); });
    }
    auto* helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction* aboutAct = helpMenu->addAction(tr("&About DFQ Studio"));
    aboutAct->setObjectName(QStringLiteral("aboutAction"));
    connect(aboutAct, &QAction::triggered, this, [this] { AboutDialog(this).exec(); });

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
    perClassPlot_->setMinimumHeight(180);
    perClassPlot_->yAxis->setLabel(tr("top-1 per class (%)"));
    perClassPlot_->yAxis->setRange(0, 100);
    addExportMenu(perClassPlot_, this, QStringLiteral("per-class-accuracy"));
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
    bitPanel_ = new BitWidthPanel;
    bitPanel_->setObjectName(QStringLiteral("bitWidthPanel"));
    tabs->addTab(bitPanel_, tr("&Bit-widths"));
    runsPanel_ = new RunsPanel;
    runsPanel_->setObjectName(QStringLiteral("runsPanel"));
    tabs->addTab(runsPanel_, tr("R&uns"));
    runsPanel_->setSmoothing(settings_->smoothingKind(), settings_->smoothingEmaWeight(), settings_->smoothingWindow());
    connect(runsPanel_, &RunsPanel::smoothingChanged, this, [this](SmoothingKind k, double w, int n) {
        settings_->setSmoothingKind(k);
        settings_->setSmoothingEmaWeight(w);
        settings_->setSmoothingWindow(n);
    });
    connect(runsPanel_, &RunsPanel::runOpened, this, [this](const QString& dir) {
        recentRuns_->add(dir);
        log(tr("Run opened: %1").arg(dir));
    });
    connect(runsPanel_, &RunsPanel::openFailed, this, [this](const QString& dir, const QString& message) {
        recentRuns_->remove(dir);
        log(tr("Could not open run %1: %2").arg(dir, message));
        // Non-blocking: the window keeps working (and tests keep running) while it is shown.
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open run"),
                                    tr("%1\n\nOpen a run directory written by `dfq run`, `dfq sweep` or File > Run experiment…").arg(message),
                                    QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("openRunError"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    connect(runsPanel_, &RunsPanel::resumeRequested, this, &MainWindow::resumeRun);
    bitPanel_->setCalibration(tr("none yet: synthesize a set"));
    // Undo/redo of spec edits; the texts name the edit ("Undo layer1.0.conv1 weight: 4 → 2 bits").
    QAction* undoAct = bitPanel_->undoStack()->createUndoAction(this, tr("&Undo"));
    undoAct->setObjectName(QStringLiteral("undoAction"));
    undoAct->setShortcut(QKeySequence::Undo);
    QAction* redoAct = bitPanel_->undoStack()->createRedoAction(this, tr("&Redo"));
    redoAct->setObjectName(QStringLiteral("redoAction"));
    redoAct->setShortcut(QKeySequence::Redo);
    editMenu->addAction(undoAct);
    editMenu->addAction(redoAct);

    // Centre: the tabs, and the progress and Cancel that serve whichever job runs.
    auto* centre = new QWidget;
    auto* centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(4, 4, 4, 4);
    centreLayout->addWidget(tabs, 1);
    auto* jobRow = new QHBoxLayout;
    jobRow->addWidget(progress_, 1);
    jobRow->addWidget(cancelButton_);
    centreLayout->addLayout(jobRow);
    setCentralWidget(centre);

    // Docks (moved, floated, closed and restored with the window's saved state): Model & Data on
    // the left, the log at the bottom.
    auto* modelData = new QWidget;
    auto* modelDataLayout = new QVBoxLayout(modelData);
    modelDataLayout->setContentsMargins(4, 4, 4, 4);
    modelDataLayout->addWidget(dataBox);
    modelDataLayout->addWidget(modelBox, 1);
    auto* modelDock = new QDockWidget(tr("Model and data"), this);
    modelDock->setObjectName(QStringLiteral("modelDock"));
    modelDock->setWidget(modelData);
    addDockWidget(Qt::LeftDockWidgetArea, modelDock);
    resizeDocks({modelDock}, {380}, Qt::Horizontal);

    log_ = new QPlainTextEdit;
    log_->setObjectName(QStringLiteral("log"));
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(5000);
    auto* dock = new QDockWidget(tr("Log"), this);
    dock->setObjectName(QStringLiteral("logDock"));
    dock->setWidget(log_);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    resizeDocks({dock}, {160}, Qt::Vertical);
    viewMenu->addSeparator();
    viewMenu->addAction(modelDock->toggleViewAction());
    viewMenu->addAction(dock->toggleViewAction());
    QAction* resetLayout = viewMenu->addAction(tr("&Reset layout"));
    resetLayout->setObjectName(QStringLiteral("resetLayoutAction"));
    connect(resetLayout, &QAction::triggered, this, [this, modelDock, dock] {
        for (QDockWidget* d : {modelDock, dock}) {
            d->setFloating(false);
            d->show();
        }
        addDockWidget(Qt::LeftDockWidgetArea, modelDock);
        addDockWidget(Qt::BottomDockWidgetArea, dock);
        resizeDocks({modelDock}, {380}, Qt::Horizontal);
        resizeDocks({dock}, {160}, Qt::Vertical);
    });

    // Run: the frequent actions, with shortcuts.
    auto* runMenu = new QMenu(tr("&Run"), this);
    menuBar()->insertMenu(helpMenu->menuAction(), runMenu);
    QAction* evaluateAct = runMenu->addAction(tr("&Evaluate FP32"));
    evaluateAct->setObjectName(QStringLiteral("evaluateAction"));
    evaluateAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(evaluateAct, &QAction::triggered, this, &MainWindow::evaluate);
    QAction* synthAct = runMenu->addAction(tr("&Synthesize"));
    synthAct->setObjectName(QStringLiteral("synthesizeAction"));
    synthAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(synthAct, &QAction::triggered, this, [this] { synthesize(synthPanel_->settings()); });
    // Esc only while a job runs (disabled otherwise, so it never takes Esc from an editor for nothing).
    QAction* cancelAct = cancelAct_ = runMenu->addAction(tr("&Cancel"));
    cancelAct->setEnabled(false);
    cancelAct->setObjectName(QStringLiteral("cancelAction"));
    cancelAct->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(cancelAct, &QAction::triggered, this, &MainWindow::cancel);
    for (int i = 0; i < tabs->count(); ++i) {   // Alt+1..5 switch tabs
        auto* a = new QAction(this);
        a->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        connect(a, &QAction::triggered, tabs, [tabs, i] { tabs->setCurrentIndex(i); });
        addAction(a);
    }
}

} // namespace dfq::ui
