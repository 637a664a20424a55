#include "RunLoader.h"

#include "pipeline/RunHistory.h"

#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QThreadPool>

#include <cmath>

namespace dfq::ui {

RunLoader::RunLoader(QObject* parent) : QObject(parent) { qRegisterMetaType<RunView>(); }

RunView RunLoader::read(const QString& dir) {
    const QString abs = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    const auto h = pipeline::readRunHistory(abs.toStdString());
    RunView v;
    v.dir = abs;
    v.name = QFileInfo(abs).fileName();
    v.status = QString::fromStdString(h.summary.status);
    v.message = QString::fromStdString(h.message);
    v.method = QString::fromStdString(h.summary.method);
    v.ptq = QString::fromStdString(h.summary.ptq);
    v.protocol = QString::fromStdString(h.summary.protocol);
    v.placement = QString::fromStdString(h.summary.placement);
    v.wbits = h.summary.wbits;
    v.abits = h.summary.abits;
    v.fp32Top1 = h.summary.fp32Top1;
    v.quantTop1 = h.summary.quantTop1;
    for (const auto& [stage, secs] : h.stageSeconds)
        v.seconds += secs;
    for (const auto& s : h.series)
        v.series.push_back({QString::fromStdString(s.stage), QString::fromStdString(s.name), QString::fromStdString(s.xKey),
                            QVector<double>(s.x.begin(), s.x.end()), QVector<double>(s.y.begin(), s.y.end())});
    for (const auto& rel : h.snapshots) {
        const QString file = QDir(abs).filePath(QString::fromStdString(rel));
        v.snapshotFiles << file;
        if (v.snapshots.size() < RunView::kMaxSnapshots) {
            QImage image(file);
            if (!image.isNull())   // an unreadable PNG is skipped, not fatal
                v.snapshots << image;
        }
    }
    v.metricsTruncated = h.metricsTruncated;
    v.resumable = h.resumable();
    v.hasReport = QFileInfo::exists(QDir(abs).filePath(QStringLiteral("report.html")));
    v.hasOnnx = QFileInfo::exists(QDir(abs).filePath(QStringLiteral("export/model.onnx")));
    v.hasSyntheticSet = QFileInfo::exists(QDir(abs).filePath(QStringLiteral("checkpoints/synthetic/manifest.json")));
    return v;
}

void RunLoader::load(const QString& dir) {
    QPointer<RunLoader> self(this);
    QThreadPool::globalInstance()->start([self, dir] {
        RunView v;
        QString error;
        try {
            v = read(dir);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        // Back to the loader's thread; dropped when the loader has gone meanwhile.
        QMetaObject::invokeMethod(
            self.data(),
            [self, dir, v, error] {
                if (!self)
                    return;
                if (error.isEmpty())
                    Q_EMIT self->loaded(v);
                else
                    Q_EMIT self->failed(dir, error);
            },
            Qt::QueuedConnection);
    });
}

} // namespace dfq::ui
