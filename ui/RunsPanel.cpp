#include "RunsPanel.h"

#include "CentroidMapView.h"
#include "ModeCollapseView.h"
#include "PlotExport.h"
#include "QCustomPlotInclude.h"
#include "RunLoader.h"
#include "SeriesSmoothing.h"
#include "SnapshotViewer.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMap>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>

namespace dfq::ui {

namespace {
enum Column { RunColumn, StatusColumn, MethodColumn, PtqColumn, BitsColumn, ProtocolColumn, Fp32Column, QuantColumn, TimeColumn };

QString percent(double v) { return std::isfinite(v) ? QString::number(v, 'f', 2) : QStringLiteral("–"); }

/// A distinct colour per run.
QColor runColour(int i) { return QColor::fromHsv((i * 67 + 200) % 360, 170, 200); }

QString keyOf(const RunView::Series& s) { return s.stage + QStringLiteral(": ") + s.name; }
} // namespace

RunsPanel::RunsPanel(QWidget* parent) : QWidget(parent) {
    loader_ = new RunLoader(this);
    connect(loader_, &RunLoader::loaded, this, [this](const RunView& r) {
        showRun(r);
        Q_EMIT runOpened(r.dir);
    });
    connect(loader_, &RunLoader::failed, this, [this](const QString& dir, const QString& message) {
        status_->setText(tr("Could not open %1: %2").arg(QDir::toNativeSeparators(dir), message));
        Q_EMIT openFailed(dir, message);
    });

    open_ = new QPushButton(tr("Open run…"));
    open_->setObjectName(QStringLiteral("openRunButton"));
    connect(open_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open run directory"));
        if (!dir.isEmpty())
            openRun(dir);
    });
    resume_ = new QPushButton(tr("Resume"));
    resume_->setObjectName(QStringLiteral("resumeRunButton"));
    resume_->setToolTip(tr("Continue an interrupted run from its last completed stage or epoch"));
    connect(resume_, &QPushButton::clicked, this, [this] {
        const int row = currentRow();
        if (row >= 0)
            Q_EMIT resumeRequested(runs_[row].dir);
    });
    report_ = new QPushButton(tr("Open report"));
    report_->setObjectName(QStringLiteral("openReportButton"));
    connect(report_, &QPushButton::clicked, this, [this] {
        const int row = currentRow();
        if (row >= 0)
            QDesktopServices::openUrl(QUrl::fromLocalFile(QDir(runs_[row].dir).filePath(QStringLiteral("report.html"))));
    });

    assess_ = new QPushButton(tr("Assess set"));
    assess_->setObjectName(QStringLiteral("assessRunButton"));
    assess_->setToolTip(tr("Measure the run's synthetic set: class centroid map and mode collapse"));
    connect(assess_, &QPushButton::clicked, this, [this] {
        const int row = currentRow();
        if (row >= 0)
            Q_EMIT assessRequested(runs_[row].dir);
    });

    onnx_ = new QPushButton(tr("Check in ONNX Runtime"));
    onnx_->setObjectName(QStringLiteral("onnxCheckButton"));
    onnx_->setToolTip(tr("Run the exported integer model (export/model.onnx) in ONNX Runtime on the open test set "
                         "and compare it with the simulated accuracy"));
    connect(onnx_, &QPushButton::clicked, this, [this] {
        const int row = currentRow();
        if (row >= 0)
            Q_EMIT onnxCheckRequested(runs_[row].dir);
    });

    table_ = new QTreeWidget;
    table_->setObjectName(QStringLiteral("runsTable"));
    table_->setRootIsDecorated(false);
    table_->setHeaderLabels({tr("Run"), tr("Status"), tr("Method"), tr("PTQ"), tr("W/A"), tr("Protocol"), tr("FP32 %"),
                             tr("Quantized %"), tr("Time (s)")});
    table_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->setToolTip(tr("Checked runs are overlaid in the curves; the selected run's snapshots are shown below."));
    connect(table_, &QTreeWidget::itemChanged, this, [this] {
        redrawCurves();
        redrawBits();
    });
    connect(table_, &QTreeWidget::currentItemChanged, this, [this] {
        showSnapshots(currentRow());
        showQuality(currentRow());
        updateButtons();
    });

