#include "runtime/Threads.h"

#include <ATen/Parallel.h>

#include <cstdlib>
#include <string>
#include <thread>

namespace dfq::runtime {

int hardwareThreads() {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : int(n);
}

int threadsFromEnvironment() {
    const char* v = std::getenv("DFQ_THREADS");
    if (!v || !*v)
        return 0;
    char* end = nullptr;
    const long n = std::strtol(v, &end, 10);
    return (*end == '\0' && n > 0 && n <= 4096) ? int(n) : 0;
}

int configureThreads(int n) {
    int want = n;
    if (want <= 0)
        want = threadsFromEnvironment();
    if (want <= 0)
        want = hardwareThreads();
    if (at::get_num_threads() != want)
        at::set_num_threads(want);
    return at::get_num_threads();
}

} // namespace dfq::runtime
