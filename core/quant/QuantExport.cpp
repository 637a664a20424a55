#include "quant/QuantExport.h"
#include "quant/TorchScriptExport.h"

#include "checkpoint/CheckpointReader.h"
#include "checkpoint/CheckpointWriter.h"
#include "models/StateDictMapping.h"
#include "quant/AdaRound.h"
#include "quant/QuantError.h"
#include "runtime/AtomicDirectory.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <memory>

namespace fs = std::filesystem;

namespace dfq::quant {

namespace {
std::vector<double> toVector(const torch::Tensor& t) {
    auto c = t.to(torch::kDouble).contiguous().flatten();
    return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

constexpr const char* kFormat = "dfq-quant-export-1";

// A folder exportQuantized may replace: it holds a quant.json of our format.
bool isQuantExportDir(const fs::path& dir) {
    try {
        std::ifstream f(dir / "quant.json");
        return f && nlohmann::json::parse(f).value("format", "") == kFormat;
    } catch (const std::exception&) {
        return false;
    }
}
} // namespace

bool isQuantizedExport(const std::string& dir) { return isQuantExportDir(dir); }

nlohmann::json exportQuantized(QuantizedModel& qm, const std::string& dir,
                               const std::function<void(const std::string&)>& extra) {
    // The folder is written as a unit; an existing folder that is not an export is refused up front.
    std::unique_ptr<runtime::AtomicDirectory> out;
    try {
        out = std::make_unique<runtime::AtomicDirectory>(
            dir, isQuantExportDir, "a quantized export (a folder with a " + std::string(kFormat) + " quant.json)");
    } catch (const runtime::FileError& e) {
        throw QuantError(std::string("export to '") + dir + "' refused: " + e.what());
    }
    models::ZooModel model = qm.model();
    torch::NoGradGuard ng;

    std::string codes;
    nlohmann::json layers = nlohmann::json::array(), inputs = nlohmann::json::array(),
                   acts = nlohmann::json::array();
    std::map<std::string, torch::Tensor> dequant;
    for (auto& ref : model->quantLayers()) {
        auto* hook = qm.weightHook(ref.name);
        if (!hook)
            continue;
        if (hook->inputQuantizer().enabled())
            inputs.push_back(hook->inputQuantizer().toJson());
        auto& wq = hook->weightQuantizer();
        if (!wq.enabled())
            continue;
        const auto& p = wq.params();
        const auto w = ref.weight().detach();
        auto ar = std::dynamic_pointer_cast<AdaRoundRounding>(hook->rounding);
        if (hook->rounding && !ar)
            throw QuantError("export: layer '" + ref.name + "' uses a rounding we cannot express as codes");
        const auto q = ar ? ar->codes(w, p) : quantizeCodes(w, p);
        dequant[ref.name] = dequantizeCodes(q, p);
        const bool isSigned = p.qmin < 0;
        const auto bytes = (isSigned ? q.to(torch::kInt8) : q.to(torch::kUInt8)).contiguous();
        nlohmann::json l;
        l["name"] = ref.name;
        l["shape"] = w.sizes().vec();
        l["bits"] = p.bits;
        l["scheme"] = schemeName(p.scheme);
        l["dtype"] = isSigned ? "int8" : "uint8";
        l["offset"] = codes.size();
        l["length"] = bytes.numel();
        l["qmin"] = p.qmin;
        l["qmax"] = p.qmax;
        l["per_channel"] = p.perChannel();
        l["scales"] = toVector(p.scale);
        l["zero_points"] = toVector(p.zeroPoint);
        l["rounding"] = ar ? "adaround" : "nearest";
        codes.append(static_cast<const char*>(bytes.data_ptr()), size_t(bytes.numel()));
        layers.push_back(l);
    }
    for (const auto& an : qm.activationNames())
        if (auto* ah = qm.activationHook(an); ah && ah->quantizer().enabled())
            acts.push_back(ah->quantizer().toJson());

    nlohmann::json j;
    j["format"] = kFormat;
    j["arch"] = qm.spec().arch;
    j["label"] = qm.spec().label();
    j["spec"] = qm.spec().toJson();
    j["codes_file"] = "weights.bin";
    j["codes_bytes"] = codes.size();
    j["state_dict_file"] = "fakequant.pt";
    j["torchscript_file"] = qm.mode() == QuantMode::Frozen ? nlohmann::json("fakequant.torchscript.pt") : nlohmann::json();
    j["layers"] = layers;
    j["inputs"] = inputs;
    j["activations"] = acts;

    // State dict with the dequantized weights.
    auto sd = models::extractStateDict(*model);
    for (auto& [name, t] : dequant)
        sd.insert(name + ".weight", t.clone());

    const fs::path staged = out->staging();
    try {
        out->writeFile("weights.bin", codes);
        out->writeFile("quant.json", j.dump(2) + "\n");
        checkpoint::writeStateDict((staged / "fakequant.pt").string(), sd);
        if (qm.mode() == QuantMode::Frozen)
            exportTorchScript(qm, (staged / "fakequant.torchscript.pt").string());
        if (extra)
            extra(staged.string());
        out->commit();   // every file fsynced (the TorchScript archive too), then the folder renamed into place
    } catch (const std::exception& e) {
        throw QuantError(std::string("export to '") + dir + "' failed: " + e.what());
    }
    return j;
}

std::map<std::string, torch::Tensor> readExportedWeights(const std::string& dir) {
    const fs::path d(dir);
    std::ifstream jf(d / "quant.json");
    if (!jf)
        throw QuantError("cannot read '" + (d / "quant.json").string() + "'");
    nlohmann::json j;
    try {
        jf >> j;
    } catch (const std::exception& e) {
        throw QuantError("'" + (d / "quant.json").string() + "' is not valid JSON: " + e.what());
    }
    std::ifstream bf(d / j.at("codes_file").get<std::string>(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(bf)), std::istreambuf_iterator<char>());
    if (bytes.size() != j.at("codes_bytes").get<size_t>())
        throw QuantError("'" + dir + "': weights.bin has " + std::to_string(bytes.size()) + " bytes, quant.json says " +
                         std::to_string(j.at("codes_bytes").get<size_t>()));
    std::map<std::string, torch::Tensor> out;
    for (const auto& l : j.at("layers")) {
        const auto shape = l.at("shape").get<std::vector<int64_t>>();
        const size_t off = l.at("offset").get<size_t>(), len = l.at("length").get<size_t>();
        if (off + len > bytes.size())
            throw QuantError("'" + dir + "': layer " + l.at("name").get<std::string>() + " lies outside weights.bin");
        const auto dt = l.at("dtype").get<std::string>() == "int8" ? torch::kInt8 : torch::kUInt8;
        auto q = torch::from_blob(const_cast<char*>(bytes.data() + off), {int64_t(len)}, dt).clone().to(torch::kFloat).view(shape);
        QuantParams p;
        const auto sc = l.at("scales").get<std::vector<double>>(), zp = l.at("zero_points").get<std::vector<double>>();
        p.scale = torch::tensor(sc, torch::kDouble).to(torch::kFloat);
        p.zeroPoint = torch::tensor(zp, torch::kDouble).to(torch::kFloat);
        if (!l.at("per_channel").get<bool>()) {
            p.scale = p.scale.reshape({});
            p.zeroPoint = p.zeroPoint.reshape({});
        }
        p.qmin = l.at("qmin").get<int64_t>();
        p.qmax = l.at("qmax").get<int64_t>();
        p.bits = l.at("bits").get<int>();
        out[l.at("name").get<std::string>()] = dequantizeCodes(q, p);
    }
    return out;
}

namespace {

QuantScheme parseScheme(const std::string& name, const std::string& where) {
    for (QuantScheme s : {QuantScheme::Asymmetric, QuantScheme::SymmetricSigned, QuantScheme::SymmetricUnsigned})
        if (name == schemeName(s))
            return s;
    throw QuantError(where + ": unknown scheme '" + name + "'");
}

// A frozen grid as written by exportQuantized (layers) or TensorQuantizer::toJson (activations).
QuantParams gridFromJson(const nlohmann::json& l, bool perChannel, const std::string& where) {
    const bool layer = l.contains("scales");
    const auto sc = l.at(layer ? "scales" : "scale").get<std::vector<double>>();
    const auto zp = l.at(layer ? "zero_points" : "zero_point").get<std::vector<double>>();
    if (sc.empty() || sc.size() != zp.size())
        throw QuantError(where + ": scales and zero points disagree in length");
    QuantParams p;
    p.scale = torch::tensor(sc, torch::kDouble).to(torch::kFloat);
    p.zeroPoint = torch::tensor(zp, torch::kDouble).to(torch::kFloat);
    if (!perChannel) {
        p.scale = p.scale.reshape({});
        p.zeroPoint = p.zeroPoint.reshape({});
    }
    p.bits = l.at("bits").get<int>();
    p.scheme = parseScheme(l.at("scheme").get<std::string>(), where);
    const QuantRange r = quantRange(p.bits, p.scheme);
    p.qmin = l.value("qmin", r.qmin);
    p.qmax = l.value("qmax", r.qmax);
    return p;
}

} // namespace

std::unique_ptr<QuantizedModel> loadQuantizedExport(models::ZooModel model, const std::string& dir) {
    const fs::path d(dir);
    if (!isQuantExportDir(d))
        throw QuantError("'" + dir + "' is not a quantized export (no " + std::string(kFormat) + " quant.json)");
    nlohmann::json j;
    {
        std::ifstream f(d / "quant.json");
        j = nlohmann::json::parse(f);
    }
    const std::string where = (d / "quant.json").string();
    try {
        if (j.value("arch", "") != model->info().arch)
            throw QuantError("'" + dir + "' quantizes " + j.value("arch", "?") + ", but the model is " +
                             model->info().arch);
        auto qm = std::make_unique<QuantizedModel>(model, QuantSpec::fromJson(j.at("spec")));
        const fs::path sdPath = d / j.value("state_dict_file", "fakequant.pt");
        const auto ck = checkpoint::readCheckpoint(sdPath.string());
        const auto mapped = models::applyStateDict(*model, ck.tensors);
        if (!mapped.ok())
            throw QuantError("'" + sdPath.string() + "' does not fit " + model->info().arch + ":\n" + mapped.describe());
        const auto codes = readExportedWeights(dir);
        std::map<std::string, torch::Tensor> weights;
        for (auto& ref : model->quantLayers())
            weights[ref.name] = ref.weight().detach();
        torch::NoGradGuard ng;
        for (const auto& l : j.at("layers")) {
            const std::string name = l.at("name").get<std::string>();
            auto* hook = qm->weightHook(name);
            if (!hook)
                throw QuantError(where + ": layer '" + name + "' is not quantized by the export's own spec");
            hook->rounding.reset();   // the exported weights lie on the grid: nearest rounding gives the codes back
            hook->trackWeights = false;
            hook->weightQuantizer().setParams(gridFromJson(l, l.value("per_channel", true), where + " layer " + name));
            if (!torch::equal(weights.at(name), codes.at(name)))
                throw QuantError("'" + dir + "': the weights of " + name + " in " + sdPath.filename().string() +
                                 " differ from the codes in weights.bin");
        }
        for (const char* key : {"activations", "inputs"})
            for (const auto& a : j.value(key, nlohmann::json::array())) {
                if (!a.value("frozen", false))
                    continue;
                const std::string site = a.at("site").get<std::string>();
                TensorQuantizer* q = nullptr;
                if (std::string(key) == "activations") {
                    if (auto* h = qm->activationHook(site))
                        q = &h->quantizer();
                } else if (site.size() > 6 && site.compare(site.size() - 6, 6, ".input") == 0) {
                    if (auto* h = qm->weightHook(site.substr(0, site.size() - 6)))
                        q = &h->inputQuantizer();
                }
                if (!q)
                    throw QuantError(where + ": quantizer '" + site + "' is not in the export's own spec");
                q->setParams(gridFromJson(a, false, where + " " + site));
            }
        qm->setMode(QuantMode::Frozen);
        return qm;
    } catch (const QuantError&) {
        throw;
    } catch (const std::exception& e) {
        throw QuantError("'" + dir + "' cannot be loaded as a quantized export: " + e.what());
    }
}

} // namespace dfq::quant
