#include "pipeline/StagePlan.h"

#include "generative/GeneratorMethod.h"

namespace dfq::pipeline {

std::vector<std::unique_ptr<Stage>> buildStages(const ExperimentConfig& c) {
    std::vector<std::unique_ptr<Stage>> s;
    s.push_back(makeLoadStage());
    if (c.calibrationSet.empty() && generative::isGeneratorMethod(c.synthMethod)) {
        s.push_back(makeGenerativeStage());   // the generator and the student, trained together
    } else {
        s.push_back(c.calibrationSet.empty() ? makeSynthesizeStage() : makeCalibrationSetStage());
        s.push_back(makeCalibrateStage());
        if (c.qatEpochs > 0)
            s.push_back(makeFineTuneStage());
    }
    if (!c.testPath.empty())
        s.push_back(makeEvaluateStage());
    if (c.exportModel)
        s.push_back(makeExportStage());
    return s;
}

std::vector<std::string> stageNames(const std::vector<std::unique_ptr<Stage>>& stages) {
    std::vector<std::string> names;
    for (const auto& s : stages)
        names.push_back(s->name());
    return names;
}

} // namespace dfq::pipeline
