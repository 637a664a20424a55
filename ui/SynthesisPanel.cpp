#include "SynthesisPanel.h"

#include "DivergenceHeatmap.h"
#include "PlotExport.h"
#include "QCustomPlotInclude.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMap>
#include <QPainter>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include <cmath>

namespace dfq::ui {

SynthesisPanel::SynthesisPanel(QWidget* parent) : QWidget(parent) {
    method_ = new QComboBox;
    method_->setObjectName(QStringLiteral("synthMethod"));
    method_->setToolTip(tr("zeroq / dsg / intraq / genie distil images from the BN statistics; noise and real are baselines"));
    images_ = new QSpinBox;
    images_->setObjectName(QStringLiteral("synthImages"));
    images_->setRange(1, 100000);
    images_->setValue(64);
    iterations_ = new QSpinBox;
    iterations_->setObjectName(QStringLiteral("synthIterations"));
    iterations_->setRange(0, 100000);
    iterations_->setValue(200);
    iterations_->setSpecialValueText(tr("method default"));
    iterations_->setToolTip(tr("optimisation steps per batch (0: the method's default, 500 for ZeroQ); "
                               "only for methods that optimise"));
    seed_ = new QSpinBox;
    seed_->setObjectName(QStringLiteral("synthSeed"));
    seed_->setRange(0, 1 << 30);
    start_ = new QPushButton(tr("Synthesize"));
    start_->setObjectName(QStringLiteral("synthesizeButton"));
    save_ = new QPushButton(tr("Save set…"));
    save_->setObjectName(QStringLiteral("saveSetButton"));
    save_->setEnabled(false);
    save_->setToolTip(tr("PNG ImageFolder + exact float tensors, usable by `dfq quantize --calib synth:DIR`"));

    auto* form = new QHBoxLayout;
    const auto field = [&](const QString& label, QWidget* w) {
        auto* l = new QLabel(label);
        l->setBuddy(w);
        form->addWidget(l);
        form->addWidget(w);
    };
    field(tr("&Method"), method_);
    field(tr("&Images"), images_);
    field(tr("I&terations"), iterations_);
    field(tr("S&eed"), seed_);
    form->addStretch(1);
    form->addWidget(start_);
    form->addWidget(save_);

    gallery_ = new QListWidget;
    gallery_->setObjectName(QStringLiteral("synthGallery"));
    // One tile per class: a strip of that class's latest images, so that a collapsed class (four
    // near-identical images) is visible at a glance.
    gallery_->setViewMode(QListView::IconMode);
    gallery_->setIconSize(stripSize());
    gallery_->setGridSize(stripSize() + QSize(12, 24));
    gallery_->setResizeMode(QListView::Adjust);
    gallery_->setMovement(QListView::Static);
    gallery_->setToolTip(tr("The latest images the teacher assigns to each class (up to %1 per class from the current batch)")
                             .arg(SynthesisSnapshot::perClass));

    loss_ = new QCustomPlot;
    loss_->setObjectName(QStringLiteral("synthLossPlot"));
    loss_->setMinimumHeight(110);
    loss_->addGraph();
    loss_->graph(0)->setPen(QPen(QColor(0x3d, 0x84, 0xc6), 1.5));
    loss_->xAxis->setLabel(tr("step"));
    loss_->yAxis->setLabel(tr("loss (log)"));
    loss_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    loss_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));

    divergence_ = new QCustomPlot;
    divergence_->setObjectName(QStringLiteral("synthDivergencePlot"));
    divergence_->setMinimumHeight(130);
    divergence_->yAxis->setLabel(tr("BN KL per layer (log)"));
    divergence_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    divergence_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    divergence_->plotLayout()->insertRow(0);
    divergence_->plotLayout()->addElement(0, 0, new QCPTextElement(divergence_, tr("BN divergence"), QFont(font().family(), 9)));

    centroids_ = new QCustomPlot;
    centroids_->setObjectName(QStringLiteral("synthCentroidPlot"));
    centroids_->setMinimumHeight(130);
    centroids_->setToolTip(tr("Penultimate features of every image on the two principal axes of the class "
                              "centroids; crosses are the centroids. Tight clusters mean mode collapse."));
    centroids_->xAxis->setLabel(tr("PC 1"));
    centroids_->yAxis->setLabel(tr("PC 2"));
    centroids_->legend->setVisible(true);
    // Right-click: Export plot… (PNG, SVG, PDF or the data as CSV).
    addExportMenu(loss_, this, QStringLiteral("synthesis-loss"));
    addExportMenu(divergence_, this, QStringLiteral("bn-divergence"));
    addExportMenu(centroids_, this, QStringLiteral("centroids"));
    centroids_->legend->setFont(QFont(font().family(), 7));
    centroids_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);

    summary_ = new QLabel(tr("Choose a method and press Synthesize. The images, the loss and the per-layer "
                             "BN divergence update while it runs."));
    summary_->setObjectName(QStringLiteral("synthSummary"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    heatmap_ = new DivergenceHeatmap;
    heatmap_->setObjectName(QStringLiteral("synthDivergenceHeatmap"));
    heatmap_->setToolTip(tr("BN divergence of every layer (rows) at every diagnostics step (columns): "
                            "layers that stay bright converge late or not at all"));
    auto* plots = new QSplitter(Qt::Vertical);
    plots->addWidget(loss_);
    plots->addWidget(divergence_);
    plots->addWidget(heatmap_);
    auto* left = new QSplitter(Qt::Vertical);
    left->addWidget(gallery_);
    left->addWidget(centroids_);
    auto* split = new QSplitter;
    split->addWidget(left);
    split->addWidget(plots);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(split, 1);
    layout->addWidget(summary_);

    connect(method_, &QComboBox::currentIndexChanged, this, [this] { updateIterations(); });
    connect(start_, &QPushButton::clicked, this, [this] { Q_EMIT synthesizeRequested(settings()); });
    connect(save_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getSaveFileName(this, tr("Save synthetic set as folder"));
        if (!dir.isEmpty())
            Q_EMIT saveRequested(dir);
    });
}

