#include "SpecEditCommand.h"

#include <utility>

namespace dfq::ui {

SpecEditCommand::SpecEditCommand(QByteArray before, QByteArray after, const QString& text, Apply apply)
    : before_(std::move(before)), after_(std::move(after)), apply_(std::move(apply)) {
    setText(text);
}

void SpecEditCommand::undo() { apply_(before_); }

void SpecEditCommand::redo() { apply_(after_); }

} // namespace dfq::ui
