/* test-fault-secrets.c — a secret planted in the practice vault ("secret="
 * in a scenario credential) must never appear in any log message (captured
 * with g_log_set_writer_func, every level, debug included), in any report
 * (text and JSON, redacted and not, before and after fixing and restoring),
 * or in handshake-cli's output (check, fix, report; stdout and
 * stderr). The practice backup must not hold it in clear either (practice
 * backups store it base64-encoded; real ones are DPAPI-encrypted). */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "hs-engine.h"
#include "hs-report.h"
#include "hs-test-engine.h"


static GString *captured;
static GMutex captured_lock;

static GLogWriterOutput
capture_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  g_mutex_lock (&captured_lock);
  for (gsize i = 0; i < n_fields; i++)
    {
      g_string_append (captured, fields[i].key);
      g_string_append_c (captured, '=');
      if (fields[i].length < 0)
        g_string_append (captured, fields[i].value);
      else
        g_string_append_len (captured, fields[i].value, fields[i].length);
      g_string_append_c (captured, '\n');
    }
  g_mutex_unlock (&captured_lock);
  /* still fail on criticals, as G_DEBUG=fatal-criticals asks */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    return g_log_writer_standard_streams (level, fields, n_fields, data);
  return G_LOG_WRITER_HANDLED;
}

static void
check_reports (HsEngine *e, const char *when)
{
  for (int redact = 0; redact <= 1; redact++)
    for (int english = 0; english <= 1; english++)
      {
        HsReportOptions o = { redact, english };
        g_autofree char *json = hs_report_to_json (e, &o);
        g_autofree char *text = hs_report_to_text (e, &o);
        g_autofree char *w1 = g_strdup_printf ("the JSON report %s (redact=%d)", when, redact);
        g_autofree char *w2 = g_strdup_printf ("the text report %s (redact=%d)", when, redact);
        hs_test_assert_no_secret (w1, json);
        hs_test_assert_no_secret (w2, text);
      }
}

static void
test_engine (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsEngine) e = hs_test_engine_for_data (hs_test_secret_scenario, "secret.ini");
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(HsResult) fixed = NULL, restored = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *contents = NULL;

  /* positive control: the writer does capture every level */
  g_debug ("capture-probe %d", 42);
  g_mutex_lock (&captured_lock);
  g_assert_nonnull (strstr (captured->str, "capture-probe 42"));
  g_mutex_unlock (&captured_lock);

  hs_test_check_all (e);
  check_reports (e, "after checking");

  hs_engine_fix_step_async (e, HS_STEP_CREDENTIALS, NULL, NULL, hs_test_store_result_cb, &slot);
  r2 = hs_test_wait_for (&slot, "fix");
  fixed = hs_engine_fix_step_finish (e, r2, &error);
  g_assert_no_error (error);
  check_reports (e, "after fixing");

  backup = g_strdup (hs_engine_get_last_backup (e));
  g_assert_nonnull (backup);
  g_assert_true (g_file_get_contents (backup, &contents, NULL, NULL));
  if (strstr (contents, HS_TEST_SECRET) != NULL)
    g_error ("the practice backup holds the secret in clear");
  /* positive control: the secret really was in the vault (and the backup
   * keeps it, base64-encoded, so that Undo can put it back) */
  {
    g_autofree char *b64 = g_base64_encode ((const guchar *) HS_TEST_SECRET, strlen (HS_TEST_SECRET));
    g_assert_nonnull (strstr (contents, b64));
  }

  restored = hs_test_restore (e, backup);
  check_reports (e, "after restoring");

  g_mutex_lock (&captured_lock);
  g_test_message ("%" G_GSIZE_FORMAT " bytes of log captured", captured->len);
  hs_test_assert_no_secret ("the log", captured->str);
  g_mutex_unlock (&captured_lock);
}

static char *
run_cli (const char *scenario_path, const char *const *args, int *status)
{
  const char *cli = g_getenv ("HANDSHAKE_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *practice = g_strdup_printf ("--practice=%s", scenario_path);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (; *args; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, practice);
  g_ptr_array_add (argv, (gpointer) "--time-server");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1:9");
  g_ptr_array_add (argv, (gpointer) "--https-time-url");
  g_ptr_array_add (argv, (gpointer) "");
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, status, &error));
  g_assert_no_error (error);
  return g_strconcat (out, "\n---stderr---\n", err, NULL);
}

static void
test_cli (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hs-secret-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "secret.ini", NULL);
  static const char *const runs[][6] = {
    { "check", NULL },
    { "check", "--json", NULL },
    { "report", NULL },
    { "report", "--json", NULL },
    { "report", "--json", "--no-redact", NULL },
    { "report", "--no-redact", "--english", NULL },
    { "fix", "--step", "2", "--yes", NULL },
    { "fix", "--yes", "--json", NULL },
  };
  int status;

  g_assert_true (g_file_set_contents (path, hs_test_secret_scenario, -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autofree char *out = run_cli (path, runs[i], &status);
      g_autofree char *what = g_strjoinv (" ", (char **) runs[i]);
      g_autofree char *label = g_strdup_printf ("handshake-cli %s", what);
      g_test_message ("%s: exit %d, %zu bytes", label, status, strlen (out));
      hs_test_assert_no_secret (label, out);
    }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  hs_test_set_watchdog (20);
  g_test_add_func ("/fault/secrets/engine", test_engine);
  g_test_add_func ("/fault/secrets/cli", test_cli);
  return g_test_run ();
}
