#pragma once
// Smoothing of noisy training curves for the Curves panel; the raw curve is always drawn as well.
// Both smoothers skip non-finite points (a NaN loss stays a gap instead of poisoning what follows).
// Torch-free.
#include <QVector>

namespace dfq::ui {

/// Debiased exponential moving average (TensorBoard's, Adam's bias correction):
///   m_t = w·m_{t-1} + (1−w)·y_t,  m_0 = 0,   s_t = m_t / (1 − w^k)
/// with k the number of finite points so far, so the first point is y_0 itself rather than (1−w)·y_0.
/// weight in [0, 1): 0 = no smoothing. Non-finite y_t give NaN at t and leave m unchanged.
QVector<double> debiasedEma(const QVector<double>& y, double weight);

/// Trailing moving average over the last `window` points (fewer at the start): s_t = mean(y_{t−w+1..t})
/// over the finite ones; NaN where y_t is not finite. window ≥ 1 (1 = no smoothing).
QVector<double> movingAverage(const QVector<double>& y, int window);

} // namespace dfq::ui
