#include "SnapshotViewer.h"

#include <QCheckBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace dfq::ui {

qint64 SnapshotViewer::stepOf(const QString& file) {
    static const QRegularExpression re(QStringLiteral("step(\\d+)"));
    const auto m = re.match(QFileInfo(file).fileName());
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

SnapshotViewer::SnapshotViewer(QWidget* parent) : QWidget(parent) {
    slider_ = new QSlider(Qt::Horizontal);
    slider_->setObjectName(QStringLiteral("snapshotSlider"));
    connect(slider_, &QSlider::valueChanged, this, [this](int i) { showIndex(i); });
    step_ = new QSpinBox;
    step_->setObjectName(QStringLiteral("snapshotStepSpin"));
    step_->setPrefix(tr("step "));
    step_->setRange(0, 1 << 30);
    step_->setKeyboardTracking(false);   // jump when the number is complete, not on every digit
    connect(step_, &QSpinBox::valueChanged, this, [this](int s) { showStep(s); });
    actual_ = new QCheckBox(tr("1:1 pixels"));
    actual_->setObjectName(QStringLiteral("snapshotActualPixels"));
    connect(actual_, &QCheckBox::toggled, this, [this] { redraw(); });
    pin_ = new QCheckBox(tr("Pin for comparison"));
    pin_->setObjectName(QStringLiteral("snapshotPin"));
    pin_->setToolTip(tr("Keep this snapshot on the left while you scrub or select another run"));
    connect(pin_, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            pin(runName_);
        else
            unpin();
    });
    caption_ = new QLabel;
    caption_->setObjectName(QStringLiteral("snapshotCaption"));
    view_ = new QLabel;
    view_->setObjectName(QStringLiteral("snapshotView"));
    view_->setAlignment(Qt::AlignCenter);
    scroll_ = new QScrollArea;
    scroll_->setWidget(view_);
    scroll_->setAlignment(Qt::AlignCenter);
    scroll_->setMinimumHeight(90);

    auto* controls = new QHBoxLayout;
    controls->addWidget(slider_, 1);
    controls->addWidget(step_);
    controls->addWidget(actual_);
    controls->addWidget(pin_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(caption_);
    layout->addWidget(scroll_, 1);
    setSnapshots({}, {});
}

void SnapshotViewer::setSnapshots(const QStringList& files, const QVector<QImage>& images) {
    files_ = files;
    images_ = images;
    images_.resize(files.size());
    steps_.clear();
    for (const auto& f : files)
        steps_ << stepOf(f);
    {
        const QSignalBlocker b(slider_);
        slider_->setRange(0, std::max(0, int(files.size()) - 1));
        slider_->setValue(0);
    }
    slider_->setEnabled(!files.isEmpty());
    step_->setEnabled(!files.isEmpty());
    current_ = -1;
    if (files.isEmpty()) {
        caption_->setText(tr("No snapshots in this run."));
        view_->clear();
        return;
    }
    showIndex(int(files.size()) - 1);   // the latest images first
}

qint64 SnapshotViewer::currentStep() const { return current_ >= 0 ? steps_.value(current_, -1) : -1; }

QImage SnapshotViewer::imageAt(int index) {
    if (images_[index].isNull())
        images_[index] = QImage(files_[index]);   // decoded on demand beyond the loader's cap
    return images_[index];
}

void SnapshotViewer::showIndex(int index) {
    if (files_.isEmpty())
        return;
    index = std::clamp(index, 0, int(files_.size()) - 1);
    current_ = index;
    {
        const QSignalBlocker a(slider_), b(step_);
        slider_->setValue(index);
        if (steps_[index] >= 0)
            step_->setValue(int(steps_[index]));
    }
    redraw();
}

void SnapshotViewer::showStep(qint64 step) {
    int best = 0;
    for (int i = 0; i < steps_.size(); ++i)
        if (steps_[i] >= 0 && steps_[i] <= step)
            best = i;   // files are in name order: batch, then step
    showIndex(best);
}

void SnapshotViewer::pin(const QString& label) {
    if (current_ < 0)
        return;
    pinned_ = imageAt(current_);
    pinnedText_ = (label.isEmpty() ? QString() : label + QStringLiteral(" ")) + QFileInfo(files_[current_]).completeBaseName();
    const QSignalBlocker b(pin_);
    pin_->setChecked(true);
    redraw();
}

void SnapshotViewer::unpin() {
    pinned_ = QImage();
    pinnedText_.clear();
    const QSignalBlocker b(pin_);
    pin_->setChecked(false);
    redraw();
}

void SnapshotViewer::setActualPixels(bool on) { actual_->setChecked(on); }

bool SnapshotViewer::actualPixels() const { return actual_->isChecked(); }

QSize SnapshotViewer::shownSize() const { return view_->pixmap().size(); }

void SnapshotViewer::redraw() {
    if (current_ < 0)
        return;
    QImage image = imageAt(current_);
    QString caption = tr("%1 (%2 of %3) · %4 × %5 px")
                          .arg(QFileInfo(files_[current_]).fileName()).arg(current_ + 1).arg(files_.size())
                          .arg(image.width()).arg(image.height());
    if (!pinned_.isNull() && !image.isNull()) {
        // The pinned image on the left, the current one on the right, at the same scale.
        QImage both(pinned_.width() + kGap + image.width(), std::max(pinned_.height(), image.height()), QImage::Format_ARGB32);
        both.fill(Qt::transparent);
        QPainter p(&both);
        p.drawImage(0, 0, pinned_);
        p.drawImage(pinned_.width() + kGap, 0, image);
        p.end();
        image = both;
        caption = tr("left: %1 · right: %2").arg(pinnedText_, caption);
    }
    caption_->setText(caption);
    QPixmap pixmap = QPixmap::fromImage(image);
    if (!actualPixels() && !pixmap.isNull()) {
        // Fit the view, in whole pixel multiples when enlarging so that pixels stay square and sharp.
        const QSize room = scroll_->viewport()->size() - QSize(4, 4);
        const double fit = std::min(double(room.width()) / pixmap.width(), double(room.height()) / pixmap.height());
        const double scale = fit >= 1 ? std::max(1.0, std::floor(fit)) : fit;
        pixmap = pixmap.scaled(QSize(int(pixmap.width() * scale), int(pixmap.height() * scale)), Qt::KeepAspectRatio,
                               fit >= 1 ? Qt::FastTransformation : Qt::SmoothTransformation);
    }
    view_->setPixmap(pixmap);
    view_->resize(pixmap.size());
}

} // namespace dfq::ui
