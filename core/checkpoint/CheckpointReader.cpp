#include "checkpoint/CheckpointReader.h"

#include "checkpoint/CheckpointError.h"

namespace dfq::checkpoint {
// Placeholder until the reader lands.
const char* toString(CheckpointFormat f) { return "?"; }
Checkpoint readCheckpoint(const std::string& path) { throw CheckpointError(path, "reader not implemented yet"); }
} // namespace dfq::checkpoint
