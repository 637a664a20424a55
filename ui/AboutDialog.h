#pragma once
// Help > About: what this build is and what it runs on, for bug reports: DFQ Studio, Qt (built and
// running), LibTorch, OpenCV, the BLAS library actually resolved, and LibTorch's thread count.
#include <QDialog>

namespace dfq::ui {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget* parent = nullptr);
    /// The same facts as plain text (the dialog's "Copy" button puts it on the clipboard).
    static QString report();
};

} // namespace dfq::ui
