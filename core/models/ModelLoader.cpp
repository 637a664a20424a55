#include "models/ModelLoader.h"

#include "models/ModelError.h"
#include "models/ModelZoo.h"

namespace dfq::models {

LoadedModel loadModel(const std::string& path, const std::string& arch) {
    LoadedModel out;
    out.checkpoint = checkpoint::readCheckpoint(path);
    const auto& sd = out.checkpoint.tensors;

    std::string name = arch;
    if (name.empty() || name == "auto") {
        name = detectArchitecture(sd);
        if (name.empty())
            throw ModelError(path + ": the architecture could not be recognised from the " +
                             std::to_string(sd.size()) + " tensor names (first: '" +
                             (sd.empty() ? std::string() : sd.entries().front().first) +
                             "'); name it with --arch (" + [] {
                                 std::string s;
                                 for (const auto& n : architectureNames())
                                     s += (s.empty() ? "" : ", ") + n;
                                 return s;
                             }() + ")");
        out.archDetected = true;
    }
    ArchOptions opts;
    opts.numClasses = detectNumClasses(sd);
    out.model = createModel(name, opts);
    out.report = applyStateDict(*out.model, sd);
    if (!out.report.ok()) {
        // A network whose BNs were folded into its convolutions (or removed) keeps no BN statistics,
        // and those are what every data-free method distils from: say so, not just "missing keys".
        const auto bns = out.model->bnLayers();
        bool bnOnly = !bns.empty() && out.report.unexpected.empty() && out.report.misShaped.empty();
        for (const auto& key : out.report.missing) {
            bool ofBn = false;
            for (const auto& b : bns)
                ofBn = ofBn || key.rfind(b.name + ".", 0) == 0;
            bnOnly = bnOnly && ofBn;
        }
        if (bnOnly)
            throw ModelError(path + ": the checkpoint holds no BatchNorm parameters for architecture '" + name + "' (" +
                             std::to_string(out.report.missing.size()) + " BN tensors missing, e.g. " +
                             out.report.missing.front() +
                             "); were the BNs folded into the convolutions? The data-free methods distil from "
                             "the BN running statistics: save the model's state_dict() before folding");
        throw ModelError(path + ": checkpoint does not fit architecture '" + name + "':\n" + out.report.describe());
    }
    out.model->eval();
    out.checkpoint.tensors = {};
    return out;
}

} // namespace dfq::models
