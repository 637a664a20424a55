#include "runtime/Allocator.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace dfq::runtime {

AllocatorSettings configureAllocator() {
    AllocatorSettings s;
#if defined(__GLIBC__)
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if ((tunables && std::strstr(tunables, "glibc.malloc.")) || std::getenv("MALLOC_MMAP_THRESHOLD_") ||
        std::getenv("MALLOC_TRIM_THRESHOLD_"))
        return s;
    // 32 MiB is glibc's largest mmap threshold on 64-bit; setting it also stops glibc's own dynamic
    // adjustment, which only rises after the first large free and still trims the heap top.
    constexpr long kMmap = 32L << 20, kTrim = 512L << 20;
    s.applied = mallopt(M_MMAP_THRESHOLD, int(kMmap)) == 1 && mallopt(M_TRIM_THRESHOLD, int(kTrim)) == 1;
    if (s.applied) {
        s.mmapThresholdBytes = kMmap;
        s.trimThresholdBytes = kTrim;
    }
#endif
    return s;
}

} // namespace dfq::runtime
