#pragma once
// Every persistent preference of DFQ Studio behind one typed wrapper over QSettings, so that keys and
// defaults live in one place and a wrong type or a value from a newer version reads as the default
// instead of reaching the widgets. Lives in the UI thread; torch-free.
#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>

#include <memory>

namespace dfq::ui {

enum class Theme { System, Light, Dark };
enum class SmoothingKind { None, DebiasedEma, MovingAverage };

class AppSettings {
public:
    /// The user's settings (QSettings' native store for organisation "DFQ Studio"), or the INI file
    /// named by DFQ_STUDIO_SETTINGS when that is set.
    AppSettings();
    /// Settings in an INI file at path: for tests and portable installs.
    explicit AppSettings(const QString& iniPath);

    /// Most recent first, at most kRecentMax each; entries are absolute paths.
    static constexpr int kRecentMax = 10;
    QStringList recentModels() const;
    void setRecentModels(const QStringList& paths);
    QStringList recentDatasets() const;
    void setRecentDatasets(const QStringList& paths);
    QStringList recentRuns() const;
    void setRecentRuns(const QStringList& paths);

    /// QMainWindow::saveGeometry / saveState blobs; empty when never saved.
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& g);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& s);

    Theme theme() const;                      ///< default System
    void setTheme(Theme t);
    /// UI language as a locale name ("en", "zh_CN"); default "" = the system's.
    QString language() const;
    void setLanguage(const QString& locale);

    /// Test images per bit-width trial, 0 = all; default 1000.
    int trialEvalLimit() const;
    void setTrialEvalLimit(int images);

    /// Curve smoothing: the kind and its parameter (EMA weight in [0, 1), moving-average window ≥ 1).
    SmoothingKind smoothingKind() const;      ///< default DebiasedEma
    void setSmoothingKind(SmoothingKind k);
    double smoothingEmaWeight() const;        ///< default 0.9
    void setSmoothingEmaWeight(double w);
    int smoothingWindow() const;              ///< default 10
    void setSmoothingWindow(int n);

    /// Where the GUI's own runs (and the calibration sets they use) are written; default
    /// <Documents>/DFQ Studio/runs.
    QString runsDirectory() const;
    void setRunsDirectory(const QString& dir);

    /// The folder file dialogs open in; default the home folder.
    QString lastDirectory() const;
    void setLastDirectory(const QString& dir);

    /// Writes pending changes to storage; false (with status()) when the store cannot be written.
    bool sync();
    QSettings::Status status() const { return s_->status(); }
    QString fileName() const { return s_->fileName(); }

private:
    void checkSchema();
    QStringList paths(const char* key) const;
    void setPaths(const char* key, const QStringList& paths);

    std::unique_ptr<QSettings> s_;
};

QString themeName(Theme t);               ///< "system", "light", "dark"
QString smoothingKindName(SmoothingKind k);   ///< "none", "ema", "moving-average"

} // namespace dfq::ui
