#include "checkpoint/PickleReader.h"

#include "checkpoint/CheckpointError.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <unordered_set>

namespace dfq::checkpoint {

using Kind = PickleValue::Kind;

namespace {

// Globals a checkpoint may name. Everything here is a plain data constructor (or a type used as a
// tag); none of it runs code. The unpickler interprets each one itself in call().
const std::unordered_set<std::string>& allowedGlobals() {
    static const std::unordered_set<std::string> names = {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "torch._tensor._rebuild_from_type_v2",
        "torch._tensor.Tensor",
        "torch.Tensor",
        "torch.nn.parameter.Parameter",
        "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage", "torch.BFloat16Storage",
        "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage",
        "torch.ByteStorage", "torch.BoolStorage",
        "torch.float32", "torch.float64", "torch.float16", "torch.bfloat16", "torch.int64",
        "torch.int32", "torch.int16", "torch.int8", "torch.uint8", "torch.bool",
        "torch.device",
        "torch.Size",
        // TorchScript's pickler tags typed containers and lists; the value passes through.
        "torch.jit._pickle.restore_type_tag",
        "torch.jit._pickle.build_intlist",
        "torch.jit._pickle.build_floatlist",
        "torch.jit._pickle.build_boollist",
        "torch.jit._pickle.build_doublelist",
        "torch.jit._pickle.build_tensorlist",
        "builtins.set", "builtins.frozenset", "__builtin__.set", "__builtin__.frozenset",
        // Python 3 pickles bytes as _codecs.encode(text, 'latin1') under protocol 2.
        "_codecs.encode",
    };
    return names;
}

void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

int hexDigit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool parseInt64(const std::string& s, int64_t& out) {
    if (s.empty())
        return false;
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno != 0 || end != s.c_str() + s.size())
        return false;
    out = v;
    return true;
}

// Protocol 0 writes big integers in decimal ("1180591620717411303424"); LONG1 and LONG4 carry
// little-endian two's complement, so turn the text into that.
bool decimalToLittleEndian(const std::string& s, std::string& le) {
    const bool negative = !s.empty() && s[0] == '-';
    std::string digits = s.substr(negative || (!s.empty() && s[0] == '+') ? 1 : 0);
    if (digits.empty() || digits.size() > 4000)
        return false;
    for (char c : digits)
        if (c < '0' || c > '9')
            return false;
    std::vector<uint8_t> mag;  // little-endian magnitude
    while (!digits.empty()) {
        std::string quotient;
        unsigned rem = 0;
        for (char c : digits) {
            rem = rem * 10 + unsigned(c - '0');
            if (!quotient.empty() || rem / 256)
                quotient += char('0' + rem / 256);
            rem %= 256;
        }
        mag.push_back(uint8_t(rem));
        digits = quotient;
    }
    mag.push_back(0);  // room for the sign bit
    if (negative) {
        unsigned carry = 1;
        for (auto& b : mag) {
            const unsigned v = unsigned(uint8_t(~b)) + carry;
            b = uint8_t(v);
            carry = v >> 8;
        }
    }
    le.assign(mag.begin(), mag.end());
    return true;
}

std::string opName(uint8_t op) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", op);
    return buf;
}

} // namespace

bool storageDtype(const std::string& global, at::ScalarType& dtype) {
    static const std::pair<const char*, at::ScalarType> table[] = {
        {"torch.FloatStorage", at::kFloat},   {"torch.DoubleStorage", at::kDouble},
        {"torch.HalfStorage", at::kHalf},     {"torch.BFloat16Storage", at::kBFloat16},
        {"torch.LongStorage", at::kLong},     {"torch.IntStorage", at::kInt},
        {"torch.ShortStorage", at::kShort},   {"torch.CharStorage", at::kChar},
        {"torch.ByteStorage", at::kByte},     {"torch.BoolStorage", at::kBool},
    };
    for (const auto& [name, t] : table)
        if (global == name) {
            dtype = t;
            return true;
        }
    return false;
}

bool isScriptClass(const std::string& global) { return global.rfind("__torch__.", 0) == 0; }

