#pragma once
// Declared options of a synthesis method: defaults, documentation, validation of what the user gave.
#include <nlohmann/json.hpp>

#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace dfq::synth {

/// One option. The type of defaultValue is the option's type: boolean, integer, number (float) or
/// string. Numbers are checked against [min, max]; strings against choices when there are any.
struct OptionSpec {
    OptionSpec(std::string key_, nlohmann::json defaultValue_, std::string help_,
               double min_ = -std::numeric_limits<double>::infinity(),
               double max_ = std::numeric_limits<double>::infinity(), std::vector<std::string> choices_ = {})
        : key(std::move(key_)), defaultValue(std::move(defaultValue_)), help(std::move(help_)), min(min_),
          max(max_), choices(std::move(choices_)) {}

    std::string key;
    nlohmann::json defaultValue;
    std::string help;
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    std::vector<std::string> choices;
};

/// {key: default} for every spec.
nlohmann::json defaultOptions(const std::vector<OptionSpec>& specs);

/// The user's options (a JSON object, or null for none) merged over the defaults. Throws
/// SynthesisError naming the method and the option for an unknown key (listing the known ones), a
/// wrong type, a value out of range or not among the choices. Integers given as integral floats
/// (e.g. 500.0) are accepted and stored as integers; integers are accepted for float options.
nlohmann::json resolveOptions(const std::string& method, const std::vector<OptionSpec>& specs,
                              const nlohmann::json& user);

} // namespace dfq::synth
