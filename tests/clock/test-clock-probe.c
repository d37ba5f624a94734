/* test-clock-probe.c — the clock probe against real chronyd and bad SNTP
 * responders on loopback (the HTTPS Date fallback: test-clock-probe-https.c). */
#include "config.h"

#include <string.h>

#include "hs-clock-probe.h"
#include "hs-kod.h"
#include "hs-test-probe.h"

/* ---- real chronyd ---- */

static void
check_chrony (HsTestProbeFixture *f, const char *faketime, double expected_offset)
{
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "" };
  g_autofree char *source = NULL;

  f->chrony = hs_test_chrony_start (faketime, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_chrony_get_server (f->chrony);
  source = g_strdup_printf ("ntp://%s", servers[0]);

  hs_test_probe_measure (f, &options, NULL);
  g_assert_no_error (f->error);
  g_assert_true (f->m->ok);
  g_assert_cmpstr (f->m->method, ==, "sntp");
  g_assert_cmpstr (f->m->source, ==, source);
  g_assert_cmpfloat_with_epsilon (f->m->offset_seconds, expected_offset, HS_TEST_SNTP_TOLERANCE);
  g_assert_cmpfloat (f->m->delay_seconds, >=, 0.0);
  g_assert_cmpfloat (f->m->delay_seconds, <, 0.1);
  g_assert_cmpfloat (f->m->uncertainty_seconds, >=, f->m->delay_seconds / 2);
  g_assert_cmpfloat (f->m->uncertainty_seconds, <, 0.1);
  g_assert_false (f->m->tls_dates_invalid);
  g_test_message ("faketime %s: measured offset %+.6f s (expected %+.0f)",
                  faketime ? faketime : "none", f->m->offset_seconds, expected_offset);
}

static void
test_chrony_correct (HsTestProbeFixture *f, gconstpointer data)
{
  check_chrony (f, NULL, 0.0);
}

static void
test_chrony_behind_5m (HsTestProbeFixture *f, gconstpointer data)
{
  /* chrony 5 min behind: this computer is 300 s ahead. */
  check_chrony (f, "-5m", +300.0);
}

static void
test_chrony_ahead_2h (HsTestProbeFixture *f, gconstpointer data)
{
  check_chrony (f, "+2h", -7200.0);
}

static void
test_first_valid_wins (HsTestProbeFixture *f, gconstpointer data)
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

  hs_test_probe_measure (f, &options, NULL);
  g_assert_no_error (f->error);
  g_assert_true (f->m->ok);
  g_assert_cmpfloat_with_epsilon (f->m->offset_seconds, 300.0, HS_TEST_SNTP_TOLERANCE);
  g_assert_true (g_str_has_suffix (f->m->source, hs_test_chrony_get_server (f->chrony)));
  /* The silent server did not hold the answer back, yet was asked too. */
  g_assert_cmpfloat (f->elapsed_ms, <, 1000);
  for (int i = 0; i < 100 && hs_test_bad_responder_get_count (f->responder) == 0; i++)
    g_usleep (10000);
  g_assert_cmpuint (hs_test_bad_responder_get_count (f->responder), ==, 1);
  hs_test_assert_attempt (f->m, "another source answered first");
}

/* ---- failures, https disabled ---- */

static void
test_dead_port (HsTestProbeFixture *f, gconstpointer data)
{
  g_autofree char *dead = g_strdup_printf ("127.0.0.1:%u", hs_test_free_udp_port ());
  const char *servers[] = { dead, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "", .timeout_ms = 2000 };

  hs_test_probe_measure (f, &options, NULL);
  hs_test_assert_no_offset (f);
  hs_test_assert_attempt (f->m, dead);
  g_assert_true (hs_test_attempts_contain (f->m, "connection refused") || hs_test_attempts_contain (f->m, "timed out"));
  g_assert_cmpfloat (f->elapsed_ms, <, 2000 + HS_TEST_BOUND_MARGIN_MS);
}

