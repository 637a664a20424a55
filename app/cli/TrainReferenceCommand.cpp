// dfq train-reference: trains the embedded Fashion-MNIST reference model with the project's own code.
#include "Commands.h"

#include "checkpoint/CheckpointWriter.h"
#include "data/Dataset.h"
#include "metrics/Evaluator.h"
#include "models/ModelZoo.h"
#include "models/StateDictMapping.h"
#include "runtime/AtomicFile.h"
#include "runtime/Resources.h"
#include "runtime/Threads.h"
#include "training/SupervisedTrainer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

namespace dfq::cli {
namespace {

struct TrainArgs {
    std::string data, out = "resources/models/fmnist_resnet8.pt", arch = "fmnist_resnet8";
    int epochs = 15;
    int64_t batch = 128;
    double lr = 0.1;
    uint64_t seed = 0;
};

int runTrain(const TrainArgs& a, const CommonOptions& common) {
    const int threads = runtime::configureThreads(common.threads);
    auto model = models::createModel(a.arch);
    const auto& info = model->info();
    data::DatasetOptions dopt;
    dopt.geometry = {info.inChannels, info.inHeight, info.inWidth};
    dopt.normalization = data::normalizationPreset(info.normalization);
    const std::string dataPath = a.data.empty() ? runtime::defaultDataPath() : a.data;
    dopt.train = true;
    auto trainSet = data::openDataset(dataPath, dopt);
    dopt.train = false;
    auto testSet = data::openDataset(dataPath, dopt);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);   // progress lines appear at once in logs
    std::printf("training %s (%lld parameters) on %s, %d epochs, %d threads\n", info.arch.c_str(),
                (long long)model->parameterCount(), trainSet->describe().c_str(), a.epochs, threads);

    training::TrainOptions topt;
    topt.epochs = a.epochs;
    topt.batchSize = a.batch;
    topt.lr = a.lr;
    topt.seed = a.seed;
    topt.onEpoch = [](int e, double loss, double acc, double s) {
        std::printf("epoch %3d  loss %.4f  train top-1 %.2f %%  %.1f s\n", e, loss, acc, s);
        std::fflush(stdout);
    };
    const auto tr = training::train(*model, *trainSet, topt);
    const auto ev = metrics::evaluate(*model, *testSet);
    std::printf("test top-1 %.2f %%  top-5 %.2f %%  (training %.0f s)\n", ev.top1, ev.top5, tr.seconds);

    checkpoint::writeStateDict(a.out, models::extractStateDict(*model));
    nlohmann::json record = {{"arch", info.arch},
                             {"data", dataPath},
                             {"epochs", a.epochs},
                             {"batch", a.batch},
                             {"lr", a.lr},
                             {"seed", a.seed},
                             {"threads", threads},
                             {"train_seconds", tr.seconds},
                             {"final_train_loss", tr.finalLoss},
                             {"test_top1", ev.top1},
                             {"test_top5", ev.top5},
                             {"command", "dfq train-reference --epochs " + std::to_string(a.epochs) +
                                             " --seed " + std::to_string(a.seed)}};
    runtime::writeFileAtomically(a.out + ".json", record.dump(2) + "\n");   // FileError names the file
    std::printf("wrote %s\n", a.out.c_str());
    return 0;
}

} // namespace

void addTrainReferenceCommand(CLI::App& app, CommonOptions& common, CommandBody& body) {
    auto args = std::make_shared<TrainArgs>();
    CLI::App* cmd = app.add_subcommand("train-reference", "train the embedded Fashion-MNIST reference model");
    cmd->add_option("--data", args->data, "Fashion-MNIST IDX folder; default: Debian's dataset-fashion-mnist");
    cmd->add_option("--out", args->out, "where to write the weights (a JSON training record goes beside it)");
    cmd->add_option("--epochs", args->epochs)->check(CLI::PositiveNumber);
    cmd->add_option("--batch", args->batch)->check(CLI::PositiveNumber);
    cmd->add_option("--lr", args->lr, "peak learning rate");
    cmd->add_option("--seed", args->seed);
    cmd->add_option("--threads", common.threads, "intra-op threads (0 = all cores)");
    cmd->callback([&body, &common, args] { body = [&common, args] { return runTrain(*args, common); }; });
}

} // namespace dfq::cli
