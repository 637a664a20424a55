#pragma once
// One edit of the bit-width panel's spec, for its QUndoStack: the whole spec before and after (as
// QuantSpec JSON, a few kB), so undo restores exactly the previous spec (and the panel re-runs its
// trial, which gives the previous accuracy again: trials are deterministic per spec).
#include <QByteArray>
#include <QUndoCommand>

#include <functional>

namespace dfq::ui {

class SpecEditCommand : public QUndoCommand {
public:
    /// apply shows a spec (and starts its trial); called with `after` on redo (also when pushed),
    /// with `before` on undo.
    using Apply = std::function<void(const QByteArray& spec)>;

    SpecEditCommand(QByteArray before, QByteArray after, const QString& text, Apply apply);

    void undo() override;
    void redo() override;

    const QByteArray& before() const { return before_; }
    const QByteArray& after() const { return after_; }

private:
    QByteArray before_, after_;
    Apply apply_;
};

} // namespace dfq::ui
