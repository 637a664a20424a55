#include "generative/JointTrainer.h"

#include "data/Normalization.h"
#include "generative/GenerativeError.h"
#include "quant/DistillationStudent.h"
#include "synth/BnStatTap.h"
#include "synth/FrozenTeacher.h"
#include "synth/Losses.h"
#include "synth/PixelConversion.h"
#include "synth/SetAssessment.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

namespace dfq::generative {
using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

// Every quantizer whose range an observer tracks: activation outputs and (all-inputs) layer inputs.
std::vector<std::pair<std::string, quant::TensorQuantizer*>> observedQuantizers(quant::QuantizedModel& qm) {
    std::vector<std::pair<std::string, quant::TensorQuantizer*>> out;
    for (const auto& n : qm.layerNames())
        if (auto* h = qm.weightHook(n); h && h->inputQuantizer().enabled())
            out.emplace_back("input." + n, &h->inputQuantizer());
    for (const auto& n : qm.activationNames())
        if (auto* h = qm.activationHook(n); h && h->quantizer().enabled())
            out.emplace_back("activation." + n, &h->quantizer());
    return out;
}

double median(std::vector<double> v) {
    if (v.empty())
        return std::nan("");
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

class JointTrainer::Impl {
public:
    at::Generator gen = at::detail::createCPUGenerator(0);
    std::unique_ptr<torch::optim::Adam> adam;
    std::unique_ptr<quant::DistillationStudent> student;
    torch::Tensor probeZ, probeY;
    std::vector<double> firstEpochLosses;
    double referenceLoss = std::nan("");   // median generator loss of the first epoch
    bool rangesReady = false;
    data::Normalization norm;
    size_t bnLayers = 0;
};

JointTrainer::JointTrainer(JointSetup s) : impl_(std::make_unique<Impl>()), s_(std::move(s)) {
    if (!s_.teacher)
        throw GenerativeError("generator training needs a teacher model");
    method_ = createGeneratorMethod(s_.method);
    resolved_ = resolveGeneratorOptions(*method_, s_.options);
    o_ = parseJointOptions(resolved_);
    auto& t = *s_.teacher;
    const auto& info = t.info();
    impl_->bnLayers = t.bnLayers().size();
    if (impl_->bnLayers == 0)
        throw GenerativeError("method '" + s_.method + "' needs the teacher's BatchNorm statistics, and '" + info.arch +
                              "' has no BatchNorm layers: use pixel-free calibration instead (real images: --calib real:DIR, "
                              "or Gaussian noise: --calib noise)");
    if (s_.student) {
        const auto& si = s_.student->model()->info();
        if (si.numClasses != info.numClasses || si.inChannels != info.inChannels || si.inHeight != info.inHeight ||
            si.inWidth != info.inWidth)
            throw GenerativeError("the student (" + si.arch + ", " + std::to_string(si.numClasses) +
                                  " classes) does not match the teacher (" + info.arch + ", " +
                                  std::to_string(info.numClasses) + " classes)");
    }
    if (o_.warmupEpochs > o_.epochs || o_.rangeEpochs > o_.epochs)
        throw GenerativeError("warmup_epochs (" + std::to_string(o_.warmupEpochs) + ") and range_epochs (" +
                              std::to_string(o_.rangeEpochs) + ") cannot exceed epochs (" + std::to_string(o_.epochs) + ")");
    if (s_.student && o_.warmupEpochs >= o_.epochs)
        throw GenerativeError("warmup_epochs (" + std::to_string(o_.warmupEpochs) + ") leaves no epoch to train the student in");
    impl_->norm = data::normalizationPreset(info.normalization.empty() ? "none" : info.normalization);

    GeneratorOptions go;
    go.variant = o_.generatorVariant;
    go.latentDim = o_.latentDim;
    go.classes = info.numClasses;
    go.channels = info.inChannels;
    go.height = info.inHeight;
    go.width = info.inWidth;
    go.width1 = o_.generatorWidth;
    go.width2 = std::max<int64_t>(1, o_.generatorWidth / 2);
    go.bnEps = o_.generatorBnEps;
    generator_ = method_->createGenerator(go);
    {
        auto init = at::detail::createCPUGenerator(s_.seed ^ 0x5DEECE66Dull);
        generator_->reset(init);
    }
    generator_->train();
    impl_->gen = at::detail::createCPUGenerator(s_.seed);
    impl_->adam = std::make_unique<torch::optim::Adam>(
        generator_->parameters(), torch::optim::AdamOptions(o_.generatorLr).betas({o_.beta1, o_.beta2}));
    {
        auto probeGen = at::detail::createCPUGenerator(s_.seed + 0x9E3779B97F4A7C15ull);
        const int64_t K = info.numClasses, per = o_.probePerClass;
        impl_->probeZ = torch::randn({K * per, o_.latentDim}, probeGen);
        impl_->probeY = torch::arange(K, torch::kLong).repeat_interleave(per);
    }
    method_->begin(t, resolved_, impl_->bnLayers);
    if (s_.student) {
        quant::QatOptions qo;
        qo.lr = o_.studentLr;
        qo.momentum = o_.momentum;
        qo.weightDecay = o_.weightDecay;
        qo.alpha = o_.alpha;
        qo.temperature = o_.temperature;
        qo.klReduction = o_.klReduction;
        impl_->student = std::make_unique<quant::DistillationStudent>(*s_.student, qo);
    }
}

JointTrainer::~JointTrainer() = default;

std::string JointTrainer::saveState() const {
    torch::serialize::OutputArchive a;
    a.write("format", c10::IValue(std::string("dfq-joint-1")));
    a.write("options", c10::IValue(resolved_.dump()));
    a.write("epoch", torch::tensor(epochsDone_, torch::kLong));
    a.write("reference_loss", torch::tensor(impl_->referenceLoss, torch::kDouble));
    a.write("ranges_ready", torch::tensor(int64_t(impl_->rangesReady), torch::kLong));
    a.write("rng", impl_->gen.get_state());
    torch::serialize::OutputArchive g, adam, sgd, ranges, method;
    generator_->save(g);
    a.write("generator", g);
    impl_->adam->save(adam);
    a.write("adam", adam);
    if (impl_->student) {
        impl_->student->optimizer().save(sgd);
        a.write("sgd", sgd);
        for (auto& [site, q] : observedQuantizers(*s_.student))
            if (q->observer().hasData()) {
                const auto r = q->observer().range();
                ranges.write(site + ".min", r.min);
                ranges.write(site + ".max", r.max);
            }
        a.write("ranges", ranges);
    }
    for (const auto& [k, v] : method_->state())
        method.write(k, v);
    a.write("method", method);
    std::ostringstream os;
    a.save_to(os);
    return os.str();
}

void JointTrainer::restoreState(const std::string& bytes) {
    try {
        torch::serialize::InputArchive a;
        std::istringstream is(bytes);
        a.load_from(is);
        c10::IValue format, options;
        a.read("format", format);
        a.read("options", options);
        if (format.toStringRef() != "dfq-joint-1")
            throw GenerativeError("not a generator-training checkpoint (format '" + format.toStringRef() + "')");
        if (json::parse(options.toStringRef()) != resolved_)
            throw GenerativeError("the checkpoint was written with other options than this run's");
        torch::Tensor epoch, ref, ready, rng;
        a.read("epoch", epoch);
        a.read("reference_loss", ref);
        a.read("ranges_ready", ready);
        a.read("rng", rng);
        torch::serialize::InputArchive g, adam, sgd, ranges, method;
        a.read("generator", g);
        generator_->load(g);
        a.read("adam", adam);
        impl_->adam->load(adam);
        if (impl_->student) {
            a.read("sgd", sgd);
            impl_->student->optimizer().load(sgd);
            a.read("ranges", ranges);
            for (auto& [site, q] : observedQuantizers(*s_.student)) {
                torch::Tensor mn, mx;
                if (!ranges.try_read(site + ".min", mn) || !ranges.try_read(site + ".max", mx))
                    continue;
                // Observing exactly [min, max] puts an EMA (or min/max) observer back in that state.
                q->resetObserver();
                q->observe(mn.dim() == 0 ? torch::stack({mn, mx}) : torch::stack({mn, mx}, 1));
            }
        }
        a.read("method", method);
        std::map<std::string, torch::Tensor> ms;
        for (const auto& k : method.keys()) {
            torch::Tensor t;
            method.read(k, t);
            ms[k] = t;
        }
        method_->loadState(ms);
        impl_->gen.set_state(rng);
        epochsDone_ = epoch.item<int64_t>();
        impl_->referenceLoss = ref.item<double>();
        impl_->rangesReady = ready.item<int64_t>() != 0;
    } catch (const GenerativeError&) {
        throw;
    } catch (const std::exception& e) {
        throw GenerativeError(std::string("generator-training checkpoint unreadable: ") + e.what());
    }
}

namespace {

double factorAt(const JointOptions& o, int64_t epoch) {
    double f = 1;
    for (int64_t m : o.lrMilestones)
        if (epoch >= m)
            f *= o.lrFactor;
    return f;
}

} // namespace

JointResult JointTrainer::run() {
    auto& I = *impl_;
    auto& teacher = *s_.teacher;
    const auto& info = teacher.info();
    const int64_t K = info.numClasses, B = o_.batchSize;
    JointResult result;
    const auto t0 = Clock::now();
    synth::FrozenTeacherOptions fo;
    fo.channelsLast = o_.channelsLast;
    fo.foldBatchNorm = o_.foldBn;
    synth::FrozenTeacher frozen(teacher, fo);
    const auto format = o_.channelsLast ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
    synth::BnStatTap tap(teacher);
    const int64_t totalSteps = o_.epochs * o_.itersPerEpoch;
    int64_t globalStep = epochsDone_ * o_.itersPerEpoch;
    const int64_t firstStep = globalStep;

    for (int64_t epoch = epochsDone_; epoch < o_.epochs; ++epoch) {
        const auto e0 = Clock::now();
        const double f = factorAt(o_, epoch);
        const double glr = o_.generatorLr * f, slr = o_.studentLr * f;
        for (auto& g : I.adam->param_groups())
            static_cast<torch::optim::AdamOptions&>(g.options()).lr(glr);
        const bool trainStudent = I.student && epoch >= o_.warmupEpochs;
        const bool liveRanges = I.student && epoch < o_.rangeEpochs;
        if (I.student)
            I.student->setLr(slr);
        std::map<std::string, double> sums;
        for (int64_t it = 0; it < o_.itersPerEpoch; ++it) {
            if (s_.cancel.cancelled())
                throw runtime::Cancelled();
            const std::string where = "epoch " + std::to_string(epoch + 1) + "/" + std::to_string(o_.epochs) +
                                      ", iteration " + std::to_string(it + 1) + "/" + std::to_string(o_.itersPerEpoch);
            const auto z = torch::randn({B, o_.latentDim}, I.gen);
            const auto y = torch::randint(K, {B}, I.gen, torch::kLong);
            tap.clear();
            const auto x = generator_->forward(z, y);
            const auto logits = teacher.forward(x.contiguous(format));
            GeneratedBatch batch{x, y, logits, &tap.stats(), epoch, it};
            const auto ce = torch::nn::functional::cross_entropy(logits, y);
            const auto bns = synth::gdfqBnsLoss(tap.stats());
            torch::Tensor total = o_.ceWeight * ce + o_.bnsWeight * bns;
            std::map<std::string, double> terms{{"g_ce", ce.item<double>()}, {"g_bns", bns.item<double>()}};
            for (auto& [name, term] : method_->generatorTerms(batch, I.gen)) {
                total = total + term;
                terms["g_" + name] = term.item<double>();
            }
            const double g = total.item<double>();
            terms["g_total"] = g;
            if (!std::isfinite(g))
                throw GenerativeError("the generator diverged at " + where + ": its loss became " + std::to_string(g));
            if (std::isfinite(I.referenceLoss) && I.referenceLoss > 0 && g > o_.explodeRatio * I.referenceLoss)
                throw GenerativeError("the generator diverged at " + where + ": its loss " + std::to_string(g) +
                                      " exceeds explode_ratio (" + std::to_string(o_.explodeRatio) +
                                      ") times the first epoch's median " + std::to_string(I.referenceLoss));
            if (epoch == 0)
                I.firstEpochLosses.push_back(g);
            I.adam->zero_grad();
            total.backward();
            I.adam->step();
            tap.detach();
            GeneratedBatch done{x.detach(), y, logits.detach(), &tap.stats(), epoch, it};
            method_->afterGeneratorStep(done);

            if (I.student) {
                const auto xs = x.detach().contiguous();
                if (liveRanges || !I.rangesReady) {
                    s_.student->observeBatch(xs);
                    s_.student->freeze();
                    I.rangesReady = true;
                }
                if (trainStudent)
                    terms["s_kd"] = I.student->step(xs, done.logits, y, where);
            }
            tap.clear();
            for (const auto& [k, v] : terms)
                sums[k] += v;
            ++globalStep;
            if (s_.events) {
                s_.events->lossTerms(globalStep, terms);
                synth::SynthesisProgress p;
                p.step = globalStep;
                p.totalSteps = totalSteps;
                p.batch = epoch;
                p.batches = o_.epochs;
                p.elapsedSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
                const int64_t here = globalStep - firstStep;
                p.etaSeconds = here > 0 ? p.elapsedSeconds / double(here) * double(totalSteps - globalStep) : 0;
                s_.events->progress(p);
            }
        }
        if (epoch == 0 && !I.firstEpochLosses.empty())
            I.referenceLoss = median(I.firstEpochLosses);

        // ---- epoch end: probe, diagnostics, report ----
        EpochReport rep;
        rep.epoch = epoch + 1;
        rep.epochs = o_.epochs;
        rep.iterations = globalStep;
        rep.studentTrained = trainStudent;
        rep.rangesFrozen = I.student && epoch + 1 >= o_.rangeEpochs;
        rep.generatorLr = glr;
        rep.studentLr = trainStudent ? slr : 0;
        for (const auto& [k, v] : sums)
            rep.meanTerms[k] = v / double(o_.itersPerEpoch);
        tap.setEnabled(false);
        {
            torch::NoGradGuard ng;
            // The probe renders in train mode like every batch; the generator's running BN statistics
            // (unused in train mode) are put back so the probe leaves no trace in the checkpoint.
            std::vector<torch::Tensor> buffers;
            for (const auto& b : generator_->buffers())
                buffers.push_back(b.clone());
            const auto images = generator_->forward(I.probeZ, I.probeY).contiguous();
            size_t i = 0;
            for (auto& b : generator_->buffers())
                b.copy_(buffers[i++]);
            synth::SyntheticSet probe;
            probe.images = images;
            probe.labels = I.probeY;
            probe.numClasses = K;
            rep.probe = synth::assessSyntheticSet(teacher, probe);
            rep.probeImages = synth::toPixels(images, I.norm);
            rep.probeLabels = I.probeY;
        }
        tap.setEnabled(true);
        tap.clear();
        if (s_.evaluateStudent && I.student)
            rep.studentTop1 = s_.evaluateStudent();
        method_->describeEpoch(rep);
        rep.seconds = std::chrono::duration<double>(Clock::now() - e0).count();
        epochsDone_ = epoch + 1;

        json summary = {{"epoch", rep.epoch}, {"iterations", rep.iterations}, {"student_trained", rep.studentTrained},
                        {"generator_lr", glr}, {"student_lr", rep.studentLr}, {"seconds", rep.seconds},
                        {"student_top1", num(rep.studentTop1)}, {"probe_bn_kl", num(rep.probe.mean.kl)},
                        {"probe_feature_diversity", num(rep.probe.features.meanOverClasses)},
                        {"probe_confidence", num(rep.probe.confidence.meanMaxProbability)}};
        for (const auto& [k, v] : rep.meanTerms)
            summary["loss_" + k] = num(v);
        double collapse = 0;
        int n = 0;
        for (double c : rep.probe.modeCollapse)
            if (std::isfinite(c)) {
                collapse += c;
                ++n;
            }
        summary["probe_mode_collapse"] = n ? num(collapse / n) : json(nullptr);
        if (!rep.methodJson.empty())
            summary["method"] = rep.methodJson;
        result.epochSummaries.push_back(summary);

        if (s_.events) {
            synth::ImageSnapshot snap;
            snap.step = globalStep;
            snap.batch = epoch;
            snap.images = rep.probeImages;
            snap.labels = rep.probeLabels;
            snap.confidence = rep.probe.labelProbability;
            s_.events->snapshot(snap);
            s_.events->layerDiagnostics(globalStep, rep.probe.layers);
            s_.events->epochFinished(rep);
        }
        if (s_.epochFinished)
            s_.epochFinished(rep);
    }
    if (I.student) {
        I.student->finish();
        s_.student->setMode(quant::QuantMode::Frozen);
    }
    result.epochs = epochsDone_;
    result.iterations = globalStep;
    result.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return result;
}

synth::SyntheticSet JointTrainer::sample(int64_t count, uint64_t seed) {
    if (count <= 0)
        throw GenerativeError("sample: the image count must be > 0");
    const auto& info = s_.teacher->info();
    const int64_t K = info.numClasses;
    auto gen = at::detail::createCPUGenerator(seed);
    auto labels = std::get<0>(torch::arange(count, torch::kLong).remainder(K).sort());  // class-balanced, class-major
    std::vector<torch::Tensor> chunks;
    torch::NoGradGuard ng;
    std::vector<torch::Tensor> buffers;
    for (const auto& b : generator_->buffers())
        buffers.push_back(b.clone());
    for (int64_t start = 0; start < count; start += o_.batchSize) {
        const int64_t n = std::min(o_.batchSize, count - start);
        // a batch of one cannot use batch statistics: render it with the next-smaller full batch's company
        const auto z = torch::randn({std::max<int64_t>(n, 2), o_.latentDim}, gen);
        auto y = labels.narrow(0, start, n);
        if (n < 2)
            y = torch::cat(std::vector<torch::Tensor>{y, labels.narrow(0, 0, 1)});
        chunks.push_back(generator_->forward(z, y).narrow(0, 0, n).contiguous());
    }
    size_t i = 0;
    for (auto& b : generator_->buffers())
        b.copy_(buffers[i++]);
    synth::SyntheticSet set;
    set.images = torch::cat(chunks).contiguous();
    if (!torch::isfinite(set.images).all().item<bool>())
        throw GenerativeError("the generator produced non-finite images");
    set.labels = labels;
    set.numClasses = K;
    set.classNames = info.classNames;
    set.normalization = impl_->norm;
    set.method = s_.method;
    set.options = resolved_;
    set.seed = seed;
    set.modelArch = info.arch;
    set.batches = (count + o_.batchSize - 1) / o_.batchSize;
    return set;
}

} // namespace dfq::generative
