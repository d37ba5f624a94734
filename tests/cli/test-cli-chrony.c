/* test-cli-chrony.c — handshake-cli measuring a real chronyd whose clock is
 * shifted with libfaketime. Missing tools fail the test (no skipping). */
#include <math.h>
#include <string.h>
#include <glib.h>
#include <jansson.h>

#include <sys/wait.h>

#include "hs-test-servers.h"

static const char *cli;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)

/* The one step of a "check --step 1 --json" run; *root owns it. */
static const char *jstr (json_t *o, const char *k) { return json_string_value (json_object_get (o, k)); }
static double jreal (json_t *o, const char *k) { return json_number_value (json_object_get (o, k)); }
static json_int_t jint (json_t *o, const char *k) { return json_integer_value (json_object_get (o, k)); }

static json_t *
run_step1 (const char *server, json_t **root, int *exit_status)
{
  const char *argv[] = { cli, "check", "--step", "1", "--time-server", server,
                         "--https-time-url", "", "--timeout", "5", "--json", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  json_error_t jerr;
  json_t *steps;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL) || WIFEXITED (status));
  *exit_status = WEXITSTATUS (status);
  /* A real measurement is printed to the millisecond, not to the last
   * digit of a double ("offset_seconds": 300.00012345678). */
  if (strstr (out, "\"offset_seconds\"") != NULL &&
      !g_regex_match_simple ("\"offset_seconds\": -?[0-9]+(\\.[0-9]{1,3})?[,\n ]", out, 0, 0))
    g_error ("offset_seconds with more than 3 decimals: %s", out);
  *root = json_loads (out, 0, &jerr);
  if (*root == NULL)
    g_error ("not JSON: %s", jerr.text);
  steps = json_object_get (*root, "steps");
  g_assert_cmpuint (json_array_size (steps), ==, 1);
  return json_array_get (steps, 0);
}

static void
test_skew (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestChrony) chrony = hs_test_chrony_start ("-5m", &error);
  g_autoptr(json_t) root = NULL;
  json_t *step, *findings;
  double offset;
  int rc = -1;

  g_assert_no_error (error);
  step = run_step1 (hs_test_chrony_get_server (chrony), &root, &rc);
  g_assert_cmpstr (jstr (step, "code"), ==, "clock.skew");
  g_assert_cmpstr (jstr (step, "status"), ==, "problem");
  g_assert_cmpint (rc, ==, 1);
  findings = json_object_get (step, "findings");
  offset = jreal (findings, "offset_seconds");
  g_test_message ("offset %.4f", offset);
  /* The server is 5 min behind: this computer is 300 s ahead. */
  g_assert_cmpfloat (fabs (offset - 300.0), <=, 0.05);
}

static void
test_timezone (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestChrony) chrony = hs_test_chrony_start ("+2h", &error);
  g_autoptr(json_t) root = NULL;
  json_t *step, *findings;
  int rc = -1;

  g_assert_no_error (error);
  step = run_step1 (hs_test_chrony_get_server (chrony), &root, &rc);
  g_assert_cmpstr (jstr (step, "code"), ==, "clock.timezone");
  g_assert_cmpstr (jstr (step, "fix"), ==, "guided");
  g_assert_cmpint (rc, ==, 1);
  findings = json_object_get (step, "findings");
  g_assert_cmpfloat (fabs (jreal (findings, "offset_seconds") + 7200.0), <=, 0.05);
  g_assert_cmpint (jint (findings, "zone_error_minutes"), ==, -120);
}

/* Every SNTP server silent, HTTPS answering: the HTTPS request runs on its
 * own thread while the caller sends SNTP, both registering GIO types for the
 * first time in a fresh process. A type-system deadlock between the two once
 * hung the CLI for good (seen in the bench); each of many fresh processes
 * must finish, with the HTTPS answer, well within its bound. */
static void
test_https_only_never_hangs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestNginx) nginx = hs_test_nginx_start (NULL, HS_TEST_CERT_VALID, &error);
  g_assert_no_error (error);
  g_autoptr(HsTestBadResponder) silent = hs_test_bad_responder_start (HS_TEST_REPLY_SILENT, &error);
  g_assert_no_error (error);
  g_autofree char *ca = g_strdup_printf ("--https-ca-file=%s", hs_test_nginx_get_ca_file (nginx));

  for (int i = 0; i < 12; i++)
    {
      /* timeout(1) kills a hung run (signal 9) instead of leaving the test stuck */
      const char *argv[] = { "timeout", "-s", "KILL", "20", cli, "check", "--step", "1",
                             "--time-server", hs_test_bad_responder_get_server (silent),
                             "--https-time-url", hs_test_nginx_get_url (nginx), ca,
                             "--timeout", "5", "--json", NULL };
      g_autofree char *out = NULL, *err = NULL;
      int status = 0;
      gint64 t0 = g_get_monotonic_time ();

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                   &out, &err, &status, &error));
      g_assert_no_error (error);
      g_test_message ("run %d: %.0f ms, status %d", i,
                      (g_get_monotonic_time () - t0) / 1000.0, status);
      if (!WIFEXITED (status) || WEXITSTATUS (status) > 3)
        g_error ("run %d: handshake-cli did not finish (wait status %d); stderr: %s", i, status, err);
      g_assert_nonnull (strstr (out, "offset_seconds"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cli = g_getenv ("HANDSHAKE_CLI");
  g_assert_nonnull (cli);
  g_test_add_func ("/cli/chrony/skew", test_skew);
  g_test_add_func ("/cli/chrony/timezone", test_timezone);
  g_test_add_func ("/cli/https-only/never-hangs", test_https_only_never_hangs);
  return g_test_run ();
}
