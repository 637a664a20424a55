#pragma once
// An exclusive claim on a folder for one writer (a run directory while `dfq run`, `dfq resume` or the
// GUI writes it): flock(2) on DIR/.lock, held as long as the object lives and released by the kernel
// when the process dies, SIGKILL included, so a lock is never left stale. The file records who holds
// it (pid, host, what, since), which a refused second writer names.
#include <string>

namespace dfq::runtime {

class DirectoryLock {
public:
    /// Claims dir (which must exist). what: the holder's description, e.g. "dfq resume".
    /// Throws FileError: "'<dir>' is in use by <what> (pid N on HOST since TIME)" when another holds
    /// it, or naming the file when it cannot be created.
    DirectoryLock(const std::string& dir, const std::string& what);
    ~DirectoryLock();
    DirectoryLock(const DirectoryLock&) = delete;
    DirectoryLock& operator=(const DirectoryLock&) = delete;

    const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_ = -1;
};

} // namespace dfq::runtime
