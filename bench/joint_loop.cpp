// Throughput of the generator-student loop (generative/JointTrainer): GDFQ (or another generator
// method) on a zoo model, W4A4 gdfq placement, one epoch of --iters iterations after --warmup
// untimed ones, in iterations per second. Prints one JSON object. The PyTorch side of the comparison
// is bench/python/joint_loop.py (same generator, frozen teacher, fake-quant student, same batch).
//
//   build/bench/bench_joint_loop MODEL [--batch 128] [--iters 20] [--warmup 3] [--method gdfq]
//                                [--threads N] [--channels-last 0|1] [--fold-bn 0|1]
#include "generative/JointTrainer.h"
#include "models/ModelLoader.h"
#include "quant/QatDistiller.h"
#include "quant/QuantSpec.h"
#include "runtime/Allocator.h"
#include "runtime/Threads.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <chrono>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: bench_joint_loop MODEL [--batch 128] [--iters 20] [--warmup 3] [--method gdfq] [--threads N]"
                     " [--channels-last 0|1] [--fold-bn 0|1]\n";
        return 2;
    }
    dfq::runtime::configureAllocator();
    std::string modelPath = argv[1], method = "gdfq";
    int64_t batch = 128, iters = 20, warmup = 3;
    int threads = 0, channelsLast = 1, foldBn = 1;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--batch") batch = std::stoll(v);
        else if (k == "--iters") iters = std::stoll(v);
        else if (k == "--warmup") warmup = std::stoll(v);
        else if (k == "--method") method = v;
        else if (k == "--threads") threads = std::stoi(v);
        else if (k == "--channels-last") channelsLast = std::stoi(v);
        else if (k == "--fold-bn") foldBn = std::stoi(v);
        else { std::cerr << "unknown option " << k << "\n"; return 2; }
    }
    const int used = dfq::runtime::configureThreads(threads);
    auto teacher = dfq::models::loadModel(modelPath, "auto").model;
    teacher->eval();
    auto student = dfq::quant::cloneModel(*teacher);
    dfq::quant::QuantizedModel qm(student, dfq::quant::buildQuantSpec(*student, dfq::quant::LayerPlacement::Gdfq, 4, 4));

    // Times each iteration from the progress events: the first `warmup` are not counted.
    struct Clock : dfq::generative::JointEvents {
        std::vector<std::chrono::steady_clock::time_point> t;
        void progress(const dfq::synth::SynthesisProgress&) override { t.push_back(std::chrono::steady_clock::now()); }
    } clock;
    dfq::generative::JointSetup s;
    s.teacher = teacher;
    s.student = &qm;
    s.method = method;
    s.options = {{"epochs", 1}, {"iters_per_epoch", warmup + iters}, {"batch_size", batch}, {"warmup_epochs", 0},
                 {"range_epochs", 0}, {"lr_milestones", ""}, {"probe_per_class", 2}, {"generator_width", 128}, {"latent_dim", 100},
                 {"channels_last", channelsLast != 0}, {"fold_bn", foldBn != 0}};
    if (method == "clusterq")
        s.options["centroid_epoch"] = 0;
    s.events = &clock;
    dfq::generative::JointTrainer trainer(s);
    const auto start = std::chrono::steady_clock::now();
    trainer.run();
    const double timed = std::chrono::duration<double>(clock.t.back() - clock.t[size_t(warmup - 1)]).count();
    const double first = std::chrono::duration<double>(clock.t[size_t(warmup - 1)] - start).count();
    nlohmann::json j = {{"model", teacher->info().arch}, {"method", method}, {"batch", batch}, {"iters", iters},
                        {"threads", used}, {"channels_last", channelsLast != 0}, {"fold_bn", foldBn != 0},
                        {"seconds", timed}, {"iters_per_second", double(iters) / timed},
                        {"seconds_per_iter", timed / double(iters)}, {"warmup_seconds", first},
                        {"images_per_second", double(iters * batch) / timed}};
    std::cout << j.dump() << std::endl;
    return 0;
}