void SynthesisPanel::setMethods(const QVector<SynthesisMethodInfo>& methods, const QString& preferred) {
    methods_ = methods;
    method_->clear();
    for (const auto& m : methods) {
        method_->addItem(m.name);
        method_->setItemData(method_->count() - 1, m.description, Qt::ToolTipRole);
    }
    if (const int i = method_->findText(preferred); i >= 0)
        method_->setCurrentIndex(i);
    updateIterations();
}

bool SynthesisPanel::methodHasIterations() const {
    const int i = method_->currentIndex();
    return i >= 0 && i < methods_.size() && methods_[i].options.contains(QStringLiteral("iterations"));
}

void SynthesisPanel::updateIterations() { iterations_->setEnabled(methodHasIterations() && !busy_); }

void SynthesisPanel::setClassNames(const QStringList& names) { classNames_ = names; }

void SynthesisPanel::setBusy(bool busy) {
    busy_ = busy;
    start_->setEnabled(!busy);
    save_->setEnabled(!busy && haveSet_);
    updateIterations();
}

SynthesisSettings SynthesisPanel::settings() const {
    SynthesisSettings s;
    s.method = method_->currentText();
    s.images = images_->value();
    s.iterations = methodHasIterations() ? iterations_->value() : 0;
    s.seed = quint64(seed_->value());
    return s;
}

void SynthesisPanel::started(const QString& what) {
    gallery_->clear();
    loss_->graph(0)->data()->clear();
    lossMin_ = lossMax_ = 0;
    divergence_->clearPlottables();
    centroids_->clearPlottables();
    heatmap_->clear();
    loss_->replot();
    divergence_->replot();
    centroids_->replot();
    summary_->setText(what.toHtmlEscaped());
}

void SynthesisPanel::showEnded(const QString& text) { summary_->setText(text.toHtmlEscaped()); }

void SynthesisPanel::showLoss(qint64 step, double total) {
    if (!(total > 0) || !std::isfinite(total))
        return;   // a log axis cannot show it; the guard in the core reports NaNs as notes
    loss_->graph(0)->addData(double(step), total);
    lossMin_ = lossMin_ > 0 ? std::min(lossMin_, total) : total;
    lossMax_ = std::max(lossMax_, total);
    // Redraw at most every 5 steps: one replot per step would make the UI thread the bottleneck.
    if (step % 5 == 0) {
        loss_->xAxis->setRange(0, double(step) + 1);
        loss_->yAxis->setRange(lossMin_ * 0.8, lossMax_ * 1.25);
        loss_->replot(QCustomPlot::rpQueuedReplot);
    }
}

