#include "generative/GenerativeError.h"
#include "generative/GeneratorMethod.h"
#include "generative/JointOptions.h"

namespace dfq::generative {

// Each factory is defined in its method's own .cpp (an explicit list: a static library drops
// self-registering objects nobody references). Adding a method: its file plus its factory below.
std::unique_ptr<GeneratorMethod> makeGdfqMethod(), makeClusterQMethod();
using Factory = std::unique_ptr<GeneratorMethod> (*)();
static const Factory kFactories[] = {makeGdfqMethod, makeClusterQMethod};

std::vector<std::string> generatorMethodNames() {
    std::vector<std::string> names;
    for (Factory f : kFactories)
        names.push_back(f()->name());
    return names;
}

bool isGeneratorMethod(const std::string& name) {
    for (const auto& n : generatorMethodNames())
        if (n == name)
            return true;
    return false;
}

std::unique_ptr<GeneratorMethod> createGeneratorMethod(const std::string& name) {
    for (Factory f : kFactories) {
        auto m = f();
        if (m->name() == name)
            return m;
    }
    std::string known;
    for (const auto& n : generatorMethodNames())
        known += (known.empty() ? "" : ", ") + n;
    throw GenerativeError("unknown generator method '" + name + "' (known: " + known + ")");
}

std::vector<synth::OptionSpec> generatorOptionSpecs(const GeneratorMethod& m) {
    auto specs = jointOptionSpecs();
    for (auto& s : m.optionSpecs())
        specs.push_back(s);
    return specs;
}

nlohmann::json resolveGeneratorOptions(const GeneratorMethod& m, const nlohmann::json& user) {
    const auto specs = generatorOptionSpecs(m);
    std::string budget = "standard";
    if (user.is_object() && user.contains("budget") && user["budget"].is_string())
        budget = user["budget"].get<std::string>();
    nlohmann::json merged = nlohmann::json::object();
    // An unknown budget name is reported by resolveOptions (choices), so only known ones expand here.
    for (const auto& b : budgetNames())
        if (b == budget) {
            merged = budgetOptions(budget);
            merged.update(m.budgetOverrides(budget));
        }
    if (user.is_object())
        merged.update(user);
    else if (!user.is_null())
        merged = user; // let resolveOptions say what is wrong with it
    return synth::resolveOptions(m.name(), specs, merged);
}

} // namespace dfq::generative
