#pragma once
// The generator-student loop of the GDFQ family (methods.md §0, §2, §8.3). One iteration:
//   1. generator step: z ~ N(0, I) [B,L], y ~ U{0..K-1}; x = G(z, y); the frozen FP32 teacher sees x
//      once (BN statistics through a BnStatTap, logits t);
//      L_G = ce_weight·CE(t, y) + bns_weight·BNS + the method's terms (GeneratorMethod), Adam step on G;
//   2. student step on x.detach() with the same t (no second teacher pass): QAT-KD
//      (quant::DistillationStudent: CE + α·T²·KL, SGD Nesterov), skipped during warm-up epochs.
// Activation ranges of the student follow a plain EMA (observer "ema") over every generated batch in
// the first range_epochs, then stay frozen (not GDFQ's double bias correction, §8.3). Both learning
// rates are multiplied by lr_factor at every milestone epoch. The teacher has no weight gradients and
// is restored as it was afterwards.
//
// Randomness comes from one stream seeded from `seed` (z, y, the methods' noise) plus the generator's
// initialisation; saveState() holds it with everything else an epoch boundary needs (generator, Adam,
// the student's SGD momentum, EMA range state, the method's state), so restoreState() + run() ends
// exactly where an uninterrupted run ends (same thread count). The student's weights and grids are
// the caller's to save (pipeline::saveQuantizedState).
#include "generative/GeneratorMethod.h"
#include "generative/JointEvents.h"
#include "generative/JointOptions.h"
#include "quant/QuantizedModel.h"
#include "runtime/CancelToken.h"
#include "synth/SyntheticSet.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dfq::generative {

struct JointSetup {
    models::ZooModel teacher;                   ///< FP32 teacher (frozen while training)
    quant::QuantizedModel* student = nullptr;   ///< the quantized student; null: train the generator alone
    std::string method = "gdfq";
    nlohmann::json options;                     ///< the user's options (resolved over the budget here)
    uint64_t seed = 0;
    JointEvents* events = nullptr;
    runtime::CancelToken cancel;
    /// Student top-1 on the user's test data after each epoch, for the curves (never for selection).
    std::function<double()> evaluateStudent;
    /// After each epoch's report (e.g. write an epoch checkpoint: saveState() is current).
    std::function<void(const EpochReport&)> epochFinished;
};

struct JointResult {
    int64_t epochs = 0, iterations = 0;
    std::vector<nlohmann::json> epochSummaries;   ///< per epoch run here: epoch, mean terms, lrs, probe diagnostics, top-1
    double seconds = 0;
};

class JointTrainer {
public:
    /// Resolves the options, builds the generator and the optimisers. Throws GenerativeError: a teacher
    /// without BN layers (GDFQ needs BN statistics; use a pixel method's images or real data
    /// instead), an input size the generator cannot make, a student of another class count.
    explicit JointTrainer(JointSetup setup);
    ~JointTrainer();
    JointTrainer(const JointTrainer&) = delete;
    JointTrainer& operator=(const JointTrainer&) = delete;

    const nlohmann::json& resolvedOptions() const { return resolved_; }
    const JointOptions& options() const { return o_; }
    GeneratorMethod& method() { return *method_; }
    ConditionalGenerator generator() { return generator_; }
    int64_t epochsDone() const { return epochsDone_; }

    /// Bytes of everything above (a torch archive); current after each epoch.
    std::string saveState() const;
    /// Continues after the epoch the state was saved at. Throws GenerativeError on a state of other
    /// options or sizes.
    void restoreState(const std::string& bytes);

    /// Trains from epochsDone() to the last epoch. Throws runtime::Cancelled (between iterations;
    /// the last epoch's state stays valid) and GenerativeError when the generator or the student
    /// diverges (NaN/Inf, or a generator loss above explode_ratio × the first epoch's median),
    /// naming the epoch and iteration. Leaves the student Frozen, eval, with the weight ranges it
    /// was trained with.
    JointResult run();

    /// count images from the current generator, class-balanced (count/K per class, the rest to
    /// the first classes), in batches of batch_size, from their own stream (seed). Labels = the
    /// conditioning classes.
    synth::SyntheticSet sample(int64_t count, uint64_t seed);

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
    JointSetup s_;
    JointOptions o_;
    nlohmann::json resolved_;
    std::unique_ptr<GeneratorMethod> method_;
    ConditionalGenerator generator_;
    int64_t epochsDone_ = 0;
};

} // namespace dfq::generative
