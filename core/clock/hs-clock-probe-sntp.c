/* hs-clock-probe-sntp.c — the probe's SNTP queries: one per server
 * string, resolved, sent to each address in turn until one request goes
 * out, answered or timed out; the first valid answer wins the probe. */
#include "config.h"

#include <string.h>

#include "hs-clock-probe-private.h"
#include "hs-kod.h"
#include "hs-sntp.h"

/* Each SNTP query gets at most this long (or the rest of the budget). */
#define SNTP_QUERY_MAX_MS   1500

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

gboolean
hs_clock_server_is_valid (const char *server)
{
  g_autofree char *host = NULL;
  guint16 port;

  return server != NULL && parse_server (server, &host, &port);
}

static char *
format_label (const char *host, guint16 port)
{
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", host, port);
  return g_strdup_printf ("%s:%u", host, port);
}

/* A query of one server string; an unusable string gives a query with no
 * host, which fails at once when started. */
HsClockQuery *
hs_clock_query_new (HsClockProbe *probe, const char *server)
{
  HsClockQuery *q = g_new0 (HsClockQuery, 1);

  q->probe = probe;
  if (parse_server (server, &q->host, &q->port))
    q->label = format_label (q->host, q->port);
  else
    q->label = g_strescape (server, NULL);
  return q;
}

void
hs_clock_query_close (HsClockQuery *q)
{
  hs_clock_probe_destroy_source (&q->recv_source);
  hs_clock_probe_destroy_source (&q->timeout_source);
  if (q->socket != NULL)
    {
      g_socket_close (q->socket, NULL);
      g_clear_object (&q->socket);
    }
}

void
hs_clock_query_free (HsClockQuery *q)
{
  hs_clock_query_close (q);
  g_list_free_full (q->addresses, g_object_unref);
  g_free (q->asked);
  g_free (q->label);
  g_free (q->host);
  g_free (q);
}

/* ---- SNTP ---- */

static void
sntp_query_settle (HsClockQuery *q)
{
  HsClockProbe *probe = q->probe;

  if (q->done)
    return;
  q->done = TRUE;
  hs_clock_query_close (q);
  g_assert (probe->sntp_pending > 0);
  probe->sntp_pending--;
  hs_clock_probe_check_exhausted (probe);
}

void
hs_clock_query_fail (HsClockQuery *q, const char *reason)
{
  if (q->done)
    return;
  hs_clock_probe_add_attempt (q->probe, "%s: %s", q->label, reason);
  sntp_query_settle (q);
}

static void
sntp_query_win (HsClockQuery *q, const HsSntpReply *reply, guint64 t4)
{
  HsClockProbe *probe = q->probe;
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
  hs_clock_probe_add_attempt (probe, "%s: offset %+.6f s, delay %.6f s, stratum %u",
               q->label, m->offset_seconds, delta, reply->stratum);
  q->done = TRUE;
  probe->sntp_pending--;
  hs_clock_probe_finish (probe);
}

static gboolean
sntp_on_readable (GSocket *socket, GIOCondition condition, gpointer data)
{
  HsClockQuery *q = data;
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
        hs_clock_query_fail (q, "connection refused (nothing listening)");
      else
        {
          g_autofree char *reason = g_strdup_printf ("receive failed: %s", error->message);
          hs_clock_query_fail (q, reason);
        }
      return G_SOURCE_REMOVE;
    }

  /* A reply read past the deadline (the thread was starved) is no verdict:
   * the bound is kept, and T4 would be late anyway. */
  if (g_get_monotonic_time () > q->probe->deadline_usec)
    {
      hs_clock_probe_finish (q->probe);
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
      hs_clock_query_fail (q, reason);
    }
  else if (verdict == HS_SNTP_VERDICT_TOO_SHORT)
    {
      g_autofree char *reason = g_strdup_printf ("%s: %" G_GSSIZE_FORMAT " bytes",
                                                 hs_sntp_verdict_to_string (verdict), n);
      hs_clock_query_fail (q, reason);
    }
  else
    {
      hs_clock_query_fail (q, hs_sntp_verdict_to_string (verdict));
    }
  /* Settled queries have already destroyed this source. */
  return G_SOURCE_REMOVE;
}

static gboolean
sntp_on_timeout (gpointer data)
{
  HsClockQuery *q = data;

  g_clear_pointer (&q->timeout_source, g_source_unref);
  hs_clock_query_fail (q, "timed out");
  return G_SOURCE_REMOVE;
}

/* Tries the remaining resolved addresses until one request goes out. */
static void
sntp_query_send (HsClockQuery *q)
{
  HsClockProbe *probe = q->probe;
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

      timeout = MIN (SNTP_QUERY_MAX_MS, hs_clock_probe_remaining_ms (probe));
      q->timeout_source = hs_clock_probe_attach_timeout (probe, MAX (timeout, 1), sntp_on_timeout, q);
      return;
    }

  if (kissed != NULL && last_error == NULL)
    {
      hs_clock_query_fail (q, kissed);
      return;
    }
  {
    g_autofree char *reason = g_strdup_printf ("could not send: %s",
                                               last_error ? last_error->message : "no address");
    hs_clock_query_fail (q, reason);
  }
}

typedef struct {
  GTask     *task;   /* (owned) */
  HsClockQuery *query;  /* (unowned): kept alive by the probe, which the task keeps */
} ResolveData;

static void
sntp_on_resolved (GObject *object, GAsyncResult *result, gpointer data)
{
  ResolveData *rd = data;
  HsClockProbe *probe = g_task_get_task_data (rd->task);
  HsClockQuery *q = rd->query;
  g_autoptr(GError) error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  if (!probe->finished && !q->done)
    {
      if (addresses == NULL)
        {
          g_autofree char *reason = g_strdup_printf ("could not resolve: %s", error->message);
          hs_clock_query_fail (q, reason);
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

void
hs_clock_query_start (HsClockQuery *q)
{
  HsClockProbe *probe = q->probe;
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

