#include "checkpoint/CheckpointWriter.h"

#include "checkpoint/CheckpointError.h"
#include "runtime/AtomicFile.h"

#include <torch/serialize.h>

#include <string_view>

namespace dfq::checkpoint {

void writeStateDict(const std::string& path, const StateDict& sd) {
    c10::Dict<std::string, at::Tensor> dict;
    for (const auto& [name, t] : sd.entries())
        dict.insert(name, t.detach().contiguous().cpu());
    std::vector<char> bytes;
    try {
        bytes = torch::pickle_save(c10::IValue(dict));
    } catch (const c10::Error& e) {
        throw CheckpointError(path, std::string("could not serialise the state dict: ") + e.what_without_backtrace());
    }
    try {
        runtime::writeFileAtomically(path, std::string_view(bytes.data(), bytes.size()));
    } catch (const runtime::FileError& e) {
        throw CheckpointError(path, e.what());
    }
}

} // namespace dfq::checkpoint
