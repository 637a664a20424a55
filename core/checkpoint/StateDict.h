#pragma once
#include <torch/types.h>

#include <string>
#include <utility>
#include <vector>

namespace dfq::checkpoint {

/// Named tensors in file order (the order torch.save wrote them), like PyTorch's OrderedDict.
class StateDict {
public:
    using Entry = std::pair<std::string, torch::Tensor>;

    void insert(std::string name, torch::Tensor t);   // replaces an existing entry of that name
    bool contains(const std::string& name) const;
    const torch::Tensor& at(const std::string& name) const;   // throws std::out_of_range naming the key
    const torch::Tensor* find(const std::string& name) const;  // nullptr when absent
    size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }
    const std::vector<Entry>& entries() const { return entries_; }
    std::vector<std::string> keys() const;

    /// Removes `prefix` from every key that starts with it (e.g. "module." from DataParallel).
    /// Returns how many keys changed.
    size_t stripPrefix(const std::string& prefix);

private:
    std::vector<Entry> entries_;
};

} // namespace dfq::checkpoint
