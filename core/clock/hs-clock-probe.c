/* hs-clock-probe.c — one clock measurement: concurrent SNTP queries
 * (hs-clock-probe-sntp.c) with an HTTPS Date fallback
 * (hs-clock-probe-https.c), under one overall deadline and the caller's
 * cancellable. */
#include "config.h"

#include "hs-clock-probe-private.h"

/* Without a valid SNTP answer by this fraction of the budget, HTTPS starts. */
#define HTTPS_START_PERCENT 60

static const char * const default_servers[] = {
  "time.windows.com",
  "time.cloudflare.com",
  "pool.ntp.org",
};

/* ---- options and result ---- */

HsClockProbeOptions *
hs_clock_probe_options_copy (const HsClockProbeOptions *options)
{
  HsClockProbeOptions *copy = g_new0 (HsClockProbeOptions, 1);

  if (options == NULL)
    return copy;
  copy->servers = g_strdupv (options->servers);
  copy->https_url = g_strdup (options->https_url);
  copy->https_ca_file = g_strdup (options->https_ca_file);
  copy->timeout_ms = options->timeout_ms;
  return copy;
}

void
hs_clock_probe_options_free (HsClockProbeOptions *options)
{
  if (options == NULL)
    return;
  g_strfreev (options->servers);
  g_free (options->https_url);
  g_free (options->https_ca_file);
  g_free (options);
}

void
hs_clock_measurement_free (HsClockMeasurement *m)
{
  if (m == NULL)
    return;
  g_free (m->source);
  g_free (m->method);
  g_clear_pointer (&m->attempts, g_ptr_array_unref);
  g_free (m);
}

void
hs_clock_probe_add_attempt (HsClockProbe *probe, const char *format, ...)
{
  va_list args;
  char *line;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_debug ("clock probe: %s", line);
  g_ptr_array_add (probe->result->attempts, line);
}

/* ---- lifetime ---- */

void
hs_clock_probe_destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
probe_free (HsClockProbe *probe)
{
  hs_clock_probe_destroy_source (&probe->deadline_source);
  hs_clock_probe_destroy_source (&probe->fallback_source);
  g_clear_pointer (&probe->queries, g_ptr_array_unref);
  g_clear_pointer (&probe->https_job, hs_https_job_stop);
  g_clear_object (&probe->internal);
  g_clear_object (&probe->user_cancellable);
  g_clear_pointer (&probe->result, hs_clock_measurement_free);
  g_clear_pointer (&probe->options, hs_clock_probe_options_free);
  g_clear_pointer (&probe->context, g_main_context_unref);
  g_free (probe);
}

GSource *
hs_clock_probe_attach_timeout (HsClockProbe *probe, guint ms, GSourceFunc func, gpointer data)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, probe->context);
  return source;
}

guint
hs_clock_probe_remaining_ms (HsClockProbe *probe)
{
  gint64 left = probe->deadline_usec - g_get_monotonic_time ();

  return left > 0 ? (guint) ((left + 999) / 1000) : 0;
}

