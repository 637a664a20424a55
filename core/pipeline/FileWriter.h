#pragma once
// How a run directory gets its bytes. Every file appears atomically (runtime/AtomicFile.h): written to
// "<name>.tmp", fsync'ed, renamed over the target, and the directory fsync'ed, so a crash or kill -9 at
// any moment leaves either the old file or the new one, never half of one. On any error (disk full,
// permission) the temporary file is removed and PipelineError names the file and the reason.
//
// Appending JSON lines (metrics.jsonl) is the one non-atomic write: each line is appended with a
// single write() and fdatasync'ed; a kill can leave a truncated last line, which readers skip.
//
// The writer is an interface so that tests can simulate a full disk (writeBytes failing with ENOSPC
// after K bytes) and check that nothing half-written is left behind.
#include "runtime/AtomicFile.h"

#include <cstddef>
#include <string>

namespace dfq::pipeline {

class FileWriter {
public:
    virtual ~FileWriter() = default;
    /// Replaces `path` with `bytes` atomically (see above). Throws PipelineError.
    virtual void writeFile(const std::string& path, const std::string& bytes) = 0;
    /// Appends one line ('\n' added) and flushes it to disk. Throws PipelineError.
    virtual void appendLine(const std::string& path, const std::string& line) = 0;
};

/// POSIX implementation: runtime::writeFileAtomically / appendLineSynced.
class AtomicFileWriter : public FileWriter {
public:
    void writeFile(const std::string& path, const std::string& bytes) override;
    void appendLine(const std::string& path, const std::string& line) override;

protected:
    /// One write(2) call; returns the bytes written or -1 with errno set. Tests override it to
    /// simulate a full disk.
    virtual long writeBytes(int fd, const char* data, size_t size);

private:
    runtime::WriteCall writeCall();
};

} // namespace dfq::pipeline
