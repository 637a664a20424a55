#pragma once
// The mixed-precision view of the Bit-widths tab: per-layer weight sensitivity Ω (ZeroQ's KL of the
// output when only that layer is quantized) as grouped bars, one group per layer and one bar per
// candidate width, and the size / Σ Ω Pareto front of the allocations, on which the current spec is
// marked. Clicking a front point asks for that allocation (pointChosen), which the panel applies as
// one undoable edit. Numbers are in tooltips. Draws only: the measurement runs in the worker.
#include "SessionTypes.h"

#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QLabel;
class QPushButton;
class QLineEdit;
class QMouseEvent;

namespace dfq::ui {

class MixedPrecisionView : public QWidget {
    Q_OBJECT
public:
    explicit MixedPrecisionView(QWidget* parent = nullptr);

    /// The candidate widths typed by the user ("2 3 4 6 8"); invalid entries dropped, sorted.
    QVector<int> candidates() const;
    void showSensitivity(const SensitivitySummary& s);
    const SensitivitySummary& summary() const { return summary_; }
    bool hasSummary() const { return !summary_.layers.isEmpty(); }
    /// The weight bits of the current spec for summary().layers: its point is marked on the front
    /// when every width is a candidate (Σ Ω known).
    void setCurrentBits(const QVector<int>& bits);
    /// The marked current point: weight bytes and Σ Ω; false when not on the measured grid.
    bool currentPoint(double* weightBytes, double* omega) const;
    /// Status under the plots ("Measuring…", an error, or empty).
    void setStatus(const QString& text);
    void setMeasuring(bool measuring);

public Q_SLOTS:
    /// Emits pointChosen for front point index (what a click does).
    void choosePoint(int index);

Q_SIGNALS:
    void measureRequested(const QVector<int>& candidates);
    /// layers and their weight bits; description for the undo history.
    void pointChosen(const QStringList& layers, const QVector<int>& bits, const QString& description);

private:
    void drawBars();
    void drawFront();
    void showTooltip(QCustomPlot* plot, QMouseEvent* event);

    SensitivitySummary summary_;
    QVector<int> currentBits_;
    QPushButton* measure_ = nullptr;
    QLineEdit* candidates_ = nullptr;
    QLabel* status_ = nullptr;
    QCustomPlot* bars_ = nullptr;
    QCustomPlot* front_ = nullptr;
    QCPGraph* frontGraph_ = nullptr;
    QCPGraph* currentGraph_ = nullptr;
};

} // namespace dfq::ui
