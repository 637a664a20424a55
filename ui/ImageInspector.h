#pragma once
// A large view of one gallery image with the teacher's prediction and confidence: the images of the
// class tile that was clicked, one at a time, magnified by a whole-pixel factor (no smoothing).
#include <QImage>
#include <QVector>
#include <QWidget>

class QLabel;
class QToolButton;

namespace dfq::ui {

class ImageInspector : public QWidget {
    Q_OBJECT
public:
    explicit ImageInspector(QWidget* parent = nullptr);

    /// The images the teacher assigns to `className` at `step`, with its softmax probability of that
    /// class for each ([0,1]; empty or NaN: unknown). Shows the first.
    void setImages(const QVector<QImage>& images, const QVector<double>& confidence, const QString& className, qint64 step);
    void showIndex(int index);
    void clear();

    int index() const { return index_; }
    int count() const { return int(images_.size()); }
    QImage currentImage() const;
    QString caption() const;
    /// The whole-pixel magnification the image is drawn at (>= 1).
    int zoom() const;

private:
    class PixelView;
    PixelView* view_ = nullptr;
    QLabel* caption_ = nullptr;
    QToolButton* previous_ = nullptr;
    QToolButton* next_ = nullptr;
    QVector<QImage> images_;
    QVector<double> confidence_;
    QString className_;
    qint64 step_ = 0;
    int index_ = -1;
};

} // namespace dfq::ui
