#pragma once
// The Centroids view: the 2-D PCA map of class centroids, of the teacher's penultimate features or of a
// chosen BN layer's channel means, coloured by class, with every image as a cloud around them and,
// for ClusterQ, the EMA trajectories of its centroids. A toggle for each layer of the drawing.
#include "SessionTypes.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QCustomPlot;

namespace dfq::ui {

class CentroidMapView : public QWidget {
    Q_OBJECT
public:
    explicit CentroidMapView(QWidget* parent = nullptr);

    void setClassNames(const QStringList& names);
    /// The maps of a set (SetQuality::maps: [0] penultimate features, then BN layers); keeps the
    /// chosen source when the new set has it.
    void setMaps(const QVector<CentroidMapData>& maps);
    /// ClusterQ's centroid trajectories (drawn on the map of their layer); empty: none.
    void setTrajectories(const CentroidTrajectories& trajectories);
    void clear();

    /// What is drawn now: for tests and the screenshot script.
    QString source() const;
    bool selectSource(const QString& source);   ///< "" = penultimate features; false if absent
    int imagePointCount() const;
    int centroidPointCount() const;
    int trajectoryCount() const;

private:
    void redraw();

    QComboBox* source_ = nullptr;
    QCheckBox* images_ = nullptr;
    QCheckBox* centroids_ = nullptr;
    QCheckBox* trajectories_ = nullptr;
    QCustomPlot* plot_ = nullptr;
    QVector<CentroidMapData> maps_;
    CentroidTrajectories trajectoryData_;
    QStringList classNames_;
    int drawnImages_ = 0, drawnCentroids_ = 0, drawnTrajectories_ = 0;
};

} // namespace dfq::ui
