// GDFQ (Xu et al., ECCV 2020; methods.md §2): the joint loop with nothing added,
// L_G = CE(T(G(z,y)), y) + 0.1·BNS.
#include "generative/GeneratorMethod.h"

namespace dfq::generative {
namespace {

class GdfqMethod : public GeneratorMethod {
public:
    std::string name() const override { return "gdfq"; }
    std::string description() const override {
        return "GDFQ: a class-conditional generator trained on the teacher's cross-entropy and BN statistics, "
               "jointly with the quantized student (QAT-KD on its images)";
    }
};

} // namespace

std::unique_ptr<GeneratorMethod> makeGdfqMethod() { return std::make_unique<GdfqMethod>(); }

} // namespace dfq::generative
