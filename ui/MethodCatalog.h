#pragma once
// Every registered method as the Synthesize tab offers it, with its declared options: the pixel
// methods (synth registry) and the generator methods (generative registry, joint options plus the
// method's, and what each budget sets). Adding a method to a registry adds it here. Torch-free header.
#include "SessionTypes.h"

#include <QVariantMap>

#include <string>

namespace dfq::ui {

/// Pixel methods first (registry order), then generator methods.
QVector<SynthesisMethodInfo> methodCatalog();

/// The options a form holds, as the JSON text the method's resolveOptions takes ("{}" for none).
std::string optionsJson(const QVariantMap& options);

} // namespace dfq::ui
