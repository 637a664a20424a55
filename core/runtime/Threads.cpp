#include "runtime/Threads.h"

#include <ATen/Parallel.h>

#include <thread>

namespace dfq::runtime {

int hardwareThreads() {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : int(n);
}

int configureThreads(int n) {
    const int want = n > 0 ? n : hardwareThreads();
    if (at::get_num_threads() != want)
        at::set_num_threads(want);
    return at::get_num_threads();
}

} // namespace dfq::runtime
