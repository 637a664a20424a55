#include "ModeCollapseView.h"

#include "PlotExport.h"
#include "QCustomPlotInclude.h"

#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QSplitter>
#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>

namespace dfq::ui {
namespace {
constexpr int kPairThumb = 56;   // px per image of a pair
}

ModeCollapseView::ModeCollapseView(QWidget* parent) : QWidget(parent) {
    title_ = new QLabel;
    title_->setObjectName(QStringLiteral("modeCollapseTitle"));
    title_->setWordWrap(true);
    plot_ = new QCustomPlot;
    plot_->setObjectName(QStringLiteral("modeCollapsePlot"));
    plot_->setMinimumHeight(140);
    plot_->yAxis->setLabel(tr("per class"));
    plot_->legend->setVisible(true);
    plot_->legend->setFont(QFont(font().family(), 7));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    addExportMenu(plot_, this, QStringLiteral("mode-collapse"));
    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        const int c = int(std::lround(plot_->xAxis->pixelToCoord(e->position().x())));
        const QString tip = classTip(c);
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(e->globalPosition().toPoint(), tip, plot_);
    });

    pairs_ = new QListWidget;
    pairs_->setObjectName(QStringLiteral("similarPairs"));
    pairs_->setViewMode(QListView::IconMode);
    pairs_->setIconSize(QSize(2 * kPairThumb + 4, kPairThumb));
    pairs_->setGridSize(QSize(2 * kPairThumb + 24, kPairThumb + 36));
    pairs_->setResizeMode(QListView::Adjust);
    pairs_->setMovement(QListView::Static);
    pairs_->setWordWrap(true);
    pairs_->setToolTip(tr("The most similar images within each class (cosine of the teacher's penultimate "
                          "features): pairs near 1.000 are the same mode drawn twice"));

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(plot_);
    split->addWidget(pairs_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title_);
    layout->addWidget(split, 1);
    clear();
}

void ModeCollapseView::setClassNames(const QStringList& names) { classNames_ = names; }

QString ModeCollapseView::className(int c) const { return c < classNames_.size() ? classNames_[c] : QString::number(c); }

void ModeCollapseView::clear() {
    quality_ = {};
    plot_->clearPlottables();
    plot_->replot(QCustomPlot::rpQueuedReplot);
    pairs_->clear();
    title_->setText(tr("Diversity and mode collapse per class appear when a set is finished or a generator epoch ends."));
}

int ModeCollapseView::pairCount() const { return pairs_->count(); }

QString ModeCollapseView::classTip(int c) const {
    if (c < 0 || c >= quality_.diversity.size())
        return {};
    const auto num = [](double v) { return std::isfinite(v) ? QString::number(v, 'f', 3) : QStringLiteral("—"); };
    return tr("%1: %2 image(s)\ndiversity %3 (mean cosine distance of features)\nmode collapse %4 (0 = as diverse as noise, 1 = one image)")
        .arg(className(c)).arg(quality_.counts.value(c)).arg(num(quality_.diversity[c])).arg(num(quality_.modeCollapse.value(c, NAN)));
}

void ModeCollapseView::setQuality(const SetQuality& q, const QString& what) {
    quality_ = q;
    plot_->clearPlottables();
    auto* group = new QCPBarsGroup(plot_);
    auto* diversity = new QCPBars(plot_->xAxis, plot_->yAxis);
    diversity->setName(tr("diversity"));
    diversity->setBrush(QColor(0x4e, 0x79, 0xa7));
    auto* collapse = new QCPBars(plot_->xAxis, plot_->yAxis);
    collapse->setName(tr("mode collapse"));
    collapse->setBrush(QColor(0xe1, 0x57, 0x59));
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double lo = 0, hi = 1;
    for (int c = 0; c < q.diversity.size(); ++c) {
        ticker->addTick(c, className(c));
        if (std::isfinite(q.diversity[c])) {
            diversity->addData(c, q.diversity[c]);
            hi = std::max(hi, q.diversity[c]);
        }
        const double m = q.modeCollapse.value(c, NAN);
        if (std::isfinite(m)) {
            collapse->addData(c, m);
            lo = std::min(lo, m);
            hi = std::max(hi, m);
        }
    }
    for (QCPBars* b : {diversity, collapse}) {
        b->setPen(Qt::NoPen);
        b->setWidth(0.38);
        b->setBarsGroup(group);
    }
    plot_->xAxis->setTicker(ticker);
    plot_->xAxis->setTickLabelRotation(q.diversity.size() > 6 ? 45 : 0);
    plot_->xAxis->setRange(-0.7, q.diversity.size() - 0.3);
    plot_->yAxis->setRange(lo - 0.05, hi * 1.15);
    plot_->replot(QCustomPlot::rpQueuedReplot);

    pairs_->clear();
    for (const auto& p : q.pairs) {
        QPixmap pair(pairs_->iconSize());
        pair.fill(Qt::transparent);
        {
            QPainter painter(&pair);
            painter.drawImage(QRect(0, 0, kPairThumb, kPairThumb), p.first);
            painter.drawImage(QRect(kPairThumb + 4, 0, kPairThumb, kPairThumb), p.second);
        }
        auto* item = new QListWidgetItem(QIcon(pair), tr("%1 · cos %2").arg(className(p.cls)).arg(p.similarity, 0, 'f', 3));
        item->setData(Qt::UserRole, p.cls);
        item->setData(Qt::UserRole + 1, p.similarity);
        item->setToolTip(tr("Class %1: cosine similarity %2 of the teacher's features").arg(className(p.cls)).arg(p.similarity, 0, 'f', 4));
        pairs_->addItem(item);
    }
    int collapsed = 0;
    for (double m : q.modeCollapse)
        collapsed += std::isfinite(m) && m > 0.5;
    title_->setText(tr("%1 · %2 of %3 classes collapsed past 0.5 · the %4 most similar pairs")
                        .arg(what).arg(collapsed).arg(q.modeCollapse.size()).arg(q.pairs.size()));
}

} // namespace dfq::ui
