#pragma once
// Files that appear whole or not at all. writeFileAtomically writes "<path>.tmp", fsyncs it, renames it
// over the target and fsyncs the directory, so a crash or kill -9 at any moment leaves either the old
// file or the new one, never half of one; on any error (disk full, permission) the temporary file is
// removed and FileError names the file and the reason. Every file the program writes goes through
// here: pipeline's FileWriter, checkpoint::writeStateDict, and the folders written as a unit
// (runtime/AtomicDirectory.h: synthetic sets, exports).
//
// The write call is injectable so that tests can simulate a full disk (write(2) failing with ENOSPC
// after K bytes) and check that nothing half-written is left behind.
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dfq::runtime {

/// A file-system failure; what() names the file and the system's reason. Callers in other folders
/// rethrow it as their own error type (PipelineError, CheckpointError, ...).
class FileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// One write(2) call: returns the bytes written, or -1 with errno set. Empty: ::write.
using WriteCall = std::function<long(int fd, const char* data, size_t size)>;

/// Replaces `path` with `bytes` atomically and durably (see above). Throws FileError.
void writeFileAtomically(const std::string& path, std::string_view bytes, const WriteCall& write = {});

/// Creates or truncates `path`, writes `bytes` and fsyncs the file, without a rename: for files inside a
/// folder that is itself renamed into place once complete. On error the file is removed. Throws FileError.
void writeFileSynced(const std::string& path, std::string_view bytes, const WriteCall& write = {});

/// Appends `line` and '\n' and fdatasyncs; on error the partial line is cut off again, so the file stays
/// a sequence of whole lines (a kill can still leave a truncated last line, which readers skip).
/// Throws FileError.
void appendLineSynced(const std::string& path, const std::string& line, const WriteCall& write = {});

/// fsyncs a file another library wrote (e.g. an archive LibTorch saved). Throws FileError.
void syncFile(const std::string& path);
/// fsyncs a directory, making the entries created or renamed in it durable. Throws FileError.
void syncDirectory(const std::string& dir);

} // namespace dfq::runtime
