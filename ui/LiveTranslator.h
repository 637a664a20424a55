#pragma once
// Switches the UI language while the application runs (View > Language). Qt only re-translates what a
// widget sets again on QEvent::LanguageChange; rather than a retranslateUi() in every panel, this
// translator remembers, for every text it hands out, the (context, source) it came from, and after a
// switch re-translates the texts the widgets hold: labels, buttons, group boxes, tabs, combo-box items,
// menus and actions, tooltips, dock titles, table headers, and plot axis labels, titles and legends.
// A text composed with arguments (tr("… %1").arg(x)) is not a catalogue entry: its panel sets it again
// at its next update, in the new language.
#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>
#include <QTranslator>

class QObject;

namespace dfq::ui {

class LiveTranslator : public QTranslator {
    Q_OBJECT
public:
    /// The application's translator, installed on first use (needs a QCoreApplication).
    static LiveTranslator& instance();
    /// Where the compiled catalogues (dfq-studio_<lang>.qm) are: ":/i18n" in dfq-studio.
    static void setCatalogueDirectory(const QString& dir);

    /// "" = the system's language, "en" = the source strings, else a catalogue such as "zh_CN".
    /// False (and the language unchanged) when no catalogue for it is found.
    bool setLanguage(const QString& code);
    /// The catalogue in use ("zh_CN"), "" for the source strings.
    QString language() const;
    /// Re-translates every remembered text in root and its children (see the class comment).
    void retranslate(QObject* root);
    /// setLanguage, then retranslate every top-level widget.
    bool switchTo(const QString& code);

    QString translate(const char* context, const char* sourceText, const char* disambiguation = nullptr,
                      int n = -1) const override;
    bool isEmpty() const override { return false; }

private:
    LiveTranslator() = default;
    struct Source {
        QByteArray context, text, disambiguation;
    };
    /// The current translation of a text handed out earlier; `text` itself when it never was.
    QString again(const QString& text) const;

    QTranslator catalogue_;
    QString language_;
    mutable QMutex mutex_;
    mutable QHash<QString, Source> sources_;   ///< translated text → where it came from
};

} // namespace dfq::ui
