#pragma once
#include <string>

namespace dfq::pipeline {

/// Text for HTML/SVG content and attribute values: < > & " replaced by their entities.
std::string htmlEscape(const std::string& text);

} // namespace dfq::pipeline
