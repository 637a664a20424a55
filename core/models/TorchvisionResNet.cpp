#include "models/TorchvisionResNet.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/container/sequential.h>

#include <set>

namespace dfq::models {
namespace {

/// torchvision's downsample: Sequential(conv1x1(stride), BN), so its keys are downsample.0.weight and
/// downsample.1.*. Null when the block keeps its shape (identity shortcut).
torch::nn::Sequential makeDownsample(int64_t in, int64_t out, int64_t stride) {
    if (stride == 1 && in == out)
        return nullptr;
    torch::nn::Sequential s;
    s->push_back(Conv2d(Conv2dOptions{in, out, 1, stride, 0}));
    s->push_back(BatchNorm2d(out));
    return s;
}

} // namespace

TorchvisionBasicBlockImpl::TorchvisionBasicBlockImpl(int64_t in, int64_t planes, int64_t stride) {
    conv1 = register_module("conv1", Conv2d(Conv2dOptions{in, planes, 3, stride, 1}));
    bn1 = register_module("bn1", BatchNorm2d(planes));
    relu1 = register_module("relu1", Activation());
    conv2 = register_module("conv2", Conv2d(Conv2dOptions{planes, planes, 3, 1, 1}));
    bn2 = register_module("bn2", BatchNorm2d(planes));
    // The shortcut is computed after the main branch in forward(), so registering it here keeps
    // registration order equal to forward order (and the key order equal to torchvision's).
    if (auto d = makeDownsample(in, planes * expansion, stride))
        downsample = register_module("downsample", d);
    relu2 = register_module("relu2", Activation());
}

torch::Tensor TorchvisionBasicBlockImpl::forward(const torch::Tensor& x) {
    torch::Tensor out = relu1(bn1(conv1(x)));
    out = bn2(conv2(out));
    const torch::Tensor shortcut = downsample ? downsample->forward(x) : x;
    return relu2(out + shortcut);
}

namespace {
// downsample = Sequential(conv 1x1 stride s, BatchNorm2d).
ForwardGraph::Value describeShortcut(ForwardGraph& g, torch::nn::Sequential& downsample, const ForwardGraph::Value& x) {
    if (!downsample)
        return x;
    auto conv = std::dynamic_pointer_cast<Conv2dImpl>(downsample->children().at(0));
    auto bn = std::dynamic_pointer_cast<BatchNorm2dImpl>(downsample->children().at(1));
    return g.batchNorm(*bn, g.conv(*conv, x));
}
} // namespace

ForwardGraph::Value TorchvisionBasicBlockImpl::describe(ForwardGraph& g, const ForwardGraph::Value& x) {
    auto out = g.activation(*relu1, g.batchNorm(*bn1, g.conv(*conv1, x)));
    out = g.batchNorm(*bn2, g.conv(*conv2, out));
    return g.activation(*relu2, g.add(out, describeShortcut(g, downsample, x)));
}

TorchvisionBottleneckImpl::TorchvisionBottleneckImpl(int64_t in, int64_t planes, int64_t stride) {
    conv1 = register_module("conv1", Conv2d(Conv2dOptions{in, planes, 1, 1, 0}));
    bn1 = register_module("bn1", BatchNorm2d(planes));
    relu1 = register_module("relu1", Activation());
    // v1.5: the stride is on the 3x3 convolution, not on the first 1x1.
    conv2 = register_module("conv2", Conv2d(Conv2dOptions{planes, planes, 3, stride, 1}));
    bn2 = register_module("bn2", BatchNorm2d(planes));
    relu2 = register_module("relu2", Activation());
    conv3 = register_module("conv3", Conv2d(Conv2dOptions{planes, planes * expansion, 1, 1, 0}));
    bn3 = register_module("bn3", BatchNorm2d(planes * expansion));
    if (auto d = makeDownsample(in, planes * expansion, stride))
        downsample = register_module("downsample", d);
    relu3 = register_module("relu3", Activation());
}

torch::Tensor TorchvisionBottleneckImpl::forward(const torch::Tensor& x) {
    torch::Tensor out = relu1(bn1(conv1(x)));
    out = relu2(bn2(conv2(out)));
    out = bn3(conv3(out));
    const torch::Tensor shortcut = downsample ? downsample->forward(x) : x;
    return relu3(out + shortcut);
}

ForwardGraph::Value TorchvisionBottleneckImpl::describe(ForwardGraph& g, const ForwardGraph::Value& x) {
    auto out = g.activation(*relu1, g.batchNorm(*bn1, g.conv(*conv1, x)));
    out = g.activation(*relu2, g.batchNorm(*bn2, g.conv(*conv2, out)));
    out = g.batchNorm(*bn3, g.conv(*conv3, out));
    return g.activation(*relu3, g.add(out, describeShortcut(g, downsample, x)));
}

TorchvisionResNetImpl::TorchvisionResNetImpl(const TorchvisionResNetOptions& o) {
    TORCH_CHECK(o.blocksPerStage.size() == 4, "TorchvisionResNet: four stages expected");
    const int64_t expansion = o.bottleneck ? TorchvisionBottleneckImpl::expansion : TorchvisionBasicBlockImpl::expansion;

    conv1_ = register_module("conv1", Conv2d(Conv2dOptions{3, 64, 7, 2, 3}));
    bn1_ = register_module("bn1", BatchNorm2d(64));
    relu_ = register_module("relu", Activation());

    int64_t in = 64;
    auto stage = [&](int64_t planes, int64_t blocks, int64_t stride) {
        torch::nn::Sequential s;
        for (int64_t i = 0; i < blocks; ++i) {
            const int64_t st = i == 0 ? stride : 1;
            if (o.bottleneck)
                s->push_back(TorchvisionBottleneck(in, planes, st));
            else
                s->push_back(TorchvisionBasicBlock(in, planes, st));
            in = planes * expansion;
        }
        return s;
    };
    layer1_ = register_module("layer1", stage(64, o.blocksPerStage[0], 1));
    layer2_ = register_module("layer2", stage(128, o.blocksPerStage[1], 2));
    layer3_ = register_module("layer3", stage(256, o.blocksPerStage[2], 2));
    layer4_ = register_module("layer4", stage(512, o.blocksPerStage[3], 2));
    fc_ = register_module("fc", Linear(512 * expansion, o.numClasses));

    // torchvision's initialisation: Kaiming-normal (fan_out, ReLU) convolutions; BN starts at 1/0
    // (BatchNorm2d's defaults); fc keeps nn.Linear's default (LinearImpl's).
    torch::NoGradGuard ng;
    for (auto& layer : quantLayers())
        if (layer.isConv())
            torch::nn::init::kaiming_normal_(layer.weight(), 0.0, torch::kFanOut, torch::kReLU);

    // Weighted layers: the stem, 2 or 3 convolutions per block, and fc.
    int64_t blocks = 0;
    for (int64_t n : o.blocksPerStage)
        blocks += n;
    const int64_t depth = (o.bottleneck ? 3 : 2) * blocks + 2;
    info_.arch = "resnet" + std::to_string(depth);
    info_.inChannels = 3;
    info_.inHeight = info_.inWidth = 224;
    info_.numClasses = o.numClasses;
    info_.normalization = "imagenet";
}

torch::Tensor TorchvisionResNetImpl::features(const torch::Tensor& x) {
    torch::Tensor out = relu_(bn1_(conv1_(x)));
    out = at::max_pool2d(out, {3, 3}, {2, 2}, {1, 1});
    out = layer1_->forward(out);
    out = layer2_->forward(out);
    out = layer3_->forward(out);
    out = layer4_->forward(out);
    // Adaptive average pooling to 1x1 is the spatial mean, whatever the input size.
    return at::mean(out, {2, 3});
}

torch::Tensor TorchvisionResNetImpl::classify(const torch::Tensor& f) { return fc_(f); }

torch::Tensor TorchvisionResNetImpl::forward(const torch::Tensor& x) { return classify(features(x)); }

void TorchvisionResNetImpl::describe(ForwardGraph& g) {
    auto x = g.activation(*relu_, g.batchNorm(*bn1_, g.conv(*conv1_, g.input())));
    x = g.maxPool(x, 3, 2, 1);
    for (auto* stage : {&layer1_, &layer2_, &layer3_, &layer4_})
        for (const auto& block : (*stage)->children()) {
            if (auto b = std::dynamic_pointer_cast<TorchvisionBasicBlockImpl>(block))
                x = b->describe(g, x);
            else
                x = std::dynamic_pointer_cast<TorchvisionBottleneckImpl>(block)->describe(g, x);
        }
    g.output(g.linear(*fc_, g.globalAveragePool(x)));
}

namespace {

/// Distinct block indices under "<stage>." in the keys, e.g. layer1.0 ... layer1.2 -> 3.
int64_t blockCount(const checkpoint::StateDict& sd, const std::string& stage) {
    std::set<std::string> idx;
    const std::string prefix = stage + ".";
    for (const auto& [k, t] : sd.entries()) {
        if (k.rfind(prefix, 0) != 0)
            continue;
        const size_t dot = k.find('.', prefix.size());
        if (dot != std::string::npos)
            idx.insert(k.substr(prefix.size(), dot - prefix.size()));
    }
    return int64_t(idx.size());
}

ArchEntry entry(const std::string& name, const std::string& description, std::vector<int64_t> blocks,
                bool bottleneck) {
    auto create = [blocks, bottleneck](const ArchOptions& a) {
        TorchvisionResNetOptions o;
        o.blocksPerStage = blocks;
        o.bottleneck = bottleneck;
        o.numClasses = a.numClasses > 0 ? a.numClasses : 1000;
        return ZooModel(std::make_shared<TorchvisionResNetImpl>(o));
    };
    auto matches = [blocks, bottleneck](const checkpoint::StateDict& sd) {
        const torch::Tensor* stem = sd.find("conv1.weight");
        if (!sd.contains("fc.weight") || !stem || stem->dim() != 4 || stem->size(1) != 3)
            return false;
        if (sd.contains("layer1.0.conv3.weight") != bottleneck)
            return false;
        const char* stages[] = {"layer1", "layer2", "layer3", "layer4"};
        for (size_t i = 0; i < 4; ++i)
            if (blockCount(sd, stages[i]) != blocks[i])
                return false;
        return true;
    };
    return {name, description, create, matches};
}

} // namespace

std::vector<ArchEntry> torchvisionResNetEntries() {
    return {
        entry("resnet18", "torchvision ResNet-18 (3x224x224, BasicBlocks [2,2,2,2])", {2, 2, 2, 2}, false),
        entry("resnet34", "torchvision ResNet-34 (3x224x224, BasicBlocks [3,4,6,3])", {3, 4, 6, 3}, false),
        entry("resnet50", "torchvision ResNet-50 (3x224x224, Bottlenecks [3,4,6,3])", {3, 4, 6, 3}, true),
    };
}

} // namespace dfq::models
