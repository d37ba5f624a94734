/* bench-ui.c — the wizard's window under Xvfb (practice, all-broken).
 *
 *   bench-ui N        spawns itself N times ("child" mode) and prints medians
 *   bench-ui child    one run:
 *     cold-start-ms   from just before the parent spawned this process to the
 *                     window's first painted frame (exec, library loading,
 *                     GTK/Adwaita init, building the window, first frame)
 *     stall-ms        longest main-loop stall (ui/hs-stall-monitor,
 *                     HANDSHAKE_DEBUG_STALLS=1) while all four checks and
 *                     then the credential fix run
 *     rss-mb          VmRSS after the full run (/proc/self/status)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <adwaita.h>

#include "hs-engine.h"
#include "hs-practice.h"
#include "hs-stall-monitor.h"
#include "hs-ui.h"
#include "hs-window.h"

static gint64 first_frame;

static void
on_after_paint (GdkFrameClock *clock, gpointer data)
{
  if (first_frame == 0)
    first_frame = g_get_monotonic_time ();
}

static void
on_map (GtkWidget *w, gpointer data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (w);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
}

static void
store_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (res);
}

static double
vm_rss_mb (void)
{
  g_autofree char *status = NULL;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  const char *p = strstr (status, "VmRSS:");
  return p ? g_ascii_strtod (p + 6, NULL) / 1024.0 : -1;
}

static void
spin_until (gboolean *flag, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;
  while (!*flag && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_ms (guint ms)
{
  gboolean done = FALSE;
  g_timeout_add (ms, timeout_cb, &done);
  spin_until (&done, ms + 1000);
}

static int
child (void)
{
  const char *t0s = g_getenv ("HS_BENCH_T0");
  gint64 t0 = t0s ? g_ascii_strtoll (t0s, NULL, 10) : g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;

  gtk_init ();
  adw_init ();
  hs_ui_init ();
  HsPlatform *pf = hs_practice_platform_new ("all-broken", &error);
  g_assert_no_error (error);
  g_autoptr(HsEngine) engine = hs_engine_new (pf, NULL);
  HsWindow *window = hs_window_new (NULL, engine, "all-broken");
  g_signal_connect (window, "map", G_CALLBACK (on_map), NULL);
  gtk_window_present (GTK_WINDOW (window));
  while (first_frame == 0)
    g_main_context_iteration (NULL, TRUE);
  printf ("cold-start-ms=%.1f\n", (double) (first_frame - t0) / 1000.0);

  /* the run: all four checks (the window starts them), then the credential
   * fix while the window follows the engine */
  hs_stall_monitor_start ();
  hs_window_start (window, 0);   /* resets the stall monitor, checks all */
  while (!hs_window_get_checked (window))
    g_main_context_iteration (NULL, TRUE);
  gint64 worst = hs_stall_monitor_get_max ();
  printf ("stall-checks-ms=%.1f\n", (double) worst / 1000.0);
  /* what a click on step 2 does: switch to its page */
  hs_stall_monitor_reset ();
  hs_window_show_page (window, HS_STEP_CREDENTIALS);
  spin_ms (300);
  printf ("stall-page-switch-ms=%.1f\n", (double) hs_stall_monitor_get_max () / 1000.0);
  worst = MAX (worst, hs_stall_monitor_get_max ());
  hs_stall_monitor_reset ();
  GAsyncResult *res = NULL;
  hs_engine_fix_step_async (engine, HS_STEP_CREDENTIALS, NULL, NULL, store_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_autoptr(HsResult) r = hs_engine_fix_step_finish (engine, res, NULL);
  g_object_unref (res);
  spin_ms (300);   /* the window redraws with the new state */
  printf ("stall-fix-ms=%.1f\n", (double) hs_stall_monitor_get_max () / 1000.0);
  worst = MAX (worst, hs_stall_monitor_get_max ());
  printf ("stall-ms=%.1f\n", (double) worst / 1000.0);
  printf ("fix-result=%s\n", r ? hs_result_get_code (r) : "none");
  printf ("rss-mb=%.1f\n", vm_rss_mb ());
  fflush (stdout);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "child"))
    return child ();

  int n = argc > 1 ? atoi (argv[1]) : 10;
  const char *keys[] = { "cold-start-ms", "stall-ms", "stall-checks-ms", "stall-page-switch-ms",
                         "stall-fix-ms", "rss-mb" };
  enum { NK = G_N_ELEMENTS (keys) };
  double *vals[NK];
  for (int k = 0; k < NK; k++)
    vals[k] = g_new0 (double, n);
  g_setenv ("HANDSHAKE_DEBUG_STALLS", "1", TRUE);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *out = NULL, *t0 = NULL;
      g_autoptr(GError) error = NULL;
      char *child_argv[] = { argv[0], (char *) "child", NULL };
      int status;
      t0 = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());
      g_setenv ("HS_BENCH_T0", t0, TRUE);
      if (!g_spawn_sync (NULL, child_argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                         NULL, &status, &error))
        g_error ("%s", error->message);
      for (int k = 0; k < NK; k++)
        {
          g_autofree char *key = g_strdup_printf ("%s=", keys[k]);
          const char *p = strstr (out, key);
          vals[k][i] = p ? g_ascii_strtod (p + strlen (key), NULL) : -1;
        }
      if (i == 0)
        fprintf (stderr, "first run:\n%s", out);
    }
  for (int k = 0; k < NK; k++)
    {
      qsort (vals[k], (size_t) n, sizeof (double), cmp_double);
      printf ("ui-%s-median=%.1f\nui-%s-max=%.1f\n", keys[k], vals[k][n / 2], keys[k], vals[k][n - 1]);
    }
  return 0;
}
