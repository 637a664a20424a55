#pragma once
// The layer × step view of a synthesis's BN divergence: one column per diagnostics step, one row per
// BN layer, the colour the log10 of the KL between the batch's statistics and the layer's running
// ones. Shows at a glance which layers converge late (or never) and when. Hovering a cell gives its
// layer, step, KL, mean gap and std gap. Fed live (addStep) or from a recorded stream; torch-free.
#include "SessionTypes.h"

#include <QWidget>

class QCustomPlot;
class QCPColorMap;
class QMouseEvent;

namespace dfq::ui {

class DivergenceHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit DivergenceHeatmap(QWidget* parent = nullptr);

    void clear();
    /// Appends the column of `step` (layers in the order of the first column; a step not after the
    /// last is ignored).
    void addStep(qint64 step, const QVector<LayerDivergenceRow>& layers);

    int steps() const { return int(steps_.size()); }
    QStringList layers() const { return layers_; }
    /// The recorded value at (layer row, step column); nullptr outside.
    const LayerDivergenceRow* cell(int layer, int column) const;
    /// The tooltip text of a cell, as hovering shows it.
    QString cellText(int layer, int column) const;
    QCustomPlot* plot() const { return plot_; }

private:
    void redraw();
    void showTooltip(QMouseEvent* event);

    QCustomPlot* plot_ = nullptr;
    QCPColorMap* map_ = nullptr;
    QStringList layers_;
    QVector<qint64> steps_;
    QVector<QVector<LayerDivergenceRow>> columns_;
};

} // namespace dfq::ui
