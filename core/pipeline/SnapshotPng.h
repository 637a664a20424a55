#pragma once
// A synthesis snapshot as one PNG: a row of up to 16 of its images (nearest-neighbour x2 when they
// are smaller than 64 px), for the run directory's snapshots/ and the report.
#include "synth/SynthesisEvents.h"

#include <string>

namespace dfq::pipeline {

/// PNG bytes; "" when the snapshot holds no [N, H, W, 1|3] uint8 images.
std::string snapshotPng(const synth::ImageSnapshot& snapshot);

/// "snapshots/batchBBB-stepSSSSSS.png", relative to the run directory.
std::string snapshotFileName(const synth::ImageSnapshot& snapshot);

} // namespace dfq::pipeline
