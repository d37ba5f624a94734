/* hs-test-responder.c — an in-process UDP responder sending chosen
 * (mostly malformed) SNTP replies. */
#include "hs-test-servers-private.h"

#include <string.h>

/* ---- bad responder ---- */

struct _HsTestBadResponder {
  HsTestReplyKind kind;
  GSocket        *socket;
  GCancellable   *cancellable;
  GThread        *thread;
  char           *server;
  guint16         port;
  gint            count;   /* atomic */
  gint            delay_ms;   /* atomic; HS_TEST_REPLY_DELAYED */
};

double
hs_test_erratic_shift (guint n)
{
  /* -10 min, +1 h 10 min, -2 h 10 min, +3 h 10 min, -4 h 10 min, +10 min, … */
  double s = 600.0 + 3600.0 * (n % 5);
  return (n % 2) ? s : -s;
}

void
hs_test_bad_responder_set_delay_ms (HsTestBadResponder *responder, guint ms)
{
  g_atomic_int_set (&responder->delay_ms, (gint) ms);
}

static gssize
craft_reply (HsTestReplyKind kind, const guint8 *request, guint8 *reply, guint n)
{
  guint64 now = hs_test_ntp_now ();
  if (kind == HS_TEST_REPLY_ERRATIC)
    now += (guint64) (gint64) (hs_test_erratic_shift (n) * 4294967296.0);
  guint8 leap = 0, mode = 4, stratum = 1;
  const char *refid = "LOCL";
  guint64 originate = hs_test_get_u64 (request + 40);
  guint64 transmit = now;

  switch (kind)
    {
    case HS_TEST_REPLY_SPOOFED:
      originate ^= G_GUINT64_CONSTANT (0x0000123400005678);
      break;
    case HS_TEST_REPLY_UNSYNCHRONISED:
      leap = 3;
      break;
    case HS_TEST_REPLY_KOD_RATE:
      stratum = 0, leap = 3, refid = "RATE";
      break;
    case HS_TEST_REPLY_KOD_DENY:
      stratum = 0, leap = 3, refid = "DENY";
      break;
    case HS_TEST_REPLY_KOD_RSTR:
      stratum = 0, leap = 3, refid = "RSTR";
      break;
    case HS_TEST_REPLY_MODE_CLIENT:
      mode = 3;
      break;
    case HS_TEST_REPLY_MODE_BROADCAST:
      mode = 5;
      break;
    case HS_TEST_REPLY_ZERO_TRANSMIT:
      transmit = 0;
      break;
    case HS_TEST_REPLY_BAD_STRATUM:
      stratum = 16;
      break;
    default:
      break;
    }

  memset (reply, 0, 48);
  reply[0] = (guint8) ((leap << 6) | (4 << 3) | mode);
  reply[1] = stratum;
  reply[2] = 4;                    /* poll */
  reply[3] = (guint8) -20;         /* precision ≈ 1 µs */
  reply[11] = 0x10;                /* root dispersion ≈ 0.24 ms */
  memcpy (reply + 12, refid, 4);
  hs_test_put_u64 (reply + 16, now);       /* reference */
  hs_test_put_u64 (reply + 24, originate);
  hs_test_put_u64 (reply + 32, now);       /* receive */
  hs_test_put_u64 (reply + 40, transmit);
  return kind == HS_TEST_REPLY_TRUNCATED ? 20 : 48;
}

static gpointer
responder_thread (gpointer data)
{
  HsTestBadResponder *r = data;

  for (;;)
    {
      g_autoptr(GSocketAddress) from = NULL;
      g_autoptr(GError) error = NULL;
      guint8 request[512], reply[48];
      gssize n, len;

      n = g_socket_receive_from (r->socket, &from, (char *) request, sizeof request,
                                 r->cancellable, &error);
      if (n < 0)
        {
          if (g_cancellable_is_cancelled (r->cancellable))
            break;
          continue;
        }
      guint index = (guint) g_atomic_int_add (&r->count, 1);
      if (n < 48 || r->kind == HS_TEST_REPLY_SILENT)
        continue;
      if (r->kind == HS_TEST_REPLY_DELAYED)
        {
          /* hold the reply, but stop promptly when the responder stops */
          for (gint waited = 0; waited < g_atomic_int_get (&r->delay_ms); waited += 10)
            {
              if (g_cancellable_is_cancelled (r->cancellable))
                return NULL;
              g_usleep (10 * 1000);
            }
        }
      len = craft_reply (r->kind, request, reply, index);
      g_socket_send_to (r->socket, from, (const char *) reply, len, NULL, NULL);
    }
  return NULL;
}

HsTestBadResponder *
hs_test_bad_responder_start (HsTestReplyKind kind, GError **error)
{
  g_autoptr(HsTestBadResponder) r = g_new0 (HsTestBadResponder, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  r->kind = kind;
  r->delay_ms = 5000;
  r->cancellable = g_cancellable_new ();
  r->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
                            error);
  if (r->socket == NULL || !g_socket_bind (r->socket, any, FALSE, error))
    return NULL;
  bound = g_socket_get_local_address (r->socket, error);
  if (bound == NULL)
    return NULL;
  r->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  r->server = g_strdup_printf ("127.0.0.1:%u", r->port);
  r->thread = g_thread_new ("hs-bad-responder", responder_thread, r);
  hs_test_registry_add (r, (GDestroyNotify) hs_test_bad_responder_stop, NULL);
  return g_steal_pointer (&r);
}

guint16
hs_test_bad_responder_get_port (HsTestBadResponder *responder)
{
  return responder->port;
}

const char *
hs_test_bad_responder_get_server (HsTestBadResponder *responder)
{
  return responder->server;
}

guint
hs_test_bad_responder_get_count (HsTestBadResponder *responder)
{
  return (guint) g_atomic_int_get (&responder->count);
}

void
hs_test_bad_responder_stop (HsTestBadResponder *responder)
{
  if (responder == NULL)
    return;
  hs_test_registry_remove (responder);
  g_cancellable_cancel (responder->cancellable);
  if (responder->thread != NULL)
    g_thread_join (responder->thread);
  if (responder->socket != NULL)
    g_socket_close (responder->socket, NULL);
  g_clear_object (&responder->socket);
  g_clear_object (&responder->cancellable);
  g_free (responder->server);
  g_free (responder);
}
