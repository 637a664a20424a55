#pragma once
// The Mode collapse view: per class, the intra-class diversity of the teacher's features and the
// collapse score against Gaussian noise (bars, numbers in the tooltip), and the most similar image
// pairs within each class side by side: a collapsed class shows near-twins at cosine ≈ 1.
#include "SessionTypes.h"

#include <QWidget>

class QCustomPlot;
class QLabel;
class QListWidget;

namespace dfq::ui {

class ModeCollapseView : public QWidget {
    Q_OBJECT
public:
    explicit ModeCollapseView(QWidget* parent = nullptr);

    void setClassNames(const QStringList& names);
    /// `what` titles the view, e.g. "synthetic set, 256 images" or "probe, epoch 3".
    void setQuality(const SetQuality& quality, const QString& what);
    void clear();

    int pairCount() const;
    /// The tooltip text of class c's bars (what hovering shows).
    QString classTip(int cls) const;

private:
    QString className(int cls) const;

    QCustomPlot* plot_ = nullptr;
    QListWidget* pairs_ = nullptr;
    QLabel* title_ = nullptr;
    SetQuality quality_;
    QStringList classNames_;
};

} // namespace dfq::ui