std::string pickleKeyFingerprint(const PickleValue& v, ReadLimits& limits) {
    // Tuples nest only as deep as the pickle built them (checked), but a tuple may hold one shared
    // tuple twice, and so on: the text would double with every level. Its length is charged as it
    // grows, so such a key fails after a bounded amount of work.
    struct Rec {
        ReadLimits& limits;
        std::string out;
        void append(const std::string& s) {
            limits.chargeText(s.size(), "dict key fingerprints");
            out += s;
        }
        void of(const PickleValue& v, int depth) {
            limits.checkKeyNesting(depth);
            switch (v.kind) {
            case Kind::None:
                return append("n");
            case Kind::Bool:
                return append(v.boolean ? "i:1" : "i:0");  // Python: True == 1
            case Kind::Int:
                return append("i:" + std::to_string(v.integer));
            case Kind::BigInt:
                return append("I:" + v.display());
            case Kind::Float:
                return append("f:" + v.display());
            case Kind::String:
                return append("s:" + v.text);
            case Kind::Bytes:
                return append("y:" + v.text);
            case Kind::Global:
                return append("g:" + v.text);
            case Kind::Tuple:
                append("t(");
                for (const auto& item : v.items) {
                    of(*item, depth + 1);
                    append(",");
                }
                return append(")");
            default:
                throw std::invalid_argument("unhashable dict key (" + v.display() + ")");
            }
        }
    };
    Rec rec{limits, {}};
    rec.of(v, 0);
    return std::move(rec.out);
}

PickleReader::PickleReader(std::string file, std::string record, const char* data, size_t size,
                           PickleArena& arena, PersistentLoad persistentLoad, ReadLimits* limits)
    : file_(std::move(file)), record_(std::move(record)), data_(data), size_(size), arena_(arena),
      persistentLoad_(std::move(persistentLoad)),
      ownLimits_(limits ? nullptr : std::make_unique<ReadLimits>(file_)),
      limits_(limits ? *limits : *ownLimits_) {
    limits_.addPickleBytes(size_);
}

void PickleReader::fail(const std::string& problem) const {
    throw CheckpointError(file_, problem + " in " + record_);
}

void PickleReader::need(size_t n) const {
    if (n > size_ - pos_)
        fail("unexpected end of data at byte " + std::to_string(size_) + " (truncated pickle)");
}

uint8_t PickleReader::u8() {
    need(1);
    return uint8_t(data_[pos_++]);
}

uint16_t PickleReader::u16() {
    need(2);
    const auto* p = reinterpret_cast<const uint8_t*>(data_ + pos_);
    pos_ += 2;
    return uint16_t(p[0] | (p[1] << 8));
}

uint32_t PickleReader::u32() {
    need(4);
    const auto* p = reinterpret_cast<const uint8_t*>(data_ + pos_);
    pos_ += 4;
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}

uint64_t PickleReader::u64() {
    const uint64_t lo = u32();
    const uint64_t hi = u32();
    return lo | (hi << 32);
}

int32_t PickleReader::i32() { return int32_t(u32()); }

double PickleReader::f64be() {
    need(8);
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i)
        bits = (bits << 8) | uint8_t(data_[pos_ + i]);
    pos_ += 8;
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

std::string PickleReader::bytes(size_t n) {
    need(n);
    std::string s(data_ + pos_, n);
    pos_ += n;
    return s;
}

std::string PickleReader::line() {
    const void* nl = std::memchr(data_ + pos_, '\n', size_ - pos_);
    if (!nl)
        fail("unexpected end of data at byte " + std::to_string(size_) + " (truncated pickle)");
    const size_t n = size_t(static_cast<const char*>(nl) - (data_ + pos_));
    std::string s(data_ + pos_, n);
    pos_ += n + 1;
    if (!s.empty() && s.back() == '\r')
        s.pop_back();
    return s;
}

PickleValuePtr PickleReader::make(Kind kind) { return arena_.make(kind); }

PickleValuePtr PickleReader::makeInt(int64_t v) {
    auto p = make(Kind::Int);
    p->integer = v;
    return p;
}

