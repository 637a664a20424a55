// The zh_CN translation: every source string of ui/ is translated (none unfinished, none missing its
// %N placeholders), the compiled catalogue loads, widgets built under it speak Chinese, and View >
// Language switches the running window's texts both ways.
#include "AppSettings.h"
#include "BitWidthPanel.h"
#include "LiveTranslator.h"
#include "MainWindow.h"
#include "QCustomPlotInclude.h"
#include "SynthesisPanel.h"

#include <QAction>
#include <QMenuBar>
#include <QPushButton>
#include <QTabWidget>

#include <QApplication>
#include <QFile>
#include <QGroupBox>
#include <QRegularExpression>
#include <QSet>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QtTest/QtTest>

namespace {
const QString kTs = QStringLiteral(DFQ_SOURCE_DIR "/translations/dfq-studio_zh_CN.ts");
const QString kQm = QStringLiteral(DFQ_BINARY_DIR "/app/studio/dfq-studio_zh_CN.qm");

QSet<QString> placeholders(const QString& s) {
    QSet<QString> out;
    static const QRegularExpression re(QStringLiteral("%(\\d)"));
    for (auto it = re.globalMatch(s); it.hasNext();)
        out.insert(it.next().captured(0));
    return out;
}
} // namespace

class TestTranslation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyStringIsTranslated() {
        QFile f(kTs);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(kTs));
        QXmlStreamReader xml(&f);
        int messages = 0;
        QString source, context;
        QStringList problems;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == QLatin1String("name"))
                context = xml.readElementText();
            else if (xml.name() == QLatin1String("source"))
                source = xml.readElementText();
            else if (xml.name() == QLatin1String("translation")) {
                ++messages;
                const QString type = xml.attributes().value(QLatin1String("type")).toString();
                const QString text = xml.readElementText();
                if (type == QLatin1String("unfinished") || text.isEmpty())
                    problems << QStringLiteral("%1: unfinished: %2").arg(context, source);
                else if (type != QLatin1String("obsolete") && type != QLatin1String("vanished") &&
                         placeholders(text) != placeholders(source))
                    problems << QStringLiteral("%1: placeholders differ: %2 → %3").arg(context, source, text);
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(messages >= 150);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void catalogueLoadsAndWidgetsUseIt() {
        QTranslator zh;
        QVERIFY2(zh.load(kQm), qPrintable(QStringLiteral("cannot load %1 (built with dfq-studio)").arg(kQm)));
        QCOMPARE(zh.language(), QStringLiteral("zh_CN"));
        QCOMPARE(zh.translate("dfq::ui::MainWindow", "&Bit-widths"), QStringLiteral("位宽(&B)"));
        QVERIFY(QApplication::installTranslator(&zh));
        {
            dfq::ui::BitWidthPanel panel;
            QStringList titles;
            for (auto* box : panel.findChildren<QGroupBox*>())
                titles << box->title();
            QVERIFY2(titles.contains(QStringLiteral("预设")), qPrintable(titles.join(QStringLiteral(", "))));
        }
        QApplication::removeTranslator(&zh);
        dfq::ui::BitWidthPanel english;
        QStringList titles;
        for (auto* box : english.findChildren<QGroupBox*>())
            titles << box->title();
        QVERIFY(titles.contains(QStringLiteral("Preset")));
    }

    void switchesAtRuntime() {
        using dfq::ui::LiveTranslator;
        LiveTranslator::setCatalogueDirectory(QStringLiteral(DFQ_BINARY_DIR "/app/studio"));
        LiveTranslator& t = LiveTranslator::instance();
        QVERIFY(t.setLanguage(QStringLiteral("en")));
        dfq::ui::MainWindow w;   // built in English
        auto* tabs = w.findChild<QTabWidget*>(QStringLiteral("tabs"));
        const auto tabTexts = [&] {
            QStringList out;
            for (int i = 0; i < tabs->count(); ++i)
                out << tabs->tabText(i);
            return out;
        };
        const auto titles = [&] {
            QStringList out;
            for (auto* box : w.bitWidthPanel()->findChildren<QGroupBox*>())
                out << box->title();
            return out;
        };
        const auto menus = [&] {
            QStringList out;
            for (QAction* a : w.menuBar()->actions())
                out << a->text();
            return out;
        };
        auto* start = w.synthesisPanel()->findChild<QPushButton*>(QStringLiteral("synthesizeButton"));
        auto* loss = w.synthesisPanel()->findChild<QCustomPlot*>(QStringLiteral("synthLossPlot"));
        QVERIFY(tabTexts().contains(QStringLiteral("&Bit-widths")));
        QVERIFY(titles().contains(QStringLiteral("Preset")));
        QVERIFY(menus().contains(QStringLiteral("&File")));
        QCOMPARE(start->text(), QStringLiteral("Synthesize"));
        QCOMPARE(loss->xAxis->label(), QStringLiteral("step"));

        QAction* chinese = nullptr;
        QAction* english = nullptr;
        for (QAction* a : w.findChildren<QAction*>()) {
            if (a->data().toString() == QLatin1String("zh_CN"))
                chinese = a;
            if (a->data().toString() == QLatin1String("en"))
                english = a;
        }
        QVERIFY(chinese && english);
        chinese->trigger();   // View > Language > 中文（简体）
        QCOMPARE(t.language(), QStringLiteral("zh_CN"));
        QVERIFY2(tabTexts().contains(QStringLiteral("位宽(&B)")), qPrintable(tabTexts().join(QStringLiteral(", "))));
        QVERIFY2(titles().contains(QStringLiteral("预设")), qPrintable(titles().join(QStringLiteral(", "))));
        const QString file = QCoreApplication::translate("dfq::ui::MainWindow", "&File");
        QVERIFY(file != QLatin1String("&File"));
        QVERIFY(menus().contains(file));
        QCOMPARE(start->text(), QCoreApplication::translate("dfq::ui::SynthesisPanel", "Synthesize"));
        QVERIFY(start->text() != QLatin1String("Synthesize"));
        QCOMPARE(loss->xAxis->label(), QCoreApplication::translate("dfq::ui::SynthesisPanel", "step"));
        QCOMPARE(dfq::ui::AppSettings().language(), QStringLiteral("zh_CN"));   // and for the next start

        english->trigger();
        QCOMPARE(t.language(), QString());
        QVERIFY(tabTexts().contains(QStringLiteral("&Bit-widths")));
        QVERIFY(titles().contains(QStringLiteral("Preset")));
        QVERIFY(menus().contains(QStringLiteral("&File")));
        QCOMPARE(start->text(), QStringLiteral("Synthesize"));
        QCOMPARE(loss->xAxis->label(), QStringLiteral("step"));
        // A language without a catalogue is refused and changes nothing.
        QVERIFY(!t.setLanguage(QStringLiteral("xx_YY")));
        QCOMPARE(t.language(), QString());
    }
};

QTEST_MAIN(TestTranslation)
#include "tst_translation.moc"
