#pragma once
#include <stdexcept>
#include <string>

namespace dfq::deploy {

/// An export or runtime-check problem; what() names the file, layer or command involved.
class DeployError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace dfq::deploy
