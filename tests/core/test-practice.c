/* test-practice.c — practice scenarios, and the engine running over them. */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "hs-codes.h"
#include "hs-engine.h"
#include "hs-practice.h"
#include "hs-test-engine.h"

static void
assert_result (HsResult *r, HsStatus status, const char *code)
{
  g_assert_cmpstr (hs_result_get_code (r), ==, code);
  g_assert_cmpstr (hs_status_name (hs_result_get_status (r)), ==, hs_status_name (status));
}

static gint64
required_count (HsEngine *e)
{
  g_autoptr(HsResult) r = hs_test_check_step (e, HS_STEP_CREDENTIALS);
  gint64 n = -1;
  g_assert_true (hs_result_get_int (r, "required_count", &n));
  return n;
}

#define count_actions hs_test_count_actions

static char *tmpdir;

/* all-broken.ini with extra text appended, written to a temp file. */
static char *
scenario_variant (const char *name, const char *extra)
{
  g_autofree char *src = g_build_filename (SOURCE_ROOT, "data", "scenarios", "all-broken.ini", NULL);
  g_autofree char *text = NULL;
  g_autofree char *all = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_get_contents (src, &text, NULL, &error));
  all = g_strconcat (text, "\n", extra, NULL);
  g_assert_true (g_file_set_contents (path, all, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* ---- scenarios ---- */

static void
test_list_and_load (void)
{
  g_auto(GStrv) names = hs_practice_list_scenarios ();
  const char *want[] = { "healthy", "all-broken", "wrong-timezone", "offline",
                         "access-denied", "many-accounts", "uac-declined", "tls-inspection" };

  g_assert_nonnull (names);
  for (gsize i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_true (g_strv_contains ((const char * const *) names, want[i]));
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      HsPlatform *pf = hs_practice_platform_new (names[i], &error);
      g_autoptr(HsEngine) e = NULL;

      g_test_message ("scenario %s", names[i]);
      g_assert_no_error (error);
      g_assert_nonnull (pf);
      g_assert_true (pf->simulated);
      g_assert_nonnull (hs_practice_platform_get_scenario (pf));
      if (i > 0)
        g_assert_cmpstr (names[i - 1], <, names[i]);
      e = hs_engine_new (pf, NULL);
      g_assert_true (hs_engine_is_practice (e));
    }
}

static void
test_not_found (void)
{
  g_autoptr(GError) error = NULL;
  HsPlatform *pf = hs_practice_platform_new ("no-such-scenario", &error);

  g_assert_null (pf);
  g_assert_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-scenario"));
  g_assert_nonnull (strstr (error->message, "healthy"));
  g_assert_nonnull (strstr (error->message, "all-broken"));
}

static void
expect_invalid (const char *file, const char *text, gssize len, const char *line, const char *key)
{
  g_autofree char *path = g_build_filename (tmpdir, file, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *line_tag = g_strdup_printf (":%s", line);
  HsPlatform *pf;

  g_assert_true (g_file_set_contents (path, text, len, NULL));
  pf = hs_practice_platform_new (path, &error);
  g_assert_null (pf);
  g_assert_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID);
  g_test_message ("%s → %s", file, error->message);
  g_assert_nonnull (strstr (error->message, path));
  if (line != NULL && strstr (error->message, line_tag) == NULL)
    g_error ("\"%s\" does not name line %s", error->message, line);
  if (key != NULL && strstr (error->message, key) == NULL)
    g_error ("\"%s\" does not name \"%s\"", error->message, key);
}

static void
test_invalid_files (void)
{
  expect_invalid ("bad-number.ini", "[scenario]\nname=x\n\n[clock]\noffset_seconds=twelve\n", -1,
                  "5", "offset_seconds");
  expect_invalid ("unknown-key.ini", "[scenario]\nname=x\n[clock]\ntype=NTP\nwobble=1\n", -1,
                  "5", "wobble");
  expect_invalid ("bad-enum.ini", "[scenario]\nname=x\n[clock]\nservice=flying\n", -1,
                  "4", "service");
  expect_invalid ("bad-enum-fixes.ini", "[scenario]\nname=x\n[fixes]\ncredentials=maybe\n", -1,
                  "4", "credentials");
  expect_invalid ("no-equals.ini", "[scenario]\nname=x\n[clock]\njust some words\n", -1,
                  "4", NULL);
  expect_invalid ("non-utf8.ini", "[scenario]\nname=caf\xe9\n", -1, NULL, "UTF-8");
}

/* A scenario says what it simulates: a file without a single key=value line
 * (empty, comments, bare group headers) would pass for a healthy computer. */
static void
test_says_nothing (void)
{
  expect_invalid ("empty.ini", "", 0, NULL, "what it simulates");
  expect_invalid ("blank.ini", "\n  \n", -1, NULL, "what it simulates");
  expect_invalid ("comments.ini", "# a healthy computer\n# really\n", -1, NULL, "what it simulates");
  expect_invalid ("groups-only.ini", "[scenario]\n[clock]\n", -1, NULL, "what it simulates");
}

/* The brief: every malformed-file message names the file, the line and the key
 * (for an unknown group: the group). */
static void
test_invalid_group_line (void)
{
  expect_invalid ("unknown-group.ini", "[scenario]\nname=x\n\n[gadgets]\nx=1\n", -1,
                  "4", "gadgets");
}

/* ---- engine over all-broken ---- */

typedef struct {
  GArray *events;   /* pairs of int: step, state */
} Events;

static void
step_changed_cb (HsEngine *e, int step, int state, gpointer data)
{
  Events *ev = data;
  g_array_append_val (ev->events, step);
  g_array_append_val (ev->events, state);
}

static void
test_all_broken (void)
{
  g_autoptr(HsEngine) e = hs_test_engine_for ("all-broken");
  Events ev = { g_array_new (FALSE, FALSE, sizeof (int)) };
  const char *codes[] = { NULL, HS_CODE_CLOCK_SKEW, HS_CODE_CREDS_STALE,
                          HS_CODE_BROKER_UNREGISTERED, HS_CODE_ACCOUNTS_DUPLICATE };
  g_autoptr(HsResult) f1 = NULL, f2 = NULL, f3 = NULL, f4 = NULL, restored = NULL;
  const char *backup;

  g_signal_connect (e, "step-changed", G_CALLBACK (step_changed_cb), &ev);
  hs_test_check_all (e);
  for (int s = 1; s <= 4; s++)
    {
      HsResult *r = hs_engine_get_result (e, s);
      int checking_at = -1, done_at = -1;

      g_assert_nonnull (r);
      g_assert_cmpstr (hs_result_get_code (r), ==, codes[s]);
      g_assert_cmpint (hs_engine_get_state (e, s), ==, HS_STEP_STATE_DONE);
      for (guint i = 0; i < ev.events->len; i += 2)
        if (g_array_index (ev.events, int, i) == s)
          {
            int state = g_array_index (ev.events, int, i + 1);
            if (state == HS_STEP_STATE_CHECKING && checking_at < 0)
              checking_at = i;
            if (state == HS_STEP_STATE_DONE)
              done_at = i;
          }
      g_assert_cmpint (checking_at, >=, 0);
      g_assert_cmpint (done_at, >, checking_at);
    }
  g_signal_handlers_disconnect_by_data (e, &ev);
  g_array_unref (ev.events);
  g_assert_cmpint (required_count (e), ==, 3);

  f1 = hs_test_fix_ok (e, HS_STEP_CLOCK, NULL);
  assert_result (f1, HS_STATUS_FIXED, HS_CODE_CLOCK_FIXED);

  f2 = hs_test_fix_ok (e, HS_STEP_CREDENTIALS, NULL);
  assert_result (f2, HS_STATUS_FIXED, HS_CODE_CREDS_REMOVED);
  backup = hs_engine_get_last_backup (e);
  g_assert_nonnull (backup);
  g_assert_true (g_file_test (backup, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (required_count (e), ==, 0);

  restored = hs_test_restore (e, NULL);
  g_assert_nonnull (restored);
  g_assert_cmpstr (hs_result_get_code (restored), ==, HS_CODE_CREDS_RESTORED);
  g_assert_cmpint (required_count (e), ==, 3);

  f3 = hs_test_fix_ok (e, HS_STEP_BROKER, NULL);
  assert_result (f3, HS_STATUS_NEEDS_RESTART, HS_CODE_BROKER_REREGISTERED);
  f4 = hs_test_fix_ok (e, HS_STEP_ACCOUNTS, NULL);
  g_assert_cmpint (hs_result_get_status (f4), ==, HS_STATUS_FIXED);

  g_assert_cmpuint (count_actions (e, "backup", "ok"), >=, 1);
  g_assert_cmpuint (count_actions (e, "delete_credential", "ok"), ==, 3);
  g_assert_cmpuint (count_actions (e, "elevate_clock_fix", "ok"), ==, 1);
  g_assert_cmpuint (count_actions (e, "reregister_package", "ok"), >=, 1);
  g_assert_cmpuint (count_actions (e, "delete_credential", "failed"), ==, 0);
}

static void
test_access_denied (void)
{
  g_autoptr(HsEngine) e = hs_test_engine_for ("access-denied");
  g_autoptr(HsResult) f1 = NULL, f2 = NULL, f3 = NULL;
  gint64 before;

  hs_test_check_all (e);
  before = required_count (e);
  g_assert_cmpint (before, >=, 1);
  f1 = hs_test_fix_ok (e, HS_STEP_CLOCK, NULL);
  g_assert_cmpstr (hs_result_get_code (f1), ==, HS_CODE_CLOCK_FIX_FAILED);
  g_assert_nonnull (hs_result_get_string (f1, "fix_reason"));
  f2 = hs_test_fix_ok (e, HS_STEP_CREDENTIALS, NULL);
  g_assert_cmpstr (hs_result_get_code (f2), ==, HS_CODE_CREDS_FIX_FAILED);
  g_assert_nonnull (hs_result_get_string (f2, "fix_reason"));
  g_assert_cmpint (required_count (e), ==, before);
  f3 = hs_test_fix_ok (e, HS_STEP_BROKER, NULL);
  g_assert_cmpstr (hs_result_get_code (f3), ==, HS_CODE_BROKER_FIX_FAILED);
  g_assert_nonnull (hs_result_get_string (f3, "fix_reason"));
  g_assert_cmpuint (count_actions (e, "delete_credential", "ok"), ==, 0);
}

static void
test_uac_declined (void)
{
  g_autoptr(HsEngine) e = hs_test_engine_for ("uac-declined");
  g_autoptr(HsResult) c = hs_test_check_step (e, HS_STEP_CLOCK);
  g_autoptr(HsResult) f = NULL;

  assert_result (c, HS_STATUS_PROBLEM, HS_CODE_CLOCK_SKEW);
  f = hs_test_fix_ok (e, HS_STEP_CLOCK, NULL);
  g_assert_cmpstr (hs_result_get_code (f), ==, HS_CODE_CLOCK_FIX_DECLINED);
  g_assert_cmpint (hs_result_get_status (f), ==, HS_STATUS_PROBLEM);
}

static void
test_wrong_timezone (void)
{
  g_autoptr(HsEngine) e = hs_test_engine_for ("wrong-timezone");
  g_autoptr(HsResult) c = hs_test_check_step (e, HS_STEP_CLOCK);
  g_autoptr(HsResult) f = NULL;

  assert_result (c, HS_STATUS_PROBLEM, HS_CODE_CLOCK_TIMEZONE);
  g_assert_cmpint (hs_result_get_fix (c), ==, HS_FIX_GUIDED);
  f = hs_test_fix_ok (e, HS_STEP_CLOCK, NULL);
  g_assert_cmpint (hs_result_get_status (f), ==, HS_STATUS_FIXED);
  g_assert_cmpuint (count_actions (e, "open_settings", "ok"), ==, 1);
}

static void
test_offline (void)
{
  g_autoptr(HsEngine) e = hs_test_engine_for ("offline");
  g_autoptr(HsResult) c = hs_test_check_step (e, HS_STEP_CLOCK);
  assert_result (c, HS_STATUS_UNVERIFIED, HS_CODE_CLOCK_UNREACHABLE);
  g_assert_null (hs_result_lookup (c, "offset_seconds"));
}

static void
test_backup_fails (void)
{
  g_autofree char *path = scenario_variant ("backup-fails.ini", "[fixes]\ncredentials=backup_fails\n");
  g_autoptr(HsEngine) e = hs_test_engine_for (path);
  g_autoptr(HsResult) f = NULL;

  g_assert_cmpint (required_count (e), ==, 3);
  f = hs_test_fix_ok (e, HS_STEP_CREDENTIALS, NULL);
  g_assert_cmpstr (hs_result_get_code (f), ==, HS_CODE_CREDS_BACKUP_FAILED);
  g_assert_cmpint (hs_result_get_status (f), ==, HS_STATUS_PROBLEM);
  g_assert_cmpint (required_count (e), ==, 3);
  g_assert_cmpuint (count_actions (e, "delete_credential", NULL), ==, 0);
}

static void
test_busy (void)
{
  g_autoptr(HsEngine) e = hs_test_engine_for ("all-broken");
  GAsyncResult *slot1 = NULL, *slot2 = NULL;
  g_autoptr(GAsyncResult) res1 = NULL, res2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsResult) r1 = NULL, r2 = NULL;

  hs_engine_check_step_async (e, HS_STEP_BROKER, NULL, hs_test_store_result_cb, &slot1);
  hs_engine_check_step_async (e, HS_STEP_BROKER, NULL, hs_test_store_result_cb, &slot2);
  res2 = hs_test_wait_for (&slot2, "busy check");
  r2 = hs_engine_check_step_finish (e, res2, &error);
  g_assert_error (error, HS_ENGINE_ERROR, HS_ENGINE_ERROR_BUSY);
  g_assert_null (r2);
  g_clear_error (&error);
  res1 = hs_test_wait_for (&slot1, "first check");
  r1 = hs_engine_check_step_finish (e, res1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_result_get_code (r1), ==, HS_CODE_BROKER_UNREGISTERED);
}

static void
test_cancel_fix (void)
{
  g_autofree char *path = scenario_variant ("slow.ini", "[fixes]\ndelay_ms=500\n");
  g_autoptr(HsEngine) e = hs_test_engine_for (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HsResult) f = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  GAsyncResult *slot = NULL;
  gint64 before, after, in_result = -1;
  guint deleted_ok;

  before = required_count (e);
  g_assert_cmpint (before, ==, 3);
  g_timeout_add (50, hs_test_cancel_cb, cancellable);
  hs_engine_fix_step_async (e, HS_STEP_CREDENTIALS, NULL, cancellable, hs_test_store_result_cb, &slot);
  res = hs_test_wait_for (&slot, "cancelled fix");
  f = hs_engine_fix_step_finish (e, res, &error);
  g_assert_true (g_cancellable_is_cancelled (cancellable));

  /* Whatever the result says, the vault and the action log must agree. */
  after = required_count (e);
  deleted_ok = count_actions (e, "delete_credential", "ok");
  g_test_message ("cancelled fix: %s; required %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT ", %u deletions logged",
                  f ? hs_result_get_code (f) : error->message, before, after, deleted_ok);
  g_assert_cmpint (deleted_ok, ==, before - after);
  g_assert_true (after == 0 || after == before);

  /* The result still arrives, and is a truthful re-check. */
  g_assert_no_error (error);
  g_assert_nonnull (f);
  g_assert_true (hs_result_get_int (f, "required_count", &in_result));
  if (g_str_equal (hs_result_get_code (f), HS_CODE_CREDS_STALE))
    g_assert_cmpint (in_result, ==, 3);
  else
    {
      g_assert_cmpstr (hs_result_get_code (f), ==, HS_CODE_CREDS_REMOVED);
      g_assert_cmpint (in_result, ==, 0);
    }
  g_assert_cmpint (after, ==, in_result);
}

static void
rm_rf (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  if (d)
    g_dir_close (d);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("hs-practice-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  g_test_add_func ("/practice/scenarios/list-and-load", test_list_and_load);
  g_test_add_func ("/practice/scenarios/not-found", test_not_found);
  g_test_add_func ("/practice/scenarios/invalid", test_invalid_files);
  g_test_add_func ("/practice/scenarios/says-nothing", test_says_nothing);
  g_test_add_func ("/practice/engine/all-broken", test_all_broken);
  g_test_add_func ("/practice/engine/access-denied", test_access_denied);
  g_test_add_func ("/practice/engine/uac-declined", test_uac_declined);
  g_test_add_func ("/practice/engine/offline", test_offline);
  g_test_add_func ("/practice/engine/backup-fails", test_backup_fails);
  g_test_add_func ("/practice/scenarios/unknown-group-line", test_invalid_group_line);
  g_test_add_func ("/practice/engine/wrong-timezone", test_wrong_timezone);
  g_test_add_func ("/practice/engine/busy", test_busy);
  g_test_add_func ("/practice/engine/cancel-fix", test_cancel_fix);
  rc = g_test_run ();
  rm_rf (tmpdir);
  g_free (tmpdir);
  return rc;
}
