#pragma once
// Light and dark themes: the application palette (Fusion style, so that the palette is honoured on
// every platform) and the plots, which QCustomPlot draws with its own colours and would otherwise stay
// white in a dark window. Torch-free.
#include "AppSettings.h"

#include <QPalette>

class QCustomPlot;
class QWidget;

namespace dfq::ui {

/// The palette of a theme (Light and Dark: Fusion's); System is the current style's standard palette.
QPalette themePalette(Theme theme);

/// Sets the application's style and palette to the theme, then re-themes every plot under root.
void applyTheme(Theme theme, QWidget* root);

/// Colours one plot from a palette: background (Base), axes, ticks, labels and legend text (Text),
/// grid (Mid, dimmed); the data colours are left alone. Replots.
void themePlot(QCustomPlot* plot, const QPalette& palette);

} // namespace dfq::ui
