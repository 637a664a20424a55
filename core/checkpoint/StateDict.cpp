#include "checkpoint/StateDict.h"

#include <stdexcept>

namespace dfq::checkpoint {

void StateDict::insert(std::string name, torch::Tensor t) {
    for (auto& e : entries_)
        if (e.first == name) {
            e.second = std::move(t);
            return;
        }
    entries_.emplace_back(std::move(name), std::move(t));
}

const torch::Tensor* StateDict::find(const std::string& name) const {
    for (const auto& e : entries_)
        if (e.first == name)
            return &e.second;
    return nullptr;
}

bool StateDict::contains(const std::string& name) const { return find(name) != nullptr; }

const torch::Tensor& StateDict::at(const std::string& name) const {
    if (const torch::Tensor* t = find(name))
        return *t;
    throw std::out_of_range("no tensor named '" + name + "'");
}

std::vector<std::string> StateDict::keys() const {
    std::vector<std::string> k;
    k.reserve(entries_.size());
    for (const auto& e : entries_)
        k.push_back(e.first);
    return k;
}

size_t StateDict::stripPrefix(const std::string& prefix) {
    size_t n = 0;
    for (auto& e : entries_)
        if (e.first.rfind(prefix, 0) == 0) {
            e.first.erase(0, prefix.size());
            ++n;
        }
    return n;
}

} // namespace dfq::checkpoint