void SynthesisPanel::drawDivergence(const QVector<LayerDivergenceRow>& layers, const QString& title) {
    divergence_->clearPlottables();
    auto* bars = new QCPBars(divergence_->xAxis, divergence_->yAxis);
    bars->setBrush(QColor(0xd9, 0x6c, 0x3d));
    bars->setPen(Qt::NoPen);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    QVector<double> x, y;
    double lo = 1e300, hi = 0;
    for (int i = 0; i < layers.size(); ++i) {
        const double kl = std::max(layers[i].kl, 1e-6);
        x << i;
        y << kl;
        lo = std::min(lo, kl);
        hi = std::max(hi, kl);
        // The end of the name tells layers apart (layer1.0.bn1 vs layer1.0.bn2).
        ticker->addTick(i, layers[i].layer.right(12));
    }
    bars->setData(x, y);
    divergence_->xAxis->setTicker(ticker);
    divergence_->xAxis->setTickLabelRotation(60);
    divergence_->xAxis->setRange(-0.7, layers.size() - 0.3);
    if (hi > 0)
        divergence_->yAxis->setRange(lo / 2, hi * 2);
    if (auto* t = qobject_cast<QCPTextElement*>(divergence_->plotLayout()->element(0, 0)))
        t->setText(title);
    divergence_->replot(QCustomPlot::rpQueuedReplot);
}

void SynthesisPanel::showDiagnostics(qint64 step, const QVector<LayerDivergenceRow>& layers) {
    drawDivergence(layers, tr("BN divergence of the current batch, step %1").arg(step));
    heatmap_->addStep(step, layers);
}

namespace {
constexpr int kThumb = 44;   // px per image in a class strip
constexpr int kGap = 2;
} // namespace

QSize SynthesisPanel::stripSize() {
    const int n = SynthesisSnapshot::perClass;
    return QSize(n * kThumb + (n - 1) * kGap, kThumb);
}

void SynthesisPanel::showSnapshot(const SynthesisSnapshot& snapshot) {
    // The snapshot's images of each class, in arrival order.
    QMap<int, QVector<QImage>> byClass;
    for (int i = 0; i < snapshot.images.size(); ++i) {
        if (snapshot.images[i].isNull())
            continue;
        QVector<QImage>& ofClass = byClass[snapshot.labels.value(i)];
        if (ofClass.size() < SynthesisSnapshot::perClass)
            ofClass.push_back(snapshot.images[i]);
    }
    for (auto it = byClass.cbegin(); it != byClass.cend(); ++it) {
        const int label = it.key();
        const QString caption = label < classNames_.size() ? classNames_[label] : QString::number(label);
        // A fixed-width strip (empty slots stay transparent) so that every tile lines up.
        QPixmap strip(stripSize());
        strip.fill(Qt::transparent);
        {
            QPainter painter(&strip);
            for (int k = 0; k < it.value().size(); ++k)
                painter.drawImage(QRect(k * (kThumb + kGap), 0, kThumb, kThumb), it.value()[k]);
        }
        // One tile per class, updated in place, in class order.
        QListWidgetItem* item = nullptr;
        for (int r = 0; r < gallery_->count() && !item; ++r)
            if (gallery_->item(r)->data(Qt::UserRole).toInt() == label)
                item = gallery_->item(r);
        if (!item) {
            int row = 0;
            while (row < gallery_->count() && gallery_->item(row)->data(Qt::UserRole).toInt() < label)
                ++row;
            item = new QListWidgetItem;
            item->setData(Qt::UserRole, label);
            gallery_->insertItem(row, item);
        }
        item->setIcon(QIcon(strip));
        item->setText(caption);
        item->setToolTip(tr("%1: %2 image(s) of the current batch the teacher assigns to it at step %3")
                             .arg(caption).arg(it.value().size()).arg(snapshot.step));
    }
}

