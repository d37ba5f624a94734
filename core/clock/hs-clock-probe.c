/* hs-clock-probe.c — concurrent SNTP queries with an HTTPS Date fallback. */
#include "config.h"

#include "hs-clock-probe.h"
#include "hs-http-date.h"
#include "hs-https-job.h"
#include "hs-kod.h"
#include "hs-sntp.h"

#include <string.h>

/* Each SNTP query gets at most this long (or the rest of the budget). */
#define SNTP_QUERY_MAX_MS   1500
/* Without a valid SNTP answer by this fraction of the budget, HTTPS starts. */
#define HTTPS_START_PERCENT 60

static const char * const default_servers[] = {
  "time.windows.com",
  "time.cloudflare.com",
  "pool.ntp.org",
};

typedef struct _Probe Probe;

typedef struct {
  Probe          *probe;          /* (unowned): the query list of the probe owns us */
  char           *label;          /* "host:port" as shown in attempt lines */
  char           *host;           /* (nullable): NULL when the server string was garbage */
  guint16         port;
  GList          *addresses;      /* (owned) (element-type GInetAddress): still to try */
  GSocket        *socket;         /* (owned) (nullable) */
  GSource        *recv_source;    /* (owned) (nullable) */
  GSource        *timeout_source; /* (owned) (nullable) */
  char           *asked;          /* (nullable): "ip:port" of the request in flight, the Kiss-o'-Death key */
  guint64         sent_transmit;  /* T1 in NTP format, as written in the request */
  gboolean        done;
} SntpQuery;

struct _Probe {
  /* Input */
  HsClockProbeOptions *options;           /* (owned) */
  GMainContext        *context;           /* (owned): where the caller wants its callback */
  GCancellable        *user_cancellable;  /* (owned) (nullable) */

