#pragma once
// A most-recent-first list of paths (models, datasets, run directories) for File > Open Recent:
// opening a file moves it to the top, the list keeps at most `capacity` entries, and entries whose
// file or folder has gone are pruned when the menu is shown, so that it never offers a dead path.
// Plain data plus the menu it fills; stored through AppSettings by its owner. Torch-free.
#include <QObject>
#include <QStringList>

#include <functional>

class QMenu;

namespace dfq::ui {

class RecentFileList : public QObject {
    Q_OBJECT
public:
    explicit RecentFileList(int capacity = 10, QObject* parent = nullptr);

    void setPaths(const QStringList& paths);   ///< duplicates and empty entries dropped, capped
    const QStringList& paths() const { return paths_; }
    /// Moves path (made absolute) to the top.
    void add(const QString& path);
    void remove(const QString& path);
    /// Drops entries that no longer exist on disk; returns how many went.
    int prune();

    /// Refills menu with one action per entry ("&1 name — folder"), then "Clear"; an entry's action
    /// calls open(path). Prunes first; the menu is disabled when nothing is left.
    void fillMenu(QMenu* menu, const std::function<void(const QString&)>& open);

Q_SIGNALS:
    /// The list changed (add, remove, prune, clear): the owner stores it.
    void changed(const QStringList& paths);

private:
    void set(QStringList paths);

    int capacity_;
    QStringList paths_;
};

} // namespace dfq::ui
