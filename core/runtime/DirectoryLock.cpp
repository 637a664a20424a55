#include "runtime/DirectoryLock.h"

#include "runtime/AtomicFile.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace dfq::runtime {

namespace {
std::string hostName() {
    char buf[256] = {};
    return gethostname(buf, sizeof buf - 1) == 0 ? std::string(buf) : std::string("?");
}

std::string nowUtc() {
    char buf[32];
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

std::string readHolder(int fd) {
    std::string text(4096, '\0');
    const ssize_t n = pread(fd, text.data(), text.size(), 0);
    text.resize(n > 0 ? size_t(n) : 0);
    try {
        const auto j = nlohmann::json::parse(text);
        return j.value("what", std::string("another process")) + " (pid " + std::to_string(j.value("pid", 0)) + " on " +
               j.value("host", std::string("?")) + " since " + j.value("since", std::string("?")) + ")";
    } catch (const std::exception&) {
        return "another process";
    }
}
} // namespace

DirectoryLock::DirectoryLock(const std::string& dir, const std::string& what) : path_(dir + "/.lock") {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
        throw FileError("cannot create the lock file '" + path_ + "': " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        const std::string holder = err == EWOULDBLOCK ? readHolder(fd_) : std::string();
        ::close(fd_);
        fd_ = -1;
        if (err == EWOULDBLOCK)
            throw FileError("'" + dir + "' is in use by " + holder + ": wait for it to finish, or stop it first");
        throw FileError("cannot lock '" + path_ + "': " + std::strerror(err));
    }
    const std::string info =
        nlohmann::json{{"what", what}, {"pid", int(getpid())}, {"host", hostName()}, {"since", nowUtc()}}.dump() + "\n";
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, info.data(), info.size(), 0) != ssize_t(info.size())) {
        // The claim holds without the description; a refused writer then says "another process".
    }
}

DirectoryLock::~DirectoryLock() {
    if (fd_ >= 0)
        ::close(fd_);   // releases the flock
}

} // namespace dfq::runtime