  /* In progress */
  GTask              *task;               /* (unowned): the task owns us as task data */
  GCancellable       *internal;           /* (owned): cancelled when the probe ends */
  gulong              cancel_handler;     /* on user_cancellable; 0 once disconnected */
  GSource            *deadline_source;    /* (owned) (nullable) */
  GSource            *fallback_source;    /* (owned) (nullable) */
  GPtrArray          *queries;            /* (owned) (element-type SntpQuery) */
  guint               sntp_pending;
  gint64              deadline_usec;      /* monotonic */
  gboolean            https_enabled;
  gboolean            https_prepared;
  gboolean            https_started;
  gboolean            https_done;
  HsHttpsJob         *https_job;          /* (owned) (nullable): stopped when the probe ends */
  HsClockMeasurement *result;             /* (owned) (nullable): NULL once returned */
  gboolean            finished;
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

static void
add_attempt (Probe *probe, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
add_attempt (Probe *probe, const char *format, ...)
{
  va_list args;
  char *line;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_debug ("clock probe: %s", line);
  g_ptr_array_add (probe->result->attempts, line);
}

/* ---- server strings ---- */

static gboolean
host_is_plausible (const char *host)
{
  if (*host == '\0' || strlen (host) > 253)
    return FALSE;
  if (g_hostname_is_ip_address (host))
    return TRUE;
  for (const char *p = host; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_port (const char *text, guint16 *port)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    return FALSE;
  *port = (guint16) value;
  return TRUE;
}

/* "host", "host:port", "[v6]", "[v6]:port", bare "v6". */
static gboolean
parse_server (const char *server, char **host_out, guint16 *port_out)
{
  g_autofree char *host = NULL;
  guint16 port = HS_SNTP_DEFAULT_PORT;
  g_autofree char *text = g_strstrip (g_strdup (server ? server : ""));

  if (text[0] == '[')
    {
      char *close = strchr (text, ']');

      if (close == NULL)
        return FALSE;
      host = g_strndup (text + 1, close - text - 1);
      if (!g_hostname_is_ip_address (host) || strchr (host, ':') == NULL)
        return FALSE;
      if (close[1] == ':')
        {
          if (!parse_port (close + 2, &port))
            return FALSE;
        }
      else if (close[1] != '\0')
        return FALSE;
    }
  else
    {
      const char *colon = strchr (text, ':');

      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        {
          /* Several colons: only a bare IPv6 literal makes sense. */
          if (!g_hostname_is_ip_address (text))
            return FALSE;
          host = g_strdup (text);
        }
      else if (colon != NULL)
        {
          host = g_strndup (text, colon - text);
          if (!parse_port (colon + 1, &port))
            return FALSE;
        }
      else
        host = g_strdup (text);
      if (!host_is_plausible (host))
        return FALSE;
    }

  *host_out = g_steal_pointer (&host);
  *port_out = port;
  return TRUE;
}

static char *
format_label (const char *host, guint16 port)
{
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", host, port);
  return g_strdup_printf ("%s:%u", host, port);
}

/* ---- lifetime ---- */

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
sntp_query_close (SntpQuery *q)
{
  destroy_source (&q->recv_source);
  destroy_source (&q->timeout_source);
  if (q->socket != NULL)
    {
      g_socket_close (q->socket, NULL);
      g_clear_object (&q->socket);
    }
}

static void
sntp_query_free (SntpQuery *q)
{
  sntp_query_close (q);
  g_list_free_full (q->addresses, g_object_unref);
  g_free (q->asked);
  g_free (q->label);
  g_free (q->host);
  g_free (q);
}

static void
probe_free (Probe *probe)
{
  destroy_source (&probe->deadline_source);
  destroy_source (&probe->fallback_source);
  g_clear_pointer (&probe->queries, g_ptr_array_unref);
  g_clear_pointer (&probe->https_job, hs_https_job_stop);
  g_clear_object (&probe->internal);
  g_clear_object (&probe->user_cancellable);
  g_clear_pointer (&probe->result, hs_clock_measurement_free);
  g_clear_pointer (&probe->options, hs_clock_probe_options_free);
  g_clear_pointer (&probe->context, g_main_context_unref);
  g_free (probe);
}

static GSource *
attach_timeout (Probe *probe, guint ms, GSourceFunc func, gpointer data)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, probe->context);
  return source;
}

static guint
remaining_ms (Probe *probe)
{
  gint64 left = probe->deadline_usec - g_get_monotonic_time ();

  return left > 0 ? (guint) ((left + 999) / 1000) : 0;
}

/* Ends the probe once: stops every query and returns to the caller. */
static void
probe_finish (Probe *probe)
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
      SntpQuery *q = g_ptr_array_index (probe->queries, i);

      if (!q->done)
        {
          q->done = TRUE;
          add_attempt (probe, "%s: %s", q->label, why);
        }
      sntp_query_close (q);
    }
  if (probe->https_started && !probe->https_done)
    {
      probe->https_done = TRUE;
      add_attempt (probe, "%s: %s", probe->options->https_url, why);
    }

  g_cancellable_cancel (probe->internal);
  /* The HTTPS thread may be deep in TLS set-up: leave it behind. */
  g_clear_pointer (&probe->https_job, hs_https_job_stop);
  /* Waits for a handler running in another thread, so none runs later. */
  if (probe->cancel_handler != 0)
    g_cancellable_disconnect (probe->user_cancellable, probe->cancel_handler);
  probe->cancel_handler = 0;
  destroy_source (&probe->deadline_source);
  destroy_source (&probe->fallback_source);

  if (g_cancellable_is_cancelled (probe->user_cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "Clock measurement cancelled");
  else
    g_task_return_pointer (task, g_steal_pointer (&probe->result),
                           (GDestroyNotify) hs_clock_measurement_free);
  /* The reference taken by measure_async. */
  g_object_unref (task);
}

static void start_https (Probe *probe);

