// dfq-studio: the DFQ Studio desktop application.
#include "AppSettings.h"
#include "LiveTranslator.h"
#include "MainWindow.h"
#include "runtime/Allocator.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>

int main(int argc, char** argv) {
    dfq::runtime::configureAllocator();   // before any tensor exists
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("DFQ Studio"));
    QApplication::setOrganizationName(QStringLiteral("DFQ Studio"));
    QApplication::setApplicationVersion(QStringLiteral(DFQ_VERSION));

    // The language chosen in the settings ("zh_CN"), else the system's; View > Language switches it live.
    dfq::ui::LiveTranslator::instance().setLanguage(dfq::ui::AppSettings().language());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Data-free quantization of convolutional networks"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption modelOpt(QStringLiteral("model"), QStringLiteral("Checkpoint to open."), QStringLiteral("path"));
    QCommandLineOption dataOpt(QStringLiteral("data"), QStringLiteral("Dataset to open."), QStringLiteral("path"));
    QCommandLineOption evalOpt(QStringLiteral("evaluate"), QStringLiteral("Evaluate as soon as model and data are loaded."));
    parser.addOptions({modelOpt, dataOpt, evalOpt});
    parser.process(app);

    dfq::ui::MainWindow window(parser.value(modelOpt), parser.value(dataOpt));
    if (parser.isSet(evalOpt))
        QObject::connect(&window, &dfq::ui::MainWindow::datasetReady, &window, &dfq::ui::MainWindow::evaluate);
    window.show();
    return app.exec();
}
