#include "ImageInspector.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace dfq::ui {

class ImageInspector::PixelView : public QWidget {
public:
    PixelView() { setMinimumSize(96, 96); }
    void setImage(const QImage& image) {
        image_ = image;
        update();
    }
    int zoom() const {
        if (image_.isNull())
            return 1;
        return std::max(1, std::min(width() / image_.width(), height() / image_.height()));
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        if (image_.isNull())
            return;
        const int z = zoom();
        const QSize size = image_.size() * z;
        // Whole-pixel magnification without interpolation: what the network sees, pixel for pixel.
        p.setRenderHint(QPainter::SmoothPixmapTransform, false);
        p.drawImage(QRect(QPoint((width() - size.width()) / 2, (height() - size.height()) / 2), size), image_);
    }

private:
    QImage image_;
};

ImageInspector::ImageInspector(QWidget* parent) : QWidget(parent) {
    view_ = new PixelView;
    view_->setObjectName(QStringLiteral("inspectorImage"));
    caption_ = new QLabel;
    caption_->setObjectName(QStringLiteral("inspectorCaption"));
    caption_->setWordWrap(true);
    caption_->setAlignment(Qt::AlignCenter);
    previous_ = new QToolButton;
    previous_->setArrowType(Qt::LeftArrow);
    previous_->setObjectName(QStringLiteral("inspectorPrevious"));
    previous_->setToolTip(tr("Previous image of this class"));
    next_ = new QToolButton;
    next_->setArrowType(Qt::RightArrow);
    next_->setObjectName(QStringLiteral("inspectorNext"));
    next_->setToolTip(tr("Next image of this class"));
    connect(previous_, &QToolButton::clicked, this, [this] { showIndex(index_ - 1); });
    connect(next_, &QToolButton::clicked, this, [this] { showIndex(index_ + 1); });
    auto* row = new QHBoxLayout;
    row->addWidget(previous_);
    row->addWidget(caption_, 1);
    row->addWidget(next_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view_, 1);
    layout->addLayout(row);
    clear();
}

void ImageInspector::clear() {
    images_.clear();
    confidence_.clear();
    index_ = -1;
    view_->setImage({});
    caption_->setText(tr("Click a class in the gallery to see its images large, with the teacher's prediction."));
    previous_->setEnabled(false);
    next_->setEnabled(false);
}

void ImageInspector::setImages(const QVector<QImage>& images, const QVector<double>& confidence, const QString& className,
                               qint64 step) {
    images_ = images;
    confidence_ = confidence;
    className_ = className;
    step_ = step;
    index_ = -1;
    showIndex(0);
}

void ImageInspector::showIndex(int index) {
    if (index < 0 || index >= images_.size())
        return;
    index_ = index;
    view_->setImage(images_[index]);
    const double p = confidence_.value(index, NAN);
    const QString confidence = std::isfinite(p) ? tr("%1 %").arg(100 * p, 0, 'f', 1) : tr("confidence unknown");
    caption_->setText(tr("Teacher: <b>%1</b> · %2 · image %3 of %4 · step %5 · %6×%7 px")
                          .arg(className_.toHtmlEscaped(), confidence)
                          .arg(index + 1).arg(images_.size()).arg(step_)
                          .arg(images_[index].width()).arg(images_[index].height()));
    previous_->setEnabled(index > 0);
    next_->setEnabled(index + 1 < images_.size());
}

QImage ImageInspector::currentImage() const { return index_ >= 0 ? images_[index_] : QImage(); }

QString ImageInspector::caption() const { return caption_->text(); }

int ImageInspector::zoom() const { return view_->zoom(); }

} // namespace dfq::ui
