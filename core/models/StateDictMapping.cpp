#include "models/StateDictMapping.h"

#include <sstream>
#include <unordered_map>

namespace dfq::models {
namespace {

std::string shapeString(const torch::Tensor& t) {
    std::ostringstream s;
    s << '[';
    for (int64_t i = 0; i < t.dim(); ++i)
        s << (i ? "," : "") << t.size(i);
    s << ']';
    return s.str();
}

bool optionalKey(const std::string& k) {
    const std::string tail = "num_batches_tracked";
    return k.size() >= tail.size() && k.compare(k.size() - tail.size(), tail.size(), tail) == 0;
}

} // namespace

std::string MappingReport::describe() const {
    std::ostringstream s;
    auto list = [&](const char* what, const std::vector<std::string>& keys) {
        if (keys.empty())
            return;
        s << keys.size() << ' ' << what << ": ";
        for (size_t i = 0; i < keys.size() && i < 6; ++i)
            s << (i ? ", " : "") << keys[i];
        if (keys.size() > 6)
            s << ", ... (" << keys.size() - 6 << " more)";
        s << '\n';
    };
    list("missing key(s)", missing);
    list("unexpected key(s)", unexpected);
    list("mis-shaped key(s)", misShaped);
    if (ok())
        s << "all " << copied << " tensors mapped\n";
    return s.str();
}

MappingReport applyStateDict(ZooModelImpl& model, const checkpoint::StateDict& sd) {
    MappingReport report;
    std::unordered_map<std::string, torch::Tensor> own;
    std::vector<std::string> order;
    for (const auto& p : model.named_parameters(true)) {
        own.emplace(p.key(), p.value());
        order.push_back(p.key());
    }
    for (const auto& b : model.named_buffers(true)) {
        own.emplace(b.key(), b.value());
        order.push_back(b.key());
    }
    torch::NoGradGuard ng;
    for (const auto& [key, t] : sd.entries()) {
        auto it = own.find(key);
        if (it == own.end()) {
            report.unexpected.push_back(key);
            continue;
        }
        torch::Tensor& dst = it->second;
        if (dst.sizes() != t.sizes() && !(dst.dim() == 0 && t.numel() == 1)) {
            report.misShaped.push_back(key + ": checkpoint " + shapeString(t) + " vs model " + shapeString(dst));
            continue;
        }
        dst.copy_(t.reshape(dst.sizes()).to(dst.dtype()));
        ++report.copied;
    }
    for (const auto& key : order)
        if (!sd.contains(key) && !optionalKey(key))
            report.missing.push_back(key);
    return report;
}

checkpoint::StateDict extractStateDict(const ZooModelImpl& model) {
    checkpoint::StateDict sd;
    for (const auto& p : model.named_parameters(true))
        sd.insert(p.key(), p.value().detach().clone());
    for (const auto& b : model.named_buffers(true))
        sd.insert(b.key(), b.value().detach().clone());
    return sd;
}

} // namespace dfq::models
