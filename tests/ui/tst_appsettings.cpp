// AppSettings: every preference round-trips through the store (a second instance on the same file
// reads what the first wrote), defaults when unset, and bad or foreign values read as defaults.
#include "AppSettings.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace dfq::ui;

class TestAppSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsWhenUnset() {
        QTemporaryDir dir;
        AppSettings s(dir.filePath(QStringLiteral("s.ini")));
        QVERIFY(s.recentModels().isEmpty());
        QVERIFY(s.windowGeometry().isEmpty());
        QCOMPARE(s.theme(), Theme::System);
        QCOMPARE(s.language(), QString());
        QCOMPARE(s.trialEvalLimit(), 1000);
        QCOMPARE(s.smoothingKind(), SmoothingKind::DebiasedEma);
        QCOMPARE(s.smoothingEmaWeight(), 0.9);
        QCOMPARE(s.smoothingWindow(), 10);
        QCOMPARE(s.lastDirectory(), QDir::homePath());
        QVERIFY(s.runsDirectory().endsWith(QStringLiteral("DFQ Studio/runs")));
    }

    void everyValueRoundTrips() {
        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("s.ini"));
        const QByteArray geometry("\x01\x02\x00\xff geometry", 13), state("\x00state\x7f", 7);
        {
            AppSettings s(ini);
            s.setRecentModels({QStringLiteral("/m/a.th"), QStringLiteral("/m/b.pt"), QStringLiteral("/m/a.th")});
            s.setRecentDatasets({QStringLiteral("/d/test")});
            s.setRecentRuns({QStringLiteral("/r/one"), QStringLiteral("/r/two")});
            s.setWindowGeometry(geometry);
            s.setWindowState(state);
            s.setTheme(Theme::Dark);
            s.setLanguage(QStringLiteral("zh_CN"));
            s.setTrialEvalLimit(0);
            s.setSmoothingKind(SmoothingKind::MovingAverage);
            s.setSmoothingEmaWeight(0.75);
            s.setSmoothingWindow(25);
            s.setLastDirectory(dir.path());
            s.setRunsDirectory(QStringLiteral("/data/dfq-runs"));
            QVERIFY(s.sync());
        }
        AppSettings t(ini);
        QCOMPARE(t.recentModels(), (QStringList{QStringLiteral("/m/a.th"), QStringLiteral("/m/b.pt")}));
        QCOMPARE(t.recentDatasets(), QStringList{QStringLiteral("/d/test")});
        QCOMPARE(t.recentRuns(), (QStringList{QStringLiteral("/r/one"), QStringLiteral("/r/two")}));
        QCOMPARE(t.windowGeometry(), geometry);
        QCOMPARE(t.windowState(), state);
        QCOMPARE(t.theme(), Theme::Dark);
        QCOMPARE(t.language(), QStringLiteral("zh_CN"));
        QCOMPARE(t.trialEvalLimit(), 0);
        QCOMPARE(t.smoothingKind(), SmoothingKind::MovingAverage);
        QCOMPARE(t.smoothingEmaWeight(), 0.75);
        QCOMPARE(t.smoothingWindow(), 25);
        QCOMPARE(t.lastDirectory(), dir.path());
        QCOMPARE(t.runsDirectory(), QStringLiteral("/data/dfq-runs"));
    }

    void recentListsAreCappedAndAbsolute() {
        QTemporaryDir dir;
        AppSettings s(dir.filePath(QStringLiteral("s.ini")));
        QStringList many;
        for (int i = 0; i < 15; ++i)
            many << QStringLiteral("/runs/%1").arg(i);
        s.setRecentRuns(many);
        QCOMPARE(s.recentRuns().size(), AppSettings::kRecentMax);
        QCOMPARE(s.recentRuns().first(), QStringLiteral("/runs/0"));
        s.setRecentModels({QStringLiteral("relative/model.th")});
        QCOMPARE(s.recentModels().first(), QDir::cleanPath(QDir::current().absoluteFilePath(QStringLiteral("relative/model.th"))));
    }

    void badValuesReadAsDefaults() {
        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("s.ini"));
        {
            QFile f(ini);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("[General]\nschema=1\n[appearance]\ntheme=purple\n[bitwidths]\ntrialEvalLimit=-5\n"
                    "[curves]\nsmoothing=spline\nemaWeight=1.5\nwindow=0\n[files]\nlastDirectory=/no/such/dir\n");
        }
        AppSettings s(ini);
        QCOMPARE(s.theme(), Theme::System);
        QCOMPARE(s.trialEvalLimit(), 1000);
        QCOMPARE(s.smoothingKind(), SmoothingKind::DebiasedEma);
        QCOMPARE(s.smoothingEmaWeight(), 0.9);
        QCOMPARE(s.smoothingWindow(), 10);
        QCOMPARE(s.lastDirectory(), QDir::homePath());
        // Out-of-range writes are refused, not stored.
        s.setSmoothingEmaWeight(1.0);
        s.setSmoothingWindow(-3);
        QCOMPARE(s.smoothingEmaWeight(), 0.9);
        QCOMPARE(s.smoothingWindow(), 10);
    }

    void aStoreFromAnotherSchemaIsReset() {
        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("s.ini"));
        {
            QFile f(ini);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("[General]\nschema=99\n[appearance]\ntheme=dark\n");
        }
        AppSettings s(ini);
        QCOMPARE(s.theme(), Theme::System);
        s.setTheme(Theme::Light);
        QVERIFY(s.sync());
        QCOMPARE(AppSettings(ini).theme(), Theme::Light);
    }
};

QTEST_APPLESS_MAIN(TestAppSettings)
#include "tst_appsettings.moc"
