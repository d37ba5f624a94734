/* hs-stall-monitor.h — HANDSHAKE_DEBUG_STALLS=1 measures the longest time
 * the main loop was blocked, to prove the UI never freezes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Starts measuring when HANDSHAKE_DEBUG_STALLS is set; idempotent. */
void   hs_stall_monitor_start  (void);
/* Forgets what was measured so far (start-up is not part of a run). */
void   hs_stall_monitor_reset  (void);
/* Logs the longest stall so far (g_message), tagged with when. */
void   hs_stall_monitor_report (const char *when);
/* Longest stall so far in microseconds (0 when not measuring). */
gint64 hs_stall_monitor_get_max (void);

G_END_DECLS