void SynthesisPanel::drawCentroids(const SynthesisSummary& s) {
    centroids_->clearPlottables();
    // Ten distinguishable colours (Tableau 10), cycled beyond ten classes.
    static const QColor palette[] = {{0x4e, 0x79, 0xa7}, {0xf2, 0x8e, 0x2b}, {0xe1, 0x57, 0x59}, {0x76, 0xb7, 0xb2},
                                     {0x59, 0xa1, 0x4f}, {0xed, 0xc9, 0x48}, {0xb0, 0x7a, 0xa1}, {0xff, 0x9d, 0xa7},
                                     {0x9c, 0x75, 0x5f}, {0xba, 0xb0, 0xac}};
    const auto colour = [&](int c) { return palette[c % 10]; };
    const auto name = [&](int c) { return c < classNames_.size() ? classNames_[c] : QString::number(c); };
    QMap<int, QCPGraph*> perClass;
    for (int i = 0; i < s.imagePoints.size(); ++i) {
        const int c = s.imageLabels.value(i);
        QCPGraph*& g = perClass[c];
        if (!g) {
            g = centroids_->addGraph();
            g->setLineStyle(QCPGraph::lsNone);
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour(c), colour(c), 4));
            g->setName(name(c));
        }
        g->addData(s.imagePoints[i].x(), s.imagePoints[i].y());
    }
    for (int i = 0; i < s.centroidPoints.size(); ++i) {
        auto* g = centroids_->addGraph();
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCrossSquare, QPen(Qt::black, 1.5), colour(s.centroidClasses[i]), 11));
        g->addData(s.centroidPoints[i].x(), s.centroidPoints[i].y());
        g->removeFromLegend();
    }
    centroids_->rescaleAxes();
    centroids_->xAxis->scaleRange(1.1);
    centroids_->yAxis->scaleRange(1.1);
    centroids_->xAxis->setLabel(tr("PC 1 (%1 % of the %2 variance)").arg(100 * s.explained[0], 0, 'f', 0)
                                    .arg(s.mapOfCentroids ? tr("centroids'") : tr("features'")));
    centroids_->yAxis->setLabel(tr("PC 2 (%1 %)").arg(100 * s.explained[1], 0, 'f', 0));
    centroids_->replot(QCustomPlot::rpQueuedReplot);
}

void SynthesisPanel::showSummary(const SynthesisSummary& s) {
    haveSet_ = true;
    save_->setEnabled(start_->isEnabled());   // the worker reports idle before it reports the result
    drawCentroids(s);
    // Tiles of classes the teacher no longer assigns to any final image were only seen mid-run.
    for (int r = gallery_->count() - 1; r >= 0; --r) {
        const int c = gallery_->item(r)->data(Qt::UserRole).toInt();
        if (c < s.classCounts.size() && s.classCounts[c] == 0)
            delete gallery_->takeItem(r);
    }
    drawDivergence(s.layers, tr("BN divergence of the whole set (mean KL %1)").arg(s.meanKl, 0, 'g', 3));
    QStringList counts;
    for (int c = 0; c < s.classCounts.size(); ++c)
        counts << QStringLiteral("%1 %2").arg(c < classNames_.size() ? classNames_[c] : QString::number(c)).arg(s.classCounts[c]);
    QString text = tr("<b>%1 images by %2 in %3 s</b> · mean BN KL %4 · mean-L2 %5 · intra-class diversity: "
                      "features %6, pixels %7 · teacher: mean max-probability %8, entropy %9 nats<br>per class: %10")
                       .arg(s.images).arg(s.method).arg(s.seconds, 0, 'f', 1)
                       .arg(s.meanKl, 0, 'g', 3).arg(s.meanL2, 0, 'g', 3)
                       .arg(s.featureDiversity, 0, 'f', 3).arg(s.pixelDiversity, 0, 'f', 3)
                       .arg(s.meanMaxProbability, 0, 'f', 3).arg(s.meanEntropy, 0, 'f', 3)
                       .arg(counts.join(QStringLiteral(", ")).toHtmlEscaped());
    for (const auto& n : s.notes)
        text += QStringLiteral("<br><i>%1</i>").arg(n.toHtmlEscaped());
    summary_->setText(text);
}

} // namespace dfq::ui
