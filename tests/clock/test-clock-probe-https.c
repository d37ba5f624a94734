/* test-clock-probe-https.c — the clock probe's HTTPS Date fallback against
 * real nginx on loopback, and what it says when nothing answers. */
#include "config.h"

#include <string.h>

#include "hs-clock-probe.h"
#include "hs-test-probe.h"

/* Measures with nginx (its clock shifted by @faketime) as the HTTPS
 * source and asserts that HTTPS gave the verdict. */
static void
measure_https (HsTestProbeFixture *f, const char *faketime, HsTestCertKind cert,
               HsClockProbeOptions *options)
{
  f->nginx = hs_test_nginx_start (faketime, cert, &f->error);
  g_assert_no_error (f->error);
  options->https_url = (char *) hs_test_nginx_get_url (f->nginx);
  options->https_ca_file = (char *) hs_test_nginx_get_ca_file (f->nginx);

  hs_test_probe_measure (f, options, NULL);
  g_assert_no_error (f->error);
  g_assert_true (f->m->ok);
  g_assert_cmpstr (f->m->method, ==, "https-date");
}

static void
check_https (HsTestProbeFixture *f, const char *faketime, HsTestCertKind cert, double expected,
             gboolean expect_dates_invalid)
{
  g_autofree char *dead = g_strdup_printf ("127.0.0.1:%u", hs_test_free_udp_port ());
  const char *servers[] = { dead, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers };

  measure_https (f, faketime, cert, &options);
  g_assert_cmpstr (f->m->source, ==, options.https_url);
  g_assert_cmpfloat_with_epsilon (f->m->offset_seconds, expected, HS_TEST_HTTPS_TOLERANCE);
  g_assert_cmpfloat (f->m->uncertainty_seconds, >=, 0.5);
  g_assert_cmpint (f->m->tls_dates_invalid, ==, expect_dates_invalid);
  hs_test_assert_attempt (f->m, dead);
  g_assert_cmpfloat (f->elapsed_ms, <, HS_CLOCK_DEFAULT_TIMEOUT_MS + HS_TEST_BOUND_MARGIN_MS);
  g_test_message ("https faketime %s: measured offset %+.3f s (expected %+.0f), tls_dates_invalid=%d",
                  faketime ? faketime : "none", f->m->offset_seconds, expected,
                  f->m->tls_dates_invalid);
}

static void
test_https_fallback (HsTestProbeFixture *f, gconstpointer data)
{
  check_https (f, "-10m", HS_TEST_CERT_VALID, +600.0, FALSE);
}

static void
test_https_expired (HsTestProbeFixture *f, gconstpointer data)
{
  check_https (f, "-10m", HS_TEST_CERT_EXPIRED, +600.0, TRUE);
}

static void
test_https_not_yet_valid (HsTestProbeFixture *f, gconstpointer data)
{
  check_https (f, "+1h", HS_TEST_CERT_NOT_YET_VALID, -3600.0, TRUE);
}

static void
test_https_at_sixty_percent (HsTestProbeFixture *f, gconstpointer data)
{
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .timeout_ms = 2000 };

  /* SNTP stays silent (no refusal): HTTPS must start at 60 % of the budget,
   * before the 1.5 s per-query bound, and still win in time. */
  f->responder = hs_test_bad_responder_start (HS_TEST_REPLY_SILENT, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_bad_responder_get_server (f->responder);
  measure_https (f, "+3m", HS_TEST_CERT_VALID, &options);
  g_assert_cmpfloat_with_epsilon (f->m->offset_seconds, -180.0, HS_TEST_HTTPS_TOLERANCE);
  g_assert_cmpfloat (f->elapsed_ms, >=, 1150);
  g_assert_cmpfloat (f->elapsed_ms, <, 2000 + HS_TEST_BOUND_MARGIN_MS);
  /* Had HTTPS waited for the SNTP bound, this line would say "timed out". */
  hs_test_assert_attempt (f->m, "another source answered first");
}

static void
test_https_untrusted (HsTestProbeFixture *f, gconstpointer data)
{
  g_autofree char *dead = g_strdup_printf ("127.0.0.1:%u", hs_test_free_udp_port ());
  const char *servers[] = { dead, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers };

  /* Expired AND signed by an unknown CA: not only dates, so no offset. */
  f->nginx = hs_test_nginx_start ("-10m", HS_TEST_CERT_EXPIRED, &f->error);
  g_assert_no_error (f->error);
  options.https_url = (char *) hs_test_nginx_get_url (f->nginx);

  hs_test_probe_measure (f, &options, NULL);
  hs_test_assert_no_offset (f);
  g_assert_false (f->m->tls_dates_invalid);
  hs_test_assert_attempt (f->m, "TLS certificate rejected");
  hs_test_assert_attempt (f->m, "unknown issuer");
}

