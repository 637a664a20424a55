#include "MethodOptionsForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <climits>
#include <cmath>

namespace dfq::ui {
namespace {

QString editorName(const QString& key) { return QStringLiteral("option_") + key; }

bool isInteger(const QVariant& v) { return v.typeId() == QMetaType::LongLong || v.typeId() == QMetaType::Int; }

QString numberText(double v) { return QString::number(v, 'g', 10); }

} // namespace

MethodOptionsForm::MethodOptionsForm(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    form_ = new QFormLayout;
    form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addLayout(form_);
    auto* reset = new QPushButton(tr("Reset options to defaults"));
    reset->setObjectName(QStringLiteral("resetOptionsButton"));
    connect(reset, &QPushButton::clicked, this, &MethodOptionsForm::resetToDefaults);
    layout->addWidget(reset);
    layout->addStretch(1);
}

QWidget* MethodOptionsForm::makeEditor(const OptionField& f) {
    const QString tip = [&] {
        QString t = f.help;
        if (!f.choices.isEmpty())
            t += tr("\nOne of: %1").arg(f.choices.join(QStringLiteral(", ")));
        else if (std::isfinite(f.min) || std::isfinite(f.max))
            t += tr("\nRange: %1 to %2").arg(numberText(f.min), numberText(f.max));
        return t + tr("\nDefault: %1").arg(f.defaultValue.toString());
    }();
    QWidget* w = nullptr;
    if (f.defaultValue.typeId() == QMetaType::Bool) {
        auto* c = new QCheckBox;
        connect(c, &QCheckBox::toggled, this, &MethodOptionsForm::changed);
        w = c;
    } else if (isInteger(f.defaultValue)) {
        auto* s = new QSpinBox;
        s->setRange(std::isfinite(f.min) ? int(std::max<double>(f.min, INT_MIN)) : INT_MIN,
                    std::isfinite(f.max) ? int(std::min<double>(f.max, INT_MAX)) : INT_MAX);
        s->setGroupSeparatorShown(true);
        connect(s, &QSpinBox::valueChanged, this, &MethodOptionsForm::changed);
        w = s;
    } else if (f.defaultValue.typeId() == QMetaType::Double) {
        // Learning rates and weights span decades: a text field with scientific notation, range-checked.
        auto* e = new QLineEdit;
        auto* v = new QDoubleValidator(std::isfinite(f.min) ? f.min : -1e300, std::isfinite(f.max) ? f.max : 1e300, 12, e);
        v->setNotation(QDoubleValidator::ScientificNotation);
        v->setLocale(QLocale::c());
        e->setValidator(v);
        connect(e, &QLineEdit::textEdited, this, &MethodOptionsForm::changed);
        w = e;
    } else if (!f.choices.isEmpty()) {
        auto* c = new QComboBox;
        c->addItems(f.choices);
        connect(c, &QComboBox::currentTextChanged, this, [this, key = f.key](const QString& text) {
            if (key == QLatin1String("budget") && method_.generator && !applying_)
                applyBudget(text);
            Q_EMIT changed();
        });
        w = c;
    } else {
        auto* e = new QLineEdit;
        connect(e, &QLineEdit::textEdited, this, &MethodOptionsForm::changed);
        w = e;
    }
    w->setObjectName(editorName(f.key));
    w->setToolTip(tip);
    return w;
}

void MethodOptionsForm::setMethod(const SynthesisMethodInfo& method) {
    method_ = method;
    while (form_->rowCount() > 0)
        form_->removeRow(0);
    rows_.clear();
    for (const auto& f : method.fields) {
        Row r;
        r.field = f;
        r.editor = makeEditor(f);
        r.baseline = f.defaultValue;
        auto* label = new QLabel(QString(f.key).replace(QLatin1Char('_'), QLatin1Char(' ')));
        label->setToolTip(r.editor->toolTip());
        label->setBuddy(r.editor);
        form_->addRow(label, r.editor);
        rows_.push_back(r);
    }
    resetToDefaults();
}

MethodOptionsForm::Row* MethodOptionsForm::find(const QString& key) {
    for (auto& r : rows_)
        if (r.field.key == key)
            return &r;
    return nullptr;
}

const MethodOptionsForm::Row* MethodOptionsForm::find(const QString& key) const {
    return const_cast<MethodOptionsForm*>(this)->find(key);
}

QVariant MethodOptionsForm::read(const Row& r) const {
    const QVariant& d = r.field.defaultValue;
    if (auto* c = qobject_cast<QCheckBox*>(r.editor))
        return c->isChecked();
    if (auto* s = qobject_cast<QSpinBox*>(r.editor))
        return qlonglong(s->value());
    if (auto* c = qobject_cast<QComboBox*>(r.editor))
        return c->currentText();
    auto* e = qobject_cast<QLineEdit*>(r.editor);
    if (d.typeId() == QMetaType::Double) {
        bool ok = false;
        const double v = QLocale::c().toDouble(e->text(), &ok);
        return ok ? QVariant(v) : r.baseline;   // an unfinished number leaves the default in force
    }
    return e->text();
}

void MethodOptionsForm::write(Row& r, const QVariant& v) {
    const QSignalBlocker block(r.editor);
    if (auto* c = qobject_cast<QCheckBox*>(r.editor))
        c->setChecked(v.toBool());
    else if (auto* s = qobject_cast<QSpinBox*>(r.editor))
        s->setValue(int(v.toLongLong()));
    else if (auto* c = qobject_cast<QComboBox*>(r.editor))
        c->setCurrentText(v.toString());
    else if (auto* e = qobject_cast<QLineEdit*>(r.editor))
        e->setText(r.field.defaultValue.typeId() == QMetaType::Double ? numberText(v.toDouble()) : v.toString());
}

void MethodOptionsForm::applyBudget(const QString& budget) {
    const QVariantMap values = method_.budgets.value(budget);
    for (auto& r : rows_) {
        if (r.field.key == QLatin1String("budget"))
            continue;
        const bool untouched = read(r) == r.baseline;
        r.baseline = values.contains(r.field.key) ? values.value(r.field.key) : r.field.defaultValue;
        if (untouched)
            write(r, r.baseline);
    }
}

void MethodOptionsForm::resetToDefaults() {
    applying_ = true;
    for (auto& r : rows_) {
        r.baseline = r.field.defaultValue;
        write(r, r.baseline);
    }
    if (const Row* b = find(QStringLiteral("budget")); b && method_.generator)
        applyBudget(read(*b).toString());
    applying_ = false;
    Q_EMIT changed();
}

QVariantMap MethodOptionsForm::values() const {
    QVariantMap out;
    for (const auto& r : rows_) {
        const QVariant v = read(r);
        if (v != r.baseline)
            out.insert(r.field.key, v);
    }
    return out;
}

QVariant MethodOptionsForm::value(const QString& key) const {
    const Row* r = find(key);
    return r ? read(*r) : QVariant();
}

bool MethodOptionsForm::setValue(const QString& key, const QVariant& value) {
    Row* r = find(key);
    if (!r || !value.canConvert(r->field.defaultValue.metaType()))
        return false;
    if (auto* c = qobject_cast<QComboBox*>(r->editor)) {
        if (c->findText(value.toString()) < 0)
            return false;
        c->setCurrentText(value.toString());   // applies a budget, as a user's choice does
        return true;
    }
    write(*r, value);
    Q_EMIT changed();
    return true;
}

} // namespace dfq::ui
