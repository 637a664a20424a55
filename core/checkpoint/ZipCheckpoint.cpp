// torch.save zip archives (PyTorch >= 1.6).
#include "checkpoint/CheckpointError.h"
#include "checkpoint/CheckpointFormats.h"
#include "checkpoint/PickleReader.h"

#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <map>

namespace dfq::checkpoint::detail {

using Kind = PickleValue::Kind;

PickledObject readZipPickle(const std::string& path, caffe2::serialize::PyTorchStreamReader& zip,
                            ReadLimits& limits, bool scriptObjects) {
    at::DataPtr pkl;
    size_t pklSize = 0;
    std::tie(pkl, pklSize) = zip.getRecord("data.pkl");

    PickledObject out;
    out.arena = std::make_unique<PickleArena>();
    PickleArena& arena = *out.arena;
    std::map<std::string, std::shared_ptr<StorageData>> storages;

    // Persistent id: ('storage', torch.<T>Storage, key, location, numel). Views of one storage
    // share its key, so each record is read once and the tensors keep pointing at the same bytes.
    auto loadStorage = [&](const PickleValuePtr& pid) -> PickleValuePtr {
        const auto& f = pid->items;
        if (!pid->is(Kind::Tuple) || f.size() < 5 || !f[0]->is(Kind::String) || f[0]->text != "storage" ||
            !f[1]->is(Kind::Global) || !f[4]->is(Kind::Int) || f[4]->integer < 0)
            throw CheckpointError(path, "data.pkl holds a persistent id that is not a storage reference");
        at::ScalarType dtype;
        if (!storageDtype(f[1]->text, dtype))
            throw CheckpointError(path, "storage type '" + f[1]->text + "' is not supported");
        const std::string key = f[2]->display();
        const int64_t numel = f[4]->integer;

        auto& slot = storages[key];
        if (!slot) {
            const std::string record = "data/" + key;
            if (!zip.hasRecord(record))
                throw CheckpointError(path, "storage record '" + record + "' is missing from the archive");
            at::DataPtr bytes;
            size_t size = 0;
            std::tie(bytes, size) = zip.getRecord(record);
            const size_t elem = c10::elementSize(dtype);
            if (size / elem < size_t(numel))
                throw CheckpointError(path, "storage record '" + record + "' holds " + std::to_string(size) +
                                                " bytes, " + std::to_string(numel) + " elements of " +
                                                std::to_string(elem) + " bytes expected");
            limits.addStoredBytes(uint64_t(numel) * elem);
            slot = std::make_shared<StorageData>();
            slot->key = key;
            slot->dtype = dtype;
            slot->numel = numel;
            slot->data = at::empty({numel}, at::TensorOptions().dtype(dtype));
            if (numel > 0)
                std::memcpy(slot->data.data_ptr(), bytes.get(), size_t(numel) * elem);
        } else if (slot->dtype != dtype || slot->numel < numel) {
            throw CheckpointError(path, "storage '" + key + "' is used with two different types or sizes");
        }
        auto v = arena.make(Kind::Storage);
        v->storage = slot;
        v->viewOffset = 0;
        v->viewNumel = numel;
        return v;
    };

    PickleReader reader(path, "data.pkl", static_cast<const char*>(pkl.get()), pklSize, arena, loadStorage, &limits);
    if (scriptObjects)
        reader.allowScriptObjects();
    out.root = reader.load();
    return out;
}

} // namespace dfq::checkpoint::detail