PickleValuePtr PickleReader::makeLong(const std::string& le) {
    // LONG1/LONG4: little-endian two's complement of any length. Most fit in 64 bits; the legacy
    // magic number (80 bits) does not and stays a BigInt.
    const size_t n = le.size();
    if (n == 0)
        return makeInt(0);
    const bool negative = uint8_t(le.back()) & 0x80;
    bool fits = n <= 8;
    if (!fits) {
        fits = true;
        for (size_t i = 8; i < n; ++i)
            if (uint8_t(le[i]) != (negative ? 0xff : 0x00))
                fits = false;
        if (fits && bool(uint8_t(le[7]) & 0x80) != negative)
            fits = false;
    }
    if (!fits) {
        // Minimal form (no redundant sign bytes), so equal numbers have equal text.
        std::string t = le;
        while (t.size() > 9 && uint8_t(t.back()) == (negative ? 0xff : 0x00) &&
               bool(uint8_t(t[t.size() - 2]) & 0x80) == negative)
            t.pop_back();
        auto p = make(Kind::BigInt);
        p->text = t;
        return p;
    }
    uint64_t u = negative ? ~uint64_t(0) : 0;
    for (size_t i = 0; i < n && i < 8; ++i) {
        u &= ~(uint64_t(0xff) << (8 * i));
        u |= uint64_t(uint8_t(le[i])) << (8 * i);
    }
    return makeInt(int64_t(u));
}

PickleValuePtr PickleReader::constant(Constant c) {
    // None, True, False and () are immutable: one value each per reader, as in CPython, so a file
    // of one-byte opcodes costs stack slots, not a value each.
    PickleValuePtr& v = constants_[size_t(c)];
    if (!v) {
        v = make(c == Constant::None ? Kind::None : c == Constant::EmptyTuple ? Kind::Tuple : Kind::Bool);
        v->boolean = c == Constant::True;
    }
    return v;
}

PickleValuePtr PickleReader::makeString(std::string s, Kind kind) {
    auto p = make(kind);
    p->text = std::move(s);
    return p;
}

PickleValuePtr PickleReader::makeGlobal(const std::string& module, const std::string& name) {
    const std::string full = module + "." + name;
    if (scriptObjects_ && isScriptClass(full))
        return makeString(full, Kind::Global);  // a module class: NEWOBJ + BUILD make data of it
    if (!allowedGlobals().count(full))
        fail("forbidden global '" + full + "' (only tensors and plain containers are allowed; nothing was executed)");
    return makeString(full, Kind::Global);
}

PickleValuePtr PickleReader::pop() {
    if (stack_.empty() || (!marks_.empty() && marks_.back() == stack_.size()))
        fail("not a valid pickle: stack underflow at byte " + std::to_string(pos_));
    PickleValuePtr v = std::move(stack_.back());
    stack_.pop_back();
    return v;
}

PickleValuePtr& PickleReader::top() {
    if (stack_.empty() || (!marks_.empty() && marks_.back() == stack_.size()))
        fail("not a valid pickle: stack underflow at byte " + std::to_string(pos_));
    return stack_.back();
}

std::vector<PickleValuePtr> PickleReader::popMark() {
    if (marks_.empty())
        fail("not a valid pickle: no MARK before byte " + std::to_string(pos_));
    const size_t m = marks_.back();
    marks_.pop_back();
    std::vector<PickleValuePtr> items(std::make_move_iterator(stack_.begin() + ptrdiff_t(m)),
                                      std::make_move_iterator(stack_.end()));
    stack_.resize(m);
    return items;
}

void PickleReader::memoPut(uint64_t idx) { memo_[idx] = top(); }

PickleValuePtr PickleReader::memoGet(uint64_t idx) {
    auto it = memo_.find(idx);
    if (it == memo_.end())
        fail("not a valid pickle: memo entry " + std::to_string(idx) + " read before it was written");
    return it->second;
}

void PickleReader::dictSet(PickleValue& dict, PickleValuePtr key, PickleValuePtr value) {
    if (!dict.is(Kind::Dict))
        fail("not a valid pickle: SETITEM on a " + dict.display() + " at byte " + std::to_string(pos_));
    std::string fp;
    try {
        fp = pickleKeyFingerprint(*key, limits_);
    } catch (const std::invalid_argument& e) {
        fail(std::string("not a valid pickle: ") + e.what());
    }
    auto it = dict.index.find(fp);
    if (it != dict.index.end()) {
        dict.entries[it->second].second = std::move(value);
        return;
    }
    dict.index.emplace(std::move(fp), dict.entries.size());
    dict.entries.emplace_back(std::move(key), std::move(value));
}

PickleValuePtr PickleReader::persistent(const PickleValuePtr& pid) {
    if (!persistentLoad_)
        fail("unexpected persistent id (storage reference)");
    PickleValuePtr v = persistentLoad_(pid);
    if (!v)
        fail("unresolved persistent id");
    return v;
}

