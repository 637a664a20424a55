#pragma once
#include "checkpoint/StateDict.h"

#include <map>
#include <string>

namespace dfq::checkpoint {

enum class CheckpointFormat {
    TorchZip,     ///< torch.save, PyTorch >= 1.6 (zip archive with data.pkl)
    TorchLegacy,  ///< torch.save, PyTorch < 1.6 (consecutive pickles + raw storages)
    TorchScript,  ///< torch.jit.save archive (constants/code + data.pkl of the module)
};
const char* toString(CheckpointFormat f);

/// What a checkpoint file holds once read: its tensors by name, and where they came from.
struct Checkpoint {
    std::string path;
    CheckpointFormat format = CheckpointFormat::TorchZip;
    StateDict tensors;                           ///< every tensor, names as in the file (after unwrapping)
    std::string unwrappedFrom;                   ///< "" or the key the state dict sat under ("state_dict", "model", ...)
    std::string strippedPrefix;                  ///< "" or the prefix removed from all keys ("module.")
    std::map<std::string, std::string> extras;   ///< scalar entries beside the state dict, e.g. best_prec1 -> "91.73"
};

/// Reads a checkpoint without Python and without executing anything from it.
/// Accepts torch.save zip archives (OrderedDict state dicts with _metadata, nested dicts such as
/// {'state_dict': ...} or {'model': ...}, 'module.' prefixes, float16/float64/int64 tensors, views that
/// share a storage), the legacy pre-1.6 torch.save format, and TorchScript archives (parameters and
/// buffers by their module path). Tensors come back contiguous, on the CPU, in the file's dtype.
/// Throws CheckpointError naming the file and the problem (truncated archive, garbage pickle,
/// forbidden global, no tensors found, ...).
Checkpoint readCheckpoint(const std::string& path);

} // namespace dfq::checkpoint
