#pragma once
// The live Curves of a generator run: every loss term's epoch mean (log scale, left) and the student's
// top-1 (percent, right) per epoch, each raw and, optionally, debiased-EMA smoothed beside it.
#include "SessionTypes.h"

#include <QMap>
#include <QWidget>

class QCheckBox;
class QCustomPlot;
class QLabel;

namespace dfq::ui {

class TrainingCurves : public QWidget {
    Q_OBJECT
public:
    explicit TrainingCurves(QWidget* parent = nullptr);

    void addEpoch(const GeneratorEpoch& epoch);
    void clear();

    /// "student top-1" and every loss term seen so far.
    QStringList seriesNames() const;
    /// The raw series: y per epoch (NaN = not reported that epoch).
    QVector<double> series(const QString& name) const;
    /// The smoothed series as drawn (debiased EMA, weight 0.6).
    QVector<double> smoothed(const QString& name) const;

private:
    void redraw();

    QCustomPlot* plot_ = nullptr;
    QCheckBox* smooth_ = nullptr;
    QLabel* status_ = nullptr;
    QVector<double> epochs_;
    QMap<QString, QVector<double>> series_;
};

} // namespace dfq::ui
