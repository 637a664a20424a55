#pragma once
// Plain Qt value types that cross from the worker thread to the UI thread (no torch here).
#include <QImage>
#include <QMetaType>
#include <QPointF>
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

/// One Conv2d/Linear as the bit-width panel needs it (quant::QuantLayerShape in Qt types).
struct QuantLayerInfo {
    QString name;
    bool conv = true;
    qint64 weightElements = 0;
    qint64 outChannels = 0;
};

/// The model's quantizable structure (quant::QuantTopology): enough to build, check and size a spec
/// in the UI thread without the model.
struct QuantTopologySummary {
    QString arch;
    QVector<QuantLayerInfo> layers;   ///< forward order
    QStringList activations;          ///< ReLU/ReLU6 module paths, forward order
    qint64 floatElements = 0;         ///< every float parameter/buffer element (fp32 size = 4 bytes each)
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
    QuantTopologySummary topology;
};

/// One finished re-quantization trial of the bit-width panel (pipeline::QuantTrialResult).
struct QuantTrialSummary {
    quint64 serial = 0;               ///< the TrialScheduler serial it answers
    QString label;                    ///< e.g. "W4A4 gdfq"
    double top1 = 0, top5 = 0;        ///< percent
    double fp32Top1 = 0;              ///< the FP32 model on the same test images (percent)
    qint64 images = 0;                ///< test images evaluated
    QVector<double> perClass;         ///< percent per class (NaN: class absent)
    double sizeBytes = 0, fp32Bytes = 0;
    qint64 calibrationImages = 0;
    double seconds = 0;               ///< calibration + evaluation
    double calibrationSeconds = 0, evaluationSeconds = 0;
    double fp32Seconds = 0;           ///< the FP32 reference on the same images (0 when cached)
};

/// Per-layer weight sensitivity of the loaded model under a spec (quant::measureSensitivity, ZeroQ's
/// Ω: KL of the output when only that layer's weights are quantized) and its size/Ω Pareto front.
struct SensitivitySummary {
    QStringList layers;               ///< the spec's quantized weight layers, forward order
    QVector<qint64> weightCounts;     ///< |W_i|
    QVector<int> bits;                ///< candidate bit widths, ascending
    QVector<QVector<double>> omega;   ///< omega[i][j] = Ω_i(bits[j]) (nats)
    struct Point {
        double weightBytes = 0;       ///< Σ |W_i|·k_i / 8
        double omega = 0;             ///< Σ Ω_i(k_i)
        QVector<int> bits;            ///< per layer, as `layers`
    };
    QVector<Point> front;             ///< by size, Ω strictly decreasing
    qint64 images = 0;                ///< calibration images Ω was measured on
    double seconds = 0;
};

/// A run directory read back for the Runs panel (pipeline::RunHistory in Qt types).
struct RunView {
    QString dir, name;                ///< absolute path; its folder name
    QString status, message;          ///< running | finished | failed | cancelled; why it stopped
    QString method, ptq, protocol, placement;
    int wbits = 0, abits = 0;
    double fp32Top1 = 0, quantTop1 = 0;   ///< percent; NaN when not evaluated
    double seconds = 0;               ///< Σ completed stage times
    struct Series {
        QString stage, name, xKey;
        QVector<double> x, y;         ///< y NaN = a gap
    };
    QVector<Series> series;
    QStringList snapshotFiles;        ///< absolute paths, sorted
    QVector<QImage> snapshots;        ///< the first kMaxSnapshots of them, decoded
    static constexpr int kMaxSnapshots = 120;
    bool metricsTruncated = false;
    bool resumable = false;
    bool hasReport = false;           ///< report.html exists
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

/// A registered synthesis method as the Synthesize tab offers it.
struct SynthesisMethodInfo {
    QString name;            ///< "zeroq", "noise", ...
    QString description;
    QStringList options;     ///< its option keys (synth::OptionSpec), e.g. "iterations", "batch_size"
};

/// What the user asked the Synthesize tab for.
struct SynthesisSettings {
    QString method;          ///< a registered synthesis method ("zeroq", "dsg", "genie", ...)
    qint64 images = 64;
    qint64 iterations = 0;   ///< per batch; 0 = the method's default; ignored by methods without iterations
    qint64 batchSize = 0;    ///< 0 = the method's default
    quint64 seed = 0;
};

/// A live preview: a few images of the current batch with the teacher's current prediction.
struct SynthesisSnapshot {
    /// Images per predicted class in a preview: enough to see whether a class has collapsed to one mode.
    static constexpr int perClass = 4;
    qint64 step = 0;
    QVector<QImage> images;  ///< 8-bit, the model's input size
    QVector<int> labels;
};

struct LayerDivergenceRow {
    QString layer;
    double kl = 0, meanL2 = 0, stdL2 = 0;
};

/// The finished set, assessed (synth::assessSyntheticSet).
struct SynthesisSummary {
    QString method;
    qint64 images = 0;
    double seconds = 0;
    double meanKl = 0, meanL2 = 0;
    double featureDiversity = 0, pixelDiversity = 0;
    QVector<LayerDivergenceRow> layers;
    QVector<qint64> classCounts;
    double meanMaxProbability = 0, meanEntropy = 0;   ///< the teacher on the set
    /// The 2-D centroid map (synth::SetAssessment): every image and each present class's centroid.
    QVector<QPointF> imagePoints;
    QVector<int> imageLabels;
    QVector<QPointF> centroidPoints;
    QVector<int> centroidClasses;
    double explained[2] = {0, 0};
    bool mapOfCentroids = true;
    QStringList notes;
};

} // namespace dfq::ui

Q_DECLARE_METATYPE(dfq::ui::SynthesisSettings)
Q_DECLARE_METATYPE(dfq::ui::SynthesisSnapshot)
Q_DECLARE_METATYPE(dfq::ui::SynthesisSummary)
Q_DECLARE_METATYPE(dfq::ui::ModelSummary)
Q_DECLARE_METATYPE(dfq::ui::DatasetSummary)
Q_DECLARE_METATYPE(dfq::ui::EvalSummary)
Q_DECLARE_METATYPE(dfq::ui::QuantTrialSummary)
Q_DECLARE_METATYPE(dfq::ui::SensitivitySummary)
Q_DECLARE_METATYPE(dfq::ui::RunView)
