#include "pipeline/ExperimentConfig.h"

#include "data/Normalization.h"
#include "models/ModelZoo.h"
#include "pipeline/PtqRecipe.h"
#include "quant/Observers.h"
#include "quant/QuantSpec.h"
#include "runtime/Resources.h"
#include "generative/GeneratorMethod.h"
#include "generative/JointOptions.h"
#include "synth/SynthesisError.h"
#include "synth/SynthesisMethod.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dfq::pipeline {
namespace fs = std::filesystem;
using nlohmann::json;

json defaultExperimentConfig() {
    return json{
        {"model", {{"path", ""}, {"arch", "auto"}}},
        {"data", {{"test", ""}, {"normalization", "model"}, {"limit", -1}, {"limit_per_class", -1}, {"calibration", ""}}},
        {"synthesis", {{"method", "zeroq"}, {"n", 256}, {"batch", 0}, {"iters", 0}, {"options", json::object()}}},
        {"quant",
         {{"wbits", 4},
          {"abits", 4},
          {"preset", "gdfq"},
          {"weight_observer", "auto"},
          {"activation_observer", "auto"},
          {"mp_avg_bits", 0.0},
          {"fold_bn", false},
          {"symmetric_weights", false},
          {"layers", json::object()},
          {"spec", nullptr}}},
        {"ptq", {{"method", "minmax"}, {"batch", 64}, {"adaround_iters", 2000}, {"brecq_iters", 1000}}},
        {"qat", {{"epochs", 0}, {"lr", 1e-4}, {"batch", 64}}},
        {"eval", {{"batch", 256}}},
        {"budget", {{"max_seconds", 0.0}}},
        {"seed", 0},
        {"threads", 0},
        {"output", {{"dir", "runs"}, {"name", ""}, {"export", true}, {"snapshots", true}}},
    };
}

std::string ExperimentConfig::protocol() const {
    // A generator method trains the student jointly with its generator (QAT-KD on generated images).
    if (calibrationSet.empty() && generative::isGeneratorMethod(synthMethod))
        return "generator-trained";
    return protocolLabel(ptqMethod, qatEpochs);
}

namespace {

// Objects whose keys are free (validated elsewhere): the synthesis method's own options and the
// per-layer overrides keyed by layer name.
bool freeFormObject(const std::string& path) {
    return path == "synthesis.options" || path == "quant.layers" || path == "quant.spec";
}

// Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions
// ("qaunt" is one step from "quant"), the typos people make in keys.
size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

std::string suggestion(const std::string& key, const json& siblings) {
    std::string best;
    size_t bestD = std::max<size_t>(2, key.size() / 3) + 1;
    for (auto it = siblings.begin(); it != siblings.end(); ++it) {
        const size_t d = editDistance(key, it.key());
        if (d < bestD) {
            bestD = d;
            best = it.key();
        }
    }
    return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v)
        s += (s.empty() ? "" : ", ") + x;
    return s;
}

std::string typeName(const json& v) {
    if (v.is_number_integer())
        return "an integer";
    if (v.is_number_float())
        return "a number";
    if (v.is_string())
        return "a string";
    if (v.is_boolean())
        return "true or false";
    if (v.is_object())
        return "an object";
    if (v.is_array())
        return "an array";
    return "null";
}

bool integral(const json& v) {
    return v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
}

// Same type as the default? Integral floats count as integers (JSON writers print 100.0); integers
// count as numbers.
bool typeMatches(const json& def, const json& v) {
    if (def.is_number_integer())
        return integral(v) && v.is_number();
    if (def.is_number_float())
        return v.is_number();
    if (def.is_string())
        return v.is_string();
    if (def.is_boolean())
        return v.is_boolean();
    if (def.is_object())
        return v.is_object();
    return true;
}

std::string keyPath(const std::string& parent, const std::string& key) { return parent.empty() ? key : parent + "." + key; }

