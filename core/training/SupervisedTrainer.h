#pragma once
#include "data/Dataset.h"
#include "models/ZooModel.h"
#include "runtime/CancelToken.h"

#include <functional>
#include <string>

namespace dfq::training {

/// Plain supervised training (cross-entropy, SGD with Nesterov momentum, cosine learning rate,
/// random-crop + horizontal-flip augmentation). Used to train the embedded Fashion-MNIST reference.
struct TrainOptions {
    int epochs = 15;
    int64_t batchSize = 128;
    double lr = 0.1;                 ///< peak learning rate (after a 1-epoch linear warm-up), cosine to 0
    double momentum = 0.9;
    double weightDecay = 5e-4;
    int64_t cropPadding = 2;         ///< pixels of zero (black) padding for random crops; 0 disables
    bool horizontalFlip = true;
    uint64_t seed = 0;
    runtime::CancelToken cancel;
    /// Called after each epoch: epoch (1-based), mean training loss, training accuracy %, seconds.
    std::function<void(int epoch, double loss, double trainTop1, double seconds)> onEpoch;
};

struct TrainResult {
    double finalLoss = 0, finalTrainTop1 = 0, seconds = 0;
};

TrainResult train(models::ZooModelImpl& model, const data::Dataset& trainSet, const TrainOptions& options);

} // namespace dfq::training
