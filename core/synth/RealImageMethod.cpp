// "real": the first N images of a real dataset (the calibration upper reference, and the fallback for
// models without BatchNorm). Class-balanced by default, because "first N in file order" of an
// ImageFolder is one or two classes only.
#include "data/DataError.h"
#include "data/Dataset.h"
#include "synth/FrozenTeacher.h"
#include "synth/SynthesisError.h"
#include "synth/SynthesisMethod.h"
#include "synth/SynthesisRun.h"

#include <torch/torch.h>

#include <limits>
#include <numeric>

namespace dfq::synth {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

class RealImageMethod : public SynthesisMethod {
public:
    std::string name() const override { return "real"; }
    std::string description() const override { return "the first N images of a real dataset (class-balanced)"; }
    std::vector<OptionSpec> optionSpecs() const override {
        return {{"data", "", "dataset path (ImageFolder, IDX or CIFAR-10 binary; see data::openDataset)"},
                {"train", true, "take the training split when the folder has train/test splits"},
                {"balanced", true,
                 "at most ceil(N / classes) images per class, first ones in file order; false: the first N"},
                {"labels", "dataset", "labels from the dataset, or the teacher's argmax", -kInf, kInf,
                 {"dataset", "teacher"}},
                {"batch_size", 256, "images decoded and labelled together", 1, 1e6}};
    }

    SyntheticSet run(models::ZooModelImpl& model, const SynthesisRequest& request, SynthesisEvents* events,
                     const runtime::CancelToken& cancel) override {
        const nlohmann::json opt = resolveOptions(request.options);
        const std::string path = opt.at("data").get<std::string>();
        if (path.empty())
            throw SynthesisError("method 'real' needs option 'data': the path of a dataset to take images from");
        SynthesisRun run(name(), model, request, opt, opt.at("batch_size").get<int64_t>(), 0, events, cancel);
        const auto& info = model.info();

        data::DatasetOptions d;
        d.geometry = {info.inChannels, info.inHeight, info.inWidth};
        d.normalization = request.normalization;
        if (d.normalization.mean.empty())
            d.normalization = {"none", {0.0f}, {1.0f}};
        d.train = opt.at("train").get<bool>();
        d.limit = request.count;
        if (opt.at("balanced").get<bool>())
            d.limitPerClass = (request.count + info.numClasses - 1) / std::max<int64_t>(1, info.numClasses);
        std::unique_ptr<data::Dataset> dataset;
        try {
            dataset = data::openDataset(path, d);
        } catch (const data::DataError& e) {
            throw SynthesisError(std::string("method 'real': ") + e.what());
        }
        if (dataset->size() < request.count)
            throw SynthesisError("method 'real': " + dataset->describe() + " yields only " +
                                 std::to_string(dataset->size()) + " images" +
                                 (d.limitPerClass > 0 ? " with at most " + std::to_string(d.limitPerClass) + " per class" : "") +
                                 ", " + std::to_string(request.count) + " were asked for");
        const bool datasetLabels = opt.at("labels").get<std::string>() == "dataset";
        if (datasetLabels && int64_t(dataset->classNames().size()) > info.numClasses)
            throw SynthesisError("method 'real': " + dataset->describe() + " has " +
                                 std::to_string(dataset->classNames().size()) + " classes, the model " +
                                 std::to_string(info.numClasses));
        for (const auto& n : dataset->notes())
            run.note(n);

        FrozenTeacher frozen(model);
        const int64_t batchSize = opt.at("batch_size").get<int64_t>();
        return run.run([&](int64_t batch, int64_t size, at::Generator&) {
            std::vector<int64_t> idx(size_t(size), 0);
            std::iota(idx.begin(), idx.end(), batch * batchSize);
            data::Batch b = dataset->get(idx);
            return std::make_pair(b.images, datasetLabels ? b.labels : torch::Tensor());
        });
    }
};

} // namespace

std::unique_ptr<SynthesisMethod> makeRealImageMethod() { return std::make_unique<RealImageMethod>(); }

} // namespace dfq::synth
