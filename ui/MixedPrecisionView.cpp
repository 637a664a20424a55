#include "MixedPrecisionView.h"

#include "PlotExport.h"
#include "QCustomPlotInclude.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace dfq::ui {

namespace {
/// A colour per candidate width: few bits warm, many bits cool.
QColor bitsColour(int index, int count) {
    const double t = count > 1 ? double(index) / (count - 1) : 0.0;
    return QColor::fromHsvF(0.02 + 0.6 * t, 0.65, 0.85);
}

/// The front's x axis and every text about it use the same unit.
constexpr double kKiB = 1024.0;
QString bytesText(double bytes) { return QStringLiteral("%1 KiB").arg(bytes / kKiB, 0, 'f', 1); }

/// Bars on a log axis need a positive floor: Ω can be exactly 0 at high widths.
constexpr double kOmegaFloor = 1e-7;
} // namespace

MixedPrecisionView::MixedPrecisionView(QWidget* parent) : QWidget(parent) {
    measure_ = new QPushButton(tr("Measure sensitivity"));
    measure_->setObjectName(QStringLiteral("measureSensitivityButton"));
    measure_->setToolTip(tr("Quantize one layer's weights at a time and measure the KL divergence of the "
                            "model's output on the calibration set (ZeroQ's sensitivity)."));
    candidates_ = new QLineEdit(QStringLiteral("2 3 4 6 8"));
    candidates_->setObjectName(QStringLiteral("candidateBitsEdit"));
    candidates_->setToolTip(tr("Candidate weight widths, 2 to 8, separated by spaces"));
    candidates_->setMaximumWidth(140);
    status_ = new QLabel(tr("Sensitivity not measured yet."));
    status_->setObjectName(QStringLiteral("sensitivityStatusLabel"));
    status_->setWordWrap(true);
    connect(measure_, &QPushButton::clicked, this, [this] { Q_EMIT measureRequested(candidates()); });

    bars_ = new QCustomPlot;
    bars_->setObjectName(QStringLiteral("sensitivityPlot"));
    bars_->setMinimumHeight(130);
    bars_->yAxis->setLabel(tr("Ω, output KL (log)"));
    bars_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    bars_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    // The legend in a row of its own above the bars, which it would otherwise cover.
    bars_->legend->setVisible(true);
    bars_->legend->setFont(QFont(font().family(), 8));
    bars_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    bars_->plotLayout()->insertRow(0);
    bars_->plotLayout()->addElement(0, 0, bars_->legend);
    bars_->plotLayout()->setRowStretchFactor(0, 0.001);

    front_ = new QCustomPlot;
    front_->setObjectName(QStringLiteral("paretoPlot"));
    front_->setMinimumHeight(130);
    front_->xAxis->setLabel(tr("weight storage (KiB)"));
    front_->yAxis->setLabel(tr("Σ Ω (log)"));
    front_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    front_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    front_->setToolTip(tr("Each point is the least sensitive allocation within its size; click one to apply it."));
    frontGraph_ = front_->addGraph();
    frontGraph_->setName(tr("Pareto front"));
    frontGraph_->setPen(QPen(QColor(0x3d, 0x84, 0xc6), 1.5));
    frontGraph_->setLineStyle(QCPGraph::lsStepLeft);
    frontGraph_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 7));
    currentGraph_ = front_->addGraph();
    currentGraph_->setName(tr("current spec"));
    currentGraph_->setLineStyle(QCPGraph::lsNone);
    currentGraph_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(0xd6, 0x45, 0x2f), 2), Qt::NoBrush, 13));
    front_->legend->setVisible(true);
    front_->legend->setFont(QFont(font().family(), 8));
    connect(front_, &QCustomPlot::plottableClick, this, [this](QCPAbstractPlottable* p, int index, QMouseEvent*) {
        if (p == frontGraph_)
            choosePoint(index);
    });
    for (QCustomPlot* plot : {bars_, front_}) {
        plot->setMouseTracking(true);
        connect(plot, &QCustomPlot::mouseMove, this, [this, plot](QMouseEvent* e) { showTooltip(plot, e); });
    }
    addExportMenu(bars_, this, QStringLiteral("sensitivity"));
    addExportMenu(front_, this, QStringLiteral("pareto-front"));

    auto* controls = new QHBoxLayout;
    controls->addWidget(measure_);
    controls->addWidget(new QLabel(tr("Widths")));
    controls->addWidget(candidates_);
    controls->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(bars_, 1);
    layout->addWidget(front_, 1);
    layout->addWidget(status_);
}

QVector<int> MixedPrecisionView::candidates() const {
    QVector<int> out;
    for (const QString& part : candidates_->text().split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int b = part.toInt(&ok);
        if (ok && b >= 2 && b <= 8 && !out.contains(b))
            out << b;
    }
    std::sort(out.begin(), out.end());
    return out;
}

void MixedPrecisionView::setMeasuring(bool measuring) {
    measure_->setEnabled(!measuring);
    if (measuring)
        status_->setText(tr("Measuring the sensitivity of every layer …"));
}

void MixedPrecisionView::setStatus(const QString& text) { status_->setText(text); }

void MixedPrecisionView::showSensitivity(const SensitivitySummary& s) {
    summary_ = s;
    measure_->setEnabled(true);
    status_->setText(tr("%1 layers × %2 widths on %3 calibration images in %4 s; %5 points on the front. "
                        "Click a point to apply it.")
                         .arg(s.layers.size()).arg(s.bits.size()).arg(s.images).arg(s.seconds, 0, 'f', 1)
                         .arg(s.front.size()));
    drawBars();
    drawFront();
}

