#pragma once
#include "checkpoint/StateDict.h"

#include <string>

namespace dfq::checkpoint {

/// Writes a state dict as a torch.save-compatible zip archive (a dict name -> tensor, readable by
/// torch.load in Python and by readCheckpoint). The file appears atomically and durably
/// (runtime::writeFileAtomically: `path.tmp`, fsync, rename, fsync of the folder), so a crash never
/// leaves half a checkpoint. Throws CheckpointError (disk full, permission: the reason is named).
void writeStateDict(const std::string& path, const StateDict& sd);

} // namespace dfq::checkpoint
