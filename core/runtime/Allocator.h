#pragma once
// glibc malloc settings for LibTorch on CPU. This LibTorch has no caching allocator on CPU: every
// activation and gradient tensor is a fresh malloc/free of megabytes. With glibc's defaults such
// blocks are mmap'ed and unmapped again, or the heap top is trimmed and regrown, so every iteration
// pays page faults and zeroing for memory it just gave back: `dfq synth` ran ResNet-20's ZeroQ loop
// ~1.3x slower than the same loop after a process had happened to raise glibc's thresholds.
namespace dfq::runtime {

struct AllocatorSettings {
    bool applied = false;        ///< false: not glibc, or the user set malloc tunables (respected)
    long mmapThresholdBytes = 0;
    long trimThresholdBytes = 0;
};

/// Serves blocks up to 32 MiB from the heap and keeps up to 512 MiB of freed heap for reuse instead
/// of returning it to the system at once. Call once at start-up, before the first tensor. Skipped
/// when GLIBC_TUNABLES names a malloc setting or MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_ is set.
AllocatorSettings configureAllocator();

} // namespace dfq::runtime