// Merges `given` over `defaults` into `out`, reporting unknown keys and wrong types. A value with the
// wrong type keeps the default, so later checks do not report the same key twice.
void mergeChecked(const json& defaults, const json& given, json& out, const std::string& path,
                  std::vector<ConfigIssue>& issues) {
    for (auto it = given.begin(); it != given.end(); ++it) {
        const std::string p = keyPath(path, it.key());
        if (!defaults.contains(it.key())) {
            issues.push_back({p, "unknown key" + suggestion(it.key(), defaults)});
            continue;
        }
        const json& def = defaults.at(it.key());
        if (!typeMatches(def, it.value())) {
            issues.push_back({p, "expected " + typeName(def) + ", got " + typeName(it.value()) + " (" +
                                     it.value().dump() + ")"});
            continue;
        }
        if (def.is_object() && !freeFormObject(p))
            mergeChecked(def, it.value(), out[it.key()], p, issues);
        else if (def.is_number_integer())
            out[it.key()] = int64_t(it.value().get<double>());
        else
            out[it.key()] = it.value();
    }
}

std::string resolvePath(const std::string& p, const std::string& baseDir) {
    if (p.empty() || baseDir.empty() || fs::path(p).is_absolute())
        return p;
    return (fs::path(baseDir) / p).lexically_normal().string();
}

void requireRange(std::vector<ConfigIssue>& issues, const std::string& path, double v, double lo, double hi,
                  const std::string& loText, const std::string& hiText = "") {
    if (v < lo || v > hi) {
        std::ostringstream os;
        os << json(v).dump();
        if (integral(json(v)))
            os.str(std::to_string(int64_t(v)));
        issues.push_back({path, os.str() + (hiText.empty() ? " must be " + loText : " is outside " + loText + "–" + hiText)});
    }
}

void checkBits(std::vector<ConfigIssue>& issues, const std::string& path, int64_t bits, bool allowFloat) {
    if (bits >= 2 && bits <= 8)
        return;
    if (allowFloat && bits == quant::kFloatBits)
        return;
    issues.push_back({path, std::to_string(bits) + " is outside 2–8" + std::string(allowFloat ? " (or 32 = float)" : "")});
}

template <class T>
bool contains(const std::vector<T>& v, const T& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

void checkReadable(std::vector<ConfigIssue>& issues, const std::string& path, const std::string& file, bool directoryOk) {
    std::error_code ec;
    const auto st = fs::status(file, ec);
    if (ec || !fs::exists(st)) {
        issues.push_back({path, "cannot read '" + file + "': no such file or directory"});
        return;
    }
    if (fs::is_directory(st) && !directoryOk) {
        issues.push_back({path, "'" + file + "' is a directory, expected a file"});
        return;
    }
    if (fs::is_regular_file(st)) {
        std::ifstream f(file, std::ios::binary);
        if (!f)
            issues.push_back({path, "cannot read '" + file + "': permission denied"});
    }
}

} // namespace

void applyAssignment(json& doc, const std::string& assignment) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw ConfigError({{"", "--set expects key.path=value, got '" + assignment + "'"}});
    const std::string key = assignment.substr(0, eq), text = assignment.substr(eq + 1);
    json value = json::parse(text, nullptr, false);
    if (value.is_discarded())
        value = text;
    std::vector<std::string> parts;
    const std::string layersPrefix = "quant.layers.";
    if (key.rfind(layersPrefix, 0) == 0) {
        // quant.layers.<layer name with dots>.<wbits|abits>
        const std::string rest = key.substr(layersPrefix.size());
        const auto dot = rest.rfind('.');
        if (dot == std::string::npos || dot == 0)
            throw ConfigError({{key, "expected quant.layers.<layer name>.wbits or .abits"}});
        parts = {"quant", "layers", rest.substr(0, dot), rest.substr(dot + 1)};
    } else {
        std::stringstream ss(key);
        std::string part;
        while (std::getline(ss, part, '.'))
            parts.push_back(part);
    }
    json* node = &doc;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
        if (!node->is_object())
            throw ConfigError({{key, "cannot set a key inside a value that is not an object"}});
        node = &(*node)[parts[i]];
        if (node->is_null())
            *node = json::object();
    }
    if (!node->is_object())
        throw ConfigError({{key, "cannot set a key inside a value that is not an object"}});
    (*node)[parts.back()] = value;
}

