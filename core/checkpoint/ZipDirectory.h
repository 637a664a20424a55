#pragma once
// Internal to core/checkpoint: the central directory of a zip archive, read before any record is.
#include <cstdint>
#include <string>
#include <vector>

namespace dfq::checkpoint::detail {

struct ZipEntry {
    std::string name;             ///< full name in the archive ("archive/data/0")
    uint16_t method = 0;          ///< 0 stored, 8 deflated
    uint64_t compressedBytes = 0;
    uint64_t uncompressedBytes = 0;
};

struct ZipDirectory {
    uint64_t archiveBytes = 0;
    std::vector<ZipEntry> entries;
    /// Uncompressed bytes of the records a reader may inflate: all but TorchScript's *.debug_pkl
    /// (source ranges for error messages, never read here).
    uint64_t uncompressedTotal() const;
};

/// Reads the end-of-central-directory record (zip64 included) and every central directory entry:
/// what the records claim to hold, without reading or inflating any of them. LibTorch's reader
/// allocates each record's claimed uncompressed size before it inflates it, so the claims are
/// checked (ReadLimits::checkZipExpansion) before it opens the archive.
/// Throws CheckpointError "damaged or truncated zip archive: ..." when the directory cannot be read.
ZipDirectory readZipDirectory(const std::string& path);

} // namespace dfq::checkpoint::detail
