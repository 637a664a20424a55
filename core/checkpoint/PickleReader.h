#pragma once
#include "checkpoint/PickleValue.h"
#include "checkpoint/ReadLimits.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace dfq::checkpoint {

/// A restricted unpickler (opcodes of protocols 0-5) that builds a PickleValue tree and executes
/// nothing. Only a whitelist of globals is accepted: collections.OrderedDict, torch's tensor and
/// parameter rebuild functions, the torch.*Storage types, torch.device/Size/dtypes, set/frozenset and
/// a few pure data constructors. Calling them (REDUCE, NEWOBJ, ...) only builds data. Any other global
/// (os.system, builtins.eval, ...) stops the load with a CheckpointError naming it.
/// The reader is iterative (an explicit stack); what it may derive from the bytes (copies, dict key
/// fingerprints, nesting) is bounded by ReadLimits, so a small hostile pickle fails fast with an
/// error instead of hanging, exhausting memory or overflowing the stack.
class PickleReader {
public:
    /// Turns a persistent id (the tuple torch.save writes for a storage) into a Storage value.
    using PersistentLoad = std::function<PickleValuePtr(const PickleValuePtr& pid)>;

    /// `file` and `record` name the source in error messages ("model.pt", "data.pkl").
    /// The bytes must outlive the reader; values are allocated in `arena`. The work the pickle may
    /// cost is counted in `limits` (which gets `size` added to its pickle bytes); without one the
    /// reader keeps limits of its own for these bytes.
    PickleReader(std::string file, std::string record, const char* data, size_t size, PickleArena& arena,
                 PersistentLoad persistentLoad = nullptr, ReadLimits* limits = nullptr);

    /// Accepts TorchScript's module classes (`__torch__.*` globals): NEWOBJ makes a Kind::Object
    /// and BUILD gives it its state. Only for the data.pkl of a torch.jit.save archive.
    void allowScriptObjects() { scriptObjects_ = true; }

    /// Reads one pickle starting at `pos` up to its STOP and returns the object.
    /// Throws CheckpointError (truncated, unknown opcode, forbidden global, malformed stack, ...).
    PickleValuePtr load();

    /// Byte offset just after the last STOP (legacy files hold several pickles back to back).
    size_t position() const { return pos_; }
    void setPosition(size_t pos) { pos_ = pos; }
    void setRecord(std::string record) { record_ = std::move(record); }

private:
    [[noreturn]] void fail(const std::string& problem) const;
    void need(size_t n) const;
    uint8_t u8();
    uint16_t u16();
    uint32_t u32();
    uint64_t u64();
    int32_t i32();
    double f64be();
    std::string bytes(size_t n);
    std::string line();

    PickleValuePtr make(PickleValue::Kind kind);
    enum class Constant { None, True, False, EmptyTuple };
    PickleValuePtr constant(Constant c);
    PickleValuePtr makeInt(int64_t v);
    PickleValuePtr makeLong(const std::string& littleEndian);
    PickleValuePtr makeString(std::string s, PickleValue::Kind kind = PickleValue::Kind::String);
    PickleValuePtr makeGlobal(const std::string& module, const std::string& name);

    PickleValuePtr pop();
    PickleValuePtr& top();
    std::vector<PickleValuePtr> popMark();
    void memoPut(uint64_t idx);
    PickleValuePtr memoGet(uint64_t idx);
    void dictSet(PickleValue& dict, PickleValuePtr key, PickleValuePtr value);

    PickleValuePtr call(const PickleValuePtr& callable, const PickleValuePtr& args);
    PickleValuePtr rebuildFromType(const PickleValuePtr& args);
    PickleValuePtr rebuildTensor(const std::vector<PickleValuePtr>& args, bool v2);
    PickleValuePtr persistent(const PickleValuePtr& pid);

    std::string file_;
    std::string record_;
    const char* data_;
    size_t size_;
    size_t pos_ = 0;
    PickleArena& arena_;
    PersistentLoad persistentLoad_;
    std::unique_ptr<ReadLimits> ownLimits_;
    ReadLimits& limits_;
    bool scriptObjects_ = false;

    std::vector<PickleValuePtr> stack_;
    std::vector<size_t> marks_;
    std::unordered_map<uint64_t, PickleValuePtr> memo_;
    PickleValuePtr constants_[4];
};

/// Fingerprint of a hashable value ("s:name", "i:3", "t(i:1,i:2)"), used as a dict key index.
/// Throws std::invalid_argument for unhashable values (list, dict, set, tensor); its length is
/// charged to `limits` (ReadLimits::chargeText) and its nesting checked as it is built.
std::string pickleKeyFingerprint(const PickleValue& v, ReadLimits& limits);

/// Name of a TorchScript class global ("__torch__.torch.nn.modules.conv.Conv2d").
bool isScriptClass(const std::string& global);

/// dtype of a torch.<Name>Storage global ("torch.HalfStorage" -> kHalf); false when unknown.
bool storageDtype(const std::string& global, at::ScalarType& dtype);

} // namespace dfq::checkpoint
