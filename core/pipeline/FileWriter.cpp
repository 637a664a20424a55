#include "pipeline/FileWriter.h"

#include "pipeline/PipelineError.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

namespace dfq::pipeline {
namespace {

std::string errnoText(int e) { return std::strerror(e); }

// Makes a rename durable: fsync the directory that holds the entry.
void syncDirectory(const std::string& path) {
    const std::string dir = std::filesystem::path(path).parent_path().string();
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

} // namespace

long AtomicFileWriter::writeBytes(int fd, const char* data, size_t size) { return long(::write(fd, data, size)); }

void AtomicFileWriter::writeAll(int fd, const std::string& bytes, const std::string& path) {
    size_t done = 0;
    while (done < bytes.size()) {
        const long n = writeBytes(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int e = n < 0 ? errno : ENOSPC;
            throw PipelineError("cannot write '" + path + "': " + errnoText(e) + " (after " + std::to_string(done) +
                                " of " + std::to_string(bytes.size()) + " bytes)");
        }
        done += size_t(n);
    }
}

void AtomicFileWriter::writeFile(const std::string& path, const std::string& bytes) {
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw PipelineError("cannot create '" + tmp + "': " + errnoText(errno));
    try {
        writeAll(fd, bytes, path);
        if (::fsync(fd) != 0)
            throw PipelineError("cannot write '" + path + "': fsync failed: " + errnoText(errno));
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    if (::close(fd) != 0) {
        const int e = errno;
        ::unlink(tmp.c_str());
        throw PipelineError("cannot write '" + path + "': " + errnoText(e));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int e = errno;
        ::unlink(tmp.c_str());
        throw PipelineError("cannot rename '" + tmp + "' to '" + path + "': " + errnoText(e));
    }
    syncDirectory(path);
}

void AtomicFileWriter::appendLine(const std::string& path, const std::string& line) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        throw PipelineError("cannot open '" + path + "' for appending: " + errnoText(errno));
    const off_t before = ::lseek(fd, 0, SEEK_END);
    try {
        writeAll(fd, line + "\n", path);
        ::fdatasync(fd);
    } catch (...) {
        // Take back the partial line so that the file stays a sequence of whole lines.
        if (before >= 0 && ::ftruncate(fd, before) != 0) {
        }
        ::close(fd);
        throw;
    }
    ::close(fd);
}

} // namespace dfq::pipeline
