// torch.jit.save archives, read the way torch.save ones are: nothing in the archive is compiled or
// run (torch::jit::load would compile the archive's code and run it, e.g. a __setstate__).
//
// data.pkl holds the module tree: every module is an object of a TorchScript class, pickled as
// GLOBAL '__torch__.<qualifier> <Name>', EMPTY_TUPLE, NEWOBJ, then a dict of its attributes
// (submodules, tensors, flags) and BUILD; tensors are the same storage references as in torch.save.
// Which tensor attributes are parameters and buffers is written in the class's declaration, the
// python-like source code/<qualifier as a path>.py:
//     class Conv2d(Module):
//       __parameters__ = ["weight", "bias", ]
//       __buffers__ = []
// Only those two lists are read from it.
#include "checkpoint/CheckpointError.h"
#include "checkpoint/CheckpointFormats.h"

#include <caffe2/serialize/inline_container.h>

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace dfq::checkpoint::detail {

namespace {

using Kind = PickleValue::Kind;

struct ModuleDecl {
    std::vector<std::string> parameters;
    std::vector<std::string> buffers;
};
using ModuleDecls = std::unordered_map<std::string, ModuleDecl>;  // by qualified class name

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// `  __parameters__ = ["weight", "bias", ]` -> {"weight", "bias"}
std::vector<std::string> quotedNames(const std::string& line) {
    std::vector<std::string> out;
    size_t at = line.find('[');
    while (at != std::string::npos) {
        const size_t open = line.find('"', at);
        if (open == std::string::npos)
            break;
        const size_t close = line.find('"', open + 1);
        if (close == std::string::npos)
            break;
        out.push_back(line.substr(open + 1, close - open - 1));
        at = close + 1;
    }
    return out;
}

// The declarations of the Module classes in one code file; `qualifier` is the file's module path
// ("__torch__.torch.nn.modules.conv" for code/__torch__/torch/nn/modules/conv.py).
void parseDecls(const std::string& qualifier, const std::string& text, ModuleDecls& out) {
    ModuleDecl* current = nullptr;
    size_t at = 0;
    while (at < text.size()) {
        size_t end = text.find('\n', at);
        if (end == std::string::npos)
            end = text.size();
        const std::string line = text.substr(at, end - at);
        at = end + 1;
        if (line.rfind("class ", 0) == 0) {
            current = nullptr;
            const size_t paren = line.find('(');
            if (paren != std::string::npos && line.compare(paren, 9, "(Module):") == 0)
                current = &out[qualifier + "." + line.substr(6, paren - 6)];
        } else if (current && line.rfind("  __parameters__ = ", 0) == 0) {
            current->parameters = quotedNames(line);
        } else if (current && line.rfind("  __buffers__ = ", 0) == 0) {
            current->buffers = quotedNames(line);
        } else if (!line.empty() && line[0] != ' ') {
            current = nullptr;
        }
    }
}

ModuleDecls readDecls(caffe2::serialize::PyTorchStreamReader& zip) {
    ModuleDecls decls;
    for (const std::string& r : zip.getAllRecords()) {
        if (r.rfind("code/", 0) != 0 || r.size() < 8 || r.compare(r.size() - 3, 3, ".py") != 0)
            continue;
        std::string qualifier = r.substr(5, r.size() - 8);
        std::replace(qualifier.begin(), qualifier.end(), '/', '.');
        at::DataPtr data;
        size_t size = 0;
        std::tie(data, size) = zip.getRecord(r);
        parseDecls(qualifier, std::string(static_cast<const char*>(data.get()), size), decls);
    }
    return decls;
}

} // namespace

StateDict readTorchScript(const std::string& path, caffe2::serialize::PyTorchStreamReader& zip,
                          ReadLimits& limits) {
    if (!zip.hasRecord("data.pkl"))
        throw CheckpointError(path, "TorchScript archive holds no data.pkl (written by PyTorch < 1.4?); re-save "
                                    "it with torch.jit.save in a current PyTorch");
    const ModuleDecls decls = readDecls(zip);
    const PickledObject obj = readZipPickle(path, zip, limits, /*scriptObjects=*/true);

    auto declOf = [&](const PickleValue& o) -> const ModuleDecl* {
        auto it = decls.find(o.text);
        return it == decls.end() ? nullptr : &it->second;
    };
    if (!obj.root->is(Kind::Object) || !declOf(*obj.root))
        throw CheckpointError(path, "TorchScript data.pkl does not hold a module (it holds a " + obj.root->display() +
                                        " and code/ declares no such Module class)");

    // Walk the module tree in attribute order, descending into a submodule where it appears: the
    // order of torch's named_parameters / named_buffers. An explicit stack, its depth bounded; every
    // attribute visited is counted (a submodule shared by many parents is visited once per path).
    struct Cursor {
        const PickleValue* state;
        const ModuleDecl* decl;
        std::string prefix;
        size_t next;
    };
    std::vector<Cursor> cursors;
    std::vector<std::pair<std::string, const PickleValue*>> parameters, buffers;
    auto enter = [&](const PickleValue& module, const ModuleDecl* decl, std::string prefix) {
        limits.checkModuleNesting(int(cursors.size()), prefix);
        if (module.items.empty() || !module.items[0]->is(Kind::Dict))
            throw CheckpointError(path, "TorchScript module '" + (prefix.empty() ? std::string("(root)") : prefix) +
                                            "' (" + module.text + ") has no dict of attributes in data.pkl");
        limits.chargeCopiedItems(module.items[0]->entries.size(), "TorchScript module attributes");
        cursors.push_back({module.items[0].get(), decl, std::move(prefix), 0});
    };
    enter(*obj.root, declOf(*obj.root), "");
    while (!cursors.empty()) {
        Cursor& c = cursors.back();
        if (c.next == c.state->entries.size()) {
            cursors.pop_back();
            continue;
        }
        const auto& [key, value] = c.state->entries[c.next++];
        if (!key->is(Kind::String))
            continue;
        const std::string name = c.prefix + key->text;
        if (value->is(Kind::Tensor)) {
            if (contains(c.decl->parameters, key->text))
                parameters.emplace_back(name, value.get());
            else if (contains(c.decl->buffers, key->text))
                buffers.emplace_back(name, value.get());
        } else if (value->is(Kind::Object)) {
            // A submodule; objects of other TorchScript classes (not Modules) hold no parameters.
            if (const ModuleDecl* d = declOf(*value))
                enter(*value, d, name + ".");  // invalidates c
        }
    }

    StateDict sd;
    for (const auto* list : {&parameters, &buffers})
        for (const auto& [name, t] : *list)
            sd.insert(name, buildTensor(*t, name, limits));
    return sd;
}

} // namespace dfq::checkpoint::detail
