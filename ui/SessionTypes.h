#pragma once
// Plain Qt value types that cross from the worker thread to the UI thread (no torch here).
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace dfq::ui {

struct LayerRow {
    QString name;
    QString kind;        ///< "conv", "linear", "bn"
    QString shape;       ///< weight shape, e.g. "16x3x3x3"
    qint64 parameters = 0;
};

struct ModelSummary {
    QString path;
    QString arch;
    QString format;                  ///< checkpoint format
    bool archDetected = false;
    int inChannels = 0, inHeight = 0, inWidth = 0, numClasses = 0;
    qint64 parameters = 0;
    int quantLayers = 0, bnLayers = 0;
    QStringList classNames;
    QString normalization;
    QVector<LayerRow> layers;
};

struct DatasetSummary {
    QString path;
    QString description;
    qint64 images = 0;
    QStringList classNames;
    QStringList notes;
};

struct EvalSummary {
    qint64 images = 0;
    double top1 = 0, top5 = 0;
    QVector<double> perClass;
    double seconds = 0, imagesPerSecond = 0;
};

} // namespace dfq::ui

Q_DECLARE_METATYPE(dfq::ui::ModelSummary)
Q_DECLARE_METATYPE(dfq::ui::DatasetSummary)
Q_DECLARE_METATYPE(dfq::ui::EvalSummary)