void MixedPrecisionView::drawBars() {
    bars_->clearPlottables();
    const int n = int(summary_.layers.size()), m = int(summary_.bits.size());
    auto* group = new QCPBarsGroup(bars_);
    group->setSpacing(1);
    double lo = 1e300, hi = 0;
    for (int j = 0; j < m; ++j) {
        auto* bars = new QCPBars(bars_->xAxis, bars_->yAxis);
        bars->setName(tr("W%1").arg(summary_.bits[j]));
        bars->setWidth(0.8 / std::max(1, m));
        bars->setBarsGroup(group);
        bars->setBaseValue(kOmegaFloor);
        bars->setBrush(bitsColour(j, m));
        bars->setPen(Qt::NoPen);
        QVector<double> keys, values;
        for (int i = 0; i < n; ++i) {
            keys << i;
            const double v = std::max(kOmegaFloor, summary_.omega[i].value(j));
            values << v;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        bars->setData(keys, values, true);
    }
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int i = 0; i < n; ++i)
        ticker->addTick(i, summary_.layers[i]);
    bars_->xAxis->setTicker(ticker);
    bars_->xAxis->setTickLabelRotation(n > 8 ? 60 : 30);
    bars_->xAxis->setRange(-0.6, n - 0.4);
    if (hi > 0)
        bars_->yAxis->setRange(lo / 2, hi * 2);
    bars_->replot();
}

void MixedPrecisionView::drawFront() {
    QVector<double> x, y;
    for (const auto& p : summary_.front) {
        x << p.weightBytes / kKiB;
        y << std::max(kOmegaFloor, p.omega);
    }
    frontGraph_->setData(x, y, true);
    setCurrentBits(currentBits_);
    front_->rescaleAxes();
    if (!y.isEmpty()) {
        front_->yAxis->setRange(*std::min_element(y.begin(), y.end()) / 2, *std::max_element(y.begin(), y.end()) * 2);
        const double span = std::max(1e-3, x.last() - x.first());
        front_->xAxis->setRange(x.first() - 0.05 * span, x.last() + 0.05 * span);
    }
    front_->replot();
}

bool MixedPrecisionView::currentPoint(double* weightBytes, double* omega) const {
    if (!hasSummary() || currentBits_.size() != summary_.layers.size())
        return false;
    double bytes = 0, total = 0;
    for (int i = 0; i < currentBits_.size(); ++i) {
        const int j = int(summary_.bits.indexOf(currentBits_[i]));
        if (j < 0)
            return false;   // a width that was not measured
        bytes += double(summary_.weightCounts[i]) * currentBits_[i] / 8.0;
        total += summary_.omega[i][j];
    }
    if (weightBytes)
        *weightBytes = bytes;
    if (omega)
        *omega = total;
    return true;
}

void MixedPrecisionView::setCurrentBits(const QVector<int>& bits) {
    currentBits_ = bits;
    double bytes = 0, omega = 0;
    if (currentPoint(&bytes, &omega))
        currentGraph_->setData({bytes / kKiB}, {std::max(kOmegaFloor, omega)});
    else
        currentGraph_->data()->clear();
    front_->replot(QCustomPlot::rpQueuedReplot);
}

void MixedPrecisionView::choosePoint(int index) {
    if (index < 0 || index >= summary_.front.size())
        return;
    const auto& p = summary_.front[index];
    QStringList widths;
    for (int b : p.bits)
        widths << QString::number(b);
    Q_EMIT pointChosen(summary_.layers, p.bits,
                       tr("Pareto point: %1 weights, Σ Ω %2 (W %3)")
                           .arg(bytesText(p.weightBytes)).arg(p.omega, 0, 'g', 3).arg(widths.join(QLatin1Char('/'))));
}

void MixedPrecisionView::showTooltip(QCustomPlot* plot, QMouseEvent* event) {
    if (!hasSummary())
        return;
    const QPointF pos = event->position();
    QString text;
    if (plot == bars_) {
        const int i = int(std::lround(bars_->xAxis->pixelToCoord(pos.x())));
        if (i >= 0 && i < summary_.layers.size()) {
            QStringList rows;
            for (int j = 0; j < summary_.bits.size(); ++j)
                rows << tr("W%1: Ω = %2").arg(summary_.bits[j]).arg(summary_.omega[i][j], 0, 'g', 4);
            text = tr("%1 (%2 weights)\n%3").arg(summary_.layers[i]).arg(summary_.weightCounts[i]).arg(rows.join(QLatin1Char('\n')));
        }
    } else {
        // The nearest front point within 12 pixels.
        int best = -1;
        double bestDist = 12;
        for (int k = 0; k < summary_.front.size(); ++k) {
            const double px = front_->xAxis->coordToPixel(summary_.front[k].weightBytes / kKiB);
            const double py = front_->yAxis->coordToPixel(std::max(kOmegaFloor, summary_.front[k].omega));
            const double d = std::hypot(px - pos.x(), py - pos.y());
            if (d < bestDist) {
                bestDist = d;
                best = k;
            }
        }
        if (best >= 0) {
            const auto& p = summary_.front[best];
            QStringList rows;
            for (int i = 0; i < summary_.layers.size(); ++i)
                rows << QStringLiteral("%1: W%2").arg(summary_.layers[i]).arg(p.bits.value(i));
            text = tr("%1 weights, Σ Ω = %2\n%3").arg(bytesText(p.weightBytes)).arg(p.omega, 0, 'g', 4).arg(rows.join(QLatin1Char('\n')));
        }
    }
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, plot);
}

} // namespace dfq::ui