    series_ = new QComboBox;
    series_->setObjectName(QStringLiteral("seriesCombo"));
    series_->setMinimumContentsLength(24);
    connect(series_, &QComboBox::currentTextChanged, this, [this] { redrawCurves(); });
    smoothing_ = new QComboBox;
    smoothing_->setObjectName(QStringLiteral("smoothingCombo"));
    smoothing_->addItem(tr("No smoothing"), int(SmoothingKind::None));
    smoothing_->addItem(tr("Debiased EMA"), int(SmoothingKind::DebiasedEma));
    smoothing_->addItem(tr("Moving average"), int(SmoothingKind::MovingAverage));
    smoothingParam_ = new QDoubleSpinBox;
    smoothingParam_->setObjectName(QStringLiteral("smoothingParamSpin"));
    auto smoothingEdited = [this] {
        const auto kind = SmoothingKind(smoothing_->currentData().toInt());
        smoothingParam_->setEnabled(kind != SmoothingKind::None);
        if (kind == SmoothingKind::MovingAverage) {
            smoothingParam_->setDecimals(0);
            smoothingParam_->setRange(1, 1000);
            smoothingParam_->setToolTip(tr("Window (points)"));
        } else {
            smoothingParam_->setDecimals(3);
            smoothingParam_->setRange(0, 0.999);
            smoothingParam_->setSingleStep(0.05);
            smoothingParam_->setToolTip(tr("EMA weight: 0 = raw, 0.99 = very smooth"));
        }
        redrawCurves();
    };
    connect(smoothing_, &QComboBox::currentIndexChanged, this, smoothingEdited);
    connect(smoothingParam_, &QDoubleSpinBox::valueChanged, this, [this] {
        redrawCurves();
        const auto kind = SmoothingKind(smoothing_->currentData().toInt());
        Q_EMIT smoothingChanged(kind, kind == SmoothingKind::DebiasedEma ? smoothingParam_->value() : 0.9,
                                kind == SmoothingKind::MovingAverage ? int(smoothingParam_->value()) : 10);
    });
    setSmoothing(SmoothingKind::DebiasedEma, 0.9, 10);

    curves_ = new QCustomPlot;
    curves_->setObjectName(QStringLiteral("runCurvesPlot"));
    curves_->setMinimumHeight(150);
    curves_->legend->setVisible(true);
    curves_->legend->setFont(QFont(font().family(), 8));
    curves_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    addExportMenu(curves_, this, QStringLiteral("run-curves"));

    bits_ = new QCustomPlot;
    bits_->setObjectName(QStringLiteral("accuracyBitsPlot"));
    bits_->setMinimumHeight(150);
    bits_->xAxis->setLabel(tr("weight bits"));
    bits_->yAxis->setLabel(tr("quantized top-1 (%)"));
    bits_->legend->setVisible(true);
    bits_->legend->setFont(QFont(font().family(), 8));
    bits_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    addExportMenu(bits_, this, QStringLiteral("accuracy-vs-bits"));

    snapshots_ = new QListWidget;
    snapshots_->setObjectName(QStringLiteral("runSnapshots"));
    snapshots_->setViewMode(QListView::IconMode);
    snapshots_->setIconSize(QSize(256, 128));   // snapshots are strips of a batch's images
    snapshots_->setFlow(QListView::LeftToRight);
    snapshots_->setWrapping(false);
    snapshots_->setMinimumHeight(100);
    snapshots_->setMovement(QListView::Static);

    viewer_ = new SnapshotViewer;
    viewer_->setObjectName(QStringLiteral("runSnapshotViewer"));
    connect(snapshots_, &QListWidget::currentRowChanged, viewer_, &SnapshotViewer::showIndex);

