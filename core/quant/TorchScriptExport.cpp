#include "quant/TorchScriptExport.h"

#include "runtime/AtomicFile.h"

#include "quant/AdaRound.h"
#include "quant/QuantError.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/frontend/tracer.h>
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>

namespace dfq::quant {

namespace {
std::string attributeName(const std::string& name) {
    std::string s = name;
    for (char& c : s)
        if (c == '.')
            c = '_';
    return s;
}
} // namespace

void exportTorchScript(QuantizedModel& qm, const std::string& path) {
    if (qm.mode() != QuantMode::Frozen)
        throw QuantError("TorchScript export of '" + path + "': the quantized model is not frozen (calibrate or freeze it first)");
    auto model = qm.model();
    const bool wasTraining = model->is_training();
    model->eval();
    const auto& info = model->info();

    torch::jit::Module self(c10::QualifiedName("__torch__.dfq.FakeQuantModel"));
    // The tracer maps these tensors (by identity) to attribute reads of `self`.
    for (const auto& p : model->named_parameters())
        self.register_parameter(attributeName(p.key()), p.value(), /*is_buffer=*/false);
    for (const auto& b : model->named_buffers())
        self.register_buffer(attributeName(b.key()), b.value());

    // Tensors the quantizers learned (AdaRound's V, LSQ steps) still require grad; the tracer refuses
    // to bake such tensors in as constants, so they are switched off for the trace and restored.
    std::vector<torch::Tensor> learned;
    for (const auto& name : qm.layerNames())
        if (auto* h = qm.weightHook(name)) {
            if (auto ada = std::dynamic_pointer_cast<AdaRoundRounding>(h->rounding))
                learned.push_back(ada->v());
            learned.push_back(h->weightQuantizer().learnableStep());
            learned.push_back(h->inputQuantizer().learnableStep());
        }
    for (const auto& name : qm.activationNames())
        if (auto* h = qm.activationHook(name))
            learned.push_back(h->quantizer().learnableStep());
    std::vector<std::pair<torch::Tensor, bool>> restore;
    for (auto& t : learned)
        if (t.defined() && t.requires_grad()) {
            restore.emplace_back(t, true);
            t.set_requires_grad(false);
        }
    struct Restore {
        std::vector<std::pair<torch::Tensor, bool>>& items;
        ~Restore() {
            for (auto& [t, g] : items)
                t.set_requires_grad(g);
        }
    } restoreGuard{restore};

    const auto example = torch::zeros({2, info.inChannels, info.inHeight, info.inWidth});
    std::shared_ptr<torch::jit::tracer::TracingState> state;
    try {
        torch::NoGradGuard ng;
        auto traced = torch::jit::tracer::trace(
            {example},
            [&](torch::jit::Stack in) -> torch::jit::Stack { return {qm.forward(in.at(0).toTensor())}; },
            [](const torch::autograd::Variable&) { return std::string(); },
            /*strict=*/true, /*force_outplace=*/false, &self);
        state = traced.first;
    } catch (const std::exception& e) {
        model->train(wasTraining);
        throw QuantError("TorchScript export of '" + path + "': tracing failed: " + e.what());
    }
    model->train(wasTraining);

    auto graph = state->graph;
    auto cu = self._ivalue()->compilation_unit();
    auto fn = cu->create_function(c10::QualifiedName(*self.type()->name(), "forward"), graph);
    self.type()->addMethod(fn);

    const std::string tmp = path + ".tmp";
    try {
        if (const auto parent = std::filesystem::path(path).parent_path(); !parent.empty())
            std::filesystem::create_directories(parent);
        self.save(tmp);
        runtime::syncFile(tmp);   // durable before it replaces the old archive, as every other write
        std::filesystem::rename(tmp, path);
        runtime::syncDirectory(std::filesystem::absolute(path).parent_path().string());
    } catch (const std::exception& e) {
        std::remove(tmp.c_str());
        throw QuantError("TorchScript export: cannot write '" + path + "': " + e.what());
    }
}

} // namespace dfq::quant
