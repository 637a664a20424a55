#include "CentroidMapView.h"

#include "ClassPalette.h"
#include "PlotExport.h"
#include "QCustomPlotInclude.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMap>
#include <QVBoxLayout>

namespace dfq::ui {

CentroidMapView::CentroidMapView(QWidget* parent) : QWidget(parent) {
    source_ = new QComboBox;
    source_->setObjectName(QStringLiteral("centroidSource"));
    source_->setToolTip(tr("Which representation the map is of: the teacher's penultimate features, or the "
                           "per-channel means of one BN layer's input"));
    images_ = new QCheckBox(tr("Images"));
    images_->setObjectName(QStringLiteral("centroidShowImages"));
    centroids_ = new QCheckBox(tr("Centroids"));
    centroids_->setObjectName(QStringLiteral("centroidShowCentroids"));
    trajectories_ = new QCheckBox(tr("ClusterQ trajectories"));
    trajectories_->setObjectName(QStringLiteral("centroidShowTrajectories"));
    trajectories_->setToolTip(tr("ClusterQ's EMA class centroids of every epoch so far (on the map of its deepest "
                                 "clustered layer); the square marks the latest"));
    for (QCheckBox* c : {images_, centroids_, trajectories_}) {
        c->setChecked(true);
        connect(c, &QCheckBox::toggled, this, &CentroidMapView::redraw);
    }
    trajectories_->setEnabled(false);
    plot_ = new QCustomPlot;
    plot_->setObjectName(QStringLiteral("centroidPlot"));
    plot_->setMinimumHeight(160);
    plot_->setToolTip(tr("Every image on the two principal axes of the class centroids; crosses are the "
                         "centroids. Tight clusters mean mode collapse; overlapping classes mean the teacher "
                         "cannot tell them apart."));
    plot_->legend->setVisible(true);
    plot_->legend->setFont(QFont(font().family(), 7));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    addExportMenu(plot_, this, QStringLiteral("centroids"));

    auto* controls = new QHBoxLayout;
    auto* label = new QLabel(tr("Ma&p of"));
    label->setBuddy(source_);
    controls->addWidget(label);
    controls->addWidget(source_, 1);
    auto* toggles = new QHBoxLayout;
    toggles->addWidget(images_);
    toggles->addWidget(centroids_);
    toggles->addWidget(trajectories_);
    toggles->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addLayout(toggles);
    layout->addWidget(plot_, 1);
    connect(source_, &QComboBox::currentIndexChanged, this, &CentroidMapView::redraw);
    clear();
}

void CentroidMapView::setClassNames(const QStringList& names) { classNames_ = names; }

void CentroidMapView::clear() {
    maps_.clear();
    trajectoryData_ = {};
    {
        const QSignalBlocker block(source_);
        source_->clear();
    }
    trajectories_->setEnabled(false);
    redraw();
}

void CentroidMapView::setMaps(const QVector<CentroidMapData>& maps) {
    const QString previous = source();
    maps_ = maps;
    {
        const QSignalBlocker block(source_);
        source_->clear();
        for (const auto& m : maps)
            source_->addItem(m.source.isEmpty() ? tr("penultimate features") : tr("BN %1").arg(m.source), m.source);
        const int keep = source_->findData(previous);
        source_->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    redraw();
}

void CentroidMapView::setTrajectories(const CentroidTrajectories& t) {
    trajectoryData_ = t;
    trajectories_->setEnabled(!t.layer.isEmpty());
    redraw();
}

QString CentroidMapView::source() const { return source_->currentIndex() >= 0 ? source_->currentData().toString() : QString(); }

bool CentroidMapView::selectSource(const QString& source) {
    const int i = source_->findData(source);
    if (i < 0)
        return false;
    source_->setCurrentIndex(i);
    return true;
}

int CentroidMapView::imagePointCount() const { return drawnImages_; }
int CentroidMapView::centroidPointCount() const { return drawnCentroids_; }
int CentroidMapView::trajectoryCount() const { return drawnTrajectories_; }

void CentroidMapView::redraw() {
    plot_->clearPlottables();
    drawnImages_ = drawnCentroids_ = drawnTrajectories_ = 0;
    const int index = source_->currentIndex();
    if (index < 0 || index >= maps_.size()) {
        plot_->xAxis->setLabel(tr("PC 1"));
        plot_->yAxis->setLabel(tr("PC 2"));
        plot_->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const CentroidMapData& m = maps_[index];
    const auto name = [&](int c) { return c < classNames_.size() ? classNames_[c] : QString::number(c); };
    // One graph per class: the legend names it once, and the export writes one series per class.
    QMap<int, QCPGraph*> perClass;
    if (images_->isChecked()) {
        for (int i = 0; i < m.imagePoints.size(); ++i) {
            const int c = m.imageLabels.value(i);
            QCPGraph*& g = perClass[c];
            if (!g) {
                g = plot_->addGraph();
                g->setLineStyle(QCPGraph::lsNone);
                g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, classColour(c), classColour(c), 4));
                g->setName(name(c));
            }
            g->addData(m.imagePoints[i].x(), m.imagePoints[i].y());
            ++drawnImages_;
        }
    }
    if (centroids_->isChecked()) {
        for (int i = 0; i < m.centroidPoints.size(); ++i) {
            const int c = m.centroidClasses.value(i);
            auto* g = plot_->addGraph();
            g->setLineStyle(QCPGraph::lsNone);
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCrossSquare, QPen(Qt::black, 1.5), classColour(c), 11));
            g->addData(m.centroidPoints[i].x(), m.centroidPoints[i].y());
            g->setName(tr("%1 centroid").arg(name(c)));
            if (perClass.contains(c))
                g->removeFromLegend();
            ++drawnCentroids_;
        }
    }
    if (trajectories_->isChecked() && !trajectoryData_.layer.isEmpty() && m.source == trajectoryData_.layer) {
        for (int t = 0; t < trajectoryData_.points.size(); ++t) {
            const int c = trajectoryData_.classes.value(t);
            const auto& path = trajectoryData_.points[t];
            // A curve, not a graph: the path may turn back on itself along x.
            auto* curve = new QCPCurve(plot_->xAxis, plot_->yAxis);
            curve->setPen(QPen(classColour(c).darker(130), 1.5));
            curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 3));
            curve->setName(tr("%1 EMA centroid").arg(name(c)));
            curve->removeFromLegend();
            for (int k = 0; k < path.size(); ++k)
                curve->addData(k, path[k].x(), path[k].y());
            auto* last = plot_->addGraph();
            last->setLineStyle(QCPGraph::lsNone);
            last->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, QPen(Qt::black, 1), classColour(c), 8));
            last->addData(path.back().x(), path.back().y());
            last->setName(tr("%1 EMA centroid, epoch %2").arg(name(c)).arg(path.size()));
            last->removeFromLegend();
            ++drawnTrajectories_;
        }
    }
    plot_->rescaleAxes();
    plot_->xAxis->scaleRange(1.1);
    plot_->yAxis->scaleRange(1.1);
    plot_->xAxis->setLabel(tr("PC 1 (%1 % of the %2 variance)").arg(100 * m.explained[0], 0, 'f', 0)
                               .arg(m.ofCentroids ? tr("centroids'") : tr("images'")));
    plot_->yAxis->setLabel(tr("PC 2 (%1 %)").arg(100 * m.explained[1], 0, 'f', 0));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace dfq::ui
