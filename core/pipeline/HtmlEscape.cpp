#include "pipeline/HtmlEscape.h"

namespace dfq::pipeline {

std::string htmlEscape(const std::string& t) {
    std::string o;
    o.reserve(t.size());
    for (char ch : t) {
        switch (ch) {
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '&': o += "&amp;"; break;
        case '"': o += "&quot;"; break;
        default: o += ch;
        }
    }
    return o;
}

} // namespace dfq::pipeline
