#include "SynthesisPanel.h"

#include "CentroidMapView.h"
#include "DivergenceHeatmap.h"
#include "ImageInspector.h"
#include "MethodOptionsForm.h"
#include "ModeCollapseView.h"
#include "TrainingCurves.h"
#include "PlotExport.h"
#include "QCustomPlotInclude.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMap>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>

namespace dfq::ui {

SynthesisPanel::SynthesisPanel(QWidget* parent) : QWidget(parent) {
    method_ = new QComboBox;
    method_->setObjectName(QStringLiteral("synthMethod"));
    method_->setToolTip(tr("zeroq / dsg / intraq / genie distil images from the BN statistics; noise and real are "
                           "baselines; gdfq and clusterq train a generator and the quantized student together"));
    methodHelp_ = new QLabel;
    methodHelp_->setObjectName(QStringLiteral("methodHelp"));
    methodHelp_->setWordWrap(true);
    options_ = new MethodOptionsForm;
    options_->setObjectName(QStringLiteral("methodOptions"));
    images_ = new QSpinBox;
    images_->setObjectName(QStringLiteral("synthImages"));
    images_->setRange(1, 100000);
    images_->setValue(64);
    images_->setToolTip(tr("Images to synthesise (pixel methods; a generator method trains for its budget instead)"));
    seed_ = new QSpinBox;
    seed_->setObjectName(QStringLiteral("synthSeed"));
    seed_->setRange(0, 1 << 30);
    start_ = new QPushButton(tr("Synthesize"));
    start_->setObjectName(QStringLiteral("synthesizeButton"));
    save_ = new QPushButton(tr("Save set…"));
    save_->setObjectName(QStringLiteral("saveSetButton"));
    save_->setEnabled(false);
    save_->setToolTip(tr("PNG ImageFolder + exact float tensors, usable by `dfq quantize --calib synth:DIR`"));

    // Method & Budget: the method, its size and seed, and every option it declares.
    auto* methodBox = new QGroupBox(tr("Method && Budget"));
    auto* methodForm = new QFormLayout;
    methodForm->addRow(tr("&Method"), method_);
    methodForm->addRow(methodHelp_);
    methodForm->addRow(tr("&Images"), images_);
    methodForm->addRow(tr("S&eed"), seed_);
    auto* optionsScroll = new QScrollArea;
    optionsScroll->setWidget(options_);
    optionsScroll->setWidgetResizable(true);
    optionsScroll->setFrameShape(QFrame::NoFrame);
    optionsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(start_);
    buttons->addWidget(save_);
    auto* methodLayout = new QVBoxLayout(methodBox);
    methodLayout->addLayout(methodForm);
    methodLayout->addWidget(optionsScroll, 1);
    methodLayout->addLayout(buttons);
    methodBox->setMinimumWidth(220);

    gallery_ = new QListWidget;
    gallery_->setObjectName(QStringLiteral("synthGallery"));
    // One tile per class: a strip of that class's latest images, so that a collapsed class (four
    // near-identical images) is visible at a glance. A click shows them large below.
    gallery_->setViewMode(QListView::IconMode);
    gallery_->setIconSize(stripSize());
    gallery_->setGridSize(stripSize() + QSize(12, 24));
    gallery_->setResizeMode(QListView::Adjust);
    gallery_->setMovement(QListView::Static);
    gallery_->setToolTip(tr("The latest images the teacher assigns to each class (up to %1 per class from the current "
                            "batch); click one to see it large").arg(SynthesisSnapshot::perClass));
    inspector_ = new ImageInspector;
    inspector_->setObjectName(QStringLiteral("imageInspector"));

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
    divergence_->yAxis->setLabel(tr("per layer (log)"));
    divergence_->setToolTip(tr("Per BN layer: KL of the batch statistics from the running ones, and the L2 gaps of "
                               "the channel means and standard deviations; hover a layer for its numbers"));
    divergence_->legend->setFont(QFont(font().family(), 7));
    // The legend in one row under the title, not over the bars.
    divergence_->axisRect()->insetLayout()->take(divergence_->legend);
    divergence_->plotLayout()->insertRow(1);
    divergence_->plotLayout()->addElement(1, 0, divergence_->legend);
    divergence_->plotLayout()->setRowStretchFactor(1, 0.001);
    divergence_->legend->setFillOrder(QCPLegend::foColumnsFirst);
    divergence_->legend->setBorderPen(Qt::NoPen);
    connect(divergence_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        const QString tip = divergenceTip(int(std::lround(divergence_->xAxis->pixelToCoord(e->position().x()))));
        if (!tip.isEmpty())
            QToolTip::showText(e->globalPosition().toPoint(), tip, divergence_);
    });
    divergence_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    divergence_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    divergence_->plotLayout()->insertRow(0);
    divergence_->plotLayout()->addElement(0, 0, new QCPTextElement(divergence_, tr("BN divergence"), QFont(font().family(), 9)));
    // Right-click: Export plot… (PNG, SVG, PDF or the data as CSV).
    addExportMenu(loss_, this, QStringLiteral("synthesis-loss"));
    addExportMenu(divergence_, this, QStringLiteral("bn-divergence"));

