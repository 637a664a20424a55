#include "AboutDialog.h"

#include "runtime/BlasCheck.h"
#include "runtime/LibraryVersions.h"
#include "runtime/Threads.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QSysInfo>
#include <QVBoxLayout>

namespace dfq::ui {

QString AboutDialog::report() {
    const auto v = runtime::libraryVersions();
    const auto blas = runtime::inspectBlas();
    QStringList lines;
    lines << QStringLiteral("DFQ Studio %1").arg(QString::fromStdString(v.dfqStudio))
          << QStringLiteral("Qt %1 (built with %2)").arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR))
          << QStringLiteral("LibTorch %1").arg(QString::fromStdString(v.libtorch))
          << QStringLiteral("OpenCV %1").arg(QString::fromStdString(v.opencv))
          << QStringLiteral("BLAS %1%2")
                 .arg(blas.library.empty() ? QStringLiteral("not found") : QString::fromStdString(blas.library))
                 .arg(blas.isOpenBlas ? QStringLiteral(" (OpenBLAS)") : QStringLiteral(" (not OpenBLAS: slow)"))
          << QStringLiteral("Threads %1 intra-op of %2 hardware").arg(runtime::intraOpThreads()).arg(runtime::hardwareThreads())
          << QStringLiteral("System %1, %2").arg(QSysInfo::prettyProductName(), QSysInfo::currentCpuArchitecture());
    return lines.join(QLatin1Char('\n'));
}

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("About DFQ Studio"));
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("<h3>DFQ Studio %1</h3><p>Data-free quantization of convolutional networks: "
                                "calibration data from what the model remembers.</p>")
                                 .arg(QString::fromStdString(runtime::libraryVersions().dfqStudio)));
    title->setWordWrap(true);
    layout->addWidget(title);
    auto* facts = new QLabel(report().toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    facts->setObjectName(QStringLiteral("aboutFacts"));
    facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(facts);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton* copy = buttons->addButton(tr("&Copy"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, [] { QApplication::clipboard()->setText(report()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace dfq::ui
