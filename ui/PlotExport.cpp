#include "PlotExport.h"

#include "QCustomPlotInclude.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <cmath>

namespace dfq::ui {

namespace {

QString csvField(const QString& s) {
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')) &&
        !s.contains(QLatin1Char('\r')))
        return s;
    QString q = s;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString number(double v) {
    // Shortest text that reads back as the same double; NaN/inf as an empty field (spreadsheets).
    return std::isfinite(v) ? QString::number(v, 'g', 17) : QString();
}

ExportResult failure(const QString& path, const QString& what) {
    return {false, QObject::tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), what)};
}

ExportResult commit(QSaveFile& f, const QString& path) {
    if (!f.commit())
        return failure(path, f.errorString());
    return {true, {}};
}

} // namespace

PlotFormat plotFormatOf(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("svg"))
        return PlotFormat::Svg;
    if (suffix == QLatin1String("pdf"))
        return PlotFormat::Pdf;
    if (suffix == QLatin1String("csv"))
        return PlotFormat::Csv;
    return PlotFormat::Png;
}

QByteArray seriesCsv(const QVector<CsvSeries>& series) {
    QString out = QStringLiteral("run,series,x,y\r\n");
    for (const auto& s : series) {
        const QString prefix = csvField(s.run) + QLatin1Char(',') + csvField(s.name) + QLatin1Char(',');
        const int n = int(std::min(s.x.size(), s.y.size()));
        for (int i = 0; i < n; ++i)
            out += prefix + number(s.x[i]) + QLatin1Char(',') + number(s.y[i]) + QStringLiteral("\r\n");
    }
    return out.toUtf8();
}

ExportResult exportSeriesCsv(const QVector<CsvSeries>& series, const QString& path) {
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return failure(path, f.errorString());
    const QByteArray bytes = seriesCsv(series);
    if (f.write(bytes) != bytes.size()) {
        f.cancelWriting();
        return failure(path, f.errorString());
    }
    return commit(f, path);
}

QVector<CsvSeries> seriesOfPlot(QCustomPlot* plot) {
    QVector<CsvSeries> out;
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QCPAbstractPlottable* p = plot->plottable(i);
        CsvSeries s;
        s.name = p->name().isEmpty() ? QStringLiteral("graph %1").arg(i + 1) : p->name();
        const int dash = int(s.name.indexOf(QStringLiteral(" — ")));
        if (dash > 0) {
            s.run = s.name.mid(dash + 3);
            s.name = s.name.left(dash);
        }
        if (auto* g = qobject_cast<QCPGraph*>(p)) {
            for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) {
                s.x << it->key;
                s.y << it->value;
            }
        } else if (auto* b = qobject_cast<QCPBars*>(p)) {
            for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it) {
                s.x << it->key;
                s.y << it->value;
            }
        } else if (auto* c = qobject_cast<QCPCurve*>(p)) {
            for (auto it = c->data()->constBegin(); it != c->data()->constEnd(); ++it) {
                s.x << it->key;
                s.y << it->value;
            }
        } else {
            continue;   // colour maps etc.: no x/y series
        }
        out << s;
    }
    return out;
}

ExportResult exportPlot(QCustomPlot* plot, const QString& path, int width, int height) {
    if (width <= 0)
        width = std::max(1, plot->width());
    if (height <= 0)
        height = std::max(1, plot->height());
    const PlotFormat format = plotFormatOf(path);
    if (format == PlotFormat::Csv)
        return exportSeriesCsv(seriesOfPlot(plot), path);
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return failure(path, f.errorString());
    switch (format) {
    case PlotFormat::Png: {
        const QPixmap pixmap = plot->toPixmap(width, height, 2.0);   // 2×: sharp on high-DPI slides
        if (pixmap.isNull() || !pixmap.save(&f, "PNG")) {
            f.cancelWriting();
            return failure(path, QObject::tr("the image could not be encoded"));
        }
        break;
    }
    case PlotFormat::Svg: {
        QSvgGenerator svg;
        svg.setOutputDevice(&f);
        svg.setSize(QSize(width, height));
        svg.setViewBox(QRect(0, 0, width, height));
        svg.setTitle(plot->objectName());
        QCPPainter painter;
        if (!painter.begin(&svg)) {
            f.cancelWriting();
            return failure(path, QObject::tr("the SVG painter could not start"));
        }
        plot->toPainter(&painter, width, height);
        painter.end();
        break;
    }
    case PlotFormat::Pdf: {
        QPdfWriter pdf(&f);
        pdf.setCreator(QStringLiteral("DFQ Studio"));
        pdf.setTitle(plot->objectName());
        pdf.setResolution(96);
        pdf.setPageSize(QPageSize(QSizeF(width, height), QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        QCPPainter painter;
        if (!painter.begin(&pdf)) {
            f.cancelWriting();
            return failure(path, QObject::tr("the PDF painter could not start"));
        }
        plot->toPainter(&painter, width, height);
        painter.end();
        break;
    }
    case PlotFormat::Csv: break;
    }
    return commit(f, path);
}

void addExportMenu(QCustomPlot* plot, QWidget* dialogParent, const QString& baseName) {
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot, [plot, dialogParent, baseName](const QPoint& at) {
        QMenu menu(plot);
        QAction* exportAct = menu.addAction(QObject::tr("Export plot…"));
        if (menu.exec(plot->mapToGlobal(at)) != exportAct)
            return;
        const QString path = QFileDialog::getSaveFileName(
            dialogParent, QObject::tr("Export plot"), baseName + QStringLiteral(".png"),
            QObject::tr("PNG image (*.png);;SVG vector image (*.svg);;PDF document (*.pdf);;CSV data (*.csv)"));
        if (path.isEmpty())
            return;
        const ExportResult r = exportPlot(plot, path);
        if (!r.ok)
            QMessageBox::warning(dialogParent, QObject::tr("Export plot"), r.error);
    });
}

} // namespace dfq::ui
