#include "checkpoint/CheckpointReader.h"

#include "checkpoint/CheckpointError.h"
#include "checkpoint/CheckpointFormats.h"
#include "checkpoint/ZipDirectory.h"

#include <caffe2/serialize/inline_container.h>

#include <filesystem>
#include <fstream>

namespace dfq::checkpoint {

using Kind = PickleValue::Kind;

const char* toString(CheckpointFormat f) {
    switch (f) {
    case CheckpointFormat::TorchZip:
        return "torch.save zip";
    case CheckpointFormat::TorchLegacy:
        return "torch.save legacy";
    case CheckpointFormat::TorchScript:
        return "TorchScript";
    }
    return "?";
}

namespace detail {

at::Tensor buildTensor(const PickleValue& t, const std::string& name, ReadLimits& limits) {
    const StorageData& s = *t.storage;
    if (!s.data.defined())
        throw CheckpointError(limits.file(), "storage '" + s.key + "' has no data");
    // Geometry was checked against the storage when the pickle was read (PickleReader::rebuildTensor):
    // inside it, and no more elements than it holds; the product cannot overflow.
    int64_t numel = 1;
    for (int64_t d : t.sizes)
        numel *= d;
    limits.chargeTensorBytes(uint64_t(numel) * c10::elementSize(s.dtype), name);
    return s.data.as_strided(t.sizes, t.strides, t.viewOffset + t.storageOffset)
        .clone(at::MemoryFormat::Contiguous);
}

} // namespace detail

namespace {

std::string firstLine(const std::string& s) {
    std::string line = s.substr(0, s.find('\n'));
    return line.size() > 300 ? line.substr(0, 300) + "..." : line;
}

bool holdsTensorDirectly(const PickleValue& d) {
    for (const auto& [k, v] : d.entries)
        if (v->is(Kind::Tensor))
            return true;
    return false;
}

// A dict with tensors at most `depth` dict levels below it. The entries searched are counted: one
// shared dict named by every entry of another would make the search multiply.
bool holdsTensors(const PickleValue& d, int depth, ReadLimits& limits) {
    if (!d.is(Kind::Dict))
        return false;
    limits.chargeCopiedItems(d.entries.size(), "the search for the state dict");
    if (holdsTensorDirectly(d))
        return true;
    if (depth > 0)
        for (const auto& [k, v] : d.entries)
            if (holdsTensors(*v, depth - 1, limits))
                return true;
    return false;
}

std::string keyList(const PickleValue& d) {
    std::string s;
    for (size_t i = 0; i < d.entries.size() && i < 8; ++i)
        s += (i ? ", " : "") + d.entries[i].first->display();
    if (d.entries.size() > 8)
        s += ", ...";
    return s;
}

// Finds the state dict inside what torch.save pickled: the dict itself, or one nested under
// 'state_dict', 'model', ... (recorded in unwrappedFrom, with its scalar siblings in extras).
void collectStateDict(const std::string& path, const PickleValue& root, Checkpoint& out, ReadLimits& limits) {
    if (root.is(Kind::Tensor))
        throw CheckpointError(path, "holds a single tensor, not a dict of named tensors");
    if (!root.is(Kind::Dict))
        throw CheckpointError(path, "no tensors found (the checkpoint holds a " + root.display() + ", not a dict)");

    static const char* preferred[] = {"state_dict", "model_state_dict", "model", "net", "state"};
    const PickleValue* node = &root;
    for (int level = 0; level < 4 && !holdsTensorDirectly(*node); ++level) {
        const PickleValue* next = nullptr;
        std::string nextKey;
        for (const char* key : preferred)
            if (const PickleValuePtr* v = node->find(key); v && holdsTensors(**v, 2, limits)) {
                next = v->get();
                nextKey = key;
                break;
            }
        if (!next) {
            std::vector<std::pair<std::string, const PickleValue*>> candidates;
            for (const auto& [k, v] : node->entries)
                if (holdsTensors(*v, 2, limits))
                    candidates.emplace_back(k->display(), v.get());
            if (candidates.size() > 1)
                throw CheckpointError(path, "several entries hold tensors (" + candidates[0].first + ", " +
                                                candidates[1].first + ", ...) and none is named state_dict, "
                                                "model_state_dict, model, net or state");
            if (candidates.empty())
                break;
            nextKey = candidates[0].first;
            next = candidates[0].second;
        }
        for (const auto& [k, v] : node->entries)
            if (k->is(Kind::String) && v->isScalar()) {
                std::string value = v->display();
                limits.chargeText(k->text.size() + value.size(), "scalar entries beside the state dict");
                out.extras[k->text] = std::move(value);
            }
        out.unwrappedFrom += (out.unwrappedFrom.empty() ? "" : ".") + nextKey;
        node = next;
    }

    // Non-tensor entries (and non-string keys) are not weights: skipped.
    for (const auto& [k, v] : node->entries)
        if (k->is(Kind::String) && v->is(Kind::Tensor))
            out.tensors.insert(k->text, detail::buildTensor(*v, k->text, limits));
    if (out.tensors.empty())
        throw CheckpointError(path, "no tensors found (top-level keys: " + keyList(root) + ")");
}

void stripModulePrefix(Checkpoint& out) {
    // nn.DataParallel saves every key as "module.<name>"; only strip when all of them carry it.
    const std::string prefix = "module.";
    for (const auto& [name, t] : out.tensors.entries())
        if (name.rfind(prefix, 0) != 0)
            return;
    out.tensors.stripPrefix(prefix);
    out.strippedPrefix = prefix;
}

Checkpoint readZip(const std::string& path, ReadLimits& limits) {
    Checkpoint out;
    out.path = path;
    // LibTorch's reader allocates a record's claimed size before it inflates it: check the claims first.
    const detail::ZipDirectory directory = detail::readZipDirectory(path);
    limits.checkZipExpansion(directory.uncompressedTotal(), directory.archiveBytes);
    std::unique_ptr<caffe2::serialize::PyTorchStreamReader> zip;
    try {
        zip = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
    } catch (const c10::Error& e) {
        // miniz's complaint, e.g. "failed finding central directory" for a cut-off file.
        throw CheckpointError(path, "damaged or truncated zip archive: " + firstLine(e.what_without_backtrace()));
    }
    bool script = zip->hasRecord("constants.pkl");
    for (const auto& r : zip->getAllRecords())
        script = script || r.rfind("code/", 0) == 0;
    if (script) {
        out.format = CheckpointFormat::TorchScript;
        out.tensors = detail::readTorchScript(path, *zip, limits);
        if (out.tensors.empty())
            throw CheckpointError(path, "no tensors found (the TorchScript module has no parameters or buffers)");
        return out;
    }
    if (!zip->hasRecord("data.pkl"))
        throw CheckpointError(path, "zip archive holds no data.pkl (not a torch.save checkpoint)");
    out.format = CheckpointFormat::TorchZip;
    detail::PickledObject obj = detail::readZipPickle(path, *zip, limits);
    collectStateDict(path, *obj.root, out, limits);
    return out;
}

} // namespace

Checkpoint readCheckpoint(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw CheckpointError(path, "file not found");
    if (std::filesystem::is_directory(path, ec))
        throw CheckpointError(path, "is a directory, not a checkpoint file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw CheckpointError(path, "cannot open for reading (permissions?)");
    char head[512] = {};
    in.read(head, sizeof head);
    const size_t n = size_t(in.gcount());
    in.close();
    if (n == 0)
        throw CheckpointError(path, "file is empty");

    Checkpoint out;
    ReadLimits limits(path);
    try {
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            out = readZip(path, limits);
        } else if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 5 && head[3] == 6) {
            throw CheckpointError(path, "zip archive is empty (no data.pkl)");
        } else if (uint8_t(head[0]) == 0x80) {
            out.path = path;
            out.format = CheckpointFormat::TorchLegacy;
            detail::PickledObject obj = detail::readLegacyPickle(path, limits);
            collectStateDict(path, *obj.root, out, limits);
        } else if (n >= 262 && std::string(head + 257, 5) == "ustar") {
            throw CheckpointError(path, "tar-based checkpoints (PyTorch < 0.4) are not supported; re-save it "
                                        "with torch.save in a current PyTorch");
        } else {
            throw CheckpointError(path, "not a PyTorch checkpoint (neither a zip archive nor a pickle)");
        }
    } catch (const CheckpointError&) {
        throw;
    } catch (const c10::Error& e) {
        throw CheckpointError(path, firstLine(e.what_without_backtrace()));
    } catch (const std::bad_alloc&) {
        throw CheckpointError(path, "out of memory while reading");
    } catch (const std::exception& e) {
        throw CheckpointError(path, firstLine(e.what()));
    }
    stripModulePrefix(out);
    return out;
}

} // namespace dfq::checkpoint