    summary_ = new QLabel(tr("Choose a method and press Synthesize. The images, the loss and the per-layer "
                             "BN divergence update while it runs."));
    summary_->setObjectName(QStringLiteral("synthSummary"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    heatmap_ = new DivergenceHeatmap;
    heatmap_->setObjectName(QStringLiteral("synthDivergenceHeatmap"));
    heatmap_->setToolTip(tr("BN divergence of every layer (rows) at every diagnostics step (columns): "
                            "layers that stay bright converge late or not at all"));
    centroidMap_ = new CentroidMapView;
    centroidMap_->setObjectName(QStringLiteral("centroidMapView"));
    modeCollapse_ = new ModeCollapseView;
    modeCollapse_->setObjectName(QStringLiteral("modeCollapseView"));
    curves_ = new TrainingCurves;
    curves_->setObjectName(QStringLiteral("trainingCurves"));

    auto* lossPage = new QSplitter(Qt::Vertical);
    lossPage->addWidget(loss_);
    lossPage->addWidget(divergence_);
    lossPage->addWidget(heatmap_);
    views_ = new QTabWidget;
    views_->setObjectName(QStringLiteral("synthViews"));
    views_->addTab(lossPage, tr("Loss && BN divergence"));
    views_->addTab(centroidMap_, tr("Centroids"));
    views_->addTab(modeCollapse_, tr("Mode collapse"));
    views_->addTab(curves_, tr("Generator curves"));
    auto* left = new QSplitter(Qt::Vertical);
    left->addWidget(gallery_);
    left->addWidget(inspector_);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 2);
    auto* split = new QSplitter;
    split->addWidget(methodBox);
    split->addWidget(left);
    split->addWidget(views_);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 2);
    split->setStretchFactor(2, 3);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(summary_);

    connect(method_, &QComboBox::currentIndexChanged, this, [this] { methodChanged(); });
    connect(start_, &QPushButton::clicked, this, [this] { Q_EMIT synthesizeRequested(settings()); });
    connect(save_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getSaveFileName(this, tr("Save synthetic set as folder"));
        if (!dir.isEmpty())
            Q_EMIT saveRequested(dir);
    });
    connect(gallery_, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        if (item)
            inspectClass(item->data(Qt::UserRole).toInt());
    });
}

void SynthesisPanel::setMethods(const QVector<SynthesisMethodInfo>& methods, const QString& preferred) {
    methods_ = methods;
    const QSignalBlocker block(method_);
    method_->clear();
    for (const auto& m : methods) {
        method_->addItem(m.generator ? tr("%1 (generator)").arg(m.name) : m.name, m.name);
        method_->setItemData(method_->count() - 1, m.description, Qt::ToolTipRole);
    }
    if (const int i = method_->findData(preferred); i >= 0)
        method_->setCurrentIndex(i);
    methodChanged();
}

const SynthesisMethodInfo* SynthesisPanel::currentMethod() const {
    const int i = method_->currentIndex();
    return i >= 0 && i < methods_.size() ? &methods_[i] : nullptr;
}

void SynthesisPanel::methodChanged() {
    const SynthesisMethodInfo* m = currentMethod();
    if (!m)
        return;
    options_->setMethod(*m);
    // The GUI starts a generator method on the quick budget (about a minute on the embedded default);
    // standard and paper are one click away.
    if (m->generator)
        options_->setValue(QStringLiteral("budget"), QStringLiteral("quick"));
    methodHelp_->setText(m->description);
    images_->setEnabled(!m->generator && !busy_);
    start_->setText(m->generator ? tr("Train generator") : tr("Synthesize"));
    start_->setToolTip(m->generator ? tr("Trains the generator and the quantized student together at the Bit-widths "
                                         "tab's spec, as an experiment (a run in the Runs tab, resumable)")
                                    : tr("Distils the images from the model's BN statistics"));
}