/* Called whenever a source settles without a winner. */
static void
probe_check_exhausted (Probe *probe)
{
  if (probe->finished || probe->sntp_pending > 0)
    return;
  if (probe->https_enabled && !probe->https_started)
    {
      start_https (probe);
      return;
    }
  if (!probe->https_enabled || probe->https_done)
    probe_finish (probe);
}

/* ---- SNTP ---- */

static void
sntp_query_settle (SntpQuery *q)
{
  Probe *probe = q->probe;

  if (q->done)
    return;
  q->done = TRUE;
  sntp_query_close (q);
  g_assert (probe->sntp_pending > 0);
  probe->sntp_pending--;
  probe_check_exhausted (probe);
}

static void
sntp_query_fail (SntpQuery *q, const char *reason)
{
  if (q->done)
    return;
  add_attempt (q->probe, "%s: %s", q->label, reason);
  sntp_query_settle (q);
}

static void
sntp_query_win (SntpQuery *q, const HsSntpReply *reply, guint64 t4)
{
  Probe *probe = q->probe;
  HsClockMeasurement *m = probe->result;
  double theta, delta;

  hs_sntp_compute (q->sent_transmit, reply->receive, reply->transmit, t4, &theta, &delta);
  if (delta < 0)
    delta = 0;   /* server clock coarser than the round trip */

  m->ok = TRUE;
  m->offset_seconds = -theta;
  m->delay_seconds = delta;
  m->uncertainty_seconds = delta / 2.0 + reply->root_dispersion;
  m->source = g_strdup_printf ("ntp://%s", q->label);
  m->method = g_strdup ("sntp");
  add_attempt (probe, "%s: offset %+.6f s, delay %.6f s, stratum %u",
               q->label, m->offset_seconds, delta, reply->stratum);
  q->done = TRUE;
  probe->sntp_pending--;
  probe_finish (probe);
}

static gboolean
sntp_on_readable (GSocket *socket, GIOCondition condition, gpointer data)
{
  SntpQuery *q = data;
  guint8 buffer[512];
  g_autoptr(GError) error = NULL;
  gssize n;
  guint64 t4;
  HsSntpReply reply;
  HsSntpVerdict verdict;

  n = g_socket_receive (socket, (char *) buffer, sizeof buffer, NULL, &error);
  t4 = hs_sntp_timestamp_from_unix_usec (g_get_real_time ());
  if (n < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        sntp_query_fail (q, "connection refused (nothing listening)");
      else
        {
          g_autofree char *reason = g_strdup_printf ("receive failed: %s", error->message);
          sntp_query_fail (q, reason);
        }
      return G_SOURCE_REMOVE;
    }

  /* A reply read past the deadline (the thread was starved) is no verdict:
   * the bound is kept, and T4 would be late anyway. */
  if (g_get_monotonic_time () > q->probe->deadline_usec)
    {
      probe_finish (q->probe);
      return G_SOURCE_REMOVE;
    }

  verdict = hs_sntp_parse_reply (buffer, (gsize) n, q->sent_transmit, &reply);
  if (verdict == HS_SNTP_VERDICT_OK)
    {
      hs_kod_table_note_answer (hs_kod_table_get_default (), q->asked);
      sntp_query_win (q, &reply, t4);
    }
  else if (verdict == HS_SNTP_VERDICT_KISS_O_DEATH)
    {
      /* Genuine: parse_reply checked the echoed timestamp first. */
      gint64 now = g_get_monotonic_time ();
      gint64 until = hs_kod_table_note_kiss (hs_kod_table_get_default (), q->asked,
                                             reply.kiss_code, now);
      g_autofree char *reason = NULL;

      if (until == HS_KOD_FOREVER)
        reason = g_strdup_printf ("%s %s; not asked again while Handshake runs",
                                  hs_sntp_verdict_to_string (verdict), reply.kiss_code);
      else if (until > 0)
        reason = g_strdup_printf ("%s %s; not asked again for %" G_GINT64_FORMAT " s",
                                  hs_sntp_verdict_to_string (verdict), reply.kiss_code,
                                  (until - now) / G_USEC_PER_SEC);
      else
        reason = g_strdup_printf ("%s %s", hs_sntp_verdict_to_string (verdict), reply.kiss_code);
      sntp_query_fail (q, reason);
    }
  else if (verdict == HS_SNTP_VERDICT_TOO_SHORT)
    {
      g_autofree char *reason = g_strdup_printf ("%s: %" G_GSSIZE_FORMAT " bytes",
                                                 hs_sntp_verdict_to_string (verdict), n);
      sntp_query_fail (q, reason);
    }
  else
    {
      sntp_query_fail (q, hs_sntp_verdict_to_string (verdict));
    }
  /* Settled queries have already destroyed this source. */
  return G_SOURCE_REMOVE;
}

