#pragma once
#include <stdexcept>
#include <string>

namespace dfq::data {

/// A dataset problem. what() names the file or folder and the problem,
/// e.g. "/data/test/cat/x.txt: not a decodable image".
class DataError : public std::runtime_error {
public:
    DataError(const std::string& path, const std::string& problem)
        : std::runtime_error(path + ": " + problem), path_(path) {}
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

} // namespace dfq::data
