#include "checkpoint/CheckpointWriter.h"

#include "checkpoint/CheckpointError.h"

#include <torch/serialize.h>

#include <cstdio>
#include <fstream>

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
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw CheckpointError(path, "cannot open for writing");
        out.write(bytes.data(), std::streamsize(bytes.size()));
        out.flush();
        if (!out) {
            out.close();
            std::remove(tmp.c_str());
            throw CheckpointError(path, "write failed (disk full?)");
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw CheckpointError(path, "cannot rename the temporary file into place");
    }
}

} // namespace dfq::checkpoint
