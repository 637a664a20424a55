// How long the UI thread of DFQ Studio is ever blocked, and how long a bit-width edit takes to show
// its accuracy, during a real run on the embedded default: the main window opens the embedded model
// and Fashion-MNIST, synthesises a ZeroQ calibration set (live previews, loss, BN divergence), then
// the Bit-widths tab re-quantizes after each of a series of W/A edits and undos, and finally a whole
// experiment runs (ZeroQ, AdaRound, one QAT-KD epoch, evaluation) through File > Run experiment, and
// ClusterQ trains on its quick budget from the Synthesize tab (an epoch's curves, maps, mode collapse
// and probe gallery drawn at each epoch end). A 5 ms QTimer
// heartbeat runs in the UI thread all along; the longest gap between two beats, less the period, is
// the longest stall (input and repaints wait at most that long).
//
//   xvfb-run -a build/bench/bench_ui_responsiveness [--images 64] [--iterations 200] [--edits 8]
//
// Prints one JSON object: stalls per phase (ms), edit→accuracy latencies (s) and the trial times.
#include "AppSettings.h"
#include "BitWidthPanel.h"
#include "MainWindow.h"
#include "SessionTypes.h"
#include "runtime/Allocator.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace {

/// Longest gap between heartbeats, per named phase.
class Heartbeat {
public:
    explicit Heartbeat(int periodMs) : period_(periodMs) {
        timer_.setTimerType(Qt::PreciseTimer);
        timer_.setInterval(periodMs);
        QObject::connect(&timer_, &QTimer::timeout, [this] { beat(); });
        clock_.start();
        last_ = clock_.nsecsElapsed();
        timer_.start();
    }
    void phase(const std::string& name) {
        beat();
        current_ = name;
        worst_.emplace_back(name, 0.0);
    }
    const std::vector<std::pair<std::string, double>>& worst() const { return worst_; }

private:
    void beat() {
        const qint64 now = clock_.nsecsElapsed();
        const double stall = (now - last_) / 1e6 - period_;
        last_ = now;
        if (!worst_.empty())
            worst_.back().second = std::max(worst_.back().second, stall);
    }
    int period_;
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ = 0;
    std::string current_;
    std::vector<std::pair<std::string, double>> worst_;
};

bool waitFor(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

} // namespace

