#include "QuantSpecTable.h"

#include "quant/ModelSize.h"
#include "quant/QuantSpec.h"

#include <QLocale>

#include <algorithm>

#include <optional>

namespace dfq::ui {

bool QuantPreset::operator==(const QuantPreset& o) const {
    return placement == o.placement && weightBits == o.weightBits && activationBits == o.activationBits &&
           perChannelWeights == o.perChannelWeights && weightObserver == o.weightObserver &&
           activationObserver == o.activationObserver && foldBn == o.foldBn;
}

namespace {

enum class QuantizerRole { Weight, Input, Activation };

/// A grid row: which quantizer of the topology it shows.
struct Row {
    QuantizerRole role;
    int index;   ///< topology.layers index (Weight, Input) or topology.activations index
};

quant::QuantOptions optionsOf(const QuantPreset& p) {
    quant::QuantOptions o;
    o.perChannelWeights = p.perChannelWeights;
    o.weightObserver = p.weightObserver.toStdString();
    o.activationObserver = p.activationObserver.toStdString();
    o.foldBn = p.foldBn;
    return o;
}

QString bitsText(int bits) { return bits == quant::kFloatBits ? QStringLiteral("fp32") : QString::number(bits); }

} // namespace

struct QuantSpecTable::Impl {
    quant::QuantTopology topology;
    QuantTopologySummary summary;
    std::optional<quant::QuantSpec> spec;
    std::vector<Row> rows;

    void buildRows() {
        rows.clear();
        for (int i = 0; i < int(topology.layers.size()); ++i)
            rows.push_back({QuantizerRole::Weight, i});
        if (spec && spec->placement == quant::LayerPlacement::AllInputs) {
            for (int i = 0; i < int(topology.layers.size()); ++i)
                rows.push_back({QuantizerRole::Input, i});
        } else {
            for (int i = 0; i < int(topology.activations.size()); ++i)
                rows.push_back({QuantizerRole::Activation, i});
        }
    }

    std::string nameOf(const Row& r) const {
        return r.role == QuantizerRole::Activation ? topology.activations[size_t(r.index)]
                                                   : topology.layers[size_t(r.index)].name;
    }

    /// The row's quantizer in spec s; nullptr for an activation site s leaves float (not listed).
    static const quant::TensorQuantSpec* tensorIn(const quant::QuantSpec& s, const Row& r, const std::string& name) {
        if (r.role == QuantizerRole::Activation) {
            const auto* a = s.findActivation(name);
            return a ? &a->output : nullptr;
        }
        const auto* l = s.findLayer(name);
        if (!l)
            return nullptr;
        return r.role == QuantizerRole::Weight ? &l->weight : &l->input;
    }

