/* bench-native.c — time to verdict and clock accuracy, on loopback servers
 * (tests/clock/hs-test-servers: real chronyd, nginx with a test CA, a silent
 * UDP responder). Built and run by bench/run.sh; prints "metric=value" lines.
 *
 *   verdict-engine-*   in-process: hs_engine_new + hs_engine_check_all on the
 *                      practice platform (scenario with offset_seconds=real),
 *                      median / max over N runs
 *   verdict-cli-*      wall time of `handshake-cli check --practice=FILE
 *                      --time-server …` (process start included)
 *   accuracy-*         |measured offset − faked offset| against chronyd under
 *                      libfaketime, max over 5 measurements
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "hs-engine.h"
#include "hs-practice.h"
#include "hs-clock-probe.h"
#include "hs-test-servers.h"

static const char scenario_text[] =
  "[scenario]\nname=bench\ndescription=all-broken with the real clock\n"
  "[clock]\noffset_seconds=real\ntype=NoSync\nservice=stopped\nstart=manual\ntz_auto=no\n"
  "domain_member=no\n"
  "[credential teams-0]\ntarget=msteams_adalsso/adal_context_0\ntype=generic\npersist=local_machine\n"
  "[credential msa]\ntarget=MicrosoftAccount:user=jane.doe@contoso.com\ntype=generic\n"
  "user=jane.doe@contoso.com\npersist=local_machine\n"
  "[broker]\nregistered=no\nmanifest=yes\ncxh_registered=yes\ncxh_manifest=yes\n"
  "[account work]\nemail=jane.doe@contoso.com\nkind=work\nsources=workplace_join\n";

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v, int n)
{
  qsort (v, (size_t) n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
store_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (res);
}

static double
engine_verdict_ms (const HsClockProbeOptions *o)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  gint64 t0 = g_get_monotonic_time ();
  HsPlatform *pf = hs_practice_platform_new_from_data (scenario_text, strlen (scenario_text),
                                                       "bench.ini", &error);
  g_assert_no_error (error);
  g_autoptr(HsEngine) e = hs_engine_new (pf, o);
  hs_engine_check_all_async (e, NULL, store_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (hs_engine_check_all_finish (e, res, NULL));
  double ms = (double) (g_get_monotonic_time () - t0) / 1000.0;
  g_object_unref (res);
  /* let late callbacks of the probe run before the next round */
  for (int i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  return ms;
}

static double
cli_verdict_ms (const char *cli, const char *scenario_path, const HsClockProbeOptions *o)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, g_strdup (cli));
  g_ptr_array_add (argv, g_strdup ("check"));
  g_ptr_array_add (argv, g_strdup_printf ("--practice=%s", scenario_path));
  for (char **s = o->servers; s && *s; s++)
    {
      g_ptr_array_add (argv, g_strdup ("--time-server"));
      g_ptr_array_add (argv, g_strdup (*s));
    }
  g_ptr_array_add (argv, g_strdup ("--https-time-url"));
  g_ptr_array_add (argv, g_strdup (o->https_url));
  if (o->https_ca_file)
    g_ptr_array_add (argv, g_strdup_printf ("--https-ca-file=%s", o->https_ca_file));
  g_ptr_array_add (argv, NULL);
  gint64 t0 = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error))
    g_error ("%s", error->message);
  return (double) (g_get_monotonic_time () - t0) / 1000.0;
}

static void
bench_case (const char *name, const char *cli, const char *scenario_path,
            const HsClockProbeOptions *o, int n_engine, int n_cli)
{
  double *v = g_new0 (double, MAX (n_engine, n_cli));
  double mx = 0;

  engine_verdict_ms (o);   /* warm-up: TLS backend, resolver threads */
  for (int i = 0; i < n_engine; i++)
    {
      v[i] = engine_verdict_ms (o);
      mx = MAX (mx, v[i]);
    }
  printf ("verdict-engine-%s-median-ms=%.1f\nverdict-engine-%s-max-ms=%.1f\n", name,
          median (v, n_engine), name, mx);
  mx = 0;
  for (int i = 0; i < n_cli; i++)
    {
      v[i] = cli_verdict_ms (cli, scenario_path, o);
      mx = MAX (mx, v[i]);
    }
  if (n_cli > 0)
    printf ("verdict-cli-%s-median-ms=%.1f\nverdict-cli-%s-max-ms=%.1f\n", name,
            median (v, n_cli), name, mx);
  fflush (stdout);
  g_free (v);
}