static gboolean
sntp_on_timeout (gpointer data)
{
  SntpQuery *q = data;

  g_clear_pointer (&q->timeout_source, g_source_unref);
  sntp_query_fail (q, "timed out");
  return G_SOURCE_REMOVE;
}

/* Tries the remaining resolved addresses until one request goes out. */
static void
sntp_query_send (SntpQuery *q)
{
  Probe *probe = q->probe;
  g_autoptr(GError) last_error = NULL;
  g_autofree char *kissed = NULL;

  while (q->addresses != NULL)
    {
      g_autoptr(GInetAddress) address = q->addresses->data;
      g_autoptr(GSocketAddress) remote = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *ip = g_inet_address_to_string (address);
      g_autofree char *reason = NULL;
      guint8 packet[HS_SNTP_PACKET_SIZE];
      guint timeout;

      q->addresses = g_list_delete_link (q->addresses, q->addresses);
      g_clear_object (&q->socket);
      g_free (q->asked);
      q->asked = format_label (ip, q->port);

      /* RFC 5905 §7.4: a server that kissed us off is left alone. */
      if (hs_kod_table_check (hs_kod_table_get_default (), q->asked, g_get_monotonic_time (),
                              &reason))
        {
          if (kissed == NULL)
            kissed = strcmp (q->asked, q->label) == 0
                     ? g_steal_pointer (&reason)
                     : g_strdup_printf ("%s (%s)", reason, q->asked);
          continue;
        }

      q->socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_DATAGRAM,
                                G_SOCKET_PROTOCOL_UDP, &error);
      if (q->socket == NULL)
        {
          g_propagate_error (&last_error, g_steal_pointer (&error));
          continue;
        }
      g_socket_set_blocking (q->socket, FALSE);
      remote = g_inet_socket_address_new (address, q->port);
      /* A connected socket picks an ephemeral port, drops datagrams from
       * anyone but the server and reports ICMP "port unreachable". */
      if (!g_socket_connect (q->socket, remote, NULL, &error))
        {
          g_clear_error (&last_error);
          g_propagate_error (&last_error, g_steal_pointer (&error));
          continue;
        }

      /* The bits below 1 µs are random, so the echo cannot be guessed. */
      q->sent_transmit = hs_sntp_timestamp_from_unix_usec (g_get_real_time ())
                         | (g_random_int () & 0xfff);
      hs_sntp_build_request (packet, q->sent_transmit);
      if (g_socket_send (q->socket, (const char *) packet, sizeof packet, NULL, &error) < 0)
        {
          g_clear_error (&last_error);
          g_propagate_error (&last_error, g_steal_pointer (&error));
          continue;
        }

      q->recv_source = g_socket_create_source (q->socket, G_IO_IN | G_IO_ERR, probe->internal);
      g_source_set_callback (q->recv_source, (GSourceFunc) (GCallback) sntp_on_readable, q, NULL);
      g_source_attach (q->recv_source, probe->context);

      timeout = MIN (SNTP_QUERY_MAX_MS, remaining_ms (probe));
      q->timeout_source = attach_timeout (probe, MAX (timeout, 1), sntp_on_timeout, q);
      return;
    }

  if (kissed != NULL && last_error == NULL)
    {
      sntp_query_fail (q, kissed);
      return;
    }
  {
    g_autofree char *reason = g_strdup_printf ("could not send: %s",
                                               last_error ? last_error->message : "no address");
    sntp_query_fail (q, reason);
  }
}

