#include "PlotTheme.h"

#include "QCustomPlotInclude.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

namespace dfq::ui {

QPalette themePalette(Theme theme) {
    if (theme == Theme::System)
        return QApplication::style()->standardPalette();
    QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion"));
    QPalette p = fusion ? fusion->standardPalette() : QPalette();
    delete fusion;
    if (theme == Theme::Dark) {
        const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xdf, 0xe1, 0xe5);
        const QColor highlight(0x3d, 0x84, 0xc6), disabled(0x7f, 0x84, 0x8e);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, window);
        p.setColor(QPalette::ToolTipBase, window);
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, window);
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::BrightText, Qt::red);
        p.setColor(QPalette::Link, highlight.lighter(130));
        p.setColor(QPalette::Highlight, highlight);
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::PlaceholderText, disabled);
        p.setColor(QPalette::Light, window.lighter(150));
        p.setColor(QPalette::Midlight, window.lighter(125));
        p.setColor(QPalette::Mid, window.lighter(170));
        p.setColor(QPalette::Dark, base.darker(130));
        p.setColor(QPalette::Shadow, Qt::black);
        for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
            p.setColor(QPalette::Disabled, role, disabled);
    } else if (theme == Theme::Light) {
        p.setColor(QPalette::Base, Qt::white);
        p.setColor(QPalette::Text, QColor(0x20, 0x20, 0x20));
        p.setColor(QPalette::WindowText, QColor(0x20, 0x20, 0x20));
    }
    return p;
}

void themePlot(QCustomPlot* plot, const QPalette& palette) {
    const QColor text = palette.color(QPalette::Text), base = palette.color(QPalette::Base);
    QColor grid = palette.color(QPalette::Mid);
    grid.setAlpha(110);
    plot->setBackground(base);
    const QList<QCPAxisRect*> rects = plot->axisRects();
    for (QCPAxisRect* rect : rects) {
        rect->setBackground(base);
        for (QCPAxis* axis : rect->axes()) {
            axis->setBasePen(QPen(text, 1));
            axis->setTickPen(QPen(text, 1));
            axis->setSubTickPen(QPen(text, 1));
            axis->setTickLabelColor(text);
            axis->setLabelColor(text);
            axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
            axis->grid()->setZeroLinePen(QPen(grid, 1));
        }
    }
    if (plot->legend) {
        plot->legend->setBrush(base);
        plot->legend->setTextColor(text);
        plot->legend->setBorderPen(QPen(grid));
    }
    // Titles and other text elements of the layout.
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto* t = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i)))
            t->setTextColor(text);
    plot->replot(QCustomPlot::rpQueuedReplot);
}

void applyTheme(Theme theme, QWidget* root) {
    // System keeps the platform's own style and palette; Light and Dark need Fusion, the one style
    // that draws everything from the palette.
    static const QString platformStyle = QApplication::style()->name();
    QPalette palette;
    if (theme == Theme::System) {
        QApplication::setStyle(platformStyle);
        palette = QApplication::style()->standardPalette();
    } else {
        QApplication::setStyle(QStringLiteral("Fusion"));
        palette = themePalette(theme);
    }
    QApplication::setPalette(palette);
    if (root)
        for (QCustomPlot* plot : root->findChildren<QCustomPlot*>())
            themePlot(plot, palette);
}

} // namespace dfq::ui
