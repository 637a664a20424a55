#include "LiveTranslator.h"

#include "QCustomPlotInclude.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>

namespace dfq::ui {
namespace {
QString& catalogueDirectory() {
    static QString dir = QStringLiteral(":/i18n");
    return dir;
}
} // namespace

LiveTranslator& LiveTranslator::instance() {
    static LiveTranslator* t = [] {
        auto* created = new LiveTranslator;
        created->setParent(QCoreApplication::instance());
        QCoreApplication::installTranslator(created);
        return created;
    }();
    return *t;
}

void LiveTranslator::setCatalogueDirectory(const QString& dir) { catalogueDirectory() = dir; }

bool LiveTranslator::setLanguage(const QString& code) {
    if (code == QLatin1String("en")) {
        (void)catalogue_.load(QString());   // unloads
        language_.clear();
        return true;
    }
    QTranslator next;
    const QLocale locale = code.isEmpty() ? QLocale() : QLocale(code);
    if (!next.load(locale, QStringLiteral("dfq-studio"), QStringLiteral("_"), catalogueDirectory())) {
        if (!code.isEmpty())
            return false;
        (void)catalogue_.load(QString());   // the system's language has no catalogue: English
        language_.clear();
        return true;
    }
    (void)catalogue_.load(next.filePath());
    language_ = catalogue_.language();
    return true;
}

QString LiveTranslator::language() const { return language_; }

QString LiveTranslator::translate(const char* context, const char* sourceText, const char* disambiguation, int n) const {
    QString out = catalogue_.isEmpty() ? QString() : catalogue_.translate(context, sourceText, disambiguation, n);
    if (out.isNull())
        out = QString::fromUtf8(sourceText);   // English: the source, remembered all the same
    QMutexLocker lock(&mutex_);
    if (!sources_.contains(out))
        sources_.insert(out, {QByteArray(context), QByteArray(sourceText),
                              disambiguation ? QByteArray(disambiguation) : QByteArray()});
    return out;
}

QString LiveTranslator::again(const QString& text) const {
    if (text.isEmpty())
        return text;
    Source s;
    {
        QMutexLocker lock(&mutex_);
        const auto it = sources_.constFind(text);
        if (it == sources_.cend())
            return text;
        s = *it;
    }
    return translate(s.context.constData(), s.text.constData(), s.disambiguation.isEmpty() ? nullptr : s.disambiguation.constData());
}

void LiveTranslator::retranslate(QObject* root) {
    QList<QObject*> objects = root->findChildren<QObject*>();
    objects.prepend(root);
    for (QObject* o : objects) {
        if (auto* w = qobject_cast<QWidget*>(o)) {
            w->setToolTip(again(w->toolTip()));
            w->setStatusTip(again(w->statusTip()));
            if (w->isWindow() || qobject_cast<QDockWidget*>(w))
                w->setWindowTitle(again(w->windowTitle()));
        }
        if (auto* l = qobject_cast<QLabel*>(o))
            l->setText(again(l->text()));
        else if (auto* b = qobject_cast<QAbstractButton*>(o))
            b->setText(again(b->text()));
        else if (auto* g = qobject_cast<QGroupBox*>(o))
            g->setTitle(again(g->title()));
        else if (auto* e = qobject_cast<QLineEdit*>(o))
            e->setPlaceholderText(again(e->placeholderText()));
        else if (auto* m = qobject_cast<QMenu*>(o))
            m->setTitle(again(m->title()));
        if (auto* s = qobject_cast<QAbstractSpinBox*>(o))
            s->setSpecialValueText(again(s->specialValueText()));
        if (auto* s = qobject_cast<QSpinBox*>(o)) {
            s->setSuffix(again(s->suffix()));
            s->setPrefix(again(s->prefix()));
        }
        if (auto* c = qobject_cast<QComboBox*>(o)) {
            for (int i = 0; i < c->count(); ++i) {
                c->setItemText(i, again(c->itemText(i)));
                c->setItemData(i, again(c->itemData(i, Qt::ToolTipRole).toString()), Qt::ToolTipRole);
            }
        }
        if (auto* t = qobject_cast<QTabWidget*>(o)) {
            for (int i = 0; i < t->count(); ++i) {
                t->setTabText(i, again(t->tabText(i)));
                t->setTabToolTip(i, again(t->tabToolTip(i)));
            }
        }
        if (auto* t = qobject_cast<QTableWidget*>(o)) {
            for (int i = 0; i < t->columnCount(); ++i)
                if (QTableWidgetItem* h = t->horizontalHeaderItem(i))
                    h->setText(again(h->text()));
        } else if (auto* v = qobject_cast<QAbstractItemView*>(o); v && v->model() && v->model()->columnCount() > 0) {
            // Models translate their headers when asked: ask again.
            Q_EMIT v->model()->headerDataChanged(Qt::Horizontal, 0, v->model()->columnCount() - 1);
        }
        if (auto* a = qobject_cast<QAction*>(o)) {
            a->setText(again(a->text()));
            a->setToolTip(again(a->toolTip()));
            a->setStatusTip(again(a->statusTip()));
        }
        if (auto* p = qobject_cast<QCustomPlot*>(o)) {
            for (QCPAxisRect* r : p->axisRects())
                for (QCPAxis* axis : r->axes())
                    axis->setLabel(again(axis->label()));
            for (int i = 0; i < p->plotLayout()->elementCount(); ++i)
                if (auto* t = qobject_cast<QCPTextElement*>(p->plotLayout()->elementAt(i)))
                    t->setText(again(t->text()));
            for (int i = 0; i < p->plottableCount(); ++i)
                p->plottable(i)->setName(again(p->plottable(i)->name()));
            p->replot(QCustomPlot::rpQueuedReplot);
        }
    }
}

bool LiveTranslator::switchTo(const QString& code) {
    // The texts hold the old language's words: find their sources before the catalogue changes
    // (again() looks up the text as handed out, then translates it with the new catalogue).
    if (!setLanguage(code))
        return false;
    for (QWidget* w : QApplication::topLevelWidgets())
        retranslate(w);
    return true;
}

} // namespace dfq::ui
