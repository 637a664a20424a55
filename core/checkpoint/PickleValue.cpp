#include "checkpoint/PickleValue.h"

#include <charconv>
#include <cmath>

namespace dfq::checkpoint {

bool PickleValue::isScalar() const {
    switch (kind) {
    case Kind::None:
    case Kind::Bool:
    case Kind::Int:
    case Kind::BigInt:
    case Kind::Float:
    case Kind::String:
    case Kind::Bytes:
        return true;
    default:
        return false;
    }
}

const PickleValuePtr* PickleValue::find(const std::string& key) const {
    auto it = index.find("s:" + key);
    return it == index.end() ? nullptr : &entries[it->second].second;
}

static std::string hexOfLittleEndian(const std::string& le) {
    // Magnitude of a two's complement number, printed big-endian in hex.
    std::string mag = le;
    const bool negative = !mag.empty() && (uint8_t(mag.back()) & 0x80);
    if (negative) {
        unsigned carry = 1;
        for (char& c : mag) {
            unsigned v = uint8_t(~uint8_t(c)) + carry;
            c = char(v & 0xff);
            carry = v >> 8;
        }
    }
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (size_t i = mag.size(); i-- > 0;) {
        const uint8_t b = uint8_t(mag[i]);
        if (out.empty() && b == 0)
            continue;
        if (!out.empty() || (b >> 4))
            out += digits[b >> 4];
        out += digits[b & 15];
    }
    return std::string(negative ? "-0x" : "0x") + (out.empty() ? "0" : out);
}

std::string PickleValue::display() const {
    switch (kind) {
    case Kind::None:
        return "None";
    case Kind::Bool:
        return boolean ? "True" : "False";
    case Kind::Int:
        return std::to_string(integer);
    case Kind::BigInt:
        return hexOfLittleEndian(text);
    case Kind::Float: {
        if (std::isnan(real))
            return "nan";
        if (std::isinf(real))
            return real > 0 ? "inf" : "-inf";
        // Shortest text that reads back to the same double, like Python's repr.
        char buf[64];
        auto res = std::to_chars(buf, buf + sizeof buf, real);
        std::string s(buf, res.ptr);
        if (s.find_first_of(".e") == std::string::npos)
            s += ".0";
        return s;
    }
    case Kind::String:
    case Kind::Bytes:
    case Kind::Global:
        return text;
    case Kind::List:
        return "<list>";
    case Kind::Tuple:
        return "<tuple>";
    case Kind::Set:
        return "<set>";
    case Kind::Dict:
        return "<dict>";
    case Kind::Storage:
        return "<storage>";
    case Kind::Tensor:
        return "<tensor>";
    case Kind::Object:
        return "<" + text + " object>";
    }
    return "?";
}

PickleArena::~PickleArena() {
    // Empty every container first: children are still owned by values_, so no destructor recurses.
    for (auto& v : values_) {
        v->items.clear();
        v->entries.clear();
    }
}

PickleValuePtr PickleArena::make(PickleValue::Kind kind) {
    auto v = std::make_shared<PickleValue>();
    v->kind = kind;
    values_.push_back(v);
    return v;
}

} // namespace dfq::checkpoint