static void
test_silent_server (HsTestProbeFixture *f, gconstpointer data)
{
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "", .timeout_ms = 1000 };

  f->responder = hs_test_bad_responder_start (HS_TEST_REPLY_SILENT, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_bad_responder_get_server (f->responder);

  hs_test_probe_measure (f, &options, NULL);
  hs_test_assert_no_offset (f);
  hs_test_assert_attempt (f->m, "timed out");
  g_assert_cmpfloat (f->elapsed_ms, >=, 500);
  g_assert_cmpfloat (f->elapsed_ms, <, 1000 + HS_TEST_BOUND_MARGIN_MS);
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
test_bad_reply (HsTestProbeFixture *f, gconstpointer data)
{
  const BadCase *c = data;
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "", .timeout_ms = 2000 };
  g_autofree char *line = NULL;

  f->responder = hs_test_bad_responder_start (c->kind, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_bad_responder_get_server (f->responder);

  hs_test_probe_measure (f, &options, NULL);
  hs_test_assert_no_offset (f);
  g_assert_cmpuint (f->m->attempts->len, ==, 1);
  line = g_strdup_printf ("%s: ", servers[0]);
  g_assert_true (g_str_has_prefix (f->m->attempts->pdata[0], line));
  hs_test_assert_attempt (f->m, c->reason);
  /* A rejected reply settles the query at once, not at the timeout. */
  g_assert_cmpfloat (f->elapsed_ms, <, 1000);
}

static void
test_good_responder (HsTestProbeFixture *f, gconstpointer data)
{
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "" };

  /* The control for the bad replies: same responder, valid packet. */
  f->responder = hs_test_bad_responder_start (HS_TEST_REPLY_GOOD, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_bad_responder_get_server (f->responder);

  hs_test_probe_measure (f, &options, NULL);
  g_assert_no_error (f->error);
  g_assert_true (f->m->ok);
  g_assert_cmpfloat_with_epsilon (f->m->offset_seconds, 0.0, HS_TEST_SNTP_TOLERANCE);
}

static void
test_server_strings (HsTestProbeFixture *f, gconstpointer data)
{
  const char *servers[] = { "not a host!", "127.0.0.1:99999", "[::1", "127.0.0.1:abc",
                            "[::1]:0", "", NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "", .timeout_ms = 2000 };
  g_autofree char *v6 = NULL;

  hs_test_probe_measure (f, &options, NULL);
  hs_test_assert_no_offset (f);
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
  hs_test_probe_measure (f, &options, NULL);
  g_assert_no_error (f->error);
  g_assert_false (hs_test_attempts_contain (f->m, "invalid server address"));
  hs_test_assert_attempt (f->m, v6);
  hs_test_assert_attempt (f->m, "localhost:123");
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (200000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel (HsTestProbeFixture *f, gconstpointer data)
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
  hs_test_probe_measure (f, &options, cancellable);
  g_thread_join (canceller);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (f->m);
  g_assert_cmpfloat (f->elapsed_ms, <, 1000);
}

/* ---- Kiss-o'-Death: remembered across probes in the process ---- */

static void
test_kod_rate_backoff (HsTestProbeFixture *f, gconstpointer data)
{
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = "", .timeout_ms = 2000 };

  f->responder = hs_test_bad_responder_start (HS_TEST_REPLY_KOD_RATE, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_bad_responder_get_server (f->responder);

  hs_test_probe_measure (f, &options, NULL);
  hs_test_assert_no_offset (f);
  hs_test_assert_attempt (f->m, "Kiss-o'-Death RATE; not asked again for 64 s");
  g_assert_cmpuint (hs_test_bad_responder_get_count (f->responder), ==, 1);

  /* The UI checks again: the server is not asked, and the verdict says why
   * at once instead of waiting for a timeout. */
  hs_test_probe_measure (f, &options, NULL);
  hs_test_assert_no_offset (f);
  hs_test_assert_attempt (f->m, "not asked: it asked us to slow down (Kiss-o'-Death RATE)");
  g_assert_cmpfloat (f->elapsed_ms, <, 500);
  g_usleep (50000);
  g_assert_cmpuint (hs_test_bad_responder_get_count (f->responder), ==, 1);
}

static void
test_kod_refusal_is_final (HsTestProbeFixture *f, gconstpointer data)
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

  hs_test_probe_measure (f, &options, NULL);
  hs_test_assert_no_offset (f);
  hs_test_assert_attempt (f->m, kiss);

  /* Later probes, next to a good server: the refusing one is never asked. */
  good = hs_test_bad_responder_start (HS_TEST_REPLY_GOOD, &f->error);
  g_assert_no_error (f->error);
  servers[1] = hs_test_bad_responder_get_server (good);
  for (int i = 0; i < 3; i++)
    {
      hs_test_probe_measure (f, &options, NULL);
      g_assert_no_error (f->error);
      g_assert_true (f->m->ok);
      g_assert_true (g_str_has_suffix (f->m->source, servers[1]));
      hs_test_assert_attempt (f->m, skip);
    }
  g_usleep (50000);
  g_assert_cmpuint (hs_test_bad_responder_get_count (f->responder), ==, 1);
  g_assert_cmpuint (hs_test_bad_responder_get_count (good), ==, 3);
}

#define ADD(path, func) \
  g_test_add (path, HsTestProbeFixture, NULL, hs_test_probe_setup, func, hs_test_probe_teardown)

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
      g_test_add (path, HsTestProbeFixture, &bad_cases[i],
                  hs_test_probe_setup, test_bad_reply, hs_test_probe_teardown);
    }
  ADD ("/clock/probe/sntp/server-strings", test_server_strings);
  ADD ("/clock/probe/sntp/kod/rate-backoff", test_kod_rate_backoff);
  g_test_add ("/clock/probe/sntp/kod/deny-final", HsTestProbeFixture,
              GINT_TO_POINTER (HS_TEST_REPLY_KOD_DENY),
              hs_test_probe_setup, test_kod_refusal_is_final, hs_test_probe_teardown);
  g_test_add ("/clock/probe/sntp/kod/rstr-final", HsTestProbeFixture,
              GINT_TO_POINTER (HS_TEST_REPLY_KOD_RSTR),
              hs_test_probe_setup, test_kod_refusal_is_final, hs_test_probe_teardown);
  ADD ("/clock/probe/cancel", test_cancel);

  return g_test_run ();
}
