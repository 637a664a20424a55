#pragma once
// Problems found in an experiment configuration. Validation never stops at the first problem: the
// user sees every one of them, each tied to its key path ("quant.layers.layer3.1.conv2.wbits").
#include <stdexcept>
#include <string>
#include <vector>

namespace dfq::pipeline {

struct ConfigIssue {
    std::string path;     ///< dotted key path, e.g. "synthesis.method"; "" for the document itself
    std::string message;  ///< what is wrong, e.g. "9 is outside 2–8"
    std::string text() const { return path.empty() ? message : path + ": " + message; }
};

/// Thrown with every issue found; what() lists them one per line.
class ConfigError : public std::runtime_error {
public:
    explicit ConfigError(std::vector<ConfigIssue> issues)
        : std::runtime_error(join(issues)), issues_(std::move(issues)) {}
    const std::vector<ConfigIssue>& issues() const { return issues_; }

private:
    static std::string join(const std::vector<ConfigIssue>& issues) {
        std::string s = "invalid experiment configuration (" + std::to_string(issues.size()) +
                        (issues.size() == 1 ? " problem)" : " problems)");
        for (const auto& i : issues)
            s += "\n  " + i.text();
        return s;
    }
    std::vector<ConfigIssue> issues_;
};

} // namespace dfq::pipeline
