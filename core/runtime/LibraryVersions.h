#pragma once
// The versions this build of dfq_core was compiled against, for run manifests and the About dialog.
#include <string>

namespace dfq::runtime {

struct LibraryVersions {
    std::string dfqStudio;   ///< DFQ_VERSION
    std::string libtorch;    ///< TORCH_VERSION, e.g. "2.1.2"
    std::string opencv;      ///< CV_VERSION
};

LibraryVersions libraryVersions();

/// LibTorch's intra-op thread count as configured now.
int intraOpThreads();

} // namespace dfq::runtime
