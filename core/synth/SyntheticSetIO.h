#pragma once
// A synthetic set on disk, for inspection (PNGs any image viewer or ImageFolder loader opens) and for
// reuse (`dfq quantize --calib synth:DIR`, exact float tensors). Layout of DIR:
//   manifest.json                 method, options, seed, n, shape, classes, normalisation, timings, notes
//   tensors.pt                    torch.save zip of {"images": [N,C,H,W] float32, "labels": [N] int64}
//   <class folder>/<index>.png    8-bit de-normalised images; index = position in the set (6+ digits)
// Class folders are the class names (with '/' and other unsafe characters replaced by '_') when the
// names are unique and already sorted, so that a generic ImageFolder loader (which sorts folder names)
// gives back the same label order; otherwise zero-padded class indices ("0".."9", "000".."999").
#include "synth/SyntheticSet.h"

#include <string>

namespace dfq::synth {

struct SyntheticSetWriteOptions {
    bool png = true;         ///< write the PNG ImageFolder
    bool tensors = true;     ///< write tensors.pt (exact float images)
    /// Replace an existing DIR that is a synthetic set (or an empty folder); otherwise SynthesisError.
    /// A non-empty folder that is not a synthetic set is refused even then.
    bool overwrite = false;
    double exportSeconds = -1;   ///< filled into the manifest's timings when >= 0 (else measured here)
};

/// Writes `set` to `dir` as a unit (runtime/AtomicDirectory.h): everything goes to `dir.tmp` first, every
/// file is fsynced, and the folder is renamed to `dir` only once complete (a crash leaves at most an
/// unfinished dir.tmp, removed by the next write). Never deletes what it did not write: an existing
/// `dir` is replaced only when it is a synthetic set (manifest.json of this format) or empty, and a
/// `dir.tmp` only when it is an unfinished write of ours. Throws SynthesisError naming the path (exists
/// without overwrite, a folder that is not a synthetic set, cannot write, non-finite images, a
/// normalisation that does not fit the channel count, channel counts PNG cannot hold).
void writeSyntheticSet(const std::string& dir, const SyntheticSet& set, const SyntheticSetWriteOptions& options = {});

/// Which file the images came from.
enum class SyntheticSetSource { Tensors, Png };

/// Reads a set written by writeSyntheticSet: the exact tensors.pt when present and readable, else the
/// PNGs (re-normalised with the manifest's normalisation; 8-bit rounding, ≤ 0.5/255/std per pixel),
/// recording why in notes. Metadata (method, options, seed, classes, normalisation) from the manifest;
/// steps are not stored. Throws SynthesisError naming the file (no manifest, missing or extra
/// images, shapes that disagree with the manifest).
SyntheticSet readSyntheticSet(const std::string& dir, SyntheticSetSource* source = nullptr,
                              bool preferTensors = true);

} // namespace dfq::synth
