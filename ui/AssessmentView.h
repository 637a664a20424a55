#pragma once
// Core results -> the UI's plain Qt values (SessionTypes.h), for the workers' .cpp files. Torch stays
// out of this header (forward declarations only): it is included where Qt's keywords are off.
#include "SessionTypes.h"

#include <QImage>

namespace at {
class Tensor;
}
namespace dfq::synth {
struct SetAssessment;
}

namespace dfq::ui {

/// One image, uint8 [H,W,C] with C = 1 or 3, copied into a QImage (null for other channel counts).
QImage toQImage(const at::Tensor& pixelsHwc);

/// A set's per-class diversity, its centroid maps (penultimate features, then every BN layer) and
/// its most similar pairs, whose images are taken from pixels (uint8 [N,H,W,C], the assessed set).
SetQuality toSetQuality(const synth::SetAssessment& assessment, const at::Tensor& labels, const at::Tensor& pixels);

} // namespace dfq::ui
