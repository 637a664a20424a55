// Synthesis throughput on a zoo model: ZeroQ's pixel optimisation (frozen teacher, per-sample BN
// statistics + input term, Adam) for one batch, in image·iterations per second, and the achieved
// GFLOP/s against the machine's measured GEMM peak.
//
//   build/bench/bench_synth_throughput MODEL [--batch 64] [--iters 100] [--threads N] [--method zeroq]
//                                      [--channels-last 0|1]   (default: the method's own default)
// FLOPs per image·iteration = 2 × forward FLOPs (forward + the input gradient, which costs one more
// forward's worth of MACs per conv; no weight gradients). Prints one JSON object.
#include "metrics/ModelFlops.h"
#include "models/ModelLoader.h"
#include "runtime/Allocator.h"
#include "runtime/Threads.h"
#include "synth/SynthesisMethod.h"
#include "synth/Synthesize.h"

#include <nlohmann/json.hpp>
#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

namespace {
double seconds(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// Best of 5 runs of a 2048² float matmul, in GFLOP/s.
double gemmPeak() {
    const auto a = torch::randn({2048, 2048}), b = torch::randn({2048, 2048});
    auto c = torch::mm(a, b);   // warm-up
    double best = 0;
    for (int r = 0; r < 5; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < 4; ++i)
            c = torch::mm(a, b);
        best = std::max(best, 4 * 2.0 * 2048.0 * 2048.0 * 2048.0 / seconds(t0) / 1e9);
    }
    return best;
}
} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: bench_synth_throughput MODEL [--batch 64] [--iters 100] [--threads N] [--method zeroq] [--channels-last 0|1] [--batches 1]\n";
        return 2;
    }
    std::string model = argv[1], method = "zeroq";
    int64_t batch = 64, iters = 100, batches = 1;   // batches > 1: a multi-batch run, as dfq synth does
    int threads = 0, channelsLast = -1;   // -1: the method's default layout
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--batch") batch = std::stoll(v);
        else if (k == "--iters") iters = std::stoll(v);
        else if (k == "--threads") threads = std::stoi(v);
        else if (k == "--method") method = v;
        else if (k == "--channels-last") channelsLast = std::stoi(v);
        else if (k == "--batches") batches = std::stoll(v);
        else { std::cerr << "unknown option " << k << "\n"; return 2; }
    }
    dfq::runtime::configureAllocator();   // as dfq and dfq-studio do
    try {
        const int used = dfq::runtime::configureThreads(threads);
        auto loaded = dfq::models::loadModel(model, "auto");
        auto& m = *loaded.model;
        const auto macs = dfq::metrics::countMacs(m);
        const double peak = gemmPeak();
        nlohmann::json opt = {{"iterations", iters}, {"batch_size", batch}};
        if (channelsLast >= 0)
            opt["channels_last"] = channelsLast != 0;
        const bool layoutCl = channelsLast >= 0 ? channelsLast != 0
                                                : dfq::synth::createMethod(method)->defaultOptions().value("channels_last", false);
        // Warm-up (oneDNN primitive creation), then the timed run.
        nlohmann::json warm = opt;
        warm["iterations"] = 3;
        dfq::synth::synthesize(method, m, warm, batch, 1);
        // DFQ_PROFILE=trace.json: a Chrome trace of a short extra run (ops and their times), for finding
        // where an iteration goes; the timed run below is not profiled.
        if (const char* trace = std::getenv("DFQ_PROFILE")) {
            torch::autograd::profiler::RecordProfile profile(trace);
            nlohmann::json short_ = opt;
            short_["iterations"] = 5;
            dfq::synth::synthesize(method, m, short_, batch, 0);
        }
        const auto t0 = std::chrono::steady_clock::now();
        dfq::synth::synthesize(method, m, opt, batch * batches, 0);
        const double s = seconds(t0);
        const double rate = double(batch * batches * iters) / s;
        const double gflops = rate * 2.0 * macs.forwardFlops() / 1e9;
        nlohmann::json j = {{"model", model}, {"arch", m.info().arch}, {"method", method}, {"batch", batch}, {"batches", batches},
                            {"iterations", iters}, {"threads", used}, {"channels_last", layoutCl},
                            {"seconds", s}, {"image_iterations_per_second", rate},
                            {"forward_mflops_per_image", macs.forwardFlops() / 1e6},
                            {"achieved_gflops", gflops}, {"gemm_peak_gflops", peak},
                            {"fraction_of_peak", gflops / peak}, {"torch_version", TORCH_VERSION}};
        std::cout << j.dump() << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "bench_synth_throughput: " << e.what() << "\n";
        return 1;
    }
}
