#include "synth/SynthesisError.h"
#include "synth/SynthesisMethod.h"

namespace dfq::synth {

// Each factory is defined in its method's own .cpp. An explicit list rather than self-registering
// static objects: the linker drops unreferenced objects of a static library, and with them their
// registrations. Adding a method: its file, plus its factory on the two lines below.
std::unique_ptr<SynthesisMethod> makeZeroQMethod(), makeDsgMethod(), makeNoiseMethod(), makeRealImageMethod(),
    makeIntraQMethod(), makeGenieMethod();
using Factory = std::unique_ptr<SynthesisMethod> (*)();
static const Factory kFactories[] = {makeZeroQMethod, makeDsgMethod, makeNoiseMethod, makeRealImageMethod,
                                     makeIntraQMethod, makeGenieMethod};

std::vector<std::string> methodNames() {
    std::vector<std::string> names;
    for (Factory f : kFactories)
        names.push_back(f()->name());
    return names;
}

std::unique_ptr<SynthesisMethod> createMethod(const std::string& name) {
    for (Factory f : kFactories) {
        auto m = f();
        if (m->name() == name)
            return m;
    }
    std::string known;
    for (const auto& n : methodNames())
        known += (known.empty() ? "" : ", ") + n;
    throw SynthesisError("unknown synthesis method '" + name + "' (known: " + known + ")");
}

} // namespace dfq::synth