PickleValuePtr PickleReader::rebuildTensor(const std::vector<PickleValuePtr>& args, bool v2) {
    const char* fn = v2 ? "_rebuild_tensor_v2" : "_rebuild_tensor";
    if (args.size() < (v2 ? 6u : 4u))
        fail(std::string(fn) + " called with " + std::to_string(args.size()) + " arguments");
    const PickleValue& storage = *args[0];
    if (!storage.is(Kind::Storage))
        fail(std::string(fn) + ": first argument is not a storage");
    if (!args[1]->is(Kind::Int) || args[1]->integer < 0)
        fail(std::string(fn) + ": bad storage offset");
    auto ints = [&](const PickleValue& v, const char* what) {
        if (!v.is(Kind::Tuple) && !v.is(Kind::List))
            fail(std::string(fn) + ": " + what + " is not a tuple");
        limits_.chargeCopiedItems(v.items.size(), fn);
        std::vector<int64_t> out;
        for (const auto& item : v.items) {
            if (!item->is(Kind::Int) || item->integer < 0)
                fail(std::string(fn) + ": " + what + " holds a non-integer or negative value");
            out.push_back(item->integer);
        }
        return out;
    };
    auto t = make(Kind::Tensor);
    t->storage = storage.storage;
    t->viewOffset = storage.viewOffset;
    t->viewNumel = storage.viewNumel;
    t->storageOffset = args[1]->integer;
    t->sizes = ints(*args[2], "size");
    t->strides = ints(*args[3], "stride");
    if (t->sizes.size() != t->strides.size())
        fail(std::string(fn) + ": size and stride differ in length");

    // The view must stay inside its storage: a hostile file must not make us read past it.
    int64_t numel = 1, last = t->storageOffset;
    bool empty = false;
    for (size_t d = 0; d < t->sizes.size(); ++d) {
        if (t->sizes[d] == 0)
            empty = true;
        int64_t span = 0;
        if (__builtin_mul_overflow(t->sizes[d] > 0 ? t->sizes[d] - 1 : 0, t->strides[d], &span) ||
            __builtin_add_overflow(last, span, &last) || __builtin_mul_overflow(numel, t->sizes[d], &numel))
            fail(std::string(fn) + ": tensor geometry overflows");
    }
    if (!empty && last >= t->viewNumel)
        fail(std::string(fn) + ": tensor reaches element " + std::to_string(last) + " of a storage of " +
             std::to_string(t->viewNumel) + " elements");
    // Stride-0 views could expand a tiny storage into terabytes when they are copied out.
    if (!empty)
        limits_.checkViewElements(numel, t->viewNumel, fn);
    return t;
}