    status_ = new QLabel(tr("Open a run directory (File > Open run…) to see its curves, snapshots and results."));
    status_->setObjectName(QStringLiteral("runsStatusLabel"));
    status_->setWordWrap(true);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(open_);
    buttons->addWidget(resume_);
    buttons->addWidget(report_);
    buttons->addWidget(assess_);
    buttons->addWidget(onnx_);
    buttons->addStretch(1);
    auto* curveControls = new QHBoxLayout;
    curveControls->addWidget(new QLabel(tr("Metric")));
    curveControls->addWidget(series_, 1);
    curveControls->addWidget(smoothing_);
    curveControls->addWidget(smoothingParam_);
    auto* curveBox = new QWidget;
    auto* curveLayout = new QVBoxLayout(curveBox);
    curveLayout->setContentsMargins(0, 0, 0, 0);
    curveLayout->addLayout(curveControls);
    curveLayout->addWidget(curves_, 1);
    auto* plots = new QSplitter;
    plots->addWidget(curveBox);
    plots->addWidget(bits_);
    plots->setStretchFactor(0, 3);
    plots->setStretchFactor(1, 2);
    plots->setSizes({600, 400});
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(table_);
    split->addWidget(plots);
    auto* snaps = new QSplitter;
    snaps->addWidget(snapshots_);
    snaps->addWidget(viewer_);
    snaps->setSizes({500, 500});
    centroids_ = new CentroidMapView;
    centroids_->setObjectName(QStringLiteral("runCentroidMap"));
    collapse_ = new ModeCollapseView;
    collapse_->setObjectName(QStringLiteral("runModeCollapse"));
    // Small explicit minimums: the tab widget would otherwise raise the window's minimum height.
    centroids_->setMinimumHeight(60);
    collapse_->setMinimumHeight(60);
    snaps->setMinimumHeight(60);
    views_ = new QTabWidget;
    views_->setObjectName(QStringLiteral("runViewsTabs"));
    views_->addTab(snaps, tr("Snapshots"));
    views_->addTab(centroids_, tr("Centroids"));
    views_->addTab(collapse_, tr("Mode collapse"));
    split->addWidget(views_);
    split->setStretchFactor(1, 3);
    split->setSizes({110, 250, 270});
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(split, 1);
    layout->addWidget(status_);
    updateButtons();
}

void RunsPanel::openRun(const QString& dir) {
    status_->setText(tr("Reading %1 …").arg(QDir::toNativeSeparators(dir)));
    loader_->load(dir);
}

void RunsPanel::setSmoothing(SmoothingKind kind, double emaWeight, int window) {
    smoothing_->setCurrentIndex(smoothing_->findData(int(kind)));
    // The parameter's range follows the kind (set by the index change), then its value.
    smoothingParam_->setValue(kind == SmoothingKind::MovingAverage ? window : emaWeight);
    redrawCurves();
}

void RunsPanel::setBusy(bool busy) {
    busy_ = busy;
    updateButtons();
}

int RunsPanel::currentRow() const {
    const auto* item = table_->currentItem();
    return item ? table_->indexOfTopLevelItem(const_cast<QTreeWidgetItem*>(item)) : -1;
}

void RunsPanel::updateButtons() {
    const int row = currentRow();
    resume_->setEnabled(row >= 0 && runs_[row].resumable && !busy_);
    report_->setEnabled(row >= 0 && runs_[row].hasReport);
    onnx_->setEnabled(row >= 0 && !busy_ && runs_[row].hasOnnx);
    assess_->setEnabled(row >= 0 && !busy_ && runs_[row].hasSyntheticSet);
}

void RunsPanel::showOnnxCheck(const QString& dir, const QString& text) {
    const int row = currentRow();
    if (row >= 0 && runs_[row].dir == dir)
        status_->setText(text);
}

QString RunsPanel::statusText() const { return status_->text(); }

