#include "data/SampleSelection.h"

#include <map>

namespace dfq::data {

std::vector<int64_t> selectSamples(const std::vector<int64_t>& labels, int64_t limit, int64_t limitPerClass) {
    std::vector<int64_t> kept;
    std::map<int64_t, int64_t> perClass;
    for (int64_t i = 0; i < int64_t(labels.size()); ++i) {
        if (limit >= 0 && int64_t(kept.size()) >= limit)
            break;
        if (limitPerClass >= 0 && perClass[labels[size_t(i)]] >= limitPerClass)
            continue;
        ++perClass[labels[size_t(i)]];
        kept.push_back(i);
    }
    return kept;
}

} // namespace dfq::data