ExperimentConfig parseExperimentConfig(const json& document, const std::string& baseDir) {
    std::vector<ConfigIssue> issues;
    if (!document.is_object())
        throw ConfigError({{"", "the configuration must be a JSON object, got " + typeName(document)}});
    const json defaults = defaultExperimentConfig();
    json r = defaults;
    mergeChecked(defaults, document, r, "", issues);

    ExperimentConfig c;
    c.given = document;
    c.baseDir = baseDir;

    // model
    c.arch = r["model"]["arch"].get<std::string>();
    if (c.arch != "auto" && !contains(models::architectureNames(), c.arch))
        issues.push_back({"model.arch", "unknown architecture '" + c.arch + "' (available: auto, " +
                                             join(models::architectureNames()) + ")"});
    const std::string modelGiven = r["model"]["path"].get<std::string>();
    if (modelGiven.empty()) {
        c.modelPath = runtime::defaultModelPath();
        if (c.modelPath.empty())
            issues.push_back({"model.path", "no model given and the embedded default (resources/models/fmnist_resnet8.pt) is missing"});
    } else {
        c.modelPath = resolvePath(modelGiven, baseDir);
        checkReadable(issues, "model.path", c.modelPath, false);
    }
    r["model"]["path"] = c.modelPath;

    // data
    const std::string testGiven = r["data"]["test"].get<std::string>();
    if (testGiven == "none") {
        c.testPath.clear();
    } else if (testGiven.empty()) {
        if (modelGiven.empty())
            c.testPath = runtime::defaultDataPath();
        else
            issues.push_back({"data.test", "required for a model other than the embedded default (\"none\" skips evaluation)"});
    } else {
        c.testPath = resolvePath(testGiven, baseDir);
    }
    if (!c.testPath.empty())
        checkReadable(issues, "data.test", c.testPath, true);
    r["data"]["test"] = c.testPath.empty() ? "none" : c.testPath;
    c.normalization = r["data"]["normalization"].get<std::string>();
    if (c.normalization != "model" && !contains(data::normalizationPresetNames(), c.normalization))
        issues.push_back({"data.normalization", "unknown preset '" + c.normalization + "' (available: model, " +
                                                    join(data::normalizationPresetNames()) + ")"});
    c.testLimit = r["data"]["limit"].get<int64_t>();
    c.testLimitPerClass = r["data"]["limit_per_class"].get<int64_t>();
    if (c.testLimit < -1 || c.testLimit == 0)
        issues.push_back({"data.limit", std::to_string(c.testLimit) + " must be -1 (all) or positive"});
    if (c.testLimitPerClass < -1 || c.testLimitPerClass == 0)
        issues.push_back({"data.limit_per_class", std::to_string(c.testLimitPerClass) + " must be -1 (all) or positive"});
    const std::string calib = r["data"]["calibration"].get<std::string>();
    if (calib.empty() || calib == "noise") {
        c.calibrationSet = calib;
    } else if (calib.rfind("real:", 0) == 0 || calib.rfind("synth:", 0) == 0) {
        const auto colon = calib.find(':');
        const std::string where = resolvePath(calib.substr(colon + 1), baseDir);
        if (where.empty())
            issues.push_back({"data.calibration", "'" + calib + "' names no path"});
        else
            checkReadable(issues, "data.calibration", where, true);
        c.calibrationSet = calib.substr(0, colon + 1) + where;
    } else {
        issues.push_back({"data.calibration", "'" + calib + "' must be \"\" (synthesize), noise, real:PATH or synth:PATH"});
    }
    r["data"]["calibration"] = c.calibrationSet;

    // synthesis
    c.synthMethod = r["synthesis"]["method"].get<std::string>();
    c.synthN = r["synthesis"]["n"].get<int64_t>();
    requireRange(issues, "synthesis.n", double(c.synthN), 1, 1e9, ">= 1");
    const int64_t sBatch = r["synthesis"]["batch"].get<int64_t>(), sIters = r["synthesis"]["iters"].get<int64_t>();
    requireRange(issues, "synthesis.batch", double(sBatch), 0, 1e9, ">= 0 (0 = the method's default)");
    requireRange(issues, "synthesis.iters", double(sIters), 0, 1e9, ">= 0 (0 = the method's default)");
    c.synthOptions = r["synthesis"]["options"];
    if (generative::isGeneratorMethod(c.synthMethod)) {
        // A generator method: synthesis.batch is the generated batch, synthesis.iters the iterations
        // per epoch; the budget and every joint-loop option live in synthesis.options.
        if (sBatch > 0)
            c.synthOptions["batch_size"] = sBatch;
        if (sIters > 0)
            c.synthOptions["iters_per_epoch"] = sIters;
        try {
            auto method = generative::createGeneratorMethod(c.synthMethod);
            r["synthesis"]["resolved_options"] = generative::resolveGeneratorOptions(*method, c.synthOptions);
            generative::parseJointOptions(r["synthesis"]["resolved_options"]);
        } catch (const std::exception& e) {
            issues.push_back({"synthesis.options", e.what()});
        }
        if (c.calibrationSet.empty()) {
            if (r["qat"]["epochs"].is_number() && r["qat"]["epochs"].get<double>() > 0)
                issues.push_back({"qat.epochs", "method '" + c.synthMethod + "' trains the student itself (the generative "
                                  "stage replaces calibrate and fine-tune): set qat.epochs to 0"});
            if (r["ptq"]["method"].is_string() && r["ptq"]["method"].get<std::string>() != "minmax")
                issues.push_back({"ptq.method", "method '" + c.synthMethod + "' trains the student itself with GDFQ's "
                                  "ranges (EMA activations, min/max weights): ptq.method must stay minmax"});
        }
    } else if (!contains(synth::methodNames(), c.synthMethod)) {
        std::vector<std::string> all = synth::methodNames();
        for (const auto& g : generative::generatorMethodNames())
            all.push_back(g);
        issues.push_back({"synthesis.method", "unknown method '" + c.synthMethod + "' (available: " + join(all) + ")"});
    } else {
        auto method = synth::createMethod(c.synthMethod);
        const json defs = method->defaultOptions();
        if (sBatch > 0) {
            if (defs.contains("batch_size"))
                c.synthOptions["batch_size"] = sBatch;
            else
                issues.push_back({"synthesis.batch", "method '" + c.synthMethod + "' has no batch size"});
        }
        if (sIters > 0) {
            if (defs.contains("iterations"))
                c.synthOptions["iterations"] = sIters;
            else
                issues.push_back({"synthesis.iters", "method '" + c.synthMethod + "' does not iterate"});
        }
        if (c.synthOptions.contains("data") && c.synthOptions["data"].is_string())
            c.synthOptions["data"] = resolvePath(c.synthOptions["data"].get<std::string>(), baseDir);
        try {
            r["synthesis"]["resolved_options"] = method->resolveOptions(c.synthOptions);
        } catch (const synth::SynthesisError& e) {
            issues.push_back({"synthesis.options", e.what()});
        }
    }

    // quantization
    c.wbits = int(r["quant"]["wbits"].get<int64_t>());
    c.abits = int(r["quant"]["abits"].get<int64_t>());
    checkBits(issues, "quant.wbits", c.wbits, false);
    checkBits(issues, "quant.abits", c.abits, false);
    c.preset = r["quant"]["preset"].get<std::string>();
    if (!contains(quant::placementNames(), c.preset))
        issues.push_back({"quant.preset", "unknown preset '" + c.preset + "' (available: " + join(quant::placementNames()) + ")"});
    c.weightObserver = r["quant"]["weight_observer"].get<std::string>();
    c.activationObserver = r["quant"]["activation_observer"].get<std::string>();
    for (const auto& [key, value] : {std::pair{"quant.weight_observer", c.weightObserver},
                                     std::pair{"quant.activation_observer", c.activationObserver}})
        if (value != "auto" && !contains(quant::observerNames(), value))
            issues.push_back({key, "unknown observer '" + value + "' (available: auto, " + join(quant::observerNames()) + ")"});
    c.mpAvgBits = r["quant"]["mp_avg_bits"].get<double>();
    c.foldBn = r["quant"]["fold_bn"].get<bool>();
    c.symmetricWeights = r["quant"]["symmetric_weights"].get<bool>();
    if (c.mpAvgBits != 0 && !(c.mpAvgBits >= 2))
        issues.push_back({"quant.mp_avg_bits", json(c.mpAvgBits).dump() + " must be >= 2 (the smallest candidate), or 0 = no mixed precision"});
    for (auto it = r["quant"]["layers"].begin(); it != r["quant"]["layers"].end(); ++it) {
        const std::string lp = "quant.layers." + it.key();
        if (!it.value().is_object()) {
            issues.push_back({lp, "expected an object {\"wbits\": B, \"abits\": B}, got " + typeName(it.value())});
            continue;
        }
        LayerBitsOverride o;
        for (auto f = it.value().begin(); f != it.value().end(); ++f) {
            const std::string fp = lp + "." + f.key();
            if (f.key() != "wbits" && f.key() != "abits") {
                issues.push_back({fp, "unknown key" + suggestion(f.key(), json{{"wbits", 0}, {"abits", 0}})});
                continue;
            }
            if (!integral(f.value()) || !f.value().is_number()) {
                issues.push_back({fp, "expected an integer, got " + typeName(f.value()) + " (" + f.value().dump() + ")"});
                continue;
            }
            const auto bits = int64_t(f.value().get<double>());
            checkBits(issues, fp, bits, true);
            (f.key() == "wbits" ? o.wbits : o.abits) = int(bits);
        }
        c.layers[it.key()] = o;
    }

    // A whole spec (the GUI's per-layer grid): it gives every quantizer, so the nominal bits and the
    // preset come from it and per-layer overrides have nothing left to override.
    if (const json& qs = r["quant"]["spec"]; !qs.is_null()) {
        if (!qs.is_object()) {
            issues.push_back({"quant.spec", "expected a QuantSpec object (the JSON the Bit-widths tab writes), got " + typeName(qs)});
        } else {
            try {
                const auto spec = quant::QuantSpec::fromJson(qs);
                c.quantSpec = qs;
                c.wbits = spec.weightBits;
                c.abits = spec.activationBits;
                c.preset = quant::placementName(spec.placement);
            } catch (const std::exception& e) {
                issues.push_back({"quant.spec", e.what()});
            }
            if (!c.layers.empty())
                issues.push_back({"quant.layers", "cannot be combined with quant.spec, which gives every layer's bits"});
            if (c.mpAvgBits != 0)
                issues.push_back({"quant.mp_avg_bits", "cannot be combined with quant.spec, which gives every layer's bits"});
        }
    }

    // PTQ / QAT
    c.ptqMethod = r["ptq"]["method"].get<std::string>();
    if (!contains(ptqMethodNames(), c.ptqMethod))
        issues.push_back({"ptq.method", "unknown method '" + c.ptqMethod + "' (available: " + join(ptqMethodNames()) + ")"});
    c.calibBatch = r["ptq"]["batch"].get<int64_t>();
    c.adaroundIters = r["ptq"]["adaround_iters"].get<int64_t>();
    c.brecqIters = r["ptq"]["brecq_iters"].get<int64_t>();
    requireRange(issues, "ptq.batch", double(c.calibBatch), 1, 1e9, ">= 1");
    requireRange(issues, "ptq.adaround_iters", double(c.adaroundIters), 1, 1e9, ">= 1");
    requireRange(issues, "ptq.brecq_iters", double(c.brecqIters), 1, 1e9, ">= 1");
    c.qatEpochs = r["qat"]["epochs"].get<int64_t>();
    c.qatLr = r["qat"]["lr"].get<double>();
    c.qatBatch = r["qat"]["batch"].get<int64_t>();
    requireRange(issues, "qat.epochs", double(c.qatEpochs), 0, 1e6, ">= 0");
    if (!(c.qatLr > 0))
        issues.push_back({"qat.lr", json(c.qatLr).dump() + " must be > 0"});
    requireRange(issues, "qat.batch", double(c.qatBatch), 1, 1e9, ">= 1");

    // evaluation, budget, run
    c.evalBatch = r["eval"]["batch"].get<int64_t>();
    requireRange(issues, "eval.batch", double(c.evalBatch), 1, 1e9, ">= 1");
    c.maxSeconds = r["budget"]["max_seconds"].get<double>();
    if (c.maxSeconds < 0)
        issues.push_back({"budget.max_seconds", json(c.maxSeconds).dump() + " must be >= 0 (0 = no limit)"});
    const int64_t seed = r["seed"].get<int64_t>();
    if (seed < 0)
        issues.push_back({"seed", std::to_string(seed) + " must be >= 0"});
    c.seed = uint64_t(std::max<int64_t>(0, seed));
    c.threads = int(r["threads"].get<int64_t>());
    requireRange(issues, "threads", double(c.threads), 0, 4096, ">= 0 (0 = all cores)");
    c.outputDir = resolvePath(r["output"]["dir"].get<std::string>(), baseDir);
    if (c.outputDir.empty())
        issues.push_back({"output.dir", "must not be empty"});
    r["output"]["dir"] = c.outputDir;
    c.runName = r["output"]["name"].get<std::string>();
    if (c.runName.find('/') != std::string::npos)
        issues.push_back({"output.name", "'" + c.runName + "' must be a plain directory name (no '/')"});
    c.exportModel = r["output"]["export"].get<bool>();
    c.snapshots = r["output"]["snapshots"].get<bool>();
    r["protocol"] = c.protocol();

    if (!issues.empty())
        throw ConfigError(std::move(issues));
    c.resolved = r;
    return c;
}

