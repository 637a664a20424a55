#include "models/ModelZoo.h"

#include "models/CifarResNet.h"
#include "models/ModelError.h"
#include "models/MobileNetV2.h"
#include "models/TorchvisionResNet.h"

#include <regex>
#include <set>

namespace dfq::models {
namespace {

const std::vector<std::string> kCifar10Classes = {"airplane", "automobile", "bird", "cat", "deer",
                                                  "dog", "frog", "horse", "ship", "truck"};
const std::vector<std::string> kFashionClasses = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                  "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

/// Number of distinct block indices under "<stage>." in the keys, e.g. layer1.0 ... layer1.2 -> 3.
int64_t countBlocks(const checkpoint::StateDict& sd, const std::string& stage) {
    std::set<int64_t> idx;
    const std::string prefix = stage + ".";
    for (const auto& [k, t] : sd.entries()) {
        if (k.rfind(prefix, 0) != 0)
            continue;
        const size_t dot = k.find('.', prefix.size());
        if (dot == std::string::npos)
            continue;
        try {
            idx.insert(std::stoll(k.substr(prefix.size(), dot - prefix.size())));
        } catch (...) {
        }
    }
    return int64_t(idx.size());
}

bool hasShape(const checkpoint::StateDict& sd, const std::string& key, int dims, int64_t dim1 = -1) {
    const torch::Tensor* t = sd.find(key);
    return t && t->dim() == dims && (dim1 < 0 || t->size(1) == dim1);
}

ArchEntry cifarResNet(int64_t n) {
    const std::string name = "resnet" + std::to_string(6 * n + 2);
    return {name,
            "CIFAR ResNet-" + std::to_string(6 * n + 2) + " (3x32x32, option-A shortcuts)",
            [n](const ArchOptions& o) {
                CifarResNetOptions c;
                c.blocksPerStage = n;
                c.numClasses = o.numClasses > 0 ? o.numClasses : 10;
                auto m = std::make_shared<CifarResNetImpl>(c);
                m->info().normalization = "imagenet";
                m->info().inHeight = m->info().inWidth = 32;
                if (c.numClasses == 10)
                    m->info().classNames = kCifar10Classes;
                return ZooModel(m);
            },
            [n](const checkpoint::StateDict& sd) {
                return sd.contains("linear.weight") && hasShape(sd, "conv1.weight", 4, 3) &&
                       countBlocks(sd, "layer1") == n && countBlocks(sd, "layer3") == n;
            }};
}

ArchEntry fashionReference() {
    return {"fmnist_resnet8",
            "Fashion-MNIST reference net: CIFAR-style ResNet-8, 1x28x28",
            [](const ArchOptions& o) {
                CifarResNetOptions c;
                c.blocksPerStage = 1;
                c.inChannels = 1;
                c.numClasses = o.numClasses > 0 ? o.numClasses : 10;
                auto m = std::make_shared<CifarResNetImpl>(c);
                m->info().arch = "fmnist_resnet8";
                m->info().inHeight = m->info().inWidth = 28;
                m->info().normalization = "fashion-mnist";
                if (c.numClasses == 10)
                    m->info().classNames = kFashionClasses;
                return ZooModel(m);
            },
            [](const checkpoint::StateDict& sd) {
                return sd.contains("linear.weight") && hasShape(sd, "conv1.weight", 4, 1) &&
                       countBlocks(sd, "layer1") == 1;
            }};
}

std::vector<ArchEntry> buildRegistry() {
    std::vector<ArchEntry> r;
    for (int64_t n : {3, 5, 7, 9, 18})
        r.push_back(cifarResNet(n));
    r.push_back(fashionReference());
    for (auto& e : torchvisionResNetEntries())
        r.push_back(std::move(e));
    r.push_back(mobileNetV2Entry());
    return r;
}

} // namespace

const std::vector<ArchEntry>& architectures() {
    static const std::vector<ArchEntry> registry = buildRegistry();
    return registry;
}

std::vector<std::string> architectureNames() {
    std::vector<std::string> names;
    for (const auto& e : architectures())
        names.push_back(e.name);
    return names;
}

ZooModel createModel(const std::string& arch, const ArchOptions& options) {
    for (const auto& e : architectures())
        if (e.name == arch)
            return e.create(options);
    std::string known;
    for (const auto& n : architectureNames())
        known += (known.empty() ? "" : ", ") + n;
    throw ModelError("unknown architecture '" + arch + "' (known: " + known + ")");
}

std::string detectArchitecture(const checkpoint::StateDict& sd) {
    for (const auto& e : architectures())
        if (e.matches && e.matches(sd))
            return e.name;
    return {};
}

int64_t detectNumClasses(const checkpoint::StateDict& sd) {
    for (const char* key : {"linear.weight", "fc.weight", "classifier.1.weight", "classifier.weight"})
        if (const torch::Tensor* t = sd.find(key); t && t->dim() == 2)
            return t->size(0);
    return -1;
}

} // namespace dfq::models