typedef struct {
  GTask     *task;   /* (owned) */
  SntpQuery *query;  /* (unowned): kept alive by the probe, which the task keeps */
} ResolveData;

static void
sntp_on_resolved (GObject *object, GAsyncResult *result, gpointer data)
{
  ResolveData *rd = data;
  Probe *probe = g_task_get_task_data (rd->task);
  SntpQuery *q = rd->query;
  g_autoptr(GError) error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  if (!probe->finished && !q->done)
    {
      if (addresses == NULL)
        {
          g_autofree char *reason = g_strdup_printf ("could not resolve: %s", error->message);
          sntp_query_fail (q, reason);
        }
      else
        {
          q->addresses = g_steal_pointer (&addresses);
          sntp_query_send (q);
        }
    }
  g_resolver_free_addresses (addresses);
  g_object_unref (rd->task);
  g_free (rd);
}

static void
sntp_query_start (Probe *probe, SntpQuery *q)
{
  GInetAddress *literal = g_inet_address_new_from_string (q->host);

  if (literal != NULL)
    {
      q->addresses = g_list_append (NULL, literal);
      sntp_query_send (q);
    }
  else
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();
      ResolveData *rd = g_new0 (ResolveData, 1);

      rd->task = g_object_ref (probe->task);
      rd->query = q;
      g_resolver_lookup_by_name_async (resolver, q->host, probe->internal, sntp_on_resolved, rd);
    }
}

/* ---- HTTPS Date ---- */

static void
https_fail (Probe *probe, const char *reason)
{
  if (probe->https_done)
    return;
  probe->https_done = TRUE;
  add_attempt (probe, "%s: %s", probe->options->https_url, reason);
  probe_check_exhausted (probe);
}

/* HTTPS counts as under way from here: no fallback timer is needed. */
static void
https_mark_started (Probe *probe)
{
  probe->https_started = TRUE;
  destroy_source (&probe->fallback_source);
}

/* In the probe's context; never after the job was stopped, so the probe is
 * alive and not finished. */
static void
https_on_outcome (const HsHttpsOutcome *out, gpointer data)
{
  Probe *probe = data;
  HsHttpDateOffset off;
  HsClockMeasurement *m;

  if (probe->finished || probe->https_done)
    return;
  if (out->finished_mono > probe->deadline_usec)
    {
      https_fail (probe, "answered after the overall deadline");
      return;
    }
  if (!probe->https_started)
    /* Only a failure can come before the request was wanted (CA file). */
    https_mark_started (probe);
  if (!out->answered)
    {
      https_fail (probe, out->failure ? out->failure : "failed");
      return;
    }
  /* Tightest bracket around the server's stamp: request headers written
   * (after connect and TLS) to response headers read. */
  if (!hs_http_date_compute (out->date, out->send_usec, out->recv_usec, &off))
    {
      g_autofree char *reason = g_strdup_printf ("unparsable Date header “%s”", out->date);
      https_fail (probe, reason);
      return;
    }

  probe->https_done = TRUE;
  m = probe->result;
  m->ok = TRUE;
  m->offset_seconds = off.offset_seconds;
  m->uncertainty_seconds = off.uncertainty_seconds;
  m->delay_seconds = off.delay_seconds;
  m->source = g_strdup (probe->options->https_url);
  m->method = g_strdup ("https-date");
  m->tls_dates_invalid = out->tls_dates_only;
  add_attempt (probe, "%s: Date “%s”, offset %+.3f s%s", probe->options->https_url, out->date,
               off.offset_seconds,
               out->tls_dates_only ? ", certificate dates invalid (evidence of skew)" : "");
  probe_finish (probe);
}

