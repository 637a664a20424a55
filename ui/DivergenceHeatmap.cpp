#include "DivergenceHeatmap.h"

#include "PlotExport.h"
#include "QCustomPlotInclude.h"

#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace dfq::ui {

namespace {
/// KL 0 (a layer matched exactly) cannot be shown on a log scale: it is drawn at this floor.
constexpr double kFloor = 1e-6;
} // namespace

DivergenceHeatmap::DivergenceHeatmap(QWidget* parent) : QWidget(parent) {
    plot_ = new QCustomPlot;
    plot_->setObjectName(QStringLiteral("divergenceHeatmapPlot"));
    plot_->setMinimumHeight(130);
    plot_->xAxis->setLabel(tr("step"));
    plot_->yAxis->setTickLabels(true);
    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    map_->setName(tr("log10 BN KL"));
    map_->setInterpolate(false);
    map_->setGradient(QCPColorGradient::gpThermal);
    auto* scale = new QCPColorScale(plot_);
    scale->setType(QCPAxis::atRight);
    scale->axis()->setLabel(tr("log10 KL"));
    plot_->plotLayout()->addElement(0, 1, scale);
    map_->setColorScale(scale);
    plot_->setMouseTracking(true);
    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) { showTooltip(e); });
    addExportMenu(plot_, this, QStringLiteral("bn-divergence-heatmap"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
}

void DivergenceHeatmap::clear() {
    layers_.clear();
    steps_.clear();
    columns_.clear();
    redraw();
}

void DivergenceHeatmap::addStep(qint64 step, const QVector<LayerDivergenceRow>& layers) {
    if (layers.isEmpty() || (!steps_.isEmpty() && step <= steps_.last()))
        return;
    if (layers_.isEmpty())
        for (const auto& l : layers)
            layers_ << l.layer;
    // Rows by layer name, in the first column's order; a layer missing from a column stays empty.
    QVector<LayerDivergenceRow> column(layers_.size());
    for (int i = 0; i < layers_.size(); ++i) {
        column[i].layer = layers_[i];
        column[i].kl = std::nan("");
    }
    for (const auto& l : layers) {
        const int row = int(layers_.indexOf(l.layer));
        if (row >= 0)
            column[row] = l;
    }
    steps_ << step;
    columns_ << column;
    redraw();
}

const LayerDivergenceRow* DivergenceHeatmap::cell(int layer, int column) const {
    if (column < 0 || column >= columns_.size() || layer < 0 || layer >= layers_.size())
        return nullptr;
    return &columns_[column][layer];
}

QString DivergenceHeatmap::cellText(int layer, int column) const {
    const auto* c = cell(layer, column);
    if (!c || std::isnan(c->kl))
        return {};
    return tr("%1 at step %2\nKL %3 · mean gap %4 · std gap %5")
        .arg(c->layer).arg(steps_[column]).arg(c->kl, 0, 'g', 4).arg(c->meanL2, 0, 'g', 4).arg(c->stdL2, 0, 'g', 4);
}

void DivergenceHeatmap::redraw() {
    const int nx = int(steps_.size()), ny = int(layers_.size());
    auto* data = map_->data();
    if (nx == 0 || ny == 0) {
        data->clear();
        plot_->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    // Cell centres at (column index, row index); the x axis is labelled with the steps.
    data->setSize(nx, ny);
    data->setRange(QCPRange(0, std::max(1, nx - 1)), QCPRange(0, std::max(1, ny - 1)));
    double lo = 1e300, hi = -1e300;
    for (int x = 0; x < nx; ++x)
        for (int y = 0; y < ny; ++y) {
            const double kl = columns_[x][y].kl;
            const double v = std::isnan(kl) ? std::nan("") : std::log10(std::max(kl, kFloor));
            data->setCell(x, y, v);
            if (!std::isnan(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
    map_->setDataRange(QCPRange(lo, hi > lo ? hi : lo + 1));
    QSharedPointer<QCPAxisTickerText> yt(new QCPAxisTickerText);
    for (int y = 0; y < ny; ++y)
        yt->addTick(y, layers_[y].right(12));
    plot_->yAxis->setTicker(yt);
    QSharedPointer<QCPAxisTickerText> xt(new QCPAxisTickerText);
    const int every = std::max(1, nx / 8);   // at most ~8 step labels
    for (int x = 0; x < nx; x += every)
        xt->addTick(x, QString::number(steps_[x]));
    plot_->xAxis->setTicker(xt);
    plot_->xAxis->setRange(-0.5, nx - 0.5);
    plot_->yAxis->setRange(-0.5, ny - 0.5);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void DivergenceHeatmap::showTooltip(QMouseEvent* event) {
    const QPointF pos = event->position();
    const int x = int(std::lround(plot_->xAxis->pixelToCoord(pos.x())));
    const int y = int(std::lround(plot_->yAxis->pixelToCoord(pos.y())));
    const QString text = plot_->axisRect()->rect().contains(pos.toPoint()) ? cellText(y, x) : QString();
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, plot_);
}

} // namespace dfq::ui
