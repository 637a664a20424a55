#pragma once
// The bit-width panel's per-layer grid: one row per quantizer of the model (every Conv2d/Linear
// weight; every layer input under the all-inputs placement, every ReLU output otherwise), with its
// bits (2..8 or fp32), per-channel toggle (weights), observer and weight count. The spec itself is
// the panel's document: an edit in the grid does not change it here but asks for the edited spec
// (editRequested), which the panel pushes onto its undo stack; setSpecJson then shows it. Built and
// checked from the model's structure alone (QuantTopologySummary), so it lives in the UI thread;
// the spec crosses to the worker as QuantSpec JSON. Torch-free header.
#include "SessionTypes.h"

#include <QAbstractTableModel>
#include <QByteArray>
#include <QStringList>

#include <memory>

namespace dfq::ui {

/// The panel's global controls: buildQuantSpec's placement, nominal bits and QuantOptions.
struct QuantPreset {
    QString placement = QStringLiteral("gdfq");   ///< gdfq, f8l8, all-inputs
    int weightBits = 4, activationBits = 4;       ///< 2..8, or 32 = float
    bool perChannelWeights = true;
    QString weightObserver = QStringLiteral("minmax");
    QString activationObserver = QStringLiteral("ema");
    bool foldBn = false;
    bool operator==(const QuantPreset& o) const;
};

class QuantSpecTable : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, RoleColumn, BitsColumn, PerChannelColumn, ObserverColumn, ElementsColumn, ColumnCount };

    explicit QuantSpecTable(QObject* parent = nullptr);
    ~QuantSpecTable() override;

    /// A new model: clears the spec (call setSpecJson or presetSpecJson next).
    void setTopology(const QuantTopologySummary& topology);
    bool hasTopology() const;
    /// Observer names offered in the grid's observer column (quant::observerNames()).
    void setObserverNames(const QStringList& names) { observers_ = names; }
    const QStringList& observerNames() const { return observers_; }

    /// The spec for preset on this model (QuantSpec JSON); empty and *error set when it does not fit.
    QByteArray presetSpecJson(const QuantPreset& preset, QString* error = nullptr) const;
    /// Shows spec (QuantSpec JSON). False (nothing changes, *error says why) for a malformed spec or
    /// one that names layers this model does not have.
    bool setSpecJson(const QByteArray& json, QString* error = nullptr);
    QByteArray specJson() const;           ///< empty before the first setSpecJson
    /// The current spec with the weight bits of the named layers replaced (a mixed-precision point);
    /// layers whose weights are not quantized are left as they are. Empty (*error set) when a name is
    /// not a layer of the spec or a width is invalid.
    QByteArray specJsonWithWeightBits(const QStringList& layers, const QVector<int>& bits, QString* error = nullptr) const;
    /// Weight bits per quantized weight layer of the current spec.
    QVector<int> weightBitsOf(const QStringList& layers) const;
    /// The preset controls that reproduce the spec's nominal settings (observers from its first
    /// quantized weight / activation).
    QuantPreset presetOfSpec() const;
    /// "W4A4 gdfq", plus ", mixed: N quantizers changed" when the grid was edited off the preset.
    QString label() const;
    /// Storage at the spec's bits (quant::modelSize): bytes, and the fp32 bytes.
    double sizeBytes() const;
    double fp32Bytes() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    /// Bits (EditRole: 2..8 or 32), per-channel (CheckStateRole) or observer (EditRole: a name):
    /// emits editRequested with the edited spec and returns true; the shown spec changes only when
    /// the panel applies it. False for an invalid value or no change.
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

Q_SIGNALS:
    /// after: the whole edited spec (QuantSpec JSON); text: what changed, for the undo history.
    void editRequested(const QByteArray& after, const QString& text);

private:
    struct Impl;
    std::unique_ptr<Impl> d_;
    QStringList observers_;
};

} // namespace dfq::ui