PickleValuePtr PickleReader::call(const PickleValuePtr& callable, const PickleValuePtr& argsValue) {
    if (!callable->is(Kind::Global))
        fail("not a valid pickle: call of a " + callable->display() + " at byte " + std::to_string(pos_));
    if (!argsValue->is(Kind::Tuple))
        fail("not a valid pickle: arguments of " + callable->text + " are not a tuple");
    const std::string& name = callable->text;
    const std::vector<PickleValuePtr>& args = argsValue->items;

    if (isScriptClass(name)) {
        // TorchScript writes every module object as GLOBAL cls, EMPTY_TUPLE, NEWOBJ, state, BUILD.
        if (!args.empty())
            fail("TorchScript class " + name + " constructed with arguments");
        auto o = make(Kind::Object);
        o->text = name;
        return o;
    }
    if (name == "collections.OrderedDict") {
        auto d = make(Kind::Dict);
        if (!args.empty() && (args[0]->is(Kind::List) || args[0]->is(Kind::Tuple))) {
            limits_.chargeCopiedItems(args[0]->items.size(), "collections.OrderedDict");
            for (const auto& pair : args[0]->items) {
                if (!(pair->is(Kind::Tuple) || pair->is(Kind::List)) || pair->items.size() != 2)
                    fail("not a valid pickle: OrderedDict item is not a pair");
                dictSet(*d, pair->items[0], pair->items[1]);
            }
        }
        return d;
    }
    if (name == "torch._utils._rebuild_tensor_v2")
        return rebuildTensor(args, true);
    if (name == "torch._utils._rebuild_tensor")
        return rebuildTensor(args, false);
    if (name == "torch._utils._rebuild_parameter" || name == "torch._utils._rebuild_parameter_with_state") {
        if (args.empty() || !args[0]->is(Kind::Tensor))
            fail(name + ": first argument is not a tensor");
        return args[0];  // requires_grad, hooks and Python state do not matter for weights
    }
    if (name == "torch._tensor._rebuild_from_type_v2")
        return rebuildFromType(argsValue);
    if (name.rfind("torch.jit._pickle.", 0) == 0) {
        if (args.empty())
            fail(name + " called without arguments");
        return args[0];
    }
    if (name == "torch.device") {
        // torch.device('cuda', 0) or torch.device('cpu'): keep it as its string form.
        if (args.size() > 2)
            fail("torch.device called with " + std::to_string(args.size()) + " arguments");
        std::string s;
        for (const auto& a : args)
            s += (s.empty() ? "" : ":") + a->display();
        return makeString(s);
    }
    // torch.Size(tuple) and set(list) copy their argument's items: the argument may be one shared
    // memo entry named again and again, so the copies are counted.
    const bool isSet = name == "builtins.set" || name == "builtins.frozenset" || name == "__builtin__.set" ||
                       name == "__builtin__.frozenset";
    if (name == "torch.Size" || isSet) {
        auto c = make(isSet ? Kind::Set : Kind::Tuple);
        if (!args.empty()) {
            if (!args[0]->is(Kind::List) && !args[0]->is(Kind::Tuple) && !args[0]->is(Kind::Set))
                fail("not a valid pickle: " + name + " of a " + args[0]->display());
            limits_.chargeCopiedItems(args[0]->items.size(), name.c_str());
            c->items = args[0]->items;
        }
        return c;
    }
    if (name == "_codecs.encode") {
        if (args.size() != 2 || !args[0]->is(Kind::String) || !args[1]->is(Kind::String))
            fail("not a valid pickle: _codecs.encode arguments");
        const std::string& enc = args[1]->text;
        if (enc == "utf-8" || enc == "utf8") {
            limits_.chargeText(args[0]->text.size(), "_codecs.encode byte strings");
            return makeString(args[0]->text, Kind::Bytes);
        }
        if (enc != "latin1" && enc != "latin-1")
            fail("_codecs.encode with encoding '" + enc + "' is not supported");
        // Text holds code points 0..255 as UTF-8; turn each back into one byte.
        std::string out;
        const std::string& in = args[0]->text;
        limits_.chargeText(in.size(), "_codecs.encode byte strings");
        for (size_t i = 0; i < in.size(); ++i) {
            const uint8_t c = uint8_t(in[i]);
            if (c < 0x80) {
                out += char(c);
            } else if ((c & 0xE0) == 0xC0 && i + 1 < in.size() && c <= 0xC3) {
                out += char(((c & 0x1F) << 6) | (uint8_t(in[i + 1]) & 0x3F));
                ++i;
            } else {
                fail("not a valid pickle: latin-1 text out of range");
            }
        }
        return makeString(out, Kind::Bytes);
    }
    fail("global '" + name + "' cannot be called");
}

PickleValuePtr PickleReader::rebuildFromType(const PickleValuePtr& argsValue) {
    // _rebuild_from_type_v2(func, type, args, state) calls func(*args): a tensor subclass or a
    // tensor with Python attributes. func may be _rebuild_from_type_v2 again; unwrapped in a loop
    // (a recursion here once let ~30,000 nested calls in a 540 KB file overflow the stack).
    PickleValuePtr args = argsValue;
    for (int depth = 1;; ++depth) {
        limits_.checkRebuildNesting(depth);
        const auto& a = args->items;
        if (a.size() < 3)
            fail("torch._tensor._rebuild_from_type_v2 called with " + std::to_string(a.size()) + " arguments");
        const PickleValuePtr& fn = a[0];
        if (!fn->is(Kind::Global) || !a[2]->is(Kind::Tuple))
            fail("not a valid pickle: torch._tensor._rebuild_from_type_v2 of a " + fn->display());
        if (fn->text != "torch._tensor._rebuild_from_type_v2")
            return call(fn, a[2]);  // any other function: call() does not come back here
        args = a[2];
    }
}

