#include "checkpoint/ReadLimits.h"

#include "checkpoint/CheckpointError.h"

namespace dfq::checkpoint {

namespace {

std::string num(uint64_t v) { return std::to_string(v); }

} // namespace

ReadLimits::ReadLimits(std::string file) : file_(std::move(file)) {}

void ReadLimits::fail(const std::string& problem) const { throw CheckpointError(file_, problem); }

void ReadLimits::addPickleBytes(uint64_t n) { pickleBytes_ += n; }

void ReadLimits::addStoredBytes(uint64_t n) { storedBytes_ += n; }

uint64_t ReadLimits::workBudget() const { return kWorkFloor + kWorkPerPickleByte * pickleBytes_; }

void ReadLimits::checkRebuildNesting(int depth) const {
    if (depth > kMaxRebuildNesting)
        fail("torch._tensor._rebuild_from_type_v2 is nested more than " + std::to_string(kMaxRebuildNesting) +
             " deep (torch.save nests it once; the file is damaged or hostile)");
}

void ReadLimits::checkKeyNesting(int depth) const {
    if (depth > kMaxKeyNesting)
        fail("a dict key nests tuples more than " + std::to_string(kMaxKeyNesting) + " deep");
}

void ReadLimits::checkModuleNesting(int depth, const std::string& module) const {
    if (depth > kMaxModuleNesting)
        fail("TorchScript submodules are nested more than " + std::to_string(kMaxModuleNesting) + " deep (at '" +
             module.substr(0, 200) + "...')");
}

void ReadLimits::checkDecimalDigits(size_t digits) const {
    if (digits > kMaxDecimalDigits)
        fail("a protocol 0 LONG has " + num(digits) + " digits (at most " + num(kMaxDecimalDigits) + " are read)");
}

void ReadLimits::chargeText(uint64_t n, const char* what) {
    textUsed_ += n;
    if (textUsed_ > workBudget())
        fail(std::string(what) + " expand to more than " + num(workBudget()) + " characters, more than a pickle of " +
             num(pickleBytes_) + " bytes can hold (memo entries shared again and again?)");
}

void ReadLimits::chargeCopiedItems(uint64_t n, const char* what) {
    itemsUsed_ += n;
    if (itemsUsed_ > workBudget())
        fail(std::string(what) + ": more than " + num(workBudget()) + " container items copied, more than a pickle of " +
             num(pickleBytes_) + " bytes can hold (one shared container copied again and again?)");
}

void ReadLimits::checkViewElements(int64_t numel, int64_t storageNumel, const char* what) const {
    if (numel > storageNumel)
        fail(std::string(what) + ": a view of " + std::to_string(numel) + " elements over a storage of " +
             std::to_string(storageNumel) + " (overlapping or stride-0 views larger than their storage are not read)");
}

void ReadLimits::chargeTensorBytes(uint64_t n, const std::string& name) {
    tensorBytesUsed_ += n;
    const uint64_t budget = kTensorBytesFloor + kTensorBytesPerStoredByte * storedBytes_;
    if (tensorBytesUsed_ > budget)
        fail("tensor '" + name.substr(0, 200) + "' brings the tensors built to " + num(tensorBytesUsed_) +
             " bytes, more than " + num(kTensorBytesPerStoredByte) + " x the " + num(storedBytes_) +
             " bytes of storage in the file (one storage named by many tensors?)");
}

void ReadLimits::checkZipExpansion(uint64_t uncompressed, uint64_t archiveBytes) const {
    const uint64_t budget = kZipExpansionFloor + kZipExpansion * archiveBytes;
    if (uncompressed > budget)
        fail("zip records expand to " + num(uncompressed) + " bytes, more than " + num(kZipExpansion) +
             " x the archive's " + num(archiveBytes) + " bytes (a zip bomb?)");
}

} // namespace dfq::checkpoint
