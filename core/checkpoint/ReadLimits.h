#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace dfq::checkpoint {

/// Every bound on what reading one checkpoint may cost, in one place.
///
/// A checkpoint is untrusted input: a few hundred hostile bytes must not hang the reader, exhaust
/// memory or overflow the stack. So every quantity a file could make the reader multiply (shared
/// memo entries copied again and again, dict keys that expand, views larger than their storage,
/// zip records that inflate) is bounded by the bytes the file actually holds, and every nesting the
/// reader follows has an explicit maximum. Each limit throws a CheckpointError of its own that names
/// the file and says which bound was hit. Real checkpoints stay far below all of them.
class ReadLimits {
public:
    // --- nesting: real files use one to three levels
    static constexpr int kMaxRebuildNesting = 8;    ///< torch._tensor._rebuild_from_type_v2 inside itself
    static constexpr int kMaxKeyNesting = 64;       ///< tuples inside tuples in one dict key
    static constexpr int kMaxModuleNesting = 256;   ///< TorchScript submodules inside submodules
    static constexpr size_t kMaxDecimalDigits = 300;  ///< protocol 0 LONG text (converted in O(digits^2))

    // --- work proportional to the pickle's size (a floor keeps tiny pickles from ever being refused)
    static constexpr uint64_t kWorkPerPickleByte = 4;
    static constexpr uint64_t kWorkFloor = uint64_t(1) << 18;

    // --- memory proportional to the stored bytes
    /// Bytes of all tensors built, per byte of storage read: views of one storage are copied apart,
    /// so a file may name one storage many times; a state dict with tied weights needs 2.
    static constexpr uint64_t kTensorBytesPerStoredByte = 8;
    static constexpr uint64_t kTensorBytesFloor = uint64_t(1) << 20;
    /// Uncompressed bytes of a zip archive's records, per byte of the archive. torch.save stores its
    /// records uncompressed (1x); TorchScript deflates its code, which inflates ~2-3x.
    static constexpr uint64_t kZipExpansion = 4;
    static constexpr uint64_t kZipExpansionFloor = uint64_t(1) << 20;

    explicit ReadLimits(std::string file);

    const std::string& file() const { return file_; }

    /// Adds the bytes of a pickle about to be read to the work budget (kWorkPerPickleByte each).
    void addPickleBytes(uint64_t n);
    /// Adds the bytes of a storage read from the file to the tensor budget.
    void addStoredBytes(uint64_t n);

    void checkRebuildNesting(int depth) const;
    void checkKeyNesting(int depth) const;
    void checkModuleNesting(int depth, const std::string& module) const;
    void checkDecimalDigits(size_t digits) const;

    /// Characters the reader derives from the pickle: dict key fingerprints (a tuple key that
    /// shares its items through the memo expands exponentially) and decoded byte strings.
    void chargeText(uint64_t n, const char* what);
    /// Items copied out of one container into another (set(list), torch.Size(tuple), OrderedDict
    /// pairs, tensor sizes and strides, TorchScript attributes walked): each call may name a shared
    /// memo entry again, so the copies are counted against the work budget.
    void chargeCopiedItems(uint64_t n, const char* what);
    /// A view may not hold more elements than the storage elements it refers to (a stride-0 view
    /// of one element could otherwise expand to any size when it is copied out).
    void checkViewElements(int64_t numel, int64_t storageNumel, const char* what) const;
    /// Bytes of a tensor about to be built (copied out of its storage), against the tensor budget.
    void chargeTensorBytes(uint64_t n, const std::string& name);
    /// Total uncompressed size of a zip archive's records against the archive's own size, checked
    /// before any record is inflated.
    void checkZipExpansion(uint64_t uncompressed, uint64_t archiveBytes) const;

private:
    [[noreturn]] void fail(const std::string& problem) const;
    uint64_t workBudget() const;

    std::string file_;
    uint64_t pickleBytes_ = 0;
    uint64_t storedBytes_ = 0;
    uint64_t textUsed_ = 0;
    uint64_t itemsUsed_ = 0;
    uint64_t tensorBytesUsed_ = 0;
};

} // namespace dfq::checkpoint
