#pragma once
// Internal to core/checkpoint: the per-format readers behind readCheckpoint().
#include "checkpoint/PickleValue.h"
#include "checkpoint/ReadLimits.h"
#include "checkpoint/StateDict.h"

#include <memory>
#include <string>

namespace caffe2::serialize {
class PyTorchStreamReader;
}

namespace dfq::checkpoint::detail {

/// The unpickled object of a torch.save file, with every storage's bytes already read.
struct PickledObject {
    std::unique_ptr<PickleArena> arena;  // first member, destroyed last: it owns the tree
    PickleValuePtr root;
};

/// A zip archive (torch.save >= 1.6 or torch.jit.save): its records' claims were checked against
/// the file's size (readZipDirectory + ReadLimits::checkZipExpansion) before it was opened.
/// `<prefix>/data.pkl` plus `<prefix>/data/<key>` storage records. With `scriptObjects`, the
/// pickle may hold TorchScript module objects (Kind::Object).
PickledObject readZipPickle(const std::string& path, caffe2::serialize::PyTorchStreamReader& zip,
                            ReadLimits& limits, bool scriptObjects = false);

/// Pre-1.6 torch.save stream: magic, protocol, sys_info, object, storage keys, raw storages.
PickledObject readLegacyPickle(const std::string& path, ReadLimits& limits);

/// torch.jit.save archive: parameters and buffers by module path ("layer1.0.conv1.weight"), read
/// from data.pkl with the restricted unpickler; the archive's code is only scanned for each
/// class's __parameters__ / __buffers__ lists, never compiled or run.
StateDict readTorchScript(const std::string& path, caffe2::serialize::PyTorchStreamReader& zip,
                          ReadLimits& limits);

/// A Tensor value as a contiguous CPU tensor of its own (views of one storage are copied apart);
/// its bytes are charged to `limits` before they are allocated. `name` is for error messages.
at::Tensor buildTensor(const PickleValue& tensor, const std::string& name, ReadLimits& limits);

} // namespace dfq::checkpoint::detail
