#include "RecentFileList.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>

namespace dfq::ui {

RecentFileList::RecentFileList(int capacity, QObject* parent) : QObject(parent), capacity_(std::max(1, capacity)) {}

void RecentFileList::set(QStringList paths) {
    QStringList out;
    for (const QString& p : paths)
        if (!p.isEmpty() && !out.contains(p) && out.size() < capacity_)
            out << p;
    if (out == paths_)
        return;
    paths_ = out;
    Q_EMIT changed(paths_);
}

void RecentFileList::setPaths(const QStringList& paths) { set(paths); }

void RecentFileList::add(const QString& path) {
    if (path.isEmpty())
        return;
    const QString abs = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    QStringList next = paths_;
    next.removeAll(abs);
    next.prepend(abs);
    set(next);
}

void RecentFileList::remove(const QString& path) {
    QStringList next = paths_;
    next.removeAll(QDir::cleanPath(QFileInfo(path).absoluteFilePath()));
    set(next);
}

int RecentFileList::prune() {
    QStringList kept;
    for (const QString& p : paths_)
        if (QFileInfo::exists(p))
            kept << p;
    const int gone = int(paths_.size() - kept.size());
    set(kept);
    return gone;
}

void RecentFileList::fillMenu(QMenu* menu, const std::function<void(const QString&)>& open) {
    prune();
    menu->clear();
    int n = 0;
    for (const QString& p : paths_) {
        const QFileInfo info(p);
        // Numbered mnemonics for the first nine, like every desktop editor.
        const QString prefix = ++n <= 9 ? QStringLiteral("&%1 ").arg(n) : QString();
        QAction* a = menu->addAction(prefix + info.fileName() + QStringLiteral(" — ") +
                                     QDir::toNativeSeparators(info.absolutePath()));
        a->setToolTip(QDir::toNativeSeparators(p));
        a->setData(p);
        connect(a, &QAction::triggered, menu, [open, p] { open(p); });
    }
    if (!paths_.isEmpty()) {
        menu->addSeparator();
        connect(menu->addAction(tr("Clear list")), &QAction::triggered, this, [this] { set({}); });
    }
    menu->setEnabled(!paths_.isEmpty());
}

} // namespace dfq::ui