ExperimentConfig loadExperimentConfig(const std::string& path, const std::vector<std::string>& assignments) {
    std::ifstream f(path);
    if (!f)
        throw ConfigError({{"", "cannot read the configuration '" + path + "'"}});
    json doc;
    try {
        doc = json::parse(f);
    } catch (const json::parse_error& e) {
        throw ConfigError({{"", "'" + path + "' is not valid JSON: " + e.what()}});
    }
    std::vector<ConfigIssue> issues;
    for (const auto& a : assignments) {
        try {
            applyAssignment(doc, a);
        } catch (const ConfigError& e) {
            issues.insert(issues.end(), e.issues().begin(), e.issues().end());
        }
    }
    if (!issues.empty())
        throw ConfigError(std::move(issues));
    const std::string base = fs::absolute(fs::path(path)).parent_path().string();
    return parseExperimentConfig(doc, base);
}

std::vector<ConfigIssue> checkAgainstModel(const ExperimentConfig& c, models::ZooModelImpl& model) {
    std::vector<ConfigIssue> issues;
    if (!c.quantSpec.is_null()) {
        try {
            const auto spec = quant::QuantSpec::fromJson(c.quantSpec);
            if (spec.arch != model.info().arch)
                issues.push_back({"quant.spec", "the spec is for " + spec.arch + ", the model is " + model.info().arch});
            else
                quant::validateQuantSpec(spec, model);
        } catch (const std::exception& e) {
            issues.push_back({"quant.spec", e.what()});
        }
    }
    std::vector<std::string> layers, acts;
    for (auto& l : model.quantLayers())
        layers.push_back(l.name);
    for (auto& a : model.activations())
        acts.push_back(a.name);
    const bool allInputs = c.preset == "all-inputs";
    for (const auto& [name, o] : c.layers) {
        const std::string lp = "quant.layers." + name;
        const bool isLayer = contains(layers, name), isAct = contains(acts, name);
        if (!isLayer && !isAct) {
            json known = json::object();
            for (const auto& n : layers)
                known[n] = 0;
            for (const auto& n : acts)
                known[n] = 0;
            issues.push_back({lp, "the model (" + model.info().arch + ") has no layer '" + name + "'" +
                                      suggestion(name, known) + "; layers: " + join(layers) + "; activations: " + join(acts)});
            continue;
        }
        if (isAct && o.wbits != 0)
            issues.push_back({lp + ".wbits", "'" + name + "' is an activation (no weights); use abits"});
        if (isAct && o.abits != 0 && allInputs)
            issues.push_back({lp + ".abits", "preset all-inputs quantizes layer inputs, not activations: set abits on "
                                             "the Conv2d/Linear that reads '" + name + "'"});
        if (isLayer && o.abits != 0 && !allInputs)
            issues.push_back({lp + ".abits", "'" + name + "' is a Conv2d/Linear: its input is quantized only with preset "
                                             "all-inputs; under " + c.preset + " set abits on an activation"});
    }
    return issues;
}

} // namespace dfq::pipeline