    /// The preset spec the current spec was built from (for "mixed" and the defaults of new sites).
    std::optional<quant::QuantSpec> presetOf(const QuantPreset& p) const {
        try {
            return quant::buildQuantSpec(topology, quant::parsePlacement(p.placement.toStdString()), p.weightBits,
                                         p.activationBits, optionsOf(p));
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
};

QuantSpecTable::QuantSpecTable(QObject* parent) : QAbstractTableModel(parent), d_(std::make_unique<Impl>()) {
    qRegisterMetaType<QuantTrialSummary>();
}

QuantSpecTable::~QuantSpecTable() = default;

void QuantSpecTable::setTopology(const QuantTopologySummary& t) {
    beginResetModel();
    d_->summary = t;
    d_->topology = {};
    d_->topology.arch = t.arch.toStdString();
    for (const auto& l : t.layers)
        d_->topology.layers.push_back({l.name.toStdString(), l.conv, l.weightElements, l.outChannels});
    for (const auto& a : t.activations)
        d_->topology.activations.push_back(a.toStdString());
    d_->topology.floatElements = t.floatElements;
    d_->spec.reset();
    d_->rows.clear();
    endResetModel();
}

bool QuantSpecTable::hasTopology() const { return !d_->topology.layers.empty(); }

QByteArray QuantSpecTable::presetSpecJson(const QuantPreset& preset, QString* error) const {
    try {
        const auto s = quant::buildQuantSpec(d_->topology, quant::parsePlacement(preset.placement.toStdString()),
                                             preset.weightBits, preset.activationBits, optionsOf(preset));
        return QByteArray::fromStdString(s.toJson().dump());
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return {};
    }
}

QByteArray QuantSpecTable::specJsonWithWeightBits(const QStringList& layers, const QVector<int>& bits, QString* error) const {
    try {
        if (!d_->spec)
            throw std::runtime_error("no spec yet");
        if (layers.size() != bits.size())
            throw std::runtime_error("one width per layer is needed");
        quant::QuantSpec edited = *d_->spec;
        for (int i = 0; i < layers.size(); ++i) {
            const std::string name = layers[i].toStdString();
            auto it = std::find_if(edited.layers.begin(), edited.layers.end(),
                                   [&](const quant::LayerQuantSpec& l) { return l.name == name; });
            if (it == edited.layers.end())
                throw std::runtime_error("the spec has no layer " + name);
            quant::validateBits(bits[i], name);
            if (it->weight.quantized())
                it->weight.bits = bits[i];
        }
        quant::validateQuantSpec(edited, d_->topology);
        return QByteArray::fromStdString(edited.toJson().dump());
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return {};
    }
}

QVector<int> QuantSpecTable::weightBitsOf(const QStringList& layers) const {
    QVector<int> out;
    for (const QString& n : layers) {
        int b = quant::kFloatBits;
        if (d_->spec)
            for (const auto& l : d_->spec->layers)
                if (l.name == n.toStdString())
                    b = l.weight.bits;
        out << b;
    }
    return out;
}

bool QuantSpecTable::setSpecJson(const QByteArray& json, QString* error) {
    quant::QuantSpec s;
    try {
        s = quant::QuantSpec::fromJson(nlohmann::json::parse(json.toStdString()));
        if (s.arch != d_->topology.arch)
            throw std::runtime_error("the spec is for " + s.arch + ", the model is " + d_->topology.arch);
        quant::validateQuantSpec(s, d_->topology);
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    const bool sameRows = d_->spec && d_->spec->placement == s.placement;
    if (sameRows) {
        d_->spec = std::move(s);
        if (!d_->rows.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    } else {
        beginResetModel();
        d_->spec = std::move(s);
        d_->buildRows();
        endResetModel();
    }
    return true;
}

QByteArray QuantSpecTable::specJson() const {
    return d_->spec ? QByteArray::fromStdString(d_->spec->toJson().dump()) : QByteArray();
}

QuantPreset QuantSpecTable::presetOfSpec() const {
    QuantPreset p;
    if (!d_->spec)
        return p;
    const auto& s = *d_->spec;
    p.placement = QString::fromStdString(quant::placementName(s.placement));
    p.weightBits = s.weightBits;
    p.activationBits = s.activationBits;
    p.foldBn = s.foldBn;
    for (const auto& l : s.layers)
        if (l.weight.quantized()) {
            p.perChannelWeights = l.weight.perChannel;
            p.weightObserver = QString::fromStdString(l.weight.observer);
            break;
        }
    for (const auto& a : s.activations)
        if (a.output.quantized()) {
            p.activationObserver = QString::fromStdString(a.output.observer);
            break;
        }
    for (const auto& l : s.layers)
        if (l.input.quantized()) {
            p.activationObserver = QString::fromStdString(l.input.observer);
            break;
        }
    return p;
}

QString QuantSpecTable::label() const {
    if (!d_->spec)
        return {};
    const auto& s = *d_->spec;
    QString text = QString::fromStdString(s.label());
    const auto preset = d_->presetOf(presetOfSpec());
    if (!preset)
        return text;
    int changed = 0;
    for (const Row& r : d_->rows) {
        const std::string name = d_->nameOf(r);
        const auto* a = Impl::tensorIn(s, r, name);
        const auto* b = Impl::tensorIn(*preset, r, name);
        const int ab = a ? a->bits : quant::kFloatBits, bb = b ? b->bits : quant::kFloatBits;
        if (ab != bb || (a && b && (a->perChannel != b->perChannel || a->observer != b->observer)))
            ++changed;
    }
    if (changed > 0)
        text += changed == 1 ? tr(", mixed: 1 quantizer changed") : tr(", mixed: %1 quantizers changed").arg(changed);
    return text;
}

double QuantSpecTable::sizeBytes() const {
    return d_->spec ? quant::modelSize(d_->topology, *d_->spec).totalBytes() : 0.0;
}

double QuantSpecTable::fp32Bytes() const { return double(d_->topology.floatElements) * 4.0; }

int QuantSpecTable::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(d_->rows.size()); }

int QuantSpecTable::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant QuantSpecTable::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Quantizer");
    case RoleColumn: return tr("Tensor");
    case BitsColumn: return tr("Bits");
    case PerChannelColumn: return tr("Per-channel");
    case ObserverColumn: return tr("Observer");
    case ElementsColumn: return tr("Weights");
    }
    return {};
}

QVariant QuantSpecTable::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !d_->spec || index.row() >= int(d_->rows.size()))
        return {};
    const Row& r = d_->rows[size_t(index.row())];
    const std::string name = d_->nameOf(r);
    const auto* t = Impl::tensorIn(*d_->spec, r, name);
    const int bits = t ? t->bits : quant::kFloatBits;
    const bool quantized = bits != quant::kFloatBits;
    switch (index.column()) {
    case NameColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
            return QString::fromStdString(name);
        break;
    case RoleColumn:
        if (role == Qt::DisplayRole)
            return r.role == QuantizerRole::Weight ? tr("weight") : r.role == QuantizerRole::Input ? tr("input") : tr("output");
        break;
    case BitsColumn:
        if (role == Qt::DisplayRole)
            return bitsText(bits);
        if (role == Qt::EditRole)
            return bits;
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignCenter);
        break;
    case PerChannelColumn:
        if (role == Qt::CheckStateRole && r.role == QuantizerRole::Weight && quantized)
            return t->perChannel ? Qt::Checked : Qt::Unchecked;
        break;
    case ObserverColumn:
        if ((role == Qt::DisplayRole || role == Qt::EditRole) && quantized)
            return QString::fromStdString(t->observer);
        break;
    case ElementsColumn:
        if (role == Qt::DisplayRole && r.role == QuantizerRole::Weight)
            return QLocale().toString(d_->topology.layers[size_t(r.index)].weightElements);
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

Qt::ItemFlags QuantSpecTable::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (!index.isValid() || !d_->spec)
        return f;
    const Row& r = d_->rows[size_t(index.row())];
    const auto* t = Impl::tensorIn(*d_->spec, r, d_->nameOf(r));
    const bool quantized = t && t->quantized();
    if (index.column() == BitsColumn)
        f |= Qt::ItemIsEditable;
    if (index.column() == PerChannelColumn && r.role == QuantizerRole::Weight && quantized)
        f |= Qt::ItemIsUserCheckable;
    if (index.column() == ObserverColumn && quantized)
        f |= Qt::ItemIsEditable;
    return f;
}

