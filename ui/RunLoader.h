#pragma once
// Reads run directories off the UI thread (a QThreadPool task per directory: reading metrics.jsonl
// and decoding snapshots of a long run takes longer than a frame) and hands the result back as a
// RunView through a queued signal. Torch-free.
#include "SessionTypes.h"

#include <QObject>

namespace dfq::ui {

class RunLoader : public QObject {
    Q_OBJECT
public:
    explicit RunLoader(QObject* parent = nullptr);
    /// Starts reading dir; loaded or failed follows (in the thread of this object).
    void load(const QString& dir);
    /// Reads dir in the calling thread. Throws std::exception with the file and the problem.
    static RunView read(const QString& dir);

Q_SIGNALS:
    void loaded(const dfq::ui::RunView& run);
    void failed(const QString& dir, const QString& message);
};

} // namespace dfq::ui
