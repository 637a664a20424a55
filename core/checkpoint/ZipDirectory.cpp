#include "checkpoint/ZipDirectory.h"

#include "checkpoint/CheckpointError.h"

#include <algorithm>
#include <fstream>

namespace dfq::checkpoint::detail {

namespace {

constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr uint32_t kDirectoryEntry = 0x02014b50;
constexpr size_t kEndOfDirectorySize = 22;
constexpr size_t kDirectoryEntrySize = 46;

uint64_t le(const std::string& b, size_t at, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i)
        v = (v << 8) | uint8_t(b[at + size_t(i)]);
    return v;
}

class ArchiveFile {
public:
    explicit ArchiveFile(const std::string& path) : path_(path), in_(path, std::ios::binary) {
        if (!in_)
            fail("cannot open for reading");
        in_.seekg(0, std::ios::end);
        size_ = uint64_t(in_.tellg());
    }
    uint64_t size() const { return size_; }
    std::string read(uint64_t at, uint64_t n) {
        if (at > size_ || n > size_ - at)
            fail("the central directory points outside the file (truncated?)");
        std::string b(size_t(n), '\0');
        in_.seekg(std::streamoff(at));
        in_.read(b.data(), std::streamsize(n));
        if (!in_)
            fail("read error");
        return b;
    }
    [[noreturn]] void fail(const std::string& why) const {
        throw CheckpointError(path_, "damaged or truncated zip archive: " + why);
    }

private:
    std::string path_;
    std::ifstream in_;
    uint64_t size_ = 0;
};

} // namespace

uint64_t ZipDirectory::uncompressedTotal() const {
    uint64_t total = 0;
    static const std::string skipped = ".debug_pkl";
    for (const auto& e : entries)
        if (e.name.size() < skipped.size() || e.name.compare(e.name.size() - skipped.size(), skipped.size(), skipped) != 0)
            total += e.uncompressedBytes;
    return total;
}

ZipDirectory readZipDirectory(const std::string& path) {
    ArchiveFile file(path);
    ZipDirectory dir;
    dir.archiveBytes = file.size();
    if (file.size() < kEndOfDirectorySize)
        file.fail("no end of central directory (truncated?)");

    // The end record sits in the last 22 bytes plus a comment of at most 65,535 bytes.
    const uint64_t tailSize = std::min<uint64_t>(file.size(), kEndOfDirectorySize + 0xffff);
    const uint64_t tailAt = file.size() - tailSize;
    const std::string tail = file.read(tailAt, tailSize);
    size_t eocd = std::string::npos;
    for (size_t i = tail.size() - kEndOfDirectorySize + 1; i-- > 0;)
        if (le(tail, i, 4) == kEndOfDirectory) {
            eocd = i;
            break;
        }
    if (eocd == std::string::npos)
        file.fail("end of central directory not found (truncated?)");
    uint64_t count = le(tail, eocd + 10, 2);
    uint64_t dirBytes = le(tail, eocd + 12, 4);
    uint64_t dirAt = le(tail, eocd + 16, 4);
    if (count == 0xffff || dirBytes == 0xffffffff || dirAt == 0xffffffff) {
        if (eocd < 20 || le(tail, eocd - 20, 4) != kZip64Locator)
            file.fail("zip64 end of central directory locator not found");
        const std::string rec = file.read(le(tail, eocd - 20 + 8, 8), 56);
        if (le(rec, 0, 4) != kZip64EndOfDirectory)
            file.fail("zip64 end of central directory not found");
        count = le(rec, 32, 8);
        dirBytes = le(rec, 40, 8);
        dirAt = le(rec, 48, 8);
    }
    if (count > dirBytes / kDirectoryEntrySize)
        file.fail("the central directory claims more entries than it has room for");
    const std::string d = file.read(dirAt, dirBytes);

    size_t at = 0;
    for (uint64_t k = 0; k < count; ++k) {
        if (d.size() - at < kDirectoryEntrySize || le(d, at, 4) != kDirectoryEntry)
            file.fail("bad central directory entry " + std::to_string(k));
        ZipEntry e;
        e.method = uint16_t(le(d, at + 10, 2));
        e.compressedBytes = le(d, at + 20, 4);
        e.uncompressedBytes = le(d, at + 24, 4);
        const size_t nameLen = size_t(le(d, at + 28, 2));
        const size_t extraLen = size_t(le(d, at + 30, 2));
        const size_t commentLen = size_t(le(d, at + 32, 2));
        if (d.size() - at - kDirectoryEntrySize < nameLen + extraLen + commentLen)
            file.fail("bad central directory entry " + std::to_string(k));
        e.name = d.substr(at + kDirectoryEntrySize, nameLen);
        // Sizes of 0xffffffff are in the zip64 extra field (id 1): uncompressed, then compressed.
        size_t x = at + kDirectoryEntrySize + nameLen;
        const size_t xEnd = x + extraLen;
        while (xEnd - x >= 4) {
            const uint64_t id = le(d, x, 2), len = le(d, x + 2, 2);
            if (len > xEnd - x - 4)
                break;
            if (id == 1) {
                size_t f = x + 4;
                if (e.uncompressedBytes == 0xffffffff && len >= f + 8 - (x + 4)) {
                    e.uncompressedBytes = le(d, f, 8);
                    f += 8;
                }
                if (e.compressedBytes == 0xffffffff && len >= f + 8 - (x + 4))
                    e.compressedBytes = le(d, f, 8);
            }
            x += 4 + size_t(len);
        }
        if (e.method != 0 && e.method != 8)
            file.fail("record '" + e.name + "' uses compression method " + std::to_string(e.method) +
                      " (only stored and deflated records are read)");
        if (e.compressedBytes > file.size())
            file.fail("record '" + e.name + "' claims " + std::to_string(e.compressedBytes) +
                      " bytes, more than the whole file");
        dir.entries.push_back(std::move(e));
        at += kDirectoryEntrySize + nameLen + extraLen + commentLen;
    }
    return dir;
}

} // namespace dfq::checkpoint::detail