PickleValuePtr PickleReader::load() {
    stack_.clear();
    marks_.clear();
    memo_.clear();
    for (;;) {
        if (pos_ >= size_)
            fail("unexpected end of data at byte " + std::to_string(size_) + " before STOP (truncated pickle)");
        const size_t at = pos_;
        const uint8_t op = u8();
        switch (op) {
        // --- framing and control
        case 0x80: {  // PROTO
            const uint8_t v = u8();
            if (v > 5)
                fail("pickle protocol " + std::to_string(v) + " is not supported");
            break;
        }
        case 0x95:  // FRAME: only groups bytes for buffered readers; the data is already in memory
            u64();
            break;
        case '.': {  // STOP
            PickleValuePtr result = pop();
            return result;
        }
        case '(':  // MARK
            marks_.push_back(stack_.size());
            break;
        case '0':  // POP (a MARK on top is popped too, as CPython does)
            if (!marks_.empty() && marks_.back() == stack_.size())
                marks_.pop_back();
            else
                pop();
            break;
        case '1':  // POP_MARK
            popMark();
            break;
        case '2':  // DUP
            stack_.push_back(top());
            break;

        // --- scalars
        case 'N':
            stack_.push_back(constant(Constant::None));
            break;
        case 0x88:
        case 0x89:
            stack_.push_back(constant(op == 0x88 ? Constant::True : Constant::False));
            break;
        case 'I': {  // INT (text); "00"/"01" are protocol 0's False/True
            const std::string s = line();
            if (s == "00" || s == "01") {
                stack_.push_back(constant(s == "01" ? Constant::True : Constant::False));
                break;
            }
            int64_t v;
            if (!parseInt64(s, v))
                fail("not a valid pickle: bad INT '" + s + "' at byte " + std::to_string(at));
            stack_.push_back(makeInt(v));
            break;
        }
        case 'L': {  // LONG (text)
            std::string s = line();
            if (!s.empty() && s.back() == 'L')
                s.pop_back();
            int64_t v;
            if (parseInt64(s, v)) {
                stack_.push_back(makeInt(v));
                break;
            }
            limits_.checkDecimalDigits(s.size());
            std::string le;
            if (!decimalToLittleEndian(s, le))
                fail("not a valid pickle: bad LONG '" + s + "' at byte " + std::to_string(at));
            stack_.push_back(makeLong(le));
            break;
        }
        case 'J':
            stack_.push_back(makeInt(i32()));
            break;
        case 'K':
            stack_.push_back(makeInt(u8()));
            break;
        case 'M':
            stack_.push_back(makeInt(u16()));
            break;
        case 0x8a:  // LONG1
            stack_.push_back(makeLong(bytes(u8())));
            break;
        case 0x8b: {  // LONG4
            const int32_t n = i32();
            if (n < 0)
                fail("not a valid pickle: negative LONG4 length");
            stack_.push_back(makeLong(bytes(size_t(n))));
            break;
        }
        case 'F': {  // FLOAT (text)
            const std::string s = line();
            char* end = nullptr;
            const double d = std::strtod(s.c_str(), &end);
            if (s.empty() || end != s.c_str() + s.size())
                fail("not a valid pickle: bad FLOAT '" + s + "'");
            auto f = make(Kind::Float);
            f->real = d;
            stack_.push_back(f);
            break;
        }
        case 'G': {  // BINFLOAT, big-endian double
            auto f = make(Kind::Float);
            f->real = f64be();
            stack_.push_back(f);
            break;
        }

        // --- strings and bytes
        case 'S': {  // STRING: a quoted Python 2 str repr
            std::string s = line();
            if (s.size() < 2 || (s[0] != '\'' && s[0] != '"') || s.back() != s[0])
                fail("not a valid pickle: bad STRING at byte " + std::to_string(at));
            std::string out;
            for (size_t i = 1; i + 1 < s.size(); ++i) {
                char c = s[i];
                if (c != '\\' || i + 2 >= s.size()) {
                    out += c;
                    continue;
                }
                c = s[++i];
                switch (c) {
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'a': out += '\a'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'v': out += '\v'; break;
                case 'x': {
                    const int h = i + 2 < s.size() ? hexDigit(s[i + 1]) : -1;
                    const int l = i + 2 < s.size() ? hexDigit(s[i + 2]) : -1;
                    if (h < 0 || l < 0)
                        fail("not a valid pickle: bad \\x escape in STRING");
                    out += char(h * 16 + l);
                    i += 2;
                    break;
                }
                default:
                    if (c >= '0' && c <= '7') {
                        int v = c - '0';
                        for (int k = 0; k < 2 && i + 2 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7'; ++k)
                            v = v * 8 + (s[++i] - '0');
                        out += char(v);
                    } else {
                        out += c;  // \\, \', \" and unknown escapes keep the character
                    }
                }
            }
            stack_.push_back(makeString(out));
            break;
        }
        case 'T': {  // BINSTRING
            const int32_t n = i32();
            if (n < 0)
                fail("not a valid pickle: negative BINSTRING length");
            stack_.push_back(makeString(bytes(size_t(n))));
            break;
        }
        case 'U':  // SHORT_BINSTRING
            stack_.push_back(makeString(bytes(u8())));
            break;
        case 'V': {  // UNICODE: raw-unicode-escape text
            const std::string s = line();
            std::string out;
            for (size_t i = 0; i < s.size(); ++i) {
                const int len = (s[i] == '\\' && i + 1 < s.size()) ? (s[i + 1] == 'u' ? 4 : s[i + 1] == 'U' ? 8 : 0) : 0;
                if (len && i + 1 + size_t(len) < s.size()) {
                    uint32_t cp = 0;
                    for (int k = 0; k < len; ++k) {
                        const int h = hexDigit(s[i + 2 + size_t(k)]);
                        if (h < 0)
                            fail("not a valid pickle: bad escape in UNICODE");
                        cp = cp * 16 + uint32_t(h);
                    }
                    appendUtf8(out, cp);
                    i += 1 + size_t(len);
                } else {
                    appendUtf8(out, uint8_t(s[i]));  // other bytes are Latin-1 code points
                }
            }
            stack_.push_back(makeString(out));
            break;
        }
        case 'X':
            stack_.push_back(makeString(bytes(u32())));
            break;
        case 0x8c:
            stack_.push_back(makeString(bytes(u8())));
            break;
        case 0x8d:
            stack_.push_back(makeString(bytes(u64())));
            break;
        case 'B':
            stack_.push_back(makeString(bytes(u32()), Kind::Bytes));
            break;
        case 'C':
            stack_.push_back(makeString(bytes(u8()), Kind::Bytes));
            break;
        case 0x8e:  // BINBYTES8
        case 0x96:  // BYTEARRAY8
            stack_.push_back(makeString(bytes(u64()), Kind::Bytes));
            break;
        case 0x97:
            fail("out-of-band pickle buffers (NEXT_BUFFER) are not supported");
        case 0x98:  // READONLY_BUFFER: no effect on plain data
            break;

        // --- containers
        case ')':
            stack_.push_back(constant(Constant::EmptyTuple));
            break;
        case 't': {
            auto t = make(Kind::Tuple);
            t->items = popMark();
            stack_.push_back(t);
            break;
        }
        case 0x85:
        case 0x86:
        case 0x87: {
            const size_t n = size_t(op - 0x84);
            auto t = make(Kind::Tuple);
            t->items.resize(n);
            for (size_t i = n; i-- > 0;)
                t->items[i] = pop();
            stack_.push_back(t);
            break;
        }
        case ']':
            stack_.push_back(make(Kind::List));
            break;
        case 'l': {
            auto l = make(Kind::List);
            l->items = popMark();
            stack_.push_back(l);
            break;
        }
        case '}':
            stack_.push_back(make(Kind::Dict));
            break;
        case 'd': {
            auto items = popMark();
            if (items.size() % 2)
                fail("not a valid pickle: DICT with an odd number of items");
            auto d = make(Kind::Dict);
            for (size_t i = 0; i < items.size(); i += 2)
                dictSet(*d, items[i], items[i + 1]);
            stack_.push_back(d);
            break;
        }
        case 0x8f:
            stack_.push_back(make(Kind::Set));
            break;
        case 0x90: {  // ADDITEMS
            auto items = popMark();
            PickleValuePtr& s = top();
            if (!s->is(Kind::Set))
                fail("not a valid pickle: ADDITEMS on a " + s->display());
            s->items.insert(s->items.end(), items.begin(), items.end());
            break;
        }
        case 0x91: {  // FROZENSET
            auto s = make(Kind::Set);
            s->items = popMark();
            stack_.push_back(s);
            break;
        }
        case 'a': {  // APPEND
            PickleValuePtr v = pop();
            PickleValuePtr& l = top();
            if (!l->is(Kind::List))
                fail("not a valid pickle: APPEND on a " + l->display() + " at byte " + std::to_string(at));
            l->items.push_back(std::move(v));
            break;
        }
        case 'e': {  // APPENDS
            auto items = popMark();
            PickleValuePtr& l = top();
            if (!l->is(Kind::List))
                fail("not a valid pickle: APPENDS on a " + l->display() + " at byte " + std::to_string(at));
            l->items.insert(l->items.end(), items.begin(), items.end());
            break;
        }
        case 's': {  // SETITEM
            PickleValuePtr v = pop();
            PickleValuePtr k = pop();
            dictSet(*top(), std::move(k), std::move(v));
            break;
        }
        case 'u': {  // SETITEMS
            auto items = popMark();
            if (items.size() % 2)
                fail("not a valid pickle: SETITEMS with an odd number of items");
            PickleValuePtr d = top();
            for (size_t i = 0; i < items.size(); i += 2)
                dictSet(*d, items[i], items[i + 1]);
            break;
        }

        // --- memo
        case 'p': {
            int64_t idx;
            if (!parseInt64(line(), idx) || idx < 0)
                fail("not a valid pickle: bad PUT index");
            memoPut(uint64_t(idx));
            break;
        }
        case 'q':
            memoPut(u8());
            break;
        case 'r':
            memoPut(u32());
            break;
        case 0x94:  // MEMOIZE
            memoPut(memo_.size());
            break;
        case 'g': {
            int64_t idx;
            if (!parseInt64(line(), idx) || idx < 0)
                fail("not a valid pickle: bad GET index");
            stack_.push_back(memoGet(uint64_t(idx)));
            break;
        }
        case 'h':
            stack_.push_back(memoGet(u8()));
            break;
        case 'j':
            stack_.push_back(memoGet(u32()));
            break;

        // --- globals and calls: whitelisted names only, interpreted as data
        case 'c': {  // GLOBAL "module\nname\n"
            const std::string module = line();
            const std::string name = line();
            stack_.push_back(makeGlobal(module, name));
            break;
        }
        case 0x93: {  // STACK_GLOBAL
            PickleValuePtr name = pop();
            PickleValuePtr module = pop();
            if (!name->is(Kind::String) || !module->is(Kind::String))
                fail("not a valid pickle: STACK_GLOBAL needs two strings");
            stack_.push_back(makeGlobal(module->text, name->text));
            break;
        }
        case 0x82:
        case 0x83:
        case 0x84:
            fail("pickle extension codes (EXT1/2/4) are not supported");
        case 'R': {  // REDUCE
            PickleValuePtr args = pop();
            PickleValuePtr fn = pop();
            stack_.push_back(call(fn, args));
            break;
        }
        case 0x81: {  // NEWOBJ: cls.__new__(cls, *args), for our classes the same as calling them
            PickleValuePtr args = pop();
            PickleValuePtr cls = pop();
            stack_.push_back(call(cls, args));
            break;
        }
        case 0x92: {  // NEWOBJ_EX
            PickleValuePtr kwargs = pop();
            PickleValuePtr args = pop();
            PickleValuePtr cls = pop();
            if (!kwargs->is(Kind::Dict) || !kwargs->entries.empty())
                fail("NEWOBJ_EX with keyword arguments is not supported");
            stack_.push_back(call(cls, args));
            break;
        }
        case 'i': {  // INST "module\nname\n", arguments since MARK
            const std::string module = line();
            const std::string name = line();
            PickleValuePtr cls = makeGlobal(module, name);
            auto args = make(Kind::Tuple);
            args->items = popMark();
            stack_.push_back(call(cls, args));
            break;
        }
        case 'o': {  // OBJ: MARK cls args...
            auto items = popMark();
            if (items.empty())
                fail("not a valid pickle: OBJ without a class");
            auto args = make(Kind::Tuple);
            args->items.assign(items.begin() + 1, items.end());
            stack_.push_back(call(items[0], args));
            break;
        }
        case 'b': {  // BUILD: the state of a TorchScript object is kept; any other state (OrderedDict's
                     // _metadata, a Parameter's attributes) is not needed
            PickleValuePtr state = pop();
            PickleValuePtr& obj = top();
            if (obj->is(Kind::Object)) {
                if (!obj->items.empty())
                    fail("not a valid pickle: BUILD twice on a " + obj->text + " object");
                obj->items.push_back(std::move(state));
            }
            break;
        }
        case 'P': {  // PERSID (text)
            PickleValuePtr pid = makeString(line());
            stack_.push_back(persistent(pid));
            break;
        }
        case 'Q': {  // BINPERSID
            PickleValuePtr pid = pop();
            stack_.push_back(persistent(pid));
            break;
        }
        default:
            fail("not a valid pickle: unknown opcode " + opName(op) + " at byte " + std::to_string(at));
        }
    }
}

} // namespace dfq::checkpoint
