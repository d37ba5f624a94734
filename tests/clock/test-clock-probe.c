/* test-clock-probe.c — the clock probe against real chronyd and nginx on loopback. */
#include "config.h"

#include <string.h>

#include "hs-clock-probe.h"
#include "hs-kod.h"
#include "hs-test-servers.h"

/* Offsets measured on loopback must match the faked clock this closely. */
#define SNTP_TOLERANCE  0.050
#define HTTPS_TOLERANCE 1.5
/* Allowed lateness past timeout_ms (scheduling on a busy 2-core CI box). */
#define BOUND_MARGIN_MS 500

typedef struct {
  HsTestChrony       *chrony;
  HsTestNginx        *nginx;
  HsTestBadResponder *responder;
  HsClockMeasurement *m;
  GError             *error;
  double              elapsed_ms;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  memset (f, 0, sizeof *f);
  /* Ports are reused between tests: no kiss may carry over. */
  hs_kod_table_clear (hs_kod_table_get_default ());
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
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
static void
measure (Fixture *f, const HsClockProbeOptions *options, GCancellable *cancellable)
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

static gboolean
attempts_contain (HsClockMeasurement *m, const char *needle)
{
  for (guint i = 0; i < m->attempts->len; i++)
    {
      if (strstr (m->attempts->pdata[i], needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
assert_attempt (HsClockMeasurement *m, const char *needle)
{
  if (!attempts_contain (m, needle))
    {
      g_autofree char *all = NULL;

      g_ptr_array_add (m->attempts, NULL);
      all = g_strjoinv ("\n  ", (char **) m->attempts->pdata);
      g_ptr_array_remove_index (m->attempts, m->attempts->len - 1);
      g_error ("no attempt line contains “%s”; attempts:\n  %s", needle, all);
    }
}

static void
assert_no_offset (Fixture *f)
{
  g_assert_no_error (f->error);
  g_assert_nonnull (f->m);
  g_assert_false (f->m->ok);
  g_assert_cmpfloat (f->m->offset_seconds, ==, 0.0);
  g_assert_null (f->m->method);
  g_assert_null (f->m->source);
  g_assert_cmpuint (f->m->attempts->len, >, 0);
}

/* ---- real chronyd ---- */

static void
check_chrony (Fixture *f, const char *faketime, double expected_offset)
{
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "" };
  g_autofree char *source = NULL;

  f->chrony = hs_test_chrony_start (faketime, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_chrony_get_server (f->chrony);
  source = g_strdup_printf ("ntp://%s", servers[0]);

  measure (f, &options, NULL);
  g_assert_no_error (f->error);
  g_assert_true (f->m->ok);
  g_assert_cmpstr (f->m->method, ==, "sntp");
  g_assert_cmpstr (f->m->source, ==, source);
  g_assert_cmpfloat_with_epsilon (f->m->offset_seconds, expected_offset, SNTP_TOLERANCE);
  g_assert_cmpfloat (f->m->delay_seconds, >=, 0.0);
  g_assert_cmpfloat (f->m->delay_seconds, <, 0.1);
  g_assert_cmpfloat (f->m->uncertainty_seconds, >=, f->m->delay_seconds / 2);
  g_assert_cmpfloat (f->m->uncertainty_seconds, <, 0.1);
  g_assert_false (f->m->tls_dates_invalid);
  g_test_message ("faketime %s: measured offset %+.6f s (expected %+.0f)",
                  faketime ? faketime : "none", f->m->offset_seconds, expected_offset);
}

static void
test_chrony_correct (Fixture *f, gconstpointer data)
{
  check_chrony (f, NULL, 0.0);
}

static void
test_chrony_behind_5m (Fixture *f, gconstpointer data)
{
  /* chrony 5 min behind: this computer is 300 s ahead. */
  check_chrony (f, "-5m", +300.0);
}

static void
test_chrony_ahead_2h (Fixture *f, gconstpointer data)
{
  check_chrony (f, "+2h", -7200.0);
}

static void
test_first_valid_wins (Fixture *f, gconstpointer data)
{
  g_autofree char *dead = g_strdup_printf ("127.0.0.1:%u", hs_test_free_udp_port ());
  const char *servers[] = { NULL, NULL, NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "" };

  f->chrony = hs_test_chrony_start ("-5m", &f->error);
  g_assert_no_error (f->error);
  f->responder = hs_test_bad_responder_start (HS_TEST_REPLY_SILENT, &f->error);
  g_assert_no_error (f->error);
  servers[0] = dead;
  servers[1] = hs_test_bad_responder_get_server (f->responder);
  servers[2] = hs_test_chrony_get_server (f->chrony);

  measure (f, &options, NULL);
  g_assert_no_error (f->error);
  g_assert_true (f->m->ok);
  g_assert_cmpfloat_with_epsilon (f->m->offset_seconds, 300.0, SNTP_TOLERANCE);
  g_assert_true (g_str_has_suffix (f->m->source, hs_test_chrony_get_server (f->chrony)));
  /* The silent server did not hold the answer back, yet was asked too. */
  g_assert_cmpfloat (f->elapsed_ms, <, 1000);
  for (int i = 0; i < 100 && hs_test_bad_responder_get_count (f->responder) == 0; i++)
    g_usleep (10000);
  g_assert_cmpuint (hs_test_bad_responder_get_count (f->responder), ==, 1);
  assert_attempt (f->m, "another source answered first");
}

/* ---- failures, https disabled ---- */

static void
test_dead_port (Fixture *f, gconstpointer data)
{
  g_autofree char *dead = g_strdup_printf ("127.0.0.1:%u", hs_test_free_udp_port ());
  const char *servers[] = { dead, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "", .timeout_ms = 2000 };

  measure (f, &options, NULL);
  assert_no_offset (f);
  assert_attempt (f->m, dead);
  g_assert_true (attempts_contain (f->m, "connection refused") || attempts_contain (f->m, "timed out"));
  g_assert_cmpfloat (f->elapsed_ms, <, 2000 + BOUND_MARGIN_MS);
}

static void
test_silent_server (Fixture *f, gconstpointer data)
{
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "", .timeout_ms = 1000 };

  f->responder = hs_test_bad_responder_start (HS_TEST_REPLY_SILENT, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_bad_responder_get_server (f->responder);

  measure (f, &options, NULL);
  assert_no_offset (f);
  assert_attempt (f->m, "timed out");
  g_assert_cmpfloat (f->elapsed_ms, >=, 500);
  g_assert_cmpfloat (f->elapsed_ms, <, 1000 + BOUND_MARGIN_MS);
}

typedef struct {
  HsTestReplyKind kind;
  const char     *reason;
} BadCase;

static const BadCase bad_cases[] = {
  { HS_TEST_REPLY_TRUNCATED, "reply too short" },
  { HS_TEST_REPLY_SPOOFED, "originate timestamp mismatch" },
  { HS_TEST_REPLY_UNSYNCHRONISED, "server clock not synchronised" },
  { HS_TEST_REPLY_KOD_RATE, "Kiss-o'-Death RATE" },
  { HS_TEST_REPLY_KOD_DENY, "Kiss-o'-Death DENY" },
  { HS_TEST_REPLY_MODE_CLIENT, "not in server mode" },
  { HS_TEST_REPLY_MODE_BROADCAST, "not in server mode" },
  { HS_TEST_REPLY_ZERO_TRANSMIT, "transmit timestamp is zero" },
  { HS_TEST_REPLY_BAD_STRATUM, "invalid stratum" },
};

static void
test_bad_reply (Fixture *f, gconstpointer data)
{
  const BadCase *c = data;
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "", .timeout_ms = 2000 };
  g_autofree char *line = NULL;

  f->responder = hs_test_bad_responder_start (c->kind, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_bad_responder_get_server (f->responder);

  measure (f, &options, NULL);
  assert_no_offset (f);
  g_assert_cmpuint (f->m->attempts->len, ==, 1);
  line = g_strdup_printf ("%s: ", servers[0]);
  g_assert_true (g_str_has_prefix (f->m->attempts->pdata[0], line));
  assert_attempt (f->m, c->reason);
  /* A rejected reply settles the query at once, not at the timeout. */
  g_assert_cmpfloat (f->elapsed_ms, <, 1000);
}

static void
test_good_responder (Fixture *f, gconstpointer data)
{
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "" };

  /* The control for the bad replies: same responder, valid packet. */
  f->responder = hs_test_bad_responder_start (HS_TEST_REPLY_GOOD, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_bad_responder_get_server (f->responder);

  measure (f, &options, NULL);
  g_assert_no_error (f->error);
  g_assert_true (f->m->ok);
  g_assert_cmpfloat_with_epsilon (f->m->offset_seconds, 0.0, SNTP_TOLERANCE);
}

static void
test_server_strings (Fixture *f, gconstpointer data)
{
  const char *servers[] = { "not a host!", "127.0.0.1:99999", "[::1", "127.0.0.1:abc",
                            "[::1]:0", "", NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "", .timeout_ms = 2000 };
  g_autofree char *v6 = NULL;

  measure (f, &options, NULL);
  assert_no_offset (f);
  g_assert_cmpuint (f->m->attempts->len, ==, 6);
  for (guint i = 0; i < f->m->attempts->len; i++)
    g_assert_nonnull (strstr (f->m->attempts->pdata[i], "invalid server address"));
  g_assert_cmpfloat (f->elapsed_ms, <, 200);

  /* "[v6]:port" and bare "host" are accepted (IPv6 loopback may be absent:
   * any outcome but "invalid" is fine). */
  v6 = g_strdup_printf ("[::1]:%u", hs_test_free_udp_port ());
  servers[0] = v6;
  servers[1] = "localhost";
  servers[2] = NULL;
  options.timeout_ms = 1000;
  measure (f, &options, NULL);
  g_assert_no_error (f->error);
  g_assert_false (attempts_contain (f->m, "invalid server address"));
  assert_attempt (f->m, v6);
  assert_attempt (f->m, "localhost:123");
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (200000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "", .timeout_ms = 3000 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GThread *canceller;

  f->responder = hs_test_bad_responder_start (HS_TEST_REPLY_SILENT, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_bad_responder_get_server (f->responder);

  /* Cancelled from another thread: the callback still comes in ours. */
  canceller = g_thread_new ("canceller", cancel_later, cancellable);
  measure (f, &options, cancellable);
  g_thread_join (canceller);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (f->m);
  g_assert_cmpfloat (f->elapsed_ms, <, 1000);
}

/* ---- HTTPS Date fallback ---- */

static void
check_https (Fixture *f, const char *faketime, HsTestCertKind cert, double expected,
             gboolean expect_dates_invalid)
{
  g_autofree char *dead = g_strdup_printf ("127.0.0.1:%u", hs_test_free_udp_port ());
  const char *servers[] = { dead, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers };

  f->nginx = hs_test_nginx_start (faketime, cert, &f->error);
  g_assert_no_error (f->error);
  options.https_url = (char *) hs_test_nginx_get_url (f->nginx);
  options.https_ca_file = (char *) hs_test_nginx_get_ca_file (f->nginx);

  measure (f, &options, NULL);
  g_assert_no_error (f->error);
  g_assert_true (f->m->ok);
  g_assert_cmpstr (f->m->method, ==, "https-date");
  g_assert_cmpstr (f->m->source, ==, options.https_url);
  g_assert_cmpfloat_with_epsilon (f->m->offset_seconds, expected, HTTPS_TOLERANCE);
  g_assert_cmpfloat (f->m->uncertainty_seconds, >=, 0.5);
  g_assert_cmpint (f->m->tls_dates_invalid, ==, expect_dates_invalid);
  assert_attempt (f->m, dead);
  g_assert_cmpfloat (f->elapsed_ms, <, HS_CLOCK_DEFAULT_TIMEOUT_MS + BOUND_MARGIN_MS);
  g_test_message ("https faketime %s: measured offset %+.3f s (expected %+.0f), tls_dates_invalid=%d",
                  faketime ? faketime : "none", f->m->offset_seconds, expected,
                  f->m->tls_dates_invalid);
}

static void
test_https_fallback (Fixture *f, gconstpointer data)
{
  check_https (f, "-10m", HS_TEST_CERT_VALID, +600.0, FALSE);
}

static void
test_https_expired (Fixture *f, gconstpointer data)
{
  check_https (f, "-10m", HS_TEST_CERT_EXPIRED, +600.0, TRUE);
}

static void
test_https_not_yet_valid (Fixture *f, gconstpointer data)
{
  check_https (f, "+1h", HS_TEST_CERT_NOT_YET_VALID, -3600.0, TRUE);
}

static void
test_https_at_sixty_percent (Fixture *f, gconstpointer data)
{
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .timeout_ms = 2000 };

  /* SNTP stays silent (no refusal): HTTPS must start at 60 % of the budget,
   * before the 1.5 s per-query bound, and still win in time. */
  f->responder = hs_test_bad_responder_start (HS_TEST_REPLY_SILENT, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_bad_responder_get_server (f->responder);
  f->nginx = hs_test_nginx_start ("+3m", HS_TEST_CERT_VALID, &f->error);
  g_assert_no_error (f->error);
  options.https_url = (char *) hs_test_nginx_get_url (f->nginx);
  options.https_ca_file = (char *) hs_test_nginx_get_ca_file (f->nginx);

  measure (f, &options, NULL);
  g_assert_no_error (f->error);
  g_assert_true (f->m->ok);
  g_assert_cmpstr (f->m->method, ==, "https-date");
  g_assert_cmpfloat_with_epsilon (f->m->offset_seconds, -180.0, HTTPS_TOLERANCE);
  g_assert_cmpfloat (f->elapsed_ms, >=, 1150);
  g_assert_cmpfloat (f->elapsed_ms, <, 2000 + BOUND_MARGIN_MS);
  /* Had HTTPS waited for the SNTP bound, this line would say "timed out". */
  assert_attempt (f->m, "another source answered first");
}

static void
test_https_untrusted (Fixture *f, gconstpointer data)
{
  g_autofree char *dead = g_strdup_printf ("127.0.0.1:%u", hs_test_free_udp_port ());
  const char *servers[] = { dead, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers };

  /* Expired AND signed by an unknown CA: not only dates, so no offset. */
  f->nginx = hs_test_nginx_start ("-10m", HS_TEST_CERT_EXPIRED, &f->error);
  g_assert_no_error (f->error);
  options.https_url = (char *) hs_test_nginx_get_url (f->nginx);

  measure (f, &options, NULL);
  assert_no_offset (f);
  g_assert_false (f->m->tls_dates_invalid);
  assert_attempt (f->m, "TLS certificate rejected");
  assert_attempt (f->m, "unknown issuer");
}

static void
test_nothing_reachable (Fixture *f, gconstpointer data)
{
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .timeout_ms = 2000 };
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;

  /* SNTP never answers; the HTTPS server accepts TCP but never speaks TLS. */
  f->responder = hs_test_bad_responder_start (HS_TEST_REPLY_SILENT, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_bad_responder_get_server (f->responder);
  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_assert_true (g_socket_bind (listener, any, TRUE, NULL));
  g_assert_true (g_socket_listen (listener, NULL));
  bound = g_socket_get_local_address (listener, NULL);
  url = g_strdup_printf ("https://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  options.https_url = url;

  measure (f, &options, NULL);
  assert_no_offset (f);
  assert_attempt (f->m, url);
  assert_attempt (f->m, servers[0]);
  g_assert_cmpfloat (f->elapsed_ms, >=, 1900);
  g_assert_cmpfloat (f->elapsed_ms, <, 2000 + BOUND_MARGIN_MS);
}

static void
test_https_refused (Fixture *f, gconstpointer data)
{
  g_autofree char *dead = g_strdup_printf ("127.0.0.1:%u", hs_test_free_udp_port ());
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/", hs_test_free_tcp_port ());
  const char *servers[] = { dead, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = url };

  /* Everything refuses at once: no reason to wait for the deadline. */
  measure (f, &options, NULL);
  assert_no_offset (f);
  assert_attempt (f->m, url);
  g_assert_cmpfloat (f->elapsed_ms, <, 1000);
}

/* ---- Kiss-o'-Death: remembered across probes in the process ---- */

static void
test_kod_rate_backoff (Fixture *f, gconstpointer data)
{
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "", .timeout_ms = 2000 };

  f->responder = hs_test_bad_responder_start (HS_TEST_REPLY_KOD_RATE, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_bad_responder_get_server (f->responder);

  measure (f, &options, NULL);
  assert_no_offset (f);
  assert_attempt (f->m, "Kiss-o'-Death RATE; not asked again for 64 s");
  g_assert_cmpuint (hs_test_bad_responder_get_count (f->responder), ==, 1);

  /* The UI checks again: the server is not asked, and the verdict says why
   * at once instead of waiting for a timeout. */
  measure (f, &options, NULL);
  assert_no_offset (f);
  assert_attempt (f->m, "not asked: it asked us to slow down (Kiss-o'-Death RATE)");
  g_assert_cmpfloat (f->elapsed_ms, <, 500);
  g_usleep (50000);
  g_assert_cmpuint (hs_test_bad_responder_get_count (f->responder), ==, 1);
}

static void
test_kod_refusal_is_final (Fixture *f, gconstpointer data)
{
  HsTestReplyKind kind = GPOINTER_TO_INT (data);
  const char *code = kind == HS_TEST_REPLY_KOD_DENY ? "DENY" : "RSTR";
  const char *servers[] = { NULL, NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "", .timeout_ms = 2000 };
  g_autoptr(HsTestBadResponder) good = NULL;
  g_autofree char *kiss = g_strdup_printf ("Kiss-o'-Death %s; not asked again while Handshake runs", code);
  g_autofree char *skip = g_strdup_printf ("not asked: it refused us earlier (Kiss-o'-Death %s)", code);

  f->responder = hs_test_bad_responder_start (kind, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_bad_responder_get_server (f->responder);

  measure (f, &options, NULL);
  assert_no_offset (f);
  assert_attempt (f->m, kiss);

  /* Later probes, next to a good server: the refusing one is never asked. */
  good = hs_test_bad_responder_start (HS_TEST_REPLY_GOOD, &f->error);
  g_assert_no_error (f->error);
  servers[1] = hs_test_bad_responder_get_server (good);
  for (int i = 0; i < 3; i++)
    {
      measure (f, &options, NULL);
      g_assert_no_error (f->error);
      g_assert_true (f->m->ok);
      g_assert_true (g_str_has_suffix (f->m->source, servers[1]));
      assert_attempt (f->m, skip);
    }
  g_usleep (50000);
  g_assert_cmpuint (hs_test_bad_responder_get_count (f->responder), ==, 1);
  g_assert_cmpuint (hs_test_bad_responder_get_count (good), ==, 3);
}


#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int argc, char **argv)
{
  static const char * const bad_names[] = {
    "truncated", "spoofed", "unsynchronised", "kod-rate", "kod-deny", "mode-client",
    "mode-broadcast", "zero-transmit", "bad-stratum",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (bad_names) == G_N_ELEMENTS (bad_cases));
  g_test_init (&argc, &argv, NULL);

  ADD ("/clock/probe/chrony/correct", test_chrony_correct);
  ADD ("/clock/probe/chrony/behind-5m", test_chrony_behind_5m);
  ADD ("/clock/probe/chrony/ahead-2h", test_chrony_ahead_2h);
  ADD ("/clock/probe/sntp/first-valid-wins", test_first_valid_wins);
  ADD ("/clock/probe/sntp/dead-port", test_dead_port);
  ADD ("/clock/probe/sntp/silent", test_silent_server);
  ADD ("/clock/probe/sntp/good-responder", test_good_responder);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/clock/probe/sntp/bad/%s", bad_names[i]);
      g_test_add (path, Fixture, &bad_cases[i], fixture_setup, test_bad_reply, fixture_teardown);
    }
  ADD ("/clock/probe/sntp/server-strings", test_server_strings);
  ADD ("/clock/probe/sntp/kod/rate-backoff", test_kod_rate_backoff);
  g_test_add ("/clock/probe/sntp/kod/deny-final", Fixture, GINT_TO_POINTER (HS_TEST_REPLY_KOD_DENY),
              fixture_setup, test_kod_refusal_is_final, fixture_teardown);
  g_test_add ("/clock/probe/sntp/kod/rstr-final", Fixture, GINT_TO_POINTER (HS_TEST_REPLY_KOD_RSTR),
              fixture_setup, test_kod_refusal_is_final, fixture_teardown);
  ADD ("/clock/probe/cancel", test_cancel);
  ADD ("/clock/probe/https/fallback", test_https_fallback);
  ADD ("/clock/probe/https/expired-cert", test_https_expired);
  ADD ("/clock/probe/https/not-yet-valid-cert", test_https_not_yet_valid);
  ADD ("/clock/probe/https/untrusted", test_https_untrusted);
  ADD ("/clock/probe/https/at-sixty-percent", test_https_at_sixty_percent);
  ADD ("/clock/probe/https/refused", test_https_refused);
  ADD ("/clock/probe/nothing-reachable", test_nothing_reachable);

  return g_test_run ();
}
