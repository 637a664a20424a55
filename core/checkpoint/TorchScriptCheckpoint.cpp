// torch.jit.save archives. LibTorch's own loader understands them fully; it compiles the archive's
// TorchScript (which cannot reach Python or the OS) and we only read the module's tensors.
#include "checkpoint/CheckpointError.h"
#include "checkpoint/CheckpointFormats.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/serialization/import.h>

namespace dfq::checkpoint::detail {

StateDict readTorchScript(const std::string& path) {
    torch::jit::Module module;
    try {
        module = torch::jit::load(path, torch::kCPU);
    } catch (const c10::Error& e) {
        std::string msg = e.what_without_backtrace();
        throw CheckpointError(path, "TorchScript archive could not be loaded: " + msg.substr(0, msg.find('\n')));
    } catch (const std::exception& e) {
        std::string msg = e.what();
        throw CheckpointError(path, "TorchScript archive could not be loaded: " + msg.substr(0, msg.find('\n')));
    }
    StateDict sd;
    torch::NoGradGuard noGrad;
    for (const auto& p : module.named_parameters(true))
        sd.insert(p.name, p.value.detach().contiguous().clone());
    for (const auto& b : module.named_buffers(true))
        sd.insert(b.name, b.value.detach().contiguous().clone());
    return sd;
}

} // namespace dfq::checkpoint::detail
