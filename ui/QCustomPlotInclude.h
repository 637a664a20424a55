#pragma once
// qcustomplot.h is written with Qt's keyword macros (signals, slots, emit, foreach), which this
// project turns off (QT_NO_KEYWORDS) because they clash with LibTorch. Define them just for it.
#ifndef signals
#define signals Q_SIGNALS
#define DFQ_UNDEF_SIGNALS
#endif
#ifndef slots
#define slots Q_SLOTS
#define DFQ_UNDEF_SLOTS
#endif
#ifndef emit
#define emit Q_EMIT
#define DFQ_UNDEF_EMIT
#endif
#ifndef foreach
#define foreach Q_FOREACH
#define DFQ_UNDEF_FOREACH
#endif
#include <qcustomplot.h>
#ifdef DFQ_UNDEF_SIGNALS
#undef signals
#undef DFQ_UNDEF_SIGNALS
#endif
#ifdef DFQ_UNDEF_SLOTS
#undef slots
#undef DFQ_UNDEF_SLOTS
#endif
#ifdef DFQ_UNDEF_EMIT
#undef emit
#undef DFQ_UNDEF_EMIT
#endif
#ifdef DFQ_UNDEF_FOREACH
#undef foreach
#undef DFQ_UNDEF_FOREACH
#endif
