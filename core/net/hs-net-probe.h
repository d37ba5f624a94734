/* hs-net-probe.h — measuring one endpoint for real, on the calling (worker)
 * thread: hs-net-probe-gio.c off Windows, hs-net-probe-win32.c on Windows.
 * Private to core/net. */
#pragma once

#include "hs-net-check.h"

G_BEGIN_DECLS

/* Called on the worker thread as each stage begins. */
typedef void (*HsNetStageFunc) (HsNetStage stage, gpointer data);

/* Measures @url and fills @facts (initialised by the caller). Blocks the
 * calling thread until done, @deadline_mono (monotonic µs: a stage still
 * running then is a timeout) or @cancellable; returns soon after either. */
void hs_net_probe_endpoint (const char *url, const HsNetCheckOptions *options,
                            gint64 deadline_mono, GCancellable *cancellable,
                            HsNetStageFunc on_stage, gpointer data, HsNetFacts *facts);

/* Once, on the caller's thread before any worker starts: types and GIO
 * modules the workers use (GLib's type system can deadlock when two threads
 * initialise classes that need each other). */
void hs_net_probe_prepare  (void);

G_END_DECLS
