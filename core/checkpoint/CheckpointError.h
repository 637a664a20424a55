#pragma once
#include <stdexcept>
#include <string>

namespace dfq::checkpoint {

/// Any problem reading a checkpoint. what() always names the file and the problem,
/// e.g. "resnet20.pt: zip archive is truncated (central directory not found)".
class CheckpointError : public std::runtime_error {
public:
    CheckpointError(const std::string& file, const std::string& problem)
        : std::runtime_error(file + ": " + problem), file_(file), problem_(problem) {}
    const std::string& file() const { return file_; }
    const std::string& problem() const { return problem_; }

private:
    std::string file_;
    std::string problem_;
};

} // namespace dfq::checkpoint
