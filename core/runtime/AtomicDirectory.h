#pragma once
// A folder written as a unit (a synthetic set, a quantized export): its files go into "<dir>.tmp", and
// commit() fsyncs every file and folder there and renames the complete folder into place, so a reader
// (or a crash) sees the old folder or the new one, never a mix or half a file.
//
// Only what the program wrote is ever replaced or removed. An existing `dir` is replaced only when it
// is empty or `isOurs(dir)` recognises it (e.g. a synthetic set's manifest); a leftover "<dir>.tmp"
// is removed only when it is empty, carries the staging mark this class writes, or `isOurs` recognises
// it. Anything else (a user's home or project folder) is refused with FileError before anything is
// written. Replacing swaps the two folders in one rename (renameat2 RENAME_EXCHANGE) where the file
// system allows it; elsewhere the old folder moves to "<dir>.old" (under the same rule) for a moment.
#include "runtime/AtomicFile.h"

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <string_view>

namespace dfq::runtime {

class AtomicDirectory {
public:
    /// Says whether a folder holds what this writer produces (and may therefore be replaced).
    using Recognizer = std::function<bool(const std::filesystem::path& dir)>;
    /// Written first into every staging folder and removed just before the rename: a leftover
    /// "<dir>.tmp" carrying it is an interrupted write of ours and may go.
    static constexpr const char* kStagingMark = ".dfq-staging";

    /// Checks `dir` and its staging folder as above and creates the staging folder (and dir's parent).
    /// `what` names the content in messages ("a synthetic set"). Throws FileError.
    AtomicDirectory(const std::filesystem::path& dir, Recognizer isOurs, std::string what);
    /// Without commit(): removes the staging folder and everything written into it.
    ~AtomicDirectory();
    AtomicDirectory(const AtomicDirectory&) = delete;
    AtomicDirectory& operator=(const AtomicDirectory&) = delete;

    const std::filesystem::path& target() const { return dir_; }
    /// Where the files go until commit(): "<dir>.tmp". Files may be written here by any means; commit()
    /// syncs them all.
    const std::filesystem::path& staging() const { return tmp_; }
    /// Writes and fsyncs staging()/relative (sub-folders created). Throws FileError.
    void writeFile(const std::filesystem::path& relative, std::string_view bytes, const WriteCall& write = {});

    /// fsyncs every file and folder under staging(), puts it in place of target() (re-checking that an
    /// existing target may be replaced), fsyncs the parent and removes the old folder. Throws FileError;
    /// on error the target is as it was.
    void commit();

private:
    bool replaceable(const std::filesystem::path& p, bool staging) const;

    std::filesystem::path dir_, tmp_;
    Recognizer isOurs_;
    std::string what_;
    std::set<std::filesystem::path> synced_;   ///< written (and fsynced) by writeFile
    bool committed_ = false;
};

} // namespace dfq::runtime