static void
measured_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (res);
}

static void
bench_accuracy (const char *offset)
{
  g_autoptr(GError) error = NULL;
  gint64 shift;
  g_assert_true (hs_test_parse_offset (offset, &shift));
  g_autoptr(HsTestChrony) chrony = hs_test_chrony_start (offset, &error);
  if (chrony == NULL)
    {
      printf ("accuracy-%s-error=%s\n", offset, error->message);
      return;
    }
  const char *servers[] = { hs_test_chrony_get_server (chrony), NULL };
  HsClockProbeOptions o = { .servers = (char **) servers, .https_url = (char *) "", .timeout_ms = 3000 };
  double worst = 0;
  for (int i = 0; i < 5; i++)
    {
      GAsyncResult *res = NULL;
      hs_clock_probe_measure_async (&o, NULL, measured_cb, &res);
      while (res == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_autoptr(HsClockMeasurement) m = hs_clock_probe_measure_finish (res, NULL);
      g_object_unref (res);
      if (m == NULL || !m->ok)
        {
          printf ("accuracy-%s-error=no measurement\n", offset);
          return;
        }
      /* chronyd runs `shift` ahead: this computer is behind by shift */
      worst = MAX (worst, fabs (m->offset_seconds + (double) shift));
    }
  printf ("accuracy-%s-max-error-ms=%.2f\n", offset, worst * 1000.0);
  fflush (stdout);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  const char *cli = argc > 1 ? argv[1] : NULL;
  int runs = argc > 2 ? atoi (argv[2]) : 20;
  g_autofree char *dir = g_dir_make_tmp ("hs-bench-XXXXXX", NULL);
  g_autofree char *scenario_path = g_build_filename (dir, "bench.ini", NULL);

  if (cli == NULL)
    {
      fprintf (stderr, "usage: bench-native HANDSHAKE_CLI [RUNS]\n");
      return 2;
    }
  g_assert_true (g_file_set_contents (scenario_path, scenario_text, -1, NULL));

  g_autoptr(HsTestChrony) chrony = hs_test_chrony_start (NULL, &error);
  g_assert_no_error (error);
  g_autoptr(HsTestNginx) nginx = hs_test_nginx_start (NULL, HS_TEST_CERT_VALID, &error);
  g_assert_no_error (error);
  g_autoptr(HsTestBadResponder) silent = hs_test_bad_responder_start (HS_TEST_REPLY_SILENT, &error);
  g_assert_no_error (error);
  /* an HTTPS port that accepts TCP and never speaks TLS */
  g_autofree char *mute_url = NULL;
  g_autoptr(GSocket) listener = hs_test_tcp_listener_new (&mute_url);

  const char *ok_servers[] = { hs_test_chrony_get_server (chrony), NULL };
  const char *dead_servers[] = { hs_test_bad_responder_get_server (silent), NULL };
  HsClockProbeOptions ok = { .servers = (char **) ok_servers, .https_url = (char *) "" };
  HsClockProbeOptions https = { .servers = (char **) dead_servers,
                                .https_url = (char *) hs_test_nginx_get_url (nginx),
                                .https_ca_file = (char *) hs_test_nginx_get_ca_file (nginx) };
  HsClockProbeOptions none = { .servers = (char **) dead_servers, .https_url = mute_url };

  bench_case ("sntp", cli, scenario_path, &ok, runs, runs);
  bench_case ("https-only", cli, scenario_path, &https, MAX (runs / 4, 3), MAX (runs / 4, 3));
  bench_case ("unreachable", cli, scenario_path, &none, MAX (runs / 4, 3), MAX (runs / 4, 3));

  for (const char *const *off = (const char *const[]) { "+5m", "-5m", "+2h", "-2h", NULL }; *off; off++)
    bench_accuracy (*off);

  g_unlink (scenario_path);
  g_rmdir (dir);
  return 0;
}
