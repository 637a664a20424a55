#pragma once
// An experiment, as the user writes it (JSON) and as the pipeline runs it. docs/config.md documents
// every key; defaultExperimentConfig() is the same schema in code (every key with its default).
//
// Validation has two phases. The static phase (parseExperimentConfig) checks the document alone:
// unknown keys (with a "did you mean"), types, ranges, method and preset names, that the model file and
// the test data exist. The model phase (checkAgainstModel) needs the loaded network: it checks that
// every per-layer override names a Conv2d/Linear or activation of that model. Both collect every
// problem and throw one ConfigError listing them by key path.
//
// Relative paths (model.path, data.test, data.calibration, synthesis.options.data, output.dir) resolve
// against the directory of the config file (baseDir), so that a config works from any working
// directory; an empty baseDir leaves them as they are (relative to the working directory).
#include "models/ZooModel.h"
#include "pipeline/ConfigError.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace dfq::pipeline {

/// Per-layer bit override: 0 = not overridden.
struct LayerBitsOverride {
    int wbits = 0;   ///< weight bits of a Conv2d/Linear (2..8, or 32 = float)
    int abits = 0;   ///< an activation's output bits, or a layer's input bits under all-inputs
};

struct ExperimentConfig {
    // model
    std::string modelPath;            ///< resolved; the embedded default when the config says ""
    std::string arch = "auto";
    // data
    std::string testPath;             ///< resolved; "" = no evaluation data (then evaluation is skipped)
    std::string normalization = "model"; ///< "model" = the checkpoint's preset, else a preset name
    int64_t testLimit = -1;           ///< first N test images (-1 = all)
    int64_t testLimitPerClass = -1;
    /// "" = the synthesis stage makes the calibration set; "noise", "real:PATH" (PATH resolved) or
    /// "synth:PATH": the calibration-set stage takes it from there (CalibrationSetStage.cpp).
    std::string calibrationSet;
    // synthesis
    std::string synthMethod = "zeroq";
    int64_t synthN = 256;             ///< images
    nlohmann::json synthOptions;      ///< the method's options, batch/iters folded in (not yet defaulted)
    // quantization
    int wbits = 4, abits = 4;
    std::string preset = "gdfq";
    std::string weightObserver = "auto", activationObserver = "auto"; ///< "auto": chosen by ptq.method
    std::map<std::string, LayerBitsOverride> layers;
    double mpAvgBits = 0;             ///< > 0: ZeroQ mixed precision at this average weight bit width
    /// quant.fold_bn: fold every BN into its conv before quantizing (deployment: integer runtimes then
    /// fuse conv + quantizer); false = BN kept in float (GDFQ's protocol).
    bool foldBn = false;
    /// quant.symmetric_weights: symmetric signed weight grids (int8 codes, zero point 0) instead of
    /// asymmetric ones (uint8 codes with a zero point per channel).
    bool symmetricWeights = false;
    /// quant.spec: a whole QuantSpec (its JSON), used as given (observers included); null = the spec
    /// is built from wbits/abits/preset/observers/layers. When set, wbits/abits/preset are its own.
    nlohmann::json quantSpec;
    // PTQ / QAT
    std::string ptqMethod = "minmax";
    int64_t calibBatch = 64;
    int64_t adaroundIters = 2000, brecqIters = 1000;
    int64_t qatEpochs = 0;
    double qatLr = 1e-4;
    int64_t qatBatch = 64;
    // evaluation, budget, run
    int64_t evalBatch = 256;
    double maxSeconds = 0;            ///< wall-clock budget of the whole run, 0 = none
    uint64_t seed = 0;
    int threads = 0;                  ///< 0 = all cores
    std::string outputDir = "runs";   ///< resolved; runs are created under it
    std::string runName;              ///< "" = <date>-<method>-W<w>A<a>
    bool exportModel = true;
    bool snapshots = true;

    nlohmann::json given;             ///< the document as given (after --set overrides)
    nlohmann::json resolved;          ///< every key with defaults filled in and paths resolved
    std::string baseDir;              ///< where relative paths were resolved from

    /// "calibrate-only" | "reconstructed" | "fine-tuned" (what was done to the quantized model).
    std::string protocol() const;
};

/// Every key with its default value: the schema.
nlohmann::json defaultExperimentConfig();

/// Static validation and resolution. Throws ConfigError listing every problem.
ExperimentConfig parseExperimentConfig(const nlohmann::json& document, const std::string& baseDir);

/// Reads a JSON file (ConfigError on unreadable / malformed JSON, with line and column), applies
/// the --set assignments in order, then parseExperimentConfig with the file's directory as baseDir.
ExperimentConfig loadExperimentConfig(const std::string& path, const std::vector<std::string>& assignments = {});

/// Applies "key.path=value" to a document (value parsed as JSON when it parses, else a string).
/// "quant.layers.<layer name>.wbits=8" keeps the dots of the layer name. Throws ConfigError.
void applyAssignment(nlohmann::json& document, const std::string& assignment);

/// Model phase: every quant.layers entry must name a Conv2d/Linear (wbits; abits only under
/// all-inputs) or an activation (abits) of the model. Returns the problems (empty = fine).
std::vector<ConfigIssue> checkAgainstModel(const ExperimentConfig& config, models::ZooModelImpl& model);

} // namespace dfq::pipeline