bool QuantSpecTable::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || !d_->spec || index.row() >= int(d_->rows.size()))
        return false;
    const Row& r = d_->rows[size_t(index.row())];
    const std::string name = d_->nameOf(r);
    quant::QuantSpec edited = *d_->spec;
    const QString qname = QString::fromStdString(name);
    QString text;

    // The quantizer to edit in the copy; an activation site that is float gets the preset's
    // activation layout when it is given bits.
    quant::TensorQuantSpec* t = nullptr;
    if (r.role == QuantizerRole::Activation) {
        auto it = std::find_if(edited.activations.begin(), edited.activations.end(),
                               [&](const quant::ActivationQuantSpec& a) { return a.name == name; });
        if (it != edited.activations.end()) {
            t = &it->output;
        } else if (index.column() == BitsColumn && role == Qt::EditRole) {
            QuantPreset p = presetOfSpec();
            p.activationBits = 8;
            const auto preset = d_->presetOf(p);
            const auto* site = preset ? preset->findActivation(name) : nullptr;
            if (!site)
                return false;
            // Keep forward order: insert before the first listed site that comes later in the model.
            const auto& order = d_->topology.activations;
            auto pos = edited.activations.begin();
            while (pos != edited.activations.end() &&
                   std::find(order.begin(), order.end(), pos->name) < order.begin() + r.index)
                ++pos;
            t = &edited.activations.insert(pos, *site)->output;
        } else {
            return false;
        }
    } else {
        auto it = std::find_if(edited.layers.begin(), edited.layers.end(),
                               [&](const quant::LayerQuantSpec& l) { return l.name == name; });
        if (it == edited.layers.end())
            return false;
        t = r.role == QuantizerRole::Weight ? &it->weight : &it->input;
    }

    if (index.column() == BitsColumn && role == Qt::EditRole) {
        bool ok = false;
        const int bits = value.toInt(&ok);
        if (!ok || t->bits == bits)
            return false;
        try {
            quant::validateBits(bits, name);
        } catch (const std::exception&) {
            return false;
        }
        text = tr("%1 %2: %3 → %4 bits").arg(qname, data(this->index(index.row(), RoleColumn)).toString(),
                                             bitsText(t->bits), bitsText(bits));
        t->bits = bits;
        if (r.role == QuantizerRole::Activation && bits == quant::kFloatBits) {   // only quantized sites are listed
            edited.activations.erase(std::remove_if(edited.activations.begin(), edited.activations.end(),
                                                    [&](const quant::ActivationQuantSpec& a) { return a.name == name; }),
                                     edited.activations.end());
            t = nullptr;   // erased with its site
        }
    } else if (index.column() == PerChannelColumn && role == Qt::CheckStateRole && r.role == QuantizerRole::Weight) {
        const bool on = value.toInt() == Qt::Checked;
        if (!t->quantized() || t->perChannel == on)
            return false;
        t->perChannel = on;
        text = on ? tr("%1 weight: per-channel").arg(qname) : tr("%1 weight: per-tensor").arg(qname);
    } else if (index.column() == ObserverColumn && role == Qt::EditRole) {
        const std::string obs = value.toString().toStdString();
        if (!t->quantized() || obs == t->observer || (!observers_.isEmpty() && !observers_.contains(value.toString())))
            return false;
        text = tr("%1: observer %2 → %3").arg(qname, QString::fromStdString(t->observer), value.toString());
        t->observer = obs;
    } else {
        return false;
    }
    if (t && t->quantized())
        t->observerConfig = t->effectiveObserverConfig();
    try {
        quant::validateQuantSpec(edited, d_->topology);
    } catch (const std::exception&) {
        return false;
    }
    Q_EMIT editRequested(QByteArray::fromStdString(edited.toJson().dump()), text);
    return true;
}

} // namespace dfq::ui
