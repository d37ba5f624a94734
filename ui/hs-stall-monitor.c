#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include "hs-stall-monitor.h"

#define TICK_MS 1

static gboolean running;
static gint64 last_tick;
static gint64 max_gap;

static gboolean
on_tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 gap = now - last_tick - TICK_MS * 1000;

  if (gap > max_gap)
    max_gap = gap;
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

void
hs_stall_monitor_start (void)
{
  const char *env = g_getenv ("HANDSHAKE_DEBUG_STALLS");

  if (running || env == NULL || *env == '\0' || g_str_equal (env, "0"))
    return;
  running = TRUE;
  last_tick = g_get_monotonic_time ();
  g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, on_tick, NULL, NULL);
}

void
hs_stall_monitor_report (const char *when)
{
  if (!running)
    return;
  g_message ("Longest main-loop stall (%s): %.1f ms", when, max_gap / 1000.0);
}

gint64
hs_stall_monitor_get_max (void)
{
  return running ? max_gap : 0;
}

void
hs_stall_monitor_reset (void)
{
  last_tick = g_get_monotonic_time ();
  max_gap = 0;
}
