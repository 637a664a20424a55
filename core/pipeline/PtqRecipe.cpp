#include "pipeline/PtqRecipe.h"

namespace dfq::pipeline {

std::vector<std::string> ptqMethodNames() { return {"minmax", "percentile", "mse", "adaround", "brecq"}; }

quant::QuantOptions quantOptionsForPtq(const std::string& ptq, const std::string& weightObserver,
                                       const std::string& activationObserver) {
    quant::QuantOptions q;
    if (ptq == "minmax") {
        q.activationObserver = "minmax";
    } else if (ptq == "percentile") {
        q.activationObserver = "percentile";
    } else { // mse, adaround, brecq: MSE-initialised per-channel weight scales (as BRECQ)
        q.weightObserver = "mse";
        q.activationObserver = "mse";
    }
    if (!weightObserver.empty() && weightObserver != "auto")
        q.weightObserver = weightObserver;
    if (!activationObserver.empty() && activationObserver != "auto")
        q.activationObserver = activationObserver;
    return q;
}

bool reconstructs(const std::string& ptq) { return ptq == "adaround" || ptq == "brecq"; }

std::string protocolLabel(const std::string& ptq, int64_t qatEpochs) {
    if (qatEpochs > 0)
        return "fine-tuned";
    return reconstructs(ptq) ? "reconstructed" : "calibrate-only";
}

} // namespace dfq::pipeline
