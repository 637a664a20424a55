#pragma once
#include <stdexcept>
#include <string>

namespace dfq::pipeline {

/// A run that cannot start or continue: unreadable/unwritable run directory, a failed atomic write,
/// a checkpoint that does not fit the configuration. The message names the file and the problem.
class PipelineError : public std::runtime_error {
public:
    explicit PipelineError(const std::string& what) : std::runtime_error(what) {}
};

} // namespace dfq::pipeline
