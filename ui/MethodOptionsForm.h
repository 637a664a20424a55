#pragma once
// Method & Budget: an editor for every declared option of the chosen method, generated from its
// option specs (a check box for a boolean, a spin box for an integer, a validated field for a number,
// a list for a string with choices). For a generator method, choosing a budget shows the values that
// budget sets; values() returns only what the user changed, so the method's and budget's own values
// stay theirs.
#include "SessionTypes.h"

#include <QVariantMap>
#include <QWidget>

class QFormLayout;

namespace dfq::ui {

class MethodOptionsForm : public QWidget {
    Q_OBJECT
public:
    explicit MethodOptionsForm(QWidget* parent = nullptr);

    /// Rebuilds the editors for `method` (its fields, and budgets for a generator method).
    void setMethod(const SynthesisMethodInfo& method);
    /// The options whose value differs from the shown default (the method's, or the chosen budget's).
    QVariantMap values() const;
    /// Sets one option (as the user would); false for an unknown key or a value of the wrong type.
    bool setValue(const QString& key, const QVariant& value);
    /// The value an editor shows now.
    QVariant value(const QString& key) const;
    /// Every option back to its default (budget included).
    void resetToDefaults();

Q_SIGNALS:
    void changed();

private:
    struct Row {
        OptionField field;
        QWidget* editor = nullptr;
        QVariant baseline;   ///< the default under the current budget
    };
    QWidget* makeEditor(const OptionField& f);
    QVariant read(const Row& row) const;
    void write(Row& row, const QVariant& v);
    /// A budget was chosen: every untouched option shows what that budget sets.
    void applyBudget(const QString& budget);
    Row* find(const QString& key);
    const Row* find(const QString& key) const;

    QFormLayout* form_ = nullptr;
    QVector<Row> rows_;
    SynthesisMethodInfo method_;
    bool applying_ = false;
};

} // namespace dfq::ui
