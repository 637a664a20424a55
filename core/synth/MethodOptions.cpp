#include "synth/MethodOptions.h"

#include "synth/SynthesisError.h"

#include <cmath>
#include <sstream>

namespace dfq::synth {

nlohmann::json defaultOptions(const std::vector<OptionSpec>& specs) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& s : specs)
        j[s.key] = s.defaultValue;
    return j;
}

namespace {

const char* typeName(const nlohmann::json& v) {
    if (v.is_boolean()) return "a boolean";
    if (v.is_number_integer()) return "an integer";
    if (v.is_number()) return "a number";
    if (v.is_string()) return "a string";
    return v.type_name();
}

std::string fmt(double x) {
    std::ostringstream o;
    o << x;
    return o.str();
}

} // namespace

nlohmann::json resolveOptions(const std::string& method, const std::vector<OptionSpec>& specs,
                              const nlohmann::json& user) {
    nlohmann::json out = defaultOptions(specs);
    if (user.is_null())
        return out;
    const std::string where = "method '" + method + "': ";
    if (!user.is_object())
        throw SynthesisError(where + "options must be a JSON object, got " + user.dump());
    for (const auto& [key, value] : user.items()) {
        const OptionSpec* spec = nullptr;
        for (const auto& s : specs)
            if (s.key == key)
                spec = &s;
        if (!spec) {
            std::string known;
            for (const auto& s : specs)
                known += (known.empty() ? "" : ", ") + s.key;
            throw SynthesisError(where + "unknown option '" + key + "' (known: " +
                                 (known.empty() ? "none" : known) + ")");
        }
        const auto& def = spec->defaultValue;
        const std::string bad = where + "option '" + key + "' must be " + typeName(def) + ", got " + value.dump();
        nlohmann::json v = value;
        if (def.is_boolean()) {
            if (!v.is_boolean())
                throw SynthesisError(bad);
        } else if (def.is_number_integer()) {
            if (v.is_number_float() && std::isfinite(v.get<double>()) && v.get<double>() == std::floor(v.get<double>()))
                v = int64_t(v.get<double>());
            if (!v.is_number_integer())
                throw SynthesisError(bad);
        } else if (def.is_number()) {
            if (!v.is_number() || !std::isfinite(v.get<double>()))
                throw SynthesisError(bad);
            v = v.get<double>();
        } else if (def.is_string()) {
            if (!v.is_string())
                throw SynthesisError(bad);
        }
        if (v.is_number()) {
            const double x = v.get<double>();
            if (x < spec->min || x > spec->max)
                throw SynthesisError(where + "option '" + key + "' = " + v.dump() + " is out of range [" +
                                     fmt(spec->min) + ", " + fmt(spec->max) + "]");
        }
        if (v.is_string() && !spec->choices.empty()) {
            bool ok = false;
            std::string list;
            for (const auto& c : spec->choices) {
                ok = ok || c == v.get<std::string>();
                list += (list.empty() ? "" : ", ") + c;
            }
            if (!ok)
                throw SynthesisError(where + "option '" + key + "' = " + v.dump() + " is not one of: " + list);
        }
        out[key] = v;
    }
    return out;
}

} // namespace dfq::synth
