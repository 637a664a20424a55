#pragma once
#include <stdexcept>
#include <string>

namespace dfq::models {

/// A model problem (unknown architecture, checkpoint that does not fit). what() names the file.
class ModelError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace dfq::models
