#include "runtime/AtomicDirectory.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>

namespace fs = std::filesystem;

namespace dfq::runtime {
namespace {

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

bool entryExists(const fs::path& p) {
    std::error_code ec;
    return fs::exists(fs::symlink_status(p, ec));
}

bool isEmptyDirectory(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec) && fs::is_empty(p, ec) && !ec;
}

fs::path parentOf(const fs::path& p) { return p.has_parent_path() ? p.parent_path() : fs::path("."); }

void renameOrThrow(const fs::path& from, const fs::path& to) {
    if (std::rename(from.c_str(), to.c_str()) != 0)
        throw FileError("cannot rename " + quoted(from) + " to " + quoted(to) + ": " + std::strerror(errno));
}

} // namespace

AtomicDirectory::AtomicDirectory(const fs::path& dir, Recognizer isOurs, std::string what)
    : dir_(dir.lexically_normal()), isOurs_(std::move(isOurs)), what_(std::move(what)) {
    if (!dir_.empty() && dir_.filename().empty())   // "a/b/" -> "a/b"
        dir_ = dir_.parent_path();
    if (dir_.empty() || dir_.filename().empty() || dir_.filename() == "." || dir_.filename() == "..")
        throw FileError(quoted(dir) + ": not a usable folder name for " + what_);
    tmp_ = dir_.string() + ".tmp";
    if (entryExists(dir_)) {
        std::error_code ec;
        if (!fs::is_directory(dir_, ec))
            throw FileError(quoted(dir_) + ": exists and is not a folder; refusing to replace it with " + what_);
        if (!replaceable(dir_, false))
            throw FileError(quoted(dir_) + ": exists, is not empty and is not " + what_ +
                            "; refusing to replace it (choose a new or empty folder)");
    }
    if (entryExists(tmp_)) {
        if (!replaceable(tmp_, true))
            throw FileError(quoted(tmp_) + ": exists and is not an unfinished write of " + what_ +
                            "; move it away or choose another folder");
        std::error_code ec;
        fs::remove_all(tmp_, ec);   // a leftover of an interrupted write
        if (ec)
            throw FileError("cannot remove the unfinished " + quoted(tmp_) + ": " + ec.message());
    }
    std::error_code ec;
    fs::create_directories(tmp_, ec);
    if (ec || !fs::is_directory(tmp_))
        throw FileError(quoted(tmp_) + ": cannot create folder" + (ec ? " (" + ec.message() + ")" : ""));
    try {
        writeFileSynced((tmp_ / kStagingMark).string(), "");
    } catch (...) {
        fs::remove_all(tmp_, ec);
        throw;
    }
}

AtomicDirectory::~AtomicDirectory() {
    if (!committed_) {
        std::error_code ec;
        fs::remove_all(tmp_, ec);
    }
}

bool AtomicDirectory::replaceable(const fs::path& p, bool staging) const {
    std::error_code ec;
    if (!fs::is_directory(p, ec))
        return false;   // never a file
    if (isEmptyDirectory(p))
        return true;
    if (staging && fs::exists(p / kStagingMark, ec))
        return true;
    return isOurs_ && isOurs_(p);
}

void AtomicDirectory::writeFile(const fs::path& relative, std::string_view bytes, const WriteCall& write) {
    const fs::path file = tmp_ / relative;
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec)
        throw FileError(quoted(file.parent_path()) + ": cannot create folder (" + ec.message() + ")");
    writeFileSynced(file.string(), bytes, write);
    synced_.insert(file);
}

void AtomicDirectory::commit() {
    if (committed_)
        return;
    std::error_code ec;
    fs::remove(tmp_ / kStagingMark, ec);
    // Every file and folder durable before the folder becomes visible under its name.
    for (auto it = fs::recursive_directory_iterator(tmp_, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->is_symlink(ec))
            continue;
        if (it->is_directory(ec))
            syncDirectory(it->path().string());
        else if (it->is_regular_file(ec) && !synced_.count(it->path()))   // written by others
            syncFile(it->path().string());
    }
    if (ec)
        throw FileError("cannot list " + quoted(tmp_) + " to sync it: " + ec.message());
    syncDirectory(tmp_.string());

    const fs::path parent = parentOf(dir_);
    if (!entryExists(dir_) || (!fs::is_symlink(dir_, ec) && isEmptyDirectory(dir_))) {
        renameOrThrow(tmp_, dir_);   // rename(2) replaces an empty folder
    } else {
        // Checked again: the folder may have changed since the constructor looked.
        if (!replaceable(dir_, false))
            throw FileError(quoted(dir_) + ": is no longer empty or " + what_ + "; refusing to replace it");
        if (::renameat2(AT_FDCWD, tmp_.c_str(), AT_FDCWD, dir_.c_str(), RENAME_EXCHANGE) == 0) {
            committed_ = true;      // dir_ is the new folder; tmp_ now holds the old one
            syncDirectory(parent.string());
            fs::remove_all(tmp_, ec);
            return;
        }
        const int e = errno;
        if (e != EINVAL && e != ENOSYS && e != ENOTSUP)
            throw FileError("cannot replace " + quoted(dir_) + " with " + quoted(tmp_) + ": " + std::strerror(e));
        // No exchange on this file system: move the old folder aside for a moment.
        const fs::path old = dir_.string() + ".old";
        if (entryExists(old)) {
            if (!replaceable(old, false))
                throw FileError(quoted(old) + ": exists and is not " + what_ + "; move it away to replace " +
                                quoted(dir_));
            fs::remove_all(old, ec);
        }
        renameOrThrow(dir_, old);
        try {
            renameOrThrow(tmp_, dir_);
        } catch (...) {
            std::rename(old.c_str(), dir_.c_str());
            throw;
        }
        committed_ = true;
        syncDirectory(parent.string());
        fs::remove_all(old, ec);
        return;
    }
    committed_ = true;
    syncDirectory(parent.string());
}

} // namespace dfq::runtime
