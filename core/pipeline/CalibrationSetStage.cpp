// "calibration-set": the calibration images come from data.calibration instead of a synthesis
// (`dfq quantize --calib`; `dfq run` with data.calibration for a real-data or noise reference):
//   real:DIR   a dataset (data::openDataset). "The first N images" of a class-sorted folder would be
//              only 2-3 classes, so the first ceil(N / classes) images of every class in file order,
//              then the first N of those (N = 1024 on CIFAR-10: 103 per class, the last classes 102).
//   noise      N images of N(0, 1) pixels in the normalised space, drawn in batches of ptq.batch from
//              one generator seeded with the stage seed.
//   synth:DIR  the first N images of a set written by synth::writeSyntheticSet (tensors.pt preferred).
// N = synthesis.n. Always re-executed on resume: the source is its own checkpoint.
#include "pipeline/PipelineStage.h"
#include "pipeline/StagePlan.h"

#include "quant/AdaRound.h"
#include "quant/BatchSource.h"
#include "quant/QuantError.h"
#include "synth/SyntheticSetIO.h"

#include <sstream>

namespace dfq::pipeline {
namespace {
using nlohmann::json;

std::string shapeString(const torch::Tensor& t) {
    std::ostringstream os;
    os << t.sizes();
    return os.str();
}

class CalibrationSetStage : public Stage {
public:
    std::string name() const override { return stage::CalibrationSet; }

    void run(StageContext& ctx) override {
        const auto& c = ctx.config;
        const auto& info = ctx.model->info();
        const int64_t n = c.synthN;
        const std::string& src = c.calibrationSet;
        torch::Tensor images, labels;
        std::string described;
        if (src == "noise") {
            const uint64_t seed = ctx.seed(name());
            described = "gaussian noise N(0,1), " + std::to_string(n) + " images, seed " + std::to_string(seed);
            quant::GaussianNoiseSource noise({info.inChannels, info.inHeight, info.inWidth}, c.calibBatch,
                                             (n + c.calibBatch - 1) / c.calibBatch, seed);
            images = quant::collectImages(noise, n);
        } else if (src.rfind("real:", 0) == 0) {
            data::DatasetOptions o;
            o.geometry = ctx.datasetOptions.geometry;
            o.normalization = ctx.datasetOptions.normalization;
            const int64_t classes = std::max<int64_t>(1, info.numClasses);
            o.limitPerClass = (n + classes - 1) / classes;
            auto ds = data::openDataset(src.substr(5), o);
            if (ds->size() == 0)
                throw quant::QuantError("calibration set '" + src.substr(5) + "' is empty");
            described = ds->describe() + ", first " + std::to_string(o.limitPerClass) + " per class, " +
                        std::to_string(std::min<int64_t>(ds->size(), n)) + " images";
            std::vector<int64_t> idx(size_t(std::min<int64_t>(ds->size(), n)));
            for (size_t i = 0; i < idx.size(); ++i)
                idx[i] = int64_t(i);
            auto batch = ds->get(idx);
            images = batch.images;
            labels = batch.labels;
        } else if (src.rfind("synth:", 0) == 0) {
            auto set = synth::readSyntheticSet(src.substr(6));
            images = set.images;
            labels = set.labels; // the teacher's argmax (or the conditional class)
            if (images.defined() && images.size(0) > n) {
                images = images.narrow(0, 0, n);
                if (labels.defined())
                    labels = labels.narrow(0, 0, n);
            }
            described = "synthetic set " + src.substr(6) + " (" + set.method + ")";
        } else {
            throw quant::QuantError("data.calibration must be real:DIR, noise or synth:DIR (got '" + src + "')");
        }
        if (!images.defined() || images.numel() == 0 || images.size(0) == 0)
            throw quant::QuantError("calibration set is empty");
        if (images.dim() != 4 || images.size(1) != info.inChannels || images.size(2) != info.inHeight ||
            images.size(3) != info.inWidth)
            throw quant::QuantError("calibration images have shape " + shapeString(images) + ", the model expects [N, " +
                                    std::to_string(info.inChannels) + ", " + std::to_string(info.inHeight) + ", " +
                                    std::to_string(info.inWidth) + "]");
        if (!torch::isfinite(images).all().item<bool>())
            throw quant::QuantError("calibration images contain NaN or Inf");
        ctx.images = images;
        ctx.labels = labels;
        json_ = {{"source", src}, {"description", described}, {"images", images.size(0)},
                 {"labels", labels.defined() ? "dataset" : "teacher argmax"}};
    }

    json report() const override { return {{"calibration_set", json_}}; }

private:
    json json_;
};

} // namespace

std::unique_ptr<Stage> makeCalibrationSetStage() { return std::make_unique<CalibrationSetStage>(); }

} // namespace dfq::pipeline
