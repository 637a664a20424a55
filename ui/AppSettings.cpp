#include "AppSettings.h"

#include <QDir>
#include <QStandardPaths>

#include <cmath>

namespace dfq::ui {

namespace {
// Bumped when a key changes meaning; values written under another version are ignored.
constexpr int kSchema = 1;

const char* const kRecentModels = "recent/models";
const char* const kRecentDatasets = "recent/datasets";
const char* const kRecentRuns = "recent/runs";
} // namespace

QString themeName(Theme t) {
    switch (t) {
    case Theme::Light: return QStringLiteral("light");
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::System: break;
    }
    return QStringLiteral("system");
}

QString smoothingKindName(SmoothingKind k) {
    switch (k) {
    case SmoothingKind::None: return QStringLiteral("none");
    case SmoothingKind::MovingAverage: return QStringLiteral("moving-average");
    case SmoothingKind::DebiasedEma: break;
    }
    return QStringLiteral("ema");
}

AppSettings::AppSettings() {
    // DFQ_STUDIO_SETTINGS=FILE.ini: a portable install, or tests that must not touch the user's store.
    const QString ini = qEnvironmentVariable("DFQ_STUDIO_SETTINGS");
    if (ini.isEmpty())
        s_ = std::make_unique<QSettings>(QStringLiteral("DFQ Studio"), QStringLiteral("DFQ Studio"));
    else
        s_ = std::make_unique<QSettings>(ini, QSettings::IniFormat);
    checkSchema();
}

AppSettings::AppSettings(const QString& iniPath) : s_(std::make_unique<QSettings>(iniPath, QSettings::IniFormat)) {
    checkSchema();
}

void AppSettings::checkSchema() {
    // A store written under another schema: start from the defaults rather than misread it.
    if (s_->contains(QStringLiteral("schema")) && s_->value(QStringLiteral("schema")).toInt() != kSchema)
        s_->clear();
    s_->setValue(QStringLiteral("schema"), kSchema);
}

QStringList AppSettings::paths(const char* key) const {
    const QStringList raw = s_->value(QLatin1String(key)).toStringList();
    QStringList out;
    for (const QString& p : raw)
        if (!p.isEmpty() && !out.contains(p) && out.size() < kRecentMax)
            out << p;
    return out;
}

void AppSettings::setPaths(const char* key, const QStringList& paths) {
    QStringList out;
    for (const QString& p : paths) {
        const QString abs = QDir::cleanPath(QDir::current().absoluteFilePath(p));
        if (!p.isEmpty() && !out.contains(abs) && out.size() < kRecentMax)
            out << abs;
    }
    s_->setValue(QLatin1String(key), out);
}

QStringList AppSettings::recentModels() const { return paths(kRecentModels); }
void AppSettings::setRecentModels(const QStringList& p) { setPaths(kRecentModels, p); }
QStringList AppSettings::recentDatasets() const { return paths(kRecentDatasets); }
void AppSettings::setRecentDatasets(const QStringList& p) { setPaths(kRecentDatasets, p); }
QStringList AppSettings::recentRuns() const { return paths(kRecentRuns); }
void AppSettings::setRecentRuns(const QStringList& p) { setPaths(kRecentRuns, p); }

QByteArray AppSettings::windowGeometry() const { return s_->value(QStringLiteral("window/geometry")).toByteArray(); }
void AppSettings::setWindowGeometry(const QByteArray& g) { s_->setValue(QStringLiteral("window/geometry"), g); }
QByteArray AppSettings::windowState() const { return s_->value(QStringLiteral("window/state")).toByteArray(); }
void AppSettings::setWindowState(const QByteArray& st) { s_->setValue(QStringLiteral("window/state"), st); }

Theme AppSettings::theme() const {
    const QString t = s_->value(QStringLiteral("appearance/theme")).toString();
    if (t == QLatin1String("light"))
        return Theme::Light;
    if (t == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}
void AppSettings::setTheme(Theme t) { s_->setValue(QStringLiteral("appearance/theme"), themeName(t)); }

QString AppSettings::language() const { return s_->value(QStringLiteral("appearance/language")).toString(); }
void AppSettings::setLanguage(const QString& locale) { s_->setValue(QStringLiteral("appearance/language"), locale); }

int AppSettings::trialEvalLimit() const {
    bool ok = false;
    const int n = s_->value(QStringLiteral("bitwidths/trialEvalLimit"), 1000).toInt(&ok);
    return ok && n >= 0 ? n : 1000;
}
void AppSettings::setTrialEvalLimit(int images) { s_->setValue(QStringLiteral("bitwidths/trialEvalLimit"), std::max(0, images)); }

SmoothingKind AppSettings::smoothingKind() const {
    const QString k = s_->value(QStringLiteral("curves/smoothing")).toString();
    if (k == QLatin1String("none"))
        return SmoothingKind::None;
    if (k == QLatin1String("moving-average"))
        return SmoothingKind::MovingAverage;
    return SmoothingKind::DebiasedEma;
}
void AppSettings::setSmoothingKind(SmoothingKind k) { s_->setValue(QStringLiteral("curves/smoothing"), smoothingKindName(k)); }

double AppSettings::smoothingEmaWeight() const {
    bool ok = false;
    const double w = s_->value(QStringLiteral("curves/emaWeight"), 0.9).toDouble(&ok);
    return ok && std::isfinite(w) && w >= 0 && w < 1 ? w : 0.9;
}
void AppSettings::setSmoothingEmaWeight(double w) {
    if (std::isfinite(w) && w >= 0 && w < 1)
        s_->setValue(QStringLiteral("curves/emaWeight"), w);
}

int AppSettings::smoothingWindow() const {
    bool ok = false;
    const int n = s_->value(QStringLiteral("curves/window"), 10).toInt(&ok);
    return ok && n >= 1 ? n : 10;
}
void AppSettings::setSmoothingWindow(int n) {
    if (n >= 1)
        s_->setValue(QStringLiteral("curves/window"), n);
}

QString AppSettings::runsDirectory() const {
    const QString d = s_->value(QStringLiteral("files/runsDirectory")).toString();
    if (!d.isEmpty())
        return d;
    return QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).filePath(QStringLiteral("DFQ Studio/runs"));
}
void AppSettings::setRunsDirectory(const QString& dir) { s_->setValue(QStringLiteral("files/runsDirectory"), dir); }

QString AppSettings::lastDirectory() const {
    const QString d = s_->value(QStringLiteral("files/lastDirectory")).toString();
    return d.isEmpty() || !QDir(d).exists() ? QDir::homePath() : d;
}
void AppSettings::setLastDirectory(const QString& dir) { s_->setValue(QStringLiteral("files/lastDirectory"), dir); }

bool AppSettings::sync() {
    s_->sync();
    return s_->status() == QSettings::NoError;
}

} // namespace dfq::ui
