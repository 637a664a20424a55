// The pre-1.6 torch.save format: five pickles back to back, then the raw storages.
//   magic number 0x1950a86a20f9469cfc6c, protocol version 1001, sys_info dict,
//   the object (storages as persistent ids), the list of storage keys,
//   then per key in that order: int64 little-endian element count + the elements.
#include "checkpoint/CheckpointError.h"
#include "checkpoint/CheckpointFormats.h"
#include "checkpoint/PickleReader.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <map>

namespace dfq::checkpoint::detail {

using Kind = PickleValue::Kind;

PickledObject readLegacyPickle(const std::string& path, ReadLimits& limits) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw CheckpointError(path, "cannot open for reading");
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        throw CheckpointError(path, "read error");

    PickledObject out;
    out.arena = std::make_unique<PickleArena>();
    PickleArena& arena = *out.arena;
    std::map<std::string, std::shared_ptr<StorageData>> storages;

    // ('storage', torch.<T>Storage, root_key, location, root_numel, view_metadata), where
    // view_metadata is None or (view_key, offset, numel) for a slice of the root storage.
    auto loadStorage = [&](const PickleValuePtr& pid) -> PickleValuePtr {
        const auto& f = pid->items;
        if (pid->is(Kind::Tuple) && !f.empty() && f[0]->is(Kind::String) && f[0]->text == "module")
            throw CheckpointError(path, "the checkpoint pickles a whole nn.Module (torch.save(model)); only "
                                        "state dicts can be read, save model.state_dict() instead");
        if (!pid->is(Kind::Tuple) || f.size() < 6 || !f[0]->is(Kind::String) || f[0]->text != "storage" ||
            !f[1]->is(Kind::Global) || !f[4]->is(Kind::Int) || f[4]->integer < 0)
            throw CheckpointError(path, "the legacy object pickle holds a persistent id that is not a storage");
        at::ScalarType dtype;
        if (!storageDtype(f[1]->text, dtype))
            throw CheckpointError(path, "storage type '" + f[1]->text + "' is not supported");
        const std::string key = f[2]->display();
        auto& slot = storages[key];
        if (!slot) {
            slot = std::make_shared<StorageData>();
            slot->key = key;
            slot->dtype = dtype;
            slot->numel = f[4]->integer;
        } else if (slot->dtype != dtype) {
            throw CheckpointError(path, "storage '" + key + "' is used with two different types");
        }
        auto v = arena.make(Kind::Storage);
        v->storage = slot;
        v->viewOffset = 0;
        v->viewNumel = slot->numel;
        if (!f[5]->is(Kind::None)) {
            const auto& m = f[5]->items;
            if (!f[5]->is(Kind::Tuple) || m.size() != 3 || !m[1]->is(Kind::Int) || !m[2]->is(Kind::Int) ||
                m[1]->integer < 0 || m[2]->integer < 0 || m[1]->integer > slot->numel ||
                m[2]->integer > slot->numel - m[1]->integer)
                throw CheckpointError(path, "storage view of '" + key + "' lies outside its storage");
            v->viewOffset = m[1]->integer;
            v->viewNumel = m[2]->integer;
        }
        return v;
    };

    PickleReader reader(path, "the legacy header", file.data(), file.size(), arena, loadStorage, &limits);

    static const unsigned char magic[] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
    PickleValuePtr m = reader.load();
    if (!m->is(Kind::BigInt) || m->text != std::string(reinterpret_cast<const char*>(magic), sizeof magic))
        throw CheckpointError(path, "not a PyTorch checkpoint (a pickle, but without torch.save's magic number)");
    PickleValuePtr version = reader.load();
    if (!version->is(Kind::Int) || version->integer != 1001)
        throw CheckpointError(path, "unsupported legacy torch.save protocol version " + version->display());
    PickleValuePtr sysInfo = reader.load();
    if (sysInfo->is(Kind::Dict))
        if (const PickleValuePtr* le = sysInfo->find("little_endian"))
            if ((*le)->is(Kind::Bool) && !(*le)->boolean)
                throw CheckpointError(path, "big-endian legacy checkpoints are not supported");

    reader.setRecord("the legacy object pickle");
    out.root = reader.load();

    reader.setRecord("the legacy storage key list");
    PickleValuePtr keys = reader.load();
    if (!keys->is(Kind::List))
        throw CheckpointError(path, "the legacy storage key list is not a list");

    size_t pos = reader.position();
    for (const auto& k : keys->items) {
        const std::string key = k->display();
        auto it = storages.find(key);
        if (it == storages.end())
            throw CheckpointError(path, "legacy storage '" + key + "' is listed but no tensor refers to it");
        StorageData& s = *it->second;
        const size_t elem = c10::elementSize(s.dtype);
        if (file.size() - pos < 8)
            throw CheckpointError(path, "legacy stream ends before storage '" + key + "' (truncated)");
        int64_t count = 0;
        for (int i = 7; i >= 0; --i)
            count = int64_t(uint64_t(count) << 8 | uint8_t(file[pos + size_t(i)]));
        pos += 8;
        if (count < s.numel)
            throw CheckpointError(path, "legacy storage '" + key + "' holds " + std::to_string(count) +
                                            " elements, " + std::to_string(s.numel) + " expected");
        if (uint64_t(count) > (file.size() - pos) / elem)
            throw CheckpointError(path, "legacy stream ends inside storage '" + key + "' (truncated)");
        limits.addStoredBytes(uint64_t(s.numel) * elem);
        s.data = at::empty({s.numel}, at::TensorOptions().dtype(s.dtype));
        if (s.numel > 0)
            std::memcpy(s.data.data_ptr(), file.data() + pos, size_t(s.numel) * elem);
        pos += size_t(count) * elem;
    }
    for (const auto& [key, s] : storages)
        if (!s->data.defined())
            throw CheckpointError(path, "storage record '" + key + "' is missing from the legacy stream");
    return out;
}

} // namespace dfq::checkpoint::detail