void RunsPanel::showSetQuality(const QString& dir, const SetQuality& quality, const QStringList& classNames,
                               const QString& what) {
    assessed_[dir] = {quality, classNames, what};
    const int row = currentRow();
    if (row >= 0 && runs_[row].dir == dir) {
        showQuality(row);
        views_->setCurrentWidget(centroids_);
    }
}

void RunsPanel::showQuality(int row) {
    const auto it = row >= 0 && row < runs_.size() ? assessed_.constFind(runs_[row].dir) : assessed_.constEnd();
    if (it == assessed_.constEnd()) {
        centroids_->clear();
        collapse_->clear();
        return;
    }
    centroids_->setClassNames(it->classNames);
    centroids_->setMaps(it->quality.maps);
    centroids_->setTrajectories({});
    collapse_->setClassNames(it->classNames);
    collapse_->setQuality(it->quality, it->what);
}

void RunsPanel::showRun(const RunView& run) {
    int row = -1;
    for (int i = 0; i < runs_.size(); ++i)
        if (runs_[i].dir == run.dir)
            row = i;
    QTreeWidgetItem* item = nullptr;
    const QSignalBlocker block(table_);
    if (row >= 0) {
        runs_[row] = run;
        item = table_->topLevelItem(row);
    } else {
        runs_.push_back(run);
        row = int(runs_.size()) - 1;
        item = new QTreeWidgetItem(table_);
        item->setCheckState(RunColumn, Qt::Checked);
    }
    item->setText(RunColumn, run.name);
    item->setToolTip(RunColumn, run.dir);
    item->setText(StatusColumn, run.status + (run.metricsTruncated ? tr(" (last line cut off)") : QString()));
    item->setToolTip(StatusColumn, run.message);
    item->setText(MethodColumn, run.method);
    item->setText(PtqColumn, run.ptq);
    item->setText(BitsColumn, QStringLiteral("W%1A%2").arg(run.wbits).arg(run.abits));
    item->setText(ProtocolColumn, run.protocol + (run.placement.isEmpty() ? QString() : QStringLiteral(", ") + run.placement));
    item->setText(Fp32Column, percent(run.fp32Top1));
    item->setText(QuantColumn, percent(run.quantTop1));
    item->setText(TimeColumn, QString::number(run.seconds, 'f', 1));
    for (int c : {Fp32Column, QuantColumn, TimeColumn})
        item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);

    // The metric chooser offers every series of every run; it keeps the chosen one.
    const QString chosen = series_->currentText();
    {
        const QSignalBlocker b(series_);
        series_->clear();
        series_->addItems(seriesKeys());
        const int keep = series_->findText(chosen);
        series_->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    table_->setCurrentItem(item);
    showSnapshots(row);
    updateButtons();
    redrawCurves();
    redrawBits();
    status_->setText(run.resumable ? tr("%1 is %2: Resume continues it.").arg(run.name, run.status)
                                   : tr("%1: %2 (%3).").arg(run.name, run.status, run.protocol));
}

QStringList RunsPanel::seriesKeys() const {
    QStringList keys;
    for (const auto& r : runs_)
        for (const auto& s : r.series)
            if (!keys.contains(keyOf(s)))
                keys << keyOf(s);
    return keys;
}

void RunsPanel::selectSeries(const QString& key) { series_->setCurrentIndex(series_->findText(key)); }

QString RunsPanel::selectedSeries() const { return series_->currentText(); }

