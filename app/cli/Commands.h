#pragma once
// Each dfq subcommand lives in its own file and registers itself on the CLI11 app.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace dfq::cli {

/// Options every command shares.
struct CommonOptions {
    int threads = 0;        ///< 0 = all cores
};

/// A command's body; returns the process exit code.
using CommandBody = std::function<int()>;

void addEvalCommand(CLI::App& app, CommonOptions& common, CommandBody& body);
void addTrainReferenceCommand(CLI::App& app, CommonOptions& common, CommandBody& body);
void addInfoCommand(CLI::App& app, CommonOptions& common, CommandBody& body);
void addQuantizeCommand(CLI::App& app, CommonOptions& common, CommandBody& body);
void addSynthCommand(CLI::App& app, CommonOptions& common, CommandBody& body);
void addRunCommand(CLI::App& app, CommonOptions& common, CommandBody& body);   ///< run + resume
void addSweepCommand(CLI::App& app, CommonOptions& common, CommandBody& body);
void addReportCommand(CLI::App& app, CommonOptions& common, CommandBody& body);
void addExportCommand(CLI::App& app, CommonOptions& common, CommandBody& body);      ///< dfq export (ONNX)
void addVerifyOnnxCommand(CLI::App& app, CommonOptions& common, CommandBody& body);  ///< dfq verify-onnx

/// Applies --threads and prints the BLAS warning (stderr) when BLAS is not OpenBLAS.
void prepareRuntime(const CommonOptions& common);

} // namespace dfq::cli