/* At once, so that the session and the trust store are ready by the time
 * the request is wanted; nothing is sent before start_https(). */
static void
prepare_https (Probe *probe)
{
  g_autoptr(GError) error = NULL;

  if (!probe->https_enabled || probe->https_prepared)
    return;
  probe->https_prepared = TRUE;
  probe->https_job = hs_https_job_start (probe->options->https_url, probe->options->https_ca_file,
                                         probe->deadline_usec, probe->context,
                                         https_on_outcome, probe, &error);
  if (probe->https_job == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("could not start: %s", error->message);

      https_mark_started (probe);
      https_fail (probe, reason);
    }
}

static void
start_https (Probe *probe)
{
  if (probe->finished || !probe->https_enabled)
    return;
  prepare_https (probe);
  if (probe->https_started || probe->https_job == NULL)
    return;
  https_mark_started (probe);
  hs_https_job_go (probe->https_job);
}

static gboolean
on_fallback_time (gpointer data)
{
  Probe *probe = data;

  g_clear_pointer (&probe->fallback_source, g_source_unref);
  start_https (probe);
  return G_SOURCE_REMOVE;
}

static gboolean
on_deadline (gpointer data)
{
  Probe *probe = data;

  g_clear_pointer (&probe->deadline_source, g_source_unref);
  probe_finish (probe);
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled_idle (gpointer data)
{
  probe_finish (g_task_get_task_data (G_TASK (data)));
  return G_SOURCE_REMOVE;
}

/* Any thread: only hands over to the probe's context. A handler rather
 * than a GCancellableSource: GLib 2.74 can leak such a source when the
 * cancellable is cancelled in another thread while the source goes away. */
static void
on_cancelled (GCancellable *cancellable, gpointer data)
{
  Probe *probe = data;
  GSource *idle = g_idle_source_new ();

  /* probe_finish disconnects before dropping its task reference. */
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
  Probe *probe = g_task_get_task_data (G_TASK (data));

  if (probe->finished)
    return G_SOURCE_REMOVE;
  prepare_https (probe);
  for (guint i = 0; i < probe->queries->len && !probe->finished; i++)
    {
      SntpQuery *q = g_ptr_array_index (probe->queries, i);

      if (q->host == NULL)
        sntp_query_fail (q, "invalid server address (expected host, host:port or [v6]:port)");
      else
        sntp_query_start (probe, q);
    }
  probe_check_exhausted (probe);
  return G_SOURCE_REMOVE;
}

void
hs_clock_probe_measure_async (const HsClockProbeOptions *options,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  Probe *probe = g_new0 (Probe, 1);
  GTask *task;
  guint timeout_ms;
  GSource *idle;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  probe->options = hs_clock_probe_options_copy (options);
  probe->context = g_main_context_ref_thread_default ();
  probe->user_cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  probe->internal = g_cancellable_new ();
  probe->queries = g_ptr_array_new_with_free_func ((GDestroyNotify) sntp_query_free);
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
      SntpQuery *q = g_new0 (SntpQuery, 1);

      q->probe = probe;
      if (parse_server (*s, &q->host, &q->port))
        q->label = format_label (q->host, q->port);
      else
        q->label = g_strescape (*s, NULL);
      g_ptr_array_add (probe->queries, q);
      probe->sntp_pending++;
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_clock_probe_measure_async);
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);
  /* GTask refuses return-on-cancel for non-thread tasks; we do it ourselves. */
  g_task_set_check_cancellable (task, FALSE);
  probe->task = task;   /* this reference is dropped by probe_finish */

  timeout_ms = probe->options->timeout_ms ? probe->options->timeout_ms : HS_CLOCK_DEFAULT_TIMEOUT_MS;
  probe->deadline_usec = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  probe->deadline_source = attach_timeout (probe, timeout_ms, on_deadline, probe);
  if (probe->https_enabled)
    probe->fallback_source = attach_timeout (probe, timeout_ms * HTTPS_START_PERCENT / 100,
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
