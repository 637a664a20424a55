#pragma once
// Export of any plot in the app: the picture as PNG, SVG or PDF (vector for papers, raster for slides)
// and its data as CSV, all shown runs in one long-format file. Every file is written through
// QSaveFile, so a failed export never leaves a truncated file where a good one was. Torch-free.
#include <QString>
#include <QVector>

class QCustomPlot;
class QWidget;

namespace dfq::ui {

enum class PlotFormat { Png, Svg, Pdf, Csv };

/// The format a file name asks for (by suffix, case-insensitive); Png when unknown.
PlotFormat plotFormatOf(const QString& path);

struct ExportResult {
    bool ok = false;
    QString error;   ///< names the file and what went wrong
};

/// One series of a plot: a curve, the bars of a bar chart, a scatter.
struct CsvSeries {
    QString run;     ///< the run it belongs to ("" when the plot shows one)
    QString name;
    QVector<double> x, y;
};

/// Renders plot at width × height pixels (0: its current size) to path, in the format its suffix
/// names (.png, .svg, .pdf; .csv writes seriesOfPlot as CSV).
ExportResult exportPlot(QCustomPlot* plot, const QString& path, int width = 0, int height = 0);

/// Long-format CSV, one row per point: run,series,x,y (RFC 4180 quoting; NaN as an empty field).
ExportResult exportSeriesCsv(const QVector<CsvSeries>& series, const QString& path);
QByteArray seriesCsv(const QVector<CsvSeries>& series);

/// Every graph and bar chart of the plot, named by its legend name (or "graph N"). A graph's run is
/// the text after " — " in its name when it has one ("loss — run 2" → run "run 2", name "loss").
QVector<CsvSeries> seriesOfPlot(QCustomPlot* plot);

/// Gives plot a context menu "Export plot…" (PNG, SVG, PDF or CSV, chosen by the file dialog) that
/// reports failures in a message box over dialogParent.
void addExportMenu(QCustomPlot* plot, QWidget* dialogParent, const QString& baseName);

} // namespace dfq::ui
