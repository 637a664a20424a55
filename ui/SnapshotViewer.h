#pragma once
// One run's snapshot history, scrubbed: a slider over every snapshot in step order, an exact-step
// entry (jumps to the last snapshot at or before it), and a large view of the chosen one, fitted to
// the view or at 1:1 pixels (each image pixel one screen pixel, for judging textures). Torch-free.
#include <QImage>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QLabel;
class QScrollArea;
class QSlider;
class QSpinBox;

namespace dfq::ui {

class SnapshotViewer : public QWidget {
    Q_OBJECT
public:
    explicit SnapshotViewer(QWidget* parent = nullptr);

    /// files: snapshot PNGs named "...step<N>.png" (SnapshotPng); images: the decoded ones, same order
    /// (may be fewer: the rest are decoded when shown).
    void setSnapshots(const QStringList& files, const QVector<QImage>& images);
    int count() const { return int(files_.size()); }
    int current() const { return current_; }
    qint64 currentStep() const;
    /// Shows snapshot index (clamped).
    void showIndex(int index);
    /// Shows the last snapshot at or before step (the first when step is before all).
    void showStep(qint64 step);
    void setActualPixels(bool on);
    bool actualPixels() const;
    /// The image on show at its display scale (for tests: fitted or 1:1).
    QSize shownSize() const;

    /// The step a snapshot's file name records ("batch000-step000120.png" → 120), -1 when none.
    static qint64 stepOf(const QString& file);

private:
    void redraw();
    QImage imageAt(int index);

    QStringList files_;
    QVector<QImage> images_;
    QVector<qint64> steps_;
    int current_ = -1;
    QSlider* slider_ = nullptr;
    QSpinBox* step_ = nullptr;
    QCheckBox* actual_ = nullptr;
    QLabel* caption_ = nullptr;
    QLabel* view_ = nullptr;
    QScrollArea* scroll_ = nullptr;
};

} // namespace dfq::ui
