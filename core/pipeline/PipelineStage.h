#pragma once
// The stages of an experiment, in order, and the seed each one uses. Every stage seeds its own
// generators from the run seed and its name (not from global RNG state left by earlier stages), so a
// resumed run that skips completed stages computes the remaining ones exactly as an uninterrupted run.
#include <cstdint>
#include <string>
#include <vector>

namespace dfq::pipeline {

namespace stage {
inline const std::string Load = "load";
inline const std::string Synthesize = "synthesize";
inline const std::string CalibrationSet = "calibration-set"; ///< data.calibration instead of synthesis
inline const std::string Generative = "generative";         ///< generator methods: replaces synthesize, calibrate, fine-tune
inline const std::string Calibrate = "calibrate";
inline const std::string FineTune = "fine-tune";
inline const std::string Evaluate = "evaluate";
inline const std::string Export = "export";
} // namespace stage

/// Seed of a stage: FNV-1a of the name mixed with the run seed (stable across platforms and versions).
inline uint64_t stageSeed(uint64_t runSeed, const std::string& stageName) {
    uint64_t h = 1469598103934665603ull ^ (runSeed * 0x9E3779B97F4A7C15ull);
    for (unsigned char c : stageName) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h & 0x7FFFFFFFFFFFFFFFull; // torch generators take int64-compatible seeds
}

} // namespace dfq::pipeline
