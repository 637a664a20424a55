#include "MethodCatalog.h"

#include "generative/GeneratorMethod.h"
#include "generative/JointOptions.h"
#include "synth/SynthesisMethod.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace dfq::ui {
namespace {

QVariant toVariant(const nlohmann::json& v) {
    if (v.is_boolean())
        return v.get<bool>();
    if (v.is_number_integer())
        return qlonglong(v.get<int64_t>());
    if (v.is_number())
        return v.get<double>();
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    return {};
}

QVector<OptionField> fields(const std::vector<synth::OptionSpec>& specs) {
    QVector<OptionField> out;
    for (const auto& s : specs) {
        OptionField f;
        f.key = QString::fromStdString(s.key);
        f.help = QString::fromStdString(s.help);
        f.defaultValue = toVariant(s.defaultValue);
        f.min = s.min;
        f.max = s.max;
        for (const auto& c : s.choices)
            f.choices << QString::fromStdString(c);
        out.push_back(f);
    }
    return out;
}

QVariantMap toMap(const nlohmann::json& object) {
    QVariantMap m;
    for (auto it = object.begin(); it != object.end(); ++it)
        m.insert(QString::fromStdString(it.key()), toVariant(it.value()));
    return m;
}

} // namespace

QVector<SynthesisMethodInfo> methodCatalog() {
    QVector<SynthesisMethodInfo> methods;
    for (const auto& n : synth::methodNames()) {
        const auto m = synth::createMethod(n);
        SynthesisMethodInfo info;
        info.name = QString::fromStdString(n);
        info.description = QString::fromStdString(m->description());
        info.fields = fields(m->optionSpecs());
        for (const auto& f : info.fields)
            info.options << f.key;
        methods.push_back(info);
    }
    for (const auto& n : generative::generatorMethodNames()) {
        const auto m = generative::createGeneratorMethod(n);
        SynthesisMethodInfo info;
        info.name = QString::fromStdString(n);
        info.description = QString::fromStdString(m->description());
        info.generator = true;
        info.fields = fields(generative::generatorOptionSpecs(*m));
        for (const auto& f : info.fields)
            info.options << f.key;
        for (const auto& b : generative::budgetNames()) {
            nlohmann::json values = generative::budgetOptions(b);
            values.update(m->budgetOverrides(b));
            info.budgets.insert(QString::fromStdString(b), toMap(values));
        }
        methods.push_back(info);
    }
    return methods;
}

std::string optionsJson(const QVariantMap& options) {
    return QJsonDocument(QJsonObject::fromVariantMap(options)).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace dfq::ui