void SynthesisPanel::setClassNames(const QStringList& names) {
    classNames_ = names;
    centroidMap_->setClassNames(names);
    modeCollapse_->setClassNames(names);
}

QString SynthesisPanel::className(int label) const {
    return label >= 0 && label < classNames_.size() ? classNames_[label] : QString::number(label);
}

void SynthesisPanel::setBusy(bool busy) {
    busy_ = busy;
    start_->setEnabled(!busy);
    save_->setEnabled(!busy && haveSet_);
    method_->setEnabled(!busy);
    options_->setEnabled(!busy);
    const SynthesisMethodInfo* m = currentMethod();
    images_->setEnabled(!busy && !(m && m->generator));
}

SynthesisSettings SynthesisPanel::settings() const {
    SynthesisSettings s;
    const SynthesisMethodInfo* m = currentMethod();
    s.method = m ? m->name : QString();
    s.generator = m && m->generator;
    s.images = images_->value();
    s.seed = quint64(seed_->value());
    s.options = options_->values();
    return s;
}

void SynthesisPanel::showView(const QString& view) {
    static const QStringList order = {QStringLiteral("loss"), QStringLiteral("centroids"), QStringLiteral("collapse"),
                                      QStringLiteral("curves")};
    if (const int i = order.indexOf(view); i >= 0)
        views_->setCurrentIndex(i);
}

