#include "runtime/AtomicFile.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

namespace dfq::runtime {
namespace {

std::string errnoText(int e) { return std::strerror(e); }

long callWrite(const WriteCall& write, int fd, const char* data, size_t size) {
    return write ? write(fd, data, size) : long(::write(fd, data, size));
}

void writeAll(int fd, std::string_view bytes, const std::string& path, const WriteCall& write) {
    size_t done = 0;
    while (done < bytes.size()) {
        const long n = callWrite(write, fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int e = n < 0 ? errno : ENOSPC;
            throw FileError("cannot write '" + path + "': " + errnoText(e) + " (after " + std::to_string(done) +
                            " of " + std::to_string(bytes.size()) + " bytes)");
        }
        done += size_t(n);
    }
}

// Writes and fsyncs `file` (created or truncated); removes it on error. `reported` names it in messages.
void writeAndSync(const std::string& file, const std::string& reported, std::string_view bytes,
                  const WriteCall& write) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw FileError("cannot create '" + file + "': " + errnoText(errno));
    try {
        writeAll(fd, bytes, reported, write);
        if (::fsync(fd) != 0)
            throw FileError("cannot write '" + reported + "': fsync failed: " + errnoText(errno));
    } catch (...) {
        ::close(fd);
        ::unlink(file.c_str());
        throw;
    }
    if (::close(fd) != 0) {
        const int e = errno;
        ::unlink(file.c_str());
        throw FileError("cannot write '" + reported + "': " + errnoText(e));
    }
}

void syncPath(const std::string& path, int flags, const char* what) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0)
        throw FileError("cannot open " + std::string(what) + " '" + path + "' to sync it: " + errnoText(errno));
    const int rc = ::fsync(fd);
    const int e = errno;
    ::close(fd);
    // Some file systems cannot fsync a directory (EINVAL); there is nothing more to make durable then.
    if (rc != 0 && !(e == EINVAL && (flags & O_DIRECTORY)))
        throw FileError("cannot sync " + std::string(what) + " '" + path + "': " + errnoText(e));
}

std::string parentOf(const std::string& path) {
    const std::string dir = std::filesystem::path(path).parent_path().string();
    return dir.empty() ? "." : dir;
}

} // namespace

void writeFileAtomically(const std::string& path, std::string_view bytes, const WriteCall& write) {
    const std::string tmp = path + ".tmp";
    writeAndSync(tmp, path, bytes, write);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int e = errno;
        ::unlink(tmp.c_str());
        throw FileError("cannot rename '" + tmp + "' to '" + path + "': " + errnoText(e));
    }
    syncDirectory(parentOf(path));
}

void writeFileSynced(const std::string& path, std::string_view bytes, const WriteCall& write) {
    writeAndSync(path, path, bytes, write);
}

void appendLineSynced(const std::string& path, const std::string& line, const WriteCall& write) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        throw FileError("cannot open '" + path + "' for appending: " + errnoText(errno));
    const off_t before = ::lseek(fd, 0, SEEK_END);
    try {
        writeAll(fd, line + "\n", path, write);
        if (::fdatasync(fd) != 0)
            throw FileError("cannot write '" + path + "': fdatasync failed: " + errnoText(errno));
    } catch (...) {
        // Take back the partial line so that the file stays a sequence of whole lines.
        if (before >= 0 && ::ftruncate(fd, before) != 0) {
        }
        ::close(fd);
        throw;
    }
    ::close(fd);
}

void syncFile(const std::string& path) { syncPath(path, O_RDONLY, "file"); }

void syncDirectory(const std::string& dir) { syncPath(dir, O_RDONLY | O_DIRECTORY, "folder"); }

} // namespace dfq::runtime
