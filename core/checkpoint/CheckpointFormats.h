#pragma once
// Internal to core/checkpoint: the per-format readers behind readCheckpoint().
#include "checkpoint/PickleValue.h"
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

/// torch.save zip archive: `<prefix>/data.pkl` plus `<prefix>/data/<key>` storage records.
PickledObject readZipPickle(const std::string& path, caffe2::serialize::PyTorchStreamReader& zip);

/// Pre-1.6 torch.save stream: magic, protocol, sys_info, object, storage keys, raw storages.
PickledObject readLegacyPickle(const std::string& path);

/// torch.jit.save archive: parameters and buffers by module path ("layer1.0.conv1.weight").
StateDict readTorchScript(const std::string& path);

/// A Tensor value as a contiguous CPU tensor of its own (views of one storage are copied apart).
at::Tensor buildTensor(const std::string& path, const PickleValue& tensor);

} // namespace dfq::checkpoint::detail
