// MethodOptionsForm: an editor of the right kind per declared option; values() holds only what the
// user changed; a budget shows what it sets without counting as the user's change, and an option the
// user set survives a change of budget; Reset brings every default back.
#include "MethodOptionsForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest/QtTest>

using namespace dfq::ui;

namespace {
SynthesisMethodInfo generatorMethod() {
    SynthesisMethodInfo m;
    m.name = QStringLiteral("gdfq");
    m.generator = true;
    m.fields = {
        {QStringLiteral("budget"), QStringLiteral("schedule"), QStringLiteral("standard"), -INFINITY, INFINITY,
         {QStringLiteral("quick"), QStringLiteral("standard")}},
        {QStringLiteral("epochs"), QStringLiteral("epochs"), qlonglong(400), 0, 1e6, {}},
        {QStringLiteral("generator_lr"), QStringLiteral("Adam lr"), 1e-3, 1e-9, 10, {}},
        {QStringLiteral("fold_bn"), QStringLiteral("fold"), true, -INFINITY, INFINITY, {}},
        {QStringLiteral("lr_milestones"), QStringLiteral("epochs"), QStringLiteral("100,200,300"), -INFINITY, INFINITY, {}},
    };
    m.budgets.insert(QStringLiteral("quick"), {{QStringLiteral("epochs"), qlonglong(8)}, {QStringLiteral("lr_milestones"), QStringLiteral("6")}});
    m.budgets.insert(QStringLiteral("standard"), {{QStringLiteral("epochs"), qlonglong(20)}, {QStringLiteral("lr_milestones"), QStringLiteral("10,15")}});
    return m;
}
} // namespace

class TestMethodOptionsForm : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void editorsFollowTheSpecs() {
        MethodOptionsForm form;
        form.setMethod(generatorMethod());
        QVERIFY(form.findChild<QComboBox*>(QStringLiteral("option_budget")));
        auto* epochs = form.findChild<QSpinBox*>(QStringLiteral("option_epochs"));
        QVERIFY(epochs);
        QCOMPARE(epochs->maximum(), 1000000);
        QVERIFY(form.findChild<QLineEdit*>(QStringLiteral("option_generator_lr")));
        QVERIFY(form.findChild<QCheckBox*>(QStringLiteral("option_fold_bn"))->isChecked());
        QVERIFY(epochs->toolTip().contains(QStringLiteral("Range: 0 to 1000000")));
        // The default budget (standard) is shown, and nothing counts as changed.
        QCOMPARE(epochs->value(), 20);
        QCOMPARE(form.value(QStringLiteral("lr_milestones")).toString(), QStringLiteral("10,15"));
        QVERIFY(form.values().isEmpty());
    }

    void budgetShowsItsValuesAndKeepsTheUsers() {
        MethodOptionsForm form;
        form.setMethod(generatorMethod());
        QSignalSpy changed(&form, &MethodOptionsForm::changed);
        QVERIFY(form.setValue(QStringLiteral("budget"), QStringLiteral("quick")));
        QVERIFY(!changed.isEmpty());
        QCOMPARE(form.value(QStringLiteral("epochs")).toLongLong(), 8);
        QCOMPARE(form.values(), (QVariantMap{{QStringLiteral("budget"), QStringLiteral("quick")}}));
        // The user's own epochs stay when the budget changes; the milestones follow the budget.
        QVERIFY(form.setValue(QStringLiteral("epochs"), 3));
        QVERIFY(form.setValue(QStringLiteral("budget"), QStringLiteral("standard")));
        QCOMPARE(form.value(QStringLiteral("epochs")).toLongLong(), 3);
        QCOMPARE(form.value(QStringLiteral("lr_milestones")).toString(), QStringLiteral("10,15"));
        QCOMPARE(form.values(), (QVariantMap{{QStringLiteral("epochs"), qlonglong(3)}}));
        // A number typed in scientific notation; an unfinished one leaves the default in force.
        auto* lr = form.findChild<QLineEdit*>(QStringLiteral("option_generator_lr"));
        lr->setText(QStringLiteral("2.5e-4"));
        QCOMPARE(form.values().value(QStringLiteral("generator_lr")).toDouble(), 2.5e-4);
        lr->setText(QStringLiteral("1e-"));
        QVERIFY(!form.values().contains(QStringLiteral("generator_lr")));
        form.findChild<QCheckBox*>(QStringLiteral("option_fold_bn"))->setChecked(false);
        QCOMPARE(form.values().value(QStringLiteral("fold_bn")), QVariant(false));
        // Wrong keys and choices are refused; Reset restores every default.
        QVERIFY(!form.setValue(QStringLiteral("epochz"), 3));
        QVERIFY(!form.setValue(QStringLiteral("budget"), QStringLiteral("huge")));
        form.resetToDefaults();
        QVERIFY(form.values().isEmpty());
        QCOMPARE(form.value(QStringLiteral("epochs")).toLongLong(), 20);
        QCOMPARE(form.value(QStringLiteral("generator_lr")).toDouble(), 1e-3);
    }

    void pixelMethodWithoutBudget() {
        SynthesisMethodInfo zeroq;
        zeroq.name = QStringLiteral("zeroq");
        zeroq.fields = {{QStringLiteral("iterations"), QStringLiteral("steps"), qlonglong(500), 1, 1e6, {}}};
        MethodOptionsForm form;
        form.setMethod(generatorMethod());
        form.setMethod(zeroq);   // the previous method's editors are gone
        QVERIFY(!form.findChild<QComboBox*>(QStringLiteral("option_budget")));
        QCOMPARE(form.value(QStringLiteral("iterations")).toLongLong(), 500);
        QVERIFY(form.setValue(QStringLiteral("iterations"), 20));
        QCOMPARE(form.values(), (QVariantMap{{QStringLiteral("iterations"), qlonglong(20)}}));
    }
};

QTEST_MAIN(TestMethodOptionsForm)
#include "tst_methodoptionsform.moc"
