/* hs-test-probe.c — running the clock probe in the clock tests. */
#include "config.h"

#include <string.h>

#include "hs-kod.h"
#include "hs-test-probe.h"

void
hs_test_probe_setup (HsTestProbeFixture *f, gconstpointer data)
{
  memset (f, 0, sizeof *f);
  /* Ports are reused between tests: no kiss may carry over. */
  hs_kod_table_clear (hs_kod_table_get_default ());
}

void
hs_test_probe_teardown (HsTestProbeFixture *f, gconstpointer data)
{
  if (f->m != NULL)
    {
      for (guint i = 0; i < f->m->attempts->len; i++)
        g_test_message ("attempt: %s", (const char *) f->m->attempts->pdata[i]);
    }
  g_clear_pointer (&f->chrony, hs_test_chrony_stop);
  g_clear_pointer (&f->nginx, hs_test_nginx_stop);
  g_clear_pointer (&f->responder, hs_test_bad_responder_stop);
  g_clear_pointer (&f->m, hs_clock_measurement_free);
  g_clear_error (&f->error);
}

typedef struct {
  GAsyncResult *result;
  GThread      *thread;
  GMainContext *context;
  gboolean      in_context;
} Wait;

static void
on_measured (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->result = g_object_ref (result);
  w->in_context = g_thread_self () == w->thread && g_main_context_is_owner (w->context)
                  && g_main_context_get_thread_default () == w->context;
}

/* Spins a private context, as a UI thread would spin its own. */
void
hs_test_probe_measure (HsTestProbeFixture *f, const HsClockProbeOptions *options,
                       GCancellable *cancellable)
{
  Wait w = { NULL, g_thread_self (), g_main_context_new (), FALSE };
  gint64 start;

  g_main_context_push_thread_default (w.context);
  start = g_get_monotonic_time ();
  hs_clock_probe_measure_async (options, cancellable, on_measured, &w);
  g_assert_null (w.result);   /* never completes inside the call */
  while (w.result == NULL)
    g_main_context_iteration (w.context, TRUE);
  f->elapsed_ms = (double) (g_get_monotonic_time () - start) / 1000.0;
  g_assert_true (w.in_context);

  g_clear_pointer (&f->m, hs_clock_measurement_free);
  g_clear_error (&f->error);
  f->m = hs_clock_probe_measure_finish (w.result, &f->error);
  g_object_unref (w.result);

  /* Late callbacks (cancelled resolver, soup) must find their objects alive. */
  for (int i = 0; i < 50 && g_main_context_pending (w.context); i++)
    g_main_context_iteration (w.context, FALSE);
  g_main_context_pop_thread_default (w.context);
  g_main_context_unref (w.context);

  if (f->m != NULL)
    g_test_message ("ok=%d method=%s source=%s offset=%+.6f s ±%.6f delay=%.6f elapsed=%.0f ms",
                    f->m->ok, f->m->method, f->m->source, f->m->offset_seconds,
                    f->m->uncertainty_seconds, f->m->delay_seconds, f->elapsed_ms);
}

gboolean
hs_test_attempts_contain (HsClockMeasurement *m, const char *needle)
{
  for (guint i = 0; i < m->attempts->len; i++)
    {
      if (strstr (m->attempts->pdata[i], needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

void
hs_test_assert_attempt (HsClockMeasurement *m, const char *needle)
{
  if (!hs_test_attempts_contain (m, needle))
    {
      g_autofree char *all = NULL;

      g_ptr_array_add (m->attempts, NULL);
      all = g_strjoinv ("\n  ", (char **) m->attempts->pdata);
      g_ptr_array_remove_index (m->attempts, m->attempts->len - 1);
      g_error ("no attempt line contains “%s”; attempts:\n  %s", needle, all);
    }
}

void
hs_test_assert_no_offset (HsTestProbeFixture *f)
{
  g_assert_no_error (f->error);
  g_assert_nonnull (f->m);
  g_assert_false (f->m->ok);
  g_assert_cmpfloat (f->m->offset_seconds, ==, 0.0);
  g_assert_null (f->m->method);
  g_assert_null (f->m->source);
  g_assert_cmpuint (f->m->attempts->len, >, 0);
}

