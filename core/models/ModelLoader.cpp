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
    if (!out.report.ok())
        throw ModelError(path + ": checkpoint does not fit architecture '" + name + "':\n" + out.report.describe());
    out.model->eval();
    out.checkpoint.tensors = {};
    return out;
}

} // namespace dfq::models
