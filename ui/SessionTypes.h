#pragma once
// Plain Qt value types that cross from the worker thread to the UI thread (no torch here).
#include <QImage>
#include <QMap>
#include <QMetaType>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVector>

#include <cmath>
#include <limits>

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
    bool hasOnnx = false;             ///< export/model.onnx exists
    bool hasSyntheticSet = false;     ///< checkpoints/synthetic holds a synthetic set
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

/// One declared option of a method (synth::OptionSpec) as the Method & Budget form edits it.
struct OptionField {
    QString key;             ///< e.g. "iterations", "bns_weight"
    QString help;
    QVariant defaultValue;   ///< bool, qlonglong, double or QString: the option's type
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    QStringList choices;     ///< strings only; empty: free text
};

/// A registered method as the Synthesize tab offers it: a pixel-synthesis method (synth registry) or
/// a generator method (generative registry: a generator and the quantized student trained together).
struct SynthesisMethodInfo {
    QString name;            ///< "zeroq", "noise", "gdfq", ...
    QString description;
    QStringList options;     ///< its option keys, e.g. "iterations", "batch_size"
    QVector<OptionField> fields;   ///< the same options, declared
    bool generator = false;
    /// Generator methods: what each budget ("quick", "standard", "paper") sets over the defaults.
    QMap<QString, QVariantMap> budgets;
};

/// What the user asked the Synthesize tab for.
struct SynthesisSettings {
    QString method;          ///< a registered synthesis or generator method
    bool generator = false;
    qint64 images = 64;      ///< pixel methods: images to synthesise
    quint64 seed = 0;
    QVariantMap options;     ///< the options the user set (anything left out takes the method's or budget's value)
};

/// A live preview: a few images of the current batch with the teacher's current prediction.
struct SynthesisSnapshot {
    /// Images per predicted class in a preview: enough to see whether a class has collapsed to one mode.
    static constexpr int perClass = 4;
    qint64 step = 0;
    QVector<QImage> images;  ///< 8-bit, the model's input size
    QVector<int> labels;
    QVector<double> confidence;   ///< the teacher's softmax probability of each label, [0,1]; empty: unknown
};

struct LayerDivergenceRow {
    QString layer;
    double kl = 0, meanL2 = 0, stdL2 = 0;
};

/// A 2-D map of a set (synth::SetAssessment): every image and each present class's centroid on the
/// two principal axes of the centroids, of penultimate features or of one BN layer's channel means.
struct CentroidMapData {
    QString source;                   ///< "" = penultimate features, else a BN layer path
    QVector<QPointF> imagePoints;
    QVector<int> imageLabels;
    QVector<QPointF> centroidPoints;
    QVector<int> centroidClasses;
    double explained[2] = {0, 0};     ///< fraction of the variance along each axis
    bool ofCentroids = true;          ///< false: the fallback PCA of every image (< 3 classes present)
};

/// Two images of one class the teacher's features find most alike (metrics::mostSimilarPairs).
struct SimilarPairView {
    int cls = 0;
    double similarity = 0;            ///< cosine of their penultimate features, [-1, 1]
    QImage first, second;
};

/// How diverse a set is, per class (synth::SetAssessment).
struct SetQuality {
    QVector<qint64> counts;           ///< images per class
    QVector<double> diversity;        ///< mean pairwise cosine distance of features per class (NaN: < 2 images)
    QVector<double> modeCollapse;     ///< 1 − diversity / Gaussian noise's, per class (NaN: undefined)
    QVector<CentroidMapData> maps;    ///< [0] penultimate features, then each BN layer, forward order
    QVector<SimilarPairView> pairs;   ///< up to 3 per class, most similar first
};

/// ClusterQ's class centroids (the EMA of per-class BN statistics of its deepest clustered layer) at
/// every epoch so far, projected on the axes of the current probe's map of that layer.
struct CentroidTrajectories {
    QString layer;                    ///< the BN layer, e.g. "layer3.2.bn2"
    QVector<int> classes;             ///< which class each trajectory follows
    QVector<QVector<QPointF>> points; ///< [trajectory][epoch]; an epoch before the class had a centroid is skipped
};

/// One epoch of a generator method's joint loop (generative::EpochReport).
struct GeneratorEpoch {
    qint64 epoch = 0, epochs = 0;     ///< 1-based
    qint64 iterations = 0;            ///< done in total
    bool studentTrained = false;      ///< false in the warm-up epochs
    QMap<QString, double> terms;      ///< every loss term's mean over the epoch ("g_ce", "g_bns", "s_kd", ...)
    double studentTop1 = std::nan(""); ///< percent, on at most 100 test images per class (NaN: no test data)
    double seconds = 0;
    double probeKl = 0;               ///< mean BN KL of the probe
    SynthesisSnapshot probe;          ///< the fixed probe, rendered at the epoch's end
    SetQuality quality;               ///< of the probe
    QVector<LayerDivergenceRow> layers;
    CentroidTrajectories trajectories;   ///< ClusterQ only (layer empty otherwise)
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
    SetQuality quality;               ///< per-class diversity, centroid maps, most similar pairs
    QStringList notes;
};

} // namespace dfq::ui

Q_DECLARE_METATYPE(dfq::ui::SynthesisSettings)
Q_DECLARE_METATYPE(dfq::ui::SynthesisSnapshot)
Q_DECLARE_METATYPE(dfq::ui::SynthesisSummary)
Q_DECLARE_METATYPE(dfq::ui::GeneratorEpoch)
Q_DECLARE_METATYPE(dfq::ui::ModelSummary)
Q_DECLARE_METATYPE(dfq::ui::DatasetSummary)
Q_DECLARE_METATYPE(dfq::ui::EvalSummary)
Q_DECLARE_METATYPE(dfq::ui::QuantTrialSummary)
Q_DECLARE_METATYPE(dfq::ui::SensitivitySummary)
Q_DECLARE_METATYPE(dfq::ui::SetQuality)
Q_DECLARE_METATYPE(dfq::ui::RunView)
