// RecentFileList: most recent first, no duplicates, capped; vanished files pruned before the menu
// offers them; the menu opens the chosen path.
#include "RecentFileList.h"

#include <QFile>
#include <QMenu>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using dfq::ui::RecentFileList;

class TestRecentFileList : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void addMovesToTopWithoutDuplicates() {
        RecentFileList list(3);
        QSignalSpy changed(&list, &RecentFileList::changed);
        list.add(QStringLiteral("/a/model.th"));
        list.add(QStringLiteral("/b/data"));
        list.add(QStringLiteral("/a/./model.th"));   // the same file, spelled differently
        QCOMPARE(list.paths(), (QStringList{QStringLiteral("/a/model.th"), QStringLiteral("/b/data")}));
        list.add(QStringLiteral("/c"));
        list.add(QStringLiteral("/d"));
        QCOMPARE(list.paths(), (QStringList{QStringLiteral("/d"), QStringLiteral("/c"), QStringLiteral("/a/model.th")}));
        QCOMPARE(changed.count(), 5);
        list.add(QStringLiteral("/d"));   // already on top: nothing changes
        QCOMPARE(changed.count(), 5);
        list.remove(QStringLiteral("/c"));
        QCOMPARE(list.paths(), (QStringList{QStringLiteral("/d"), QStringLiteral("/a/model.th")}));
        list.setPaths({QStringLiteral("/x"), QStringLiteral("/x"), QString(), QStringLiteral("/y"),
                       QStringLiteral("/z"), QStringLiteral("/w")});
        QCOMPARE(list.paths(), (QStringList{QStringLiteral("/x"), QStringLiteral("/y"), QStringLiteral("/z")}));
    }

    void missingFilesArePrunedAndTheMenuOpensTheRest() {
        QTemporaryDir dir;
        const QString kept = dir.filePath(QStringLiteral("kept.th")), gone = dir.filePath(QStringLiteral("gone.th"));
        for (const QString& p : {kept, gone}) {
            QFile f(p);
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        RecentFileList list;
        list.add(kept);
        list.add(gone);
        QVERIFY(QFile::remove(gone));
        QMenu menu;
        QString opened;
        list.fillMenu(&menu, [&](const QString& p) { opened = p; });
        QCOMPARE(list.paths(), QStringList{kept});
        QVERIFY(menu.isEnabled());
        const auto actions = menu.actions();
        QCOMPARE(actions.size(), 3);   // the file, a separator, "Clear list"
        QVERIFY(actions[0]->text().contains(QStringLiteral("kept.th")));
        QVERIFY(actions[0]->text().startsWith(QStringLiteral("&1 ")));
        actions[0]->trigger();
        QCOMPARE(opened, kept);
        actions[2]->trigger();   // Clear
        QVERIFY(list.paths().isEmpty());
        list.fillMenu(&menu, [](const QString&) {});
        QVERIFY(menu.actions().isEmpty());
        QVERIFY(!menu.isEnabled());
    }
};

QTEST_MAIN(TestRecentFileList)
#include "tst_recentfilelist.moc"
