#pragma once
#include "SessionTypes.h"

#include <QObject>

#include <memory>

namespace dfq::ui {

/// Owns the model and dataset and runs every long operation; lives in a worker QThread. The UI thread
/// talks to it only through queued signals and slots, and cancels through cancel() (thread-safe).
class ModelWorker : public QObject {
    Q_OBJECT
public:
    ModelWorker();
    ~ModelWorker() override;

    /// Thread-safe: asks the running operation to stop at its next batch.
    void cancel();

public Q_SLOTS:
    void loadModel(const QString& path, const QString& arch);
    void loadDataset(const QString& path, const QString& normalization);
    void evaluate(qint64 limit);

Q_SIGNALS:
    void modelLoaded(const dfq::ui::ModelSummary& summary);
    void datasetLoaded(const dfq::ui::DatasetSummary& summary);
    void progress(qint64 done, qint64 total);
    void evaluated(const dfq::ui::EvalSummary& result);
    void cancelled();
    void failed(const QString& message);
    void busyChanged(bool busy);

private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace dfq::ui
