#pragma once
#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dfq::checkpoint {

/// One storage as torch.save wrote it: `numel` elements of `dtype`, found under `key`
/// (zip record "data/<key>", or the legacy stream's storage list). `data` is 1-D and is filled by
/// the format reader before any tensor is built from it.
struct StorageData {
    std::string key;
    at::ScalarType dtype = at::kFloat;
    int64_t numel = 0;
    at::Tensor data;
};

struct PickleValue;
using PickleValuePtr = std::shared_ptr<PickleValue>;

/// A value of the restricted unpickler: only data, never a Python object with behaviour.
/// Containers are shared (the pickle memo refers to them and may fill them later), so values are
/// held by shared_ptr; their lifetime is managed by a PickleArena.
struct PickleValue {
    enum class Kind {
        None, Bool, Int, BigInt, Float, String, Bytes,
        List, Tuple, Set, Dict,
        Global,   ///< a whitelisted callable or class, "module.name" in `text`
        Storage,  ///< a persistent id resolved by the format reader
        Tensor,   ///< a view of a storage; built into an at::Tensor once the storage bytes are there
        Object,   ///< a TorchScript module object: class name in `text`, items[0] its state once BUILD ran
    };
    Kind kind = Kind::None;

    bool boolean = false;
    int64_t integer = 0;
    double real = 0.0;
    std::string text;  ///< String (UTF-8), Bytes, BigInt (little-endian two's complement), Global name

    std::vector<PickleValuePtr> items;                            ///< List, Tuple, Set; Object: {state}
    std::vector<std::pair<PickleValuePtr, PickleValuePtr>> entries; ///< Dict, in insertion order
    std::unordered_map<std::string, size_t> index;                ///< Dict: key fingerprint -> entries slot

    // Storage and Tensor. A Storage value may be a legacy view: elements
    // [viewOffset, viewOffset + viewNumel) of `storage`.
    std::shared_ptr<StorageData> storage;
    int64_t viewOffset = 0;
    int64_t viewNumel = 0;
    // Tensor geometry, in elements relative to the view.
    int64_t storageOffset = 0;
    std::vector<int64_t> sizes;
    std::vector<int64_t> strides;

    bool is(Kind k) const { return kind == k; }
    bool isScalar() const;                  ///< None, Bool, Int, BigInt, Float, String, Bytes
    const PickleValuePtr* find(const std::string& key) const;  ///< Dict lookup by string key
    std::string display() const;            ///< scalars as Python prints them ("91.78", "True", "'abc'" -> "abc")
};

/// Owns every container the unpickler creates and takes them apart one by one when destroyed, so a
/// hostile pickle (a list that contains itself, a million nested lists) neither leaks nor recurses
/// in destructors. (The reader itself follows nesting only where ReadLimits bounds its depth.)
/// Keep it alive as long as the value tree is in use.
class PickleArena {
public:
    PickleArena() = default;
    PickleArena(const PickleArena&) = delete;
    PickleArena& operator=(const PickleArena&) = delete;
    ~PickleArena();

    PickleValuePtr make(PickleValue::Kind kind);

private:
    std::vector<PickleValuePtr> values_;
};

} // namespace dfq::checkpoint
