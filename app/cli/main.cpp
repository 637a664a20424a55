// dfq: the headless DFQ Studio. Same core as the GUI; for scripts, CI and clusters.
#include "Commands.h"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"dfq: data-free quantization of convolutional networks (DFQ Studio " DFQ_VERSION ")"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("dfq ") + DFQ_VERSION);
    dfq::cli::CommonOptions common;
    dfq::cli::CommandBody body;
    dfq::cli::addEvalCommand(app, common, body);
    dfq::cli::addTrainReferenceCommand(app, common, body);
    dfq::cli::addInfoCommand(app, common, body);
    dfq::cli::addQuantizeCommand(app, common, body);
    dfq::cli::addSynthCommand(app, common, body);
    dfq::cli::addRunCommand(app, common, body);
    dfq::cli::addSweepCommand(app, common, body);
    dfq::cli::addReportCommand(app, common, body);
    dfq::cli::addExportCommand(app, common, body);
    dfq::cli::addVerifyOnnxCommand(app, common, body);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    try {
        dfq::cli::prepareRuntime(common);
        return body ? body() : 0;
    } catch (const std::exception& e) {
        std::cerr << "dfq: error: " << e.what() << '\n';
        return 1;
    }
}