int main(int argc, char** argv) {
    dfq::runtime::configureAllocator();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("DFQ Studio"));
    QApplication::setApplicationName(QStringLiteral("DFQ Studio"));
    qint64 images = 64, iterations = 200;
    int edits = 8;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--images") images = std::stoll(v);
        else if (k == "--iterations") iterations = std::stoll(v);
        else if (k == "--edits") edits = std::stoi(v);
        else { std::cerr << "unknown option " << k << "\n"; return 2; }
    }
    QTemporaryDir settings;   // never the user's own layout and preferences
    qputenv("DFQ_STUDIO_SETTINGS", settings.filePath(QStringLiteral("bench.ini")).toLocal8Bit());
    {
        dfq::ui::AppSettings s;   // the GUI's own runs (the generator's) go there too
        s.setRunsDirectory(settings.filePath(QStringLiteral("runs")));
        s.sync();
    }

    Heartbeat heart(5);
    heart.phase("open");
    dfq::ui::MainWindow w;
    w.resize(1400, 900);
    w.show();
    if (!waitFor([&] { return !w.datasetSummary().path.isEmpty() && !w.isBusy(); }, 300000)) {
        std::cerr << "the embedded default did not open (is dataset-fashion-mnist installed?)\n";
        return 1;
    }
    auto* bits = w.bitWidthPanel();
    int shown = 0;
    dfq::ui::QuantTrialSummary last;
    QObject::connect(bits, &dfq::ui::BitWidthPanel::resultShown, [&](const dfq::ui::QuantTrialSummary& r) {
        ++shown;
        last = r;
    });

    heart.phase("synthesis");
    QElapsedTimer synthClock;
    synthClock.start();
    dfq::ui::SynthesisSettings zeroq;
    zeroq.method = QStringLiteral("zeroq");
    zeroq.images = images;
    zeroq.options = {{QStringLiteral("iterations"), iterations}};
    w.synthesize(zeroq);
    if (!waitFor([&] { return shown >= 1; }, 1800000)) {
        std::cerr << "no trial result after the synthesis\n";
        return 1;
    }
    const double synthSeconds = synthClock.elapsed() / 1e3;

    heart.phase("trials");
    std::vector<double> latencies, trialSeconds, calibSeconds, evalSeconds;
    double experimentSeconds = 0;
    auto record = [&] {
        trialSeconds.push_back(last.seconds);
        calibSeconds.push_back(last.calibrationSeconds);
        evalSeconds.push_back(last.evaluationSeconds);
    };
    const double firstFp32 = last.fp32Seconds;
    record();
    auto* wBits = bits->findChild<QSpinBox*>(QStringLiteral("weightBitsSpin"));
    auto* aBits = bits->findChild<QSpinBox*>(QStringLiteral("activationBitsSpin"));
    const int weights[] = {3, 2, 5, 8, 4, 6, 3, 8};
    for (int e = 0; e < edits; ++e) {
        const int before = shown;
        QElapsedTimer t;
        t.start();
        if (e % 3 == 2) {
            bits->undoStack()->undo();
        } else {
            // Alternately W and A, always to a value other than the current one (an edit).
            QSpinBox* box = e % 2 ? aBits : wBits;
            int v = weights[e % 8];
            if (v == box->value())
                v = v == 8 ? 2 : v + 1;
            box->setValue(v);
        }
        if (!waitFor([&] { return shown > before && !w.isBusy(); }, 120000)) {
            std::cerr << "edit " << e << " showed no result\n";
            return 1;
        }
        latencies.push_back(t.elapsed() / 1e3);
        record();
    }
    // A whole experiment in its own worker: ZeroQ, AdaRound calibration, one QAT-KD epoch, evaluation,
    // its progress and synthesis previews drawn live, the run then opened in the Runs tab.
    heart.phase("experiment");
    {
        const QString config = settings.filePath(QStringLiteral("bench.json"));
        QFile f(config);
        f.open(QIODevice::WriteOnly);
        f.write(QStringLiteral(R"({"synthesis": {"method": "zeroq", "n": %1, "iters": %2},
            "ptq": {"method": "adaround", "adaround_iters": 100}, "qat": {"epochs": 1},
            "data": {"limit": 2000}, "output": {"dir": "%3", "name": "bench", "export": false}})")
                    .arg(images).arg(iterations).arg(settings.path()).toUtf8());
        f.close();
        bool done = false;
        QObject::connect(&w, &dfq::ui::MainWindow::experimentFinished, [&] { done = true; });
        QElapsedTimer t;
        t.start();
        w.runExperiment(config);
        if (!waitFor([&] { return done && !w.isBusy(); }, 1800000)) {
            std::cerr << "the experiment did not finish\n";
            return 1;
        }
        experimentSeconds = t.elapsed() / 1e3;
        waitFor([] { return false; }, 500);   // the Runs tab reads the run meanwhile
    }
    heart.phase("generator");
    double generatorSeconds = 0;
    {
        bool done = false;
        QObject::connect(&w, &dfq::ui::MainWindow::experimentFinished, [&] { done = true; });
        dfq::ui::SynthesisSettings clusterq;
        clusterq.method = QStringLiteral("clusterq");
        clusterq.generator = true;
        clusterq.options = {{QStringLiteral("budget"), QStringLiteral("quick")}};
        QElapsedTimer t;
        t.start();
        w.synthesize(clusterq);
        if (!waitFor([&] { return done && !w.isBusy(); }, 1800000)) {
            std::cerr << "the generator run did not finish\n";
            return 1;
        }
        generatorSeconds = t.elapsed() / 1e3;
        waitFor([] { return false; }, 500);
    }
    heart.phase("end");

    std::printf("{\"images\": %lld, \"iterations\": %lld, \"synthesis_s\": %.1f, \"stall_ms\": {", images, iterations, synthSeconds);
    bool first = true;
    double overall = 0;
    for (const auto& [name, ms] : heart.worst()) {
        if (name == "end")
            continue;
        std::printf("%s\"%s\": %.1f", first ? "" : ", ", name.c_str(), ms);
        first = false;
        if (name != "open")   // start-up (fonts, first paint) is not a run
            overall = std::max(overall, ms);
    }
    std::printf("}, \"longest_stall_during_run_ms\": %.1f, \"edit_to_accuracy_s\": [", overall);
    for (size_t i = 0; i < latencies.size(); ++i)
        std::printf("%s%.2f", i ? ", " : "", latencies[i]);
    auto list = [](const char* name, const std::vector<double>& v) {
        std::printf("], \"%s\": [", name);
        for (size_t i = 0; i < v.size(); ++i)
            std::printf("%s%.2f", i ? ", " : "", v[i]);
    };
    list("trial_s", trialSeconds);
    list("calibration_s", calibSeconds);
    list("evaluation_s", evalSeconds);
    std::printf("], \"first_fp32_reference_s\": %.2f", firstFp32);
    std::printf(", \"experiment_s\": %.1f, \"generator_s\": %.1f", experimentSeconds, generatorSeconds);
    std::printf(", \"trial_test_images\": %lld, \"calibration_images\": %lld}\n", last.images, last.calibrationImages);
    return 0;
}