/* Ends the probe once: stops every query and returns to the caller. */
void
hs_clock_probe_finish (HsClockProbe *probe)
{
  GTask *task = probe->task;
  const char *why;

  if (probe->finished)
    return;
  probe->finished = TRUE;

  if (g_cancellable_is_cancelled (probe->user_cancellable))
    why = "cancelled";
  else if (probe->result->ok)
    why = "abandoned, another source answered first";
  else
    why = "timed out (no answer before the overall deadline)";

  for (guint i = 0; i < probe->queries->len; i++)
    {
      HsClockQuery *q = g_ptr_array_index (probe->queries, i);

      if (!q->done)
        {
          q->done = TRUE;
          hs_clock_probe_add_attempt (probe, "%s: %s", q->label, why);
        }
      hs_clock_query_close (q);
    }
  if (probe->https_started && !probe->https_done)
    {
      probe->https_done = TRUE;
      hs_clock_probe_add_attempt (probe, "%s: %s", probe->options->https_url, why);
    }

  g_cancellable_cancel (probe->internal);
  /* The HTTPS thread may be deep in TLS set-up: leave it behind. */
  g_clear_pointer (&probe->https_job, hs_https_job_stop);
  /* Waits for a handler running in another thread, so none runs later. */
  if (probe->cancel_handler != 0)
    g_cancellable_disconnect (probe->user_cancellable, probe->cancel_handler);
  probe->cancel_handler = 0;
  hs_clock_probe_destroy_source (&probe->deadline_source);
  hs_clock_probe_destroy_source (&probe->fallback_source);

  if (g_cancellable_is_cancelled (probe->user_cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "Clock measurement cancelled");
  else
    g_task_return_pointer (task, g_steal_pointer (&probe->result),
                           (GDestroyNotify) hs_clock_measurement_free);
  /* The reference taken by measure_async. */
  g_object_unref (task);
}

/* Called whenever a source settles without a winner. */
void
hs_clock_probe_check_exhausted (HsClockProbe *probe)
{
  if (probe->finished || probe->sntp_pending > 0)
    return;
  if (probe->https_enabled && !probe->https_started)
    {
      hs_clock_probe_start_https (probe);
      return;
    }
  if (!probe->https_enabled || probe->https_done)
    hs_clock_probe_finish (probe);
}

static gboolean
on_fallback_time (gpointer data)
{
  HsClockProbe *probe = data;

  g_clear_pointer (&probe->fallback_source, g_source_unref);
  hs_clock_probe_start_https (probe);
  return G_SOURCE_REMOVE;
}

static gboolean
on_deadline (gpointer data)
{
  HsClockProbe *probe = data;

  g_clear_pointer (&probe->deadline_source, g_source_unref);
  hs_clock_probe_finish (probe);
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled_idle (gpointer data)
{
  hs_clock_probe_finish (g_task_get_task_data (G_TASK (data)));
  return G_SOURCE_REMOVE;
}

/* Any thread: only hands over to the probe's context. A handler rather
 * than a GCancellableSource: GLib 2.74 can leak such a source when the
 * cancellable is cancelled in another thread while the source goes away. */
static void
on_cancelled (GCancellable *cancellable, gpointer data)
{
  HsClockProbe *probe = data;
  GSource *idle = g_idle_source_new ();

  /* hs_clock_probe_finish disconnects before dropping its task reference. */
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, on_cancelled_idle, g_object_ref (probe->task), g_object_unref);
  g_source_attach (idle, probe->context);
  g_source_unref (idle);
}

/* Runs from an idle so that nothing, not even a literal-address failure,
 * completes inside measure_async itself. */
static gboolean
probe_start (gpointer data)
{
  HsClockProbe *probe = g_task_get_task_data (G_TASK (data));

  if (probe->finished)
    return G_SOURCE_REMOVE;
  hs_clock_probe_prepare_https (probe);
  for (guint i = 0; i < probe->queries->len && !probe->finished; i++)
    {
      HsClockQuery *q = g_ptr_array_index (probe->queries, i);

      if (q->host == NULL)
        hs_clock_query_fail (q, "invalid server address (expected host, host:port or [v6]:port)");
      else
        hs_clock_query_start (q);
    }
  hs_clock_probe_check_exhausted (probe);
  return G_SOURCE_REMOVE;
}

void
hs_clock_probe_measure_async (const HsClockProbeOptions *options,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  HsClockProbe *probe = g_new0 (HsClockProbe, 1);
  GTask *task;
  guint timeout_ms;
  GSource *idle;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  probe->options = hs_clock_probe_options_copy (options);
  probe->context = g_main_context_ref_thread_default ();
  probe->user_cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  probe->internal = g_cancellable_new ();
  probe->queries = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_clock_query_free);
  probe->result = g_new0 (HsClockMeasurement, 1);
  probe->result->attempts = g_ptr_array_new_with_free_func (g_free);

  if (probe->options->https_url == NULL)
    probe->options->https_url = g_strdup (HS_CLOCK_DEFAULT_HTTPS_URL);
  probe->https_enabled = *probe->options->https_url != '\0';

  if (probe->options->servers == NULL || probe->options->servers[0] == NULL)
    {
      g_strfreev (probe->options->servers);
      probe->options->servers = g_new0 (char *, G_N_ELEMENTS (default_servers) + 1);
      for (gsize i = 0; i < G_N_ELEMENTS (default_servers); i++)
        probe->options->servers[i] = g_strdup (default_servers[i]);
    }
  for (char **s = probe->options->servers; *s; s++)
    {
      g_ptr_array_add (probe->queries, hs_clock_query_new (probe, *s));
      probe->sntp_pending++;
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_clock_probe_measure_async);
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);
  /* GTask refuses return-on-cancel for non-thread tasks; we do it ourselves. */
  g_task_set_check_cancellable (task, FALSE);
  probe->task = task;   /* this reference is dropped by hs_clock_probe_finish */

  timeout_ms = probe->options->timeout_ms ? probe->options->timeout_ms : HS_CLOCK_DEFAULT_TIMEOUT_MS;
  probe->deadline_usec = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  probe->deadline_source = hs_clock_probe_attach_timeout (probe, timeout_ms, on_deadline, probe);
  if (probe->https_enabled)
    probe->fallback_source = hs_clock_probe_attach_timeout (probe, timeout_ms * HTTPS_START_PERCENT / 100,
                                             on_fallback_time, probe);
  if (cancellable != NULL)
    probe->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                   probe, NULL);

  idle = g_idle_source_new ();
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, probe_start, g_object_ref (task), g_object_unref);
  g_source_attach (idle, probe->context);
  g_source_unref (idle);
}

HsClockMeasurement *
hs_clock_probe_measure_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hs_clock_probe_measure_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
