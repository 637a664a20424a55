#pragma once
// A generator run's epoch reports (generative::EpochReport, on the training thread) -> GeneratorEpoch
// (plain Qt values for the UI thread). It remembers ClusterQ's centroids of every epoch so far, so each
// epoch carries their whole trajectories on that epoch's map axes. One converter per run; torch-free header.
#include "SessionTypes.h"

#include <memory>

namespace dfq::generative {
struct EpochReport;
}

namespace dfq::ui {

class EpochReportConverter {
public:
    EpochReportConverter();
    ~EpochReportConverter();
    /// Forgets the trajectories (a new run).
    void reset();
    GeneratorEpoch convert(const generative::EpochReport& report);

private:
    struct History;
    std::unique_ptr<History> history_;
};

} // namespace dfq::ui
