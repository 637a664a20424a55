#include "TrainingCurves.h"

#include "ClassPalette.h"
#include "PlotExport.h"
#include "QCustomPlotInclude.h"
#include "SeriesSmoothing.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

namespace dfq::ui {
namespace {
const QString kTop1 = QStringLiteral("student top-1");
constexpr double kEmaWeight = 0.6;   // few points per run (one per epoch): light smoothing
} // namespace

TrainingCurves::TrainingCurves(QWidget* parent) : QWidget(parent) {
    plot_ = new QCustomPlot;
    plot_->setObjectName(QStringLiteral("trainingCurvesPlot"));
    plot_->setMinimumHeight(160);
    plot_->xAxis->setLabel(tr("epoch"));
    plot_->yAxis->setLabel(tr("epoch-mean loss (log)"));
    plot_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    plot_->yAxis2->setVisible(true);
    plot_->yAxis2->setLabel(tr("student top-1 (%)"));
    plot_->legend->setVisible(true);
    plot_->legend->setFont(QFont(font().family(), 7));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    addExportMenu(plot_, this, QStringLiteral("generator-curves"));
    smooth_ = new QCheckBox(tr("Smoothed (debiased EMA %1)").arg(kEmaWeight));
    smooth_->setObjectName(QStringLiteral("curvesSmoothed"));
    smooth_->setChecked(true);
    connect(smooth_, &QCheckBox::toggled, this, &TrainingCurves::redraw);
    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("curvesStatus"));
    status_->setWordWrap(true);
    auto* top = new QHBoxLayout;
    top->addWidget(status_, 1);
    top->addWidget(smooth_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(plot_, 1);
    clear();
}

void TrainingCurves::clear() {
    epochs_.clear();
    series_.clear();
    status_->setText(tr("A generator method (gdfq, clusterq) draws its losses and the student's accuracy here, epoch by epoch."));
    redraw();
}

void TrainingCurves::addEpoch(const GeneratorEpoch& e) {
    epochs_.push_back(double(e.epoch));
    const int n = epochs_.size();
    QMap<QString, double> values = e.terms;
    values.insert(kTop1, e.studentTop1);
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        QVector<double>& s = series_[it.key()];
        s.resize(n - 1, std::nan(""));   // a term first seen now has no earlier epochs
        s.push_back(it.value());
    }
    for (auto& s : series_)
        s.resize(n, std::nan(""));
    status_->setText(tr("Epoch %1 of %2 · %3 iterations · %4 s · student %5 · probe BN KL %6")
                         .arg(e.epoch).arg(e.epochs).arg(e.iterations).arg(e.seconds, 0, 'f', 1)
                         .arg(std::isfinite(e.studentTop1) ? tr("%1 %").arg(e.studentTop1, 0, 'f', 2)
                                                           : (e.studentTrained ? tr("not evaluated") : tr("warming up")))
                         .arg(e.probeKl, 0, 'g', 3));
    redraw();
}

QStringList TrainingCurves::seriesNames() const { return series_.keys(); }

QVector<double> TrainingCurves::series(const QString& name) const { return series_.value(name); }

QVector<double> TrainingCurves::smoothed(const QString& name) const { return debiasedEma(series_.value(name), kEmaWeight); }

void TrainingCurves::redraw() {
    plot_->clearPlottables();
    int colour = 0;
    double lo = 1e300, hi = 0;
    for (auto it = series_.cbegin(); it != series_.cend(); ++it) {
        const bool accuracy = it.key() == kTop1;
        QCPAxis* y = accuracy ? plot_->yAxis2 : plot_->yAxis;
        const QColor c = accuracy ? QColor(Qt::black) : classColour(colour++);
        const auto add = [&](const QVector<double>& values, bool raw) {
            auto* g = plot_->addGraph(plot_->xAxis, y);
            QVector<double> x, v;
            for (int i = 0; i < values.size(); ++i) {
                // A log axis cannot show a non-positive loss: that point becomes a gap.
                const bool ok = std::isfinite(values[i]) && (accuracy || values[i] > 0);
                x << epochs_.value(i);
                v << (ok ? values[i] : std::nan(""));
                if (ok && !accuracy) {
                    lo = std::min(lo, values[i]);
                    hi = std::max(hi, values[i]);
                }
            }
            g->setData(x, v, true);
            QColor pen = c;
            if (raw && smooth_->isChecked())
                pen.setAlpha(110);
            g->setPen(QPen(pen, raw ? 1.0 : 2.0, accuracy && raw ? Qt::DashLine : Qt::SolidLine));
            g->setScatterStyle(raw ? QCPScatterStyle(QCPScatterStyle::ssCircle, 4) : QCPScatterStyle());
            g->setName(raw ? it.key() : tr("%1 (smoothed)").arg(it.key()));
            if (!raw)
                g->removeFromLegend();
        };
        add(it.value(), true);
        if (smooth_->isChecked())
            add(smoothed(it.key()), false);
    }
    plot_->xAxis->setRange(0.5, std::max<double>(1, epochs_.size()) + 0.5);
    if (hi > 0)
        plot_->yAxis->setRange(lo * 0.7, hi * 1.5);
    plot_->yAxis2->setRange(0, 100);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace dfq::ui