static void
test_nothing_reachable (HsTestProbeFixture *f, gconstpointer data)
{
  const char *servers[] = { NULL, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .timeout_ms = 2000 };
  g_autoptr(GSocket) listener = NULL;
  g_autofree char *url = NULL;

  /* SNTP never answers; the HTTPS server accepts TCP but never speaks TLS. */
  f->responder = hs_test_bad_responder_start (HS_TEST_REPLY_SILENT, &f->error);
  g_assert_no_error (f->error);
  servers[0] = hs_test_bad_responder_get_server (f->responder);
  listener = hs_test_tcp_listener_new (&url);
  options.https_url = url;

  hs_test_probe_measure (f, &options, NULL);
  hs_test_assert_no_offset (f);
  hs_test_assert_attempt (f->m, url);
  hs_test_assert_attempt (f->m, servers[0]);
  g_assert_cmpfloat (f->elapsed_ms, >=, 1900);
  g_assert_cmpfloat (f->elapsed_ms, <, 2000 + HS_TEST_BOUND_MARGIN_MS);
}

static void
test_https_refused (HsTestProbeFixture *f, gconstpointer data)
{
  g_autofree char *dead = g_strdup_printf ("127.0.0.1:%u", hs_test_free_udp_port ());
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/", hs_test_free_tcp_port ());
  const char *servers[] = { dead, NULL };
  HsClockProbeOptions options = { .servers = (char **) servers, .https_url = url };

  /* Everything refuses at once: no reason to wait for the deadline. */
  hs_test_probe_measure (f, &options, NULL);
  hs_test_assert_no_offset (f);
  hs_test_assert_attempt (f->m, url);
  g_assert_cmpfloat (f->elapsed_ms, <, 1000);
}

/* Only https:// is ever asked: the Date of any other answer is anyone's to
 * forge. An ftp:// or http:// URL pointing at a listening port gets no
 * connection at all. */
static void
test_not_https_never_tried (HsTestProbeFixture *f, gconstpointer data)
{
  static const char * const schemes[] = { "ftp", "http", "file" };

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_autofree char *dead = g_strdup_printf ("127.0.0.1:%u", hs_test_free_udp_port ());
      const char *servers[] = { dead, NULL };
      g_autofree char *https = NULL;
      g_autoptr(GSocket) listener = hs_test_tcp_listener_new (&https);
      g_autofree char *url = g_strdup_printf ("%s://%s", schemes[i], https + strlen ("https://"));
      HsClockProbeOptions options = { .servers = (char **) servers, .https_url = url,
                                      .timeout_ms = 1000 };

      g_assert_false (hs_clock_https_url_is_valid (url));
      hs_test_probe_measure (f, &options, NULL);
      hs_test_assert_no_offset (f);
      hs_test_assert_attempt (f->m, "not tried");
      g_assert_cmpint (g_socket_condition_check (listener, G_IO_IN), ==, 0);
      g_clear_pointer (&f->m, hs_clock_measurement_free);
    }
}

static void
expect_all (const char * const *strings, gboolean (*is_valid) (const char *), gboolean want)
{
  for (const char * const *s = strings; *s; s++)
    if (is_valid (*s) != want)
      g_error ("\"%s\" %s", *s, want ? "refused" : "accepted");
}

/* What the CLI refuses before measuring. */
static void
test_sources_valid (void)
{
  static const char * const good_servers[] = { "time.windows.com", "host:123", "127.0.0.1:65535",
                                               "[::1]:123", "[::1]", "::1", "a-b.c_d", NULL };
  static const char * const bad_servers[] = { "", " ", "host:99999", "host:0", "host:", "[::1",
                                              "[::1]x", "a b", "host:12x", "1.2.3.4:-1", NULL };
  static const char * const good_urls[] = { "https://login.microsoftonline.com/", "https://127.0.0.1:8443/",
                                            "HTTPS://h/x?y", NULL };
  static const char * const bad_urls[] = { "", "ftp://x", "http://127.0.0.1/", "https://", "https:///x",
                                           "https://h:99999/", "https://h:0/", "x", "//h/", NULL };

  expect_all (good_servers, hs_clock_server_is_valid, TRUE);
  expect_all (bad_servers, hs_clock_server_is_valid, FALSE);
  expect_all (good_urls, hs_clock_https_url_is_valid, TRUE);
  expect_all (bad_urls, hs_clock_https_url_is_valid, FALSE);
  g_assert_false (hs_clock_server_is_valid (NULL));
  g_assert_false (hs_clock_https_url_is_valid (NULL));
}

#define ADD(path, func) \
  g_test_add (path, HsTestProbeFixture, NULL, hs_test_probe_setup, func, hs_test_probe_teardown)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/clock/probe/https/fallback", test_https_fallback);
  ADD ("/clock/probe/https/expired-cert", test_https_expired);
  ADD ("/clock/probe/https/not-yet-valid-cert", test_https_not_yet_valid);
  ADD ("/clock/probe/https/untrusted", test_https_untrusted);
  ADD ("/clock/probe/https/at-sixty-percent", test_https_at_sixty_percent);
  ADD ("/clock/probe/https/refused", test_https_refused);
  ADD ("/clock/probe/nothing-reachable", test_nothing_reachable);
  ADD ("/clock/probe/https/not-https-never-tried", test_not_https_never_tried);
  g_test_add_func ("/clock/probe/sources-valid", test_sources_valid);

  return g_test_run ();
}
