#pragma once
// Helpers for the checkpoint tests: a pickle assembler (tests write the exact opcodes a checkpoint,
// or an attacker, would), zip writers, and error checks. Header-only; Qt Test and LibTorch.
#include "checkpoint/CheckpointError.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/types.h>

#include <QtTest/QtTest>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace dfq::testing {

// ---------------------------------------------------------------------------------------------
// A tiny pickle assembler: tests write the exact opcodes a checkpoint (or an attacker) would.
class Pkl {
public:
    Pkl& op(char c) { bytes_ += c; return *this; }
    Pkl& raw(const std::string& s) { bytes_ += s; return *this; }
    Pkl& proto(int v) { bytes_ += '\x80'; bytes_ += char(v); return *this; }
    Pkl& mark() { return op('('); }
    Pkl& stop() { return op('.'); }
    Pkl& none() { return op('N'); }
    Pkl& boolean(bool b) { return op(b ? '\x88' : '\x89'); }
    Pkl& integer(int64_t v) {
        if (v >= 0 && v < 256) {
            op('K');
            bytes_ += char(v);
        } else if (v >= INT32_MIN && v <= INT32_MAX) {
            op('J');
            le(uint32_t(int32_t(v)), 4);
        } else {
            op('\x8a');  // LONG1: 8 bytes, little-endian two's complement
            bytes_ += char(8);
            le(uint64_t(v), 8);
        }
        return *this;
    }
    Pkl& real(double d) {
        op('G');
        uint64_t bits;
        std::memcpy(&bits, &d, 8);
        for (int i = 7; i >= 0; --i)
            bytes_ += char((bits >> (8 * i)) & 0xff);
        return *this;
    }
    Pkl& str(const std::string& s) {
        op('X');
        le(uint32_t(s.size()), 4);
        bytes_ += s;
        return *this;
    }
    Pkl& global(const std::string& module, const std::string& name) { return op('c').raw(module + "\n" + name + "\n"); }
    Pkl& put(int i) { op('q'); bytes_ += char(i); return *this; }
    Pkl& get(int i) { op('h'); bytes_ += char(i); return *this; }
    Pkl& longPut(uint32_t i) { op('r'); le(i, 4); return *this; }
    Pkl& longGet(uint32_t i) { op('j'); le(i, 4); return *this; }
    Pkl& tuple() { return op('t'); }
    Pkl& emptyTuple() { return op(')'); }
    Pkl& emptyDict() { return op('}'); }
    Pkl& reduce() { return op('R'); }
    Pkl& setitem() { return op('s'); }
    Pkl& setitems() { return op('u'); }
    Pkl& build() { return op('b'); }
    Pkl& persid() { return op('Q'); }
    Pkl& ints(const std::vector<int64_t>& v) {
        mark();
        for (int64_t x : v)
            integer(x);
        return tuple();
    }
    Pkl& orderedDict() { return global("collections", "OrderedDict").emptyTuple().reduce(); }
    /// torch._utils._rebuild_tensor_v2(('storage', torch.<type>, key, 'cpu', numel), offset, size, stride, False, OrderedDict())
    Pkl& tensor(const std::string& storageType, const std::string& key, int64_t numel, int64_t offset,
                const std::vector<int64_t>& size, const std::vector<int64_t>& stride) {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(numel).tuple().persid();
        integer(offset).ints(size).ints(stride).boolean(false).orderedDict();
        return tuple().reduce();
    }
    const std::string& bytes() const { return bytes_; }

private:
    void le(uint64_t v, int n) {
        for (int i = 0; i < n; ++i)
            bytes_ += char((v >> (8 * i)) & 0xff);
    }
    std::string bytes_;
};

inline std::string tensorBytes(const torch::Tensor& t) {
    const torch::Tensor c = t.contiguous();
    return std::string(static_cast<const char*>(c.data_ptr()), size_t(c.numel()) * c.element_size());
}

inline void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

inline std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// A torch.save-style zip: records are named inside the archive folder ("data.pkl", "data/0").
inline void writeZip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& records) {
    caffe2::serialize::PyTorchStreamWriter writer(path);
    for (const auto& [name, data] : records)
        writer.writeRecord(name, data.data(), data.size());
    writer.writeEndOfFile();
}

/// The message of the CheckpointError that `fn` throws; fails the test when none is thrown.
inline std::string errorOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const dfq::checkpoint::CheckpointError& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("WRONG EXCEPTION TYPE: ") + e.what();
    }
    return "NO EXCEPTION";
}

#define EXPECT_ERROR(msg, ...)                                                                         \
    do {                                                                                               \
        const std::string m_ = (msg);                                                                  \
        for (const char* part : {__VA_ARGS__})                                                         \
            if (m_.find(part) == std::string::npos)                                                    \
                QFAIL(qPrintable(QStringLiteral("error '%1' does not mention '%2'")                   \
                                     .arg(QString::fromStdString(m_), QString::fromUtf8(part))));       \
    } while (0)

} // namespace dfq::testing