void RunsPanel::redrawCurves() {
    if (!curves_)
        return;   // during construction
    curves_->clearGraphs();
    const QString key = series_->currentText();
    const auto kind = SmoothingKind(smoothing_->currentData().toInt());
    QString xLabel;
    for (int i = 0; i < runs_.size(); ++i) {
        if (table_->topLevelItem(i)->checkState(RunColumn) != Qt::Checked)
            continue;
        for (const auto& s : runs_[i].series) {
            if (keyOf(s) != key)
                continue;
            xLabel = s.xKey;
            const QColor colour = runColour(i);
            // Raw: thin and light, always drawn; smoothed: on top, solid.
            QColor light = colour;
            light.setAlpha(kind == SmoothingKind::None ? 255 : 130);
            QCPGraph* raw = curves_->addGraph();
            raw->setName(s.name + (kind == SmoothingKind::None ? QString() : tr(" raw")) + QStringLiteral(" — ") + runs_[i].name);
            raw->setPen(QPen(light, kind == SmoothingKind::None ? 1.5 : 1.0));
            raw->setData(s.x, s.y, true);
            if (kind != SmoothingKind::None) {
                const QVector<double> y = kind == SmoothingKind::DebiasedEma ? debiasedEma(s.y, smoothingParam_->value())
                                                                             : movingAverage(s.y, int(smoothingParam_->value()));
                QCPGraph* smooth = curves_->addGraph();
                smooth->setName(s.name + QStringLiteral(" — ") + runs_[i].name);
                smooth->setPen(QPen(colour, 2.0));
                smooth->setData(s.x, y, true);
            }
        }
    }
    curves_->xAxis->setLabel(xLabel);
    curves_->yAxis->setLabel(key.section(QStringLiteral(": "), 1));
    curves_->rescaleAxes();
    curves_->replot();
}

void RunsPanel::redrawBits() {
    if (!bits_)
        return;
    bits_->clearGraphs();
    // method -> (wbits -> top-1); several runs at the same bits: the last opened one.
    QMap<QString, QMap<int, double>> byMethod;
    double fp32 = std::nan("");
    for (int i = 0; i < runs_.size(); ++i) {
        const auto& r = runs_[i];
        if (table_->topLevelItem(i)->checkState(RunColumn) != Qt::Checked || !std::isfinite(r.quantTop1))
            continue;
        byMethod[r.method + QStringLiteral(" ") + r.ptq][r.wbits] = r.quantTop1;
        if (std::isfinite(r.fp32Top1))
            fp32 = r.fp32Top1;
    }
    int k = 0;
    double lo = 100, hi = 0, minBits = 8, maxBits = 2;
    for (auto it = byMethod.cbegin(); it != byMethod.cend(); ++it, ++k) {
        QCPGraph* g = bits_->addGraph();
        g->setName(it.key());
        g->setPen(QPen(runColour(k), 1.5));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, runColour(k), runColour(k), 7));
        for (auto p = it.value().cbegin(); p != it.value().cend(); ++p) {
            g->addData(p.key(), p.value());
            lo = std::min(lo, p.value());
            hi = std::max(hi, p.value());
            minBits = std::min(minBits, double(p.key()));
            maxBits = std::max(maxBits, double(p.key()));
        }
    }
    if (std::isfinite(fp32)) {
        QCPGraph* ref = bits_->addGraph();
        ref->setName(tr("FP32"));
        ref->setPen(QPen(Qt::gray, 1, Qt::DashLine));
        ref->setData({std::min(minBits, 2.0), std::max(maxBits, 8.0)}, {fp32, fp32});
        hi = std::max(hi, fp32);
    }
    bits_->xAxis->setRange(std::min(minBits, 2.0) - 0.5, std::max(maxBits, 8.0) + 0.5);
    bits_->yAxis->setRange(std::max(0.0, lo - 5), std::min(100.0, hi + 3));
    bits_->replot();
}

void RunsPanel::showSnapshots(int row) {
    const QSignalBlocker block(snapshots_);
    snapshots_->clear();
    if (row < 0 || row >= runs_.size()) {
        viewer_->setSnapshots({}, {});
        return;
    }
    const auto& r = runs_[row];
    viewer_->setRunName(r.name);
    viewer_->setSnapshots(r.snapshotFiles, r.snapshots);
    for (int i = 0; i < r.snapshots.size(); ++i) {
        auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(r.snapshots[i])), QFileInfo(r.snapshotFiles.value(i)).baseName());
        item->setToolTip(r.snapshotFiles.value(i));
        snapshots_->addItem(item);
    }
}

} // namespace dfq::ui
