#pragma once
// One run's snapshot history, scrubbed: a slider over every snapshot in step order, an exact-step
// entry (jumps to the last snapshot at or before it), and a large view of the chosen one, fitted to
// the view or at 1:1 pixels (each image pixel one screen pixel, for judging textures). "Pin" keeps
// the shown snapshot on the left while scrubbing, or while another run is selected, for a
// side-by-side comparison of two steps or two runs. Torch-free.
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
    /// The image on show at its display scale (for tests: fitted or 1:1); with a pin, both side by side.
    QSize shownSize() const;
    /// Pins the shown snapshot (label: the run's name) for comparison; unpin clears it.
    void pin(const QString& label);
    void unpin();
    bool hasPin() const { return !pinned_.isNull(); }
    /// The run name used as the pin label (the panel sets it with the snapshots).
    void setRunName(const QString& name) { runName_ = name; }
    /// Gap in pixels between a pinned and the current image.
    static constexpr int kGap = 4;

    /// The step a snapshot's file name records ("batch000-step000120.png" → 120), -1 when none.
    static qint64 stepOf(const QString& file);

private:
    void redraw();
    QImage imageAt(int index);

    QImage pinned_;
    QString pinnedText_, runName_;
    QCheckBox* pin_ = nullptr;
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