void SynthesisPanel::started(const QString& what) {
    gallery_->clear();
    loss_->graph(0)->data()->clear();
    lossMin_ = lossMax_ = 0;
    divergence_->clearPlottables();
    heatmap_->clear();
    centroidMap_->clear();
    modeCollapse_->clear();
    curves_->clear();
    inspector_->clear();
    latest_.clear();
    inspected_ = -1;
    loss_->replot();
    divergence_->replot();
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
    shownLayers_ = layers;
    // Per layer, grouped: KL of the batch's Gaussian from the running one, and the L2 gaps of the
    // channel means and of the standard deviations; one log axis holds their different magnitudes.
    auto* group = new QCPBarsGroup(divergence_);
    const struct {
        QString name;
        QColor colour;
        double LayerDivergenceRow::*value;
    } series[] = {{tr("KL"), QColor(0xd9, 0x6c, 0x3d), &LayerDivergenceRow::kl},
                  {tr("mean gap"), QColor(0x4e, 0x79, 0xa7), &LayerDivergenceRow::meanL2},
                  {tr("std gap"), QColor(0x59, 0xa1, 0x4f), &LayerDivergenceRow::stdL2}};
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double lo = 1e300, hi = 0;
    for (const auto& s : series) {
        auto* bars = new QCPBars(divergence_->xAxis, divergence_->yAxis);
        bars->setName(s.name);
        bars->setBrush(s.colour);
        bars->setPen(Qt::NoPen);
        bars->setWidth(0.27);
        bars->setBarsGroup(group);
        QVector<double> x, y;
        for (int i = 0; i < layers.size(); ++i) {
            const double v = std::max(layers[i].*s.value, 1e-6);   // an exact match sits on the floor
            x << i;
            y << v;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        bars->setData(x, y);
    }
    for (int i = 0; i < layers.size(); ++i)
        ticker->addTick(i, layers[i].layer.right(12));   // the end of the name tells layers apart
    divergence_->legend->setVisible(true);
    divergence_->xAxis->setTicker(ticker);
    divergence_->xAxis->setTickLabelRotation(60);
    divergence_->xAxis->setRange(-0.7, layers.size() - 0.3);
    divergence_->yAxis->setLabel(tr("per layer (log)"));
    if (hi > 0)
        divergence_->yAxis->setRange(lo / 2, hi * 2);
    if (auto* t = qobject_cast<QCPTextElement*>(divergence_->plotLayout()->element(0, 0)))
        t->setText(title);
    divergence_->replot(QCustomPlot::rpQueuedReplot);
}

QString SynthesisPanel::divergenceTip(int layer) const {
    if (layer < 0 || layer >= shownLayers_.size())
        return {};
    const auto& l = shownLayers_[layer];
    return tr("%1\nKL %2\nmean gap %3\nstd gap %4").arg(l.layer).arg(l.kl, 0, 'g', 4).arg(l.meanL2, 0, 'g', 4).arg(l.stdL2, 0, 'g', 4);
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
    QMap<int, ClassImages> byClass;
    for (int i = 0; i < snapshot.images.size(); ++i) {
        if (snapshot.images[i].isNull())
            continue;
        ClassImages& ofClass = byClass[snapshot.labels.value(i)];
        if (ofClass.images.size() < SynthesisSnapshot::perClass) {
            ofClass.images.push_back(snapshot.images[i]);
            ofClass.confidence.push_back(snapshot.confidence.value(i, std::nan("")));
        }
    }
    latestStep_ = snapshot.step;
    for (auto it = byClass.cbegin(); it != byClass.cend(); ++it) {
        const int label = it.key();
        latest_[label] = it.value();
        const QString caption = className(label);
        // A fixed-width strip (empty slots stay transparent) so that every tile lines up.
        QPixmap strip(stripSize());
        strip.fill(Qt::transparent);
        {
            QPainter painter(&strip);
            for (int k = 0; k < it.value().images.size(); ++k)
                painter.drawImage(QRect(k * (kThumb + kGap), 0, kThumb, kThumb), it.value().images[k]);
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
                             .arg(caption).arg(it.value().images.size()).arg(snapshot.step));
    }
    if (inspected_ < 0 && gallery_->count() > 0) {   // the first preview: show its first class large
        gallery_->setCurrentRow(0);
    } else if (inspected_ >= 0 && byClass.contains(inspected_)) {   // keep the large view live, at the same image
        const int at = inspector_->index();
        inspectClass(inspected_);
        inspector_->showIndex(std::min(at, inspector_->count() - 1));
    }
}

void SynthesisPanel::inspectClass(int label) {
    const auto it = latest_.constFind(label);
    if (it == latest_.cend())
        return;
    inspected_ = label;
    inspector_->setImages(it->images, it->confidence, className(label), latestStep_);
}

void SynthesisPanel::showSummary(const SynthesisSummary& s) {
    haveSet_ = true;
    save_->setEnabled(start_->isEnabled());   // the worker reports idle before it reports the result
    centroidMap_->setMaps(s.quality.maps);
    modeCollapse_->setQuality(s.quality, tr("Synthetic set, %1 images").arg(s.images));
    // Tiles of classes the teacher no longer assigns to any final image were only seen mid-run.
    for (int r = gallery_->count() - 1; r >= 0; --r) {
        const int c = gallery_->item(r)->data(Qt::UserRole).toInt();
        if (c < s.classCounts.size() && s.classCounts[c] == 0) {
            latest_.remove(c);
            delete gallery_->takeItem(r);
        }
    }
    drawDivergence(s.layers, tr("BN divergence of the whole set (mean KL %1)").arg(s.meanKl, 0, 'g', 3));
    QStringList counts;
    for (int c = 0; c < s.classCounts.size(); ++c)
        counts << QStringLiteral("%1 %2").arg(className(c)).arg(s.classCounts[c]);
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

void SynthesisPanel::showEpoch(const GeneratorEpoch& e) {
    curves_->addEpoch(e);
    centroidMap_->setMaps(e.quality.maps);
    centroidMap_->setTrajectories(e.trajectories);
    modeCollapse_->setQuality(e.quality, tr("Probe at epoch %1 of %2").arg(e.epoch).arg(e.epochs));
    drawDivergence(e.layers, tr("BN divergence of the probe, epoch %1 (mean KL %2)").arg(e.epoch).arg(e.probeKl, 0, 'g', 3));
    summary_->setText(tr("<b>Epoch %1 of %2</b> · student top-1 %3 · probe BN KL %4 · %5 s per epoch")
                          .arg(e.epoch).arg(e.epochs)
                          .arg(std::isfinite(e.studentTop1) ? tr("%1 %").arg(e.studentTop1, 0, 'f', 2) : tr("—"))
                          .arg(e.probeKl, 0, 'g', 3).arg(e.seconds, 0, 'f', 1));
}

} // namespace dfq::ui
