/* test-practice-windows.c — the practice machine simulates what a real
 * Windows PC does (issue 11), and the engine runs over it: an entry whose
 * password Windows withholds, a restore over entries saved since, another
 * account running Handshake, a clock a policy owns, a damaged or updating
 * sign-in component, Teams hiding in the tray, the device join record. */
#include <string.h>
#include <glib.h>

#include "hs-codes.h"
#include "hs-engine.h"
#include "hs-practice.h"
#include "hs-test-engine.h"

#define fix_step hs_test_fix_ok

static HsResult *
restore_with (HsEngine *e, guint32 flags)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  HsResult *r;

  hs_engine_restore_full_async (e, NULL, flags, NULL, hs_test_store_result_cb, &slot);
  res = hs_test_wait_for (&slot, "restore");
  r = hs_engine_restore_finish (e, res, &error);
  g_assert_no_error (error);
  return r;
}

static void
assert_result (HsResult *r, HsStatus status, const char *code)
{
  g_assert_cmpstr (hs_result_get_code (r), ==, code);
  g_assert_cmpstr (hs_status_name (hs_result_get_status (r)), ==, hs_status_name (status));
}

/* The item of @kind whose target is @target. */
static const HsItem *
item_for (HsResult *r, const char *kind, const char *target)
{
  GPtrArray *items = hs_result_get_items (r);

  for (guint i = 0; i < items->len; i++)
    {
      const HsItem *item = items->pdata[i];
      if (g_str_equal (item->kind, kind) && g_strcmp0 (hs_item_get_string (item, "target"), target) == 0)
        return item;
    }
  return NULL;
}

#define count_actions hs_test_count_actions

/* all-broken.ini with extra text appended. */
static HsEngine *
all_broken_with (const char *extra)
{
  g_autofree char *src = g_build_filename (SOURCE_ROOT, "data", "scenarios", "all-broken.ini", NULL);
  g_autofree char *text = NULL, *all = NULL;

  g_assert_true (g_file_get_contents (src, &text, NULL, NULL));
  all = g_strconcat (text, "\n", extra, NULL);
  return hs_test_engine_for_data (all, "all-broken-variant.ini");
}

#define MSA "MicrosoftAccount:user=ines.garcia@contoso.es"
#define TEAMS "msteams_adalsso/adal_context_segments"

/* Point 1: removing an entry that cannot be put back takes its own
 * permission; without it the entry is skipped and said to be skipped. */
static void
test_unrestorable (void)
{
  g_autoptr(HsEngine) e = hs_test_engine_for ("cannot-undo");
  g_autoptr(HsResult) c = hs_test_check_step (e, HS_STEP_CREDENTIALS);
  g_autoptr(HsResult) f1 = NULL, f2 = NULL, back = NULL;
  g_autofree char *msa_ref = g_strdup ("2:" MSA);
  const char *refs[] = { msa_ref, NULL };
  HsFixOptions allow = { refs, NULL, TRUE };
  const HsItem *item;
  gint64 n = -1;
  g_autofree char *backup = NULL;

  assert_result (c, HS_STATUS_PROBLEM, HS_CODE_CREDS_STALE);
  g_assert_cmpstr (hs_item_get_string (item_for (c, "credential", MSA), "restorable"), ==, "no");
  g_assert_cmpstr (hs_item_get_string (item_for (c, "credential", TEAMS), "restorable"), ==, "yes");

  /* The ordinary fix: the Teams entry goes, the other stays, skipped. */
  f1 = fix_step (e, HS_STEP_CREDENTIALS, NULL);
  assert_result (f1, HS_STATUS_PROBLEM, HS_CODE_CREDS_UNRESTORABLE);
  g_assert_true (hs_result_get_int (f1, "skipped_count", &n));
  g_assert_cmpint (n, ==, 1);
  g_assert_true (hs_result_get_int (f1, "failed_count", &n));
  g_assert_cmpint (n, ==, 0);
  item = item_for (f1, "removal", MSA);
  g_assert_nonnull (item);
  g_assert_cmpstr (hs_item_get_string (item, "outcome"), ==, "skipped");
  g_assert_cmpstr (hs_item_get_string (item, "reason"), ==, "unrestorable");
  g_assert_cmpstr (hs_item_get_string (item_for (f1, "removal", TEAMS), "outcome"), ==, "deleted");
  g_assert_nonnull (item_for (f1, "credential", MSA));
  g_assert_null (item_for (f1, "credential", TEAMS));
  g_assert_cmpuint (count_actions (e, "delete_credential", "skipped"), ==, 1);
  g_assert_cmpuint (count_actions (e, "delete_credential", "failed"), ==, 0);

  /* With the person's own agreement it goes too; its backup holds no
   * password, so putting it back is refused rather than half done. */
  f2 = fix_step (e, HS_STEP_CREDENTIALS, &allow);
  assert_result (f2, HS_STATUS_FIXED, HS_CODE_CREDS_REMOVED);
  g_assert_cmpstr (hs_item_get_string (item_for (f2, "removal", MSA), "outcome"), ==, "deleted");
  backup = g_strdup (hs_engine_get_last_backup (e));
  back = hs_test_restore (e, backup);
  /* A restore's status goes with its code (README), whatever the re-check. */
  assert_result (back, HS_STATUS_WARNING, HS_CODE_CREDS_RESTORE_PARTIAL);
  item = item_for (back, "restoration", MSA);
  g_assert_nonnull (item);
  g_assert_cmpstr (hs_item_get_string (item, "outcome"), ==, "skipped");
  g_assert_cmpstr (hs_item_get_string (item, "reason"), ==, "no_secret");
  g_assert_null (item_for (back, "credential", MSA));
}

/* Point 8: an Undo after Teams signed in again keeps the newer entries,
 * says so per entry, and writes over them only when asked. */
static void
test_restore_newer (void)
{
  g_autoptr(HsEngine) e = hs_test_engine_for ("all-broken");
  g_autoptr(HsResult) fixed = NULL, partial = NULL, forced = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  const HsItem *item;
  gint64 n = -1;

  hs_test_check_all (e);
  fixed = fix_step (e, HS_STEP_CREDENTIALS, NULL);
  assert_result (fixed, HS_STATUS_FIXED, HS_CODE_CREDS_REMOVED);
  g_usleep (2000);
  hs_engine_restart_teams_async (e, NULL, hs_test_store_result_cb, &slot);
  res = hs_test_wait_for (&slot, "restart Teams");
  g_assert_true (hs_engine_restart_teams_finish (e, res, NULL));

  partial = restore_with (e, 0);
  assert_result (partial, HS_STATUS_WARNING, HS_CODE_CREDS_RESTORE_PARTIAL);
  g_assert_true (hs_result_get_int (partial, "skipped_count", &n));
  g_assert_cmpint (n, ==, 2);
  g_assert_true (hs_result_get_int (partial, "restored_count", &n));
  g_assert_cmpint (n, ==, 1);
  item = item_for (partial, "restoration", TEAMS);
  g_assert_cmpstr (hs_item_get_string (item, "outcome"), ==, "skipped");
  g_assert_cmpstr (hs_item_get_string (item, "reason"), ==, "newer_exists");
  g_assert_cmpstr (hs_item_get_string (item_for (partial, "restoration",
                                                 "MicrosoftAccount:user=jane.doe@contoso.com"), "outcome"),
                   ==, "restored");

  forced = restore_with (e, HS_RESTORE_OVERWRITE_NEWER);
  assert_result (forced, HS_STATUS_WARNING, HS_CODE_CREDS_RESTORED);
  g_assert_true (hs_result_get_int (forced, "restored_count", &n));
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpuint (count_actions (e, "restore_credential", "skipped"), ==, 2);
}

/* Point 4: another account runs Handshake. */
static void
test_wrong_user (void)
{
  g_autoptr(HsEngine) e = hs_test_engine_for ("wrong-user");

  hs_test_check_all (e);
  assert_result (hs_engine_get_result (e, HS_STEP_CLOCK), HS_STATUS_PROBLEM, HS_CODE_CLOCK_SKEW);
  for (HsStep s = HS_STEP_CREDENTIALS; s <= HS_STEP_ACCOUNTS; s++)
    {
      HsResult *r = hs_engine_get_result (e, s);
      assert_result (r, HS_STATUS_UNVERIFIED, HS_CODE_WRONG_USER);
      g_assert_cmpstr (hs_result_get_string (r, "process_user"), ==, "CONTOSO\\helpdesk.admin");
      g_assert_cmpstr (hs_result_get_string (r, "session_user"), ==, "CONTOSO\\jane.doe");
    }
}

/* Points 2 and 3: a clock the organisation sets is not "fixed" here. */
static void
test_managed_clock (void)
{
  g_autoptr(HsEngine) e = hs_test_engine_for ("managed-clock");
  g_autoptr(HsResult) c = hs_test_check_step (e, HS_STEP_CLOCK);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsResult) f = NULL;

  assert_result (c, HS_STATUS_PROBLEM, HS_CODE_CLOCK_MANAGED);
  g_assert_cmpint (hs_result_get_fix (c), ==, HS_FIX_GUIDED);
  g_assert_cmpstr (hs_result_get_string (c, "policy_ntp_server"), ==, "ntp.contoso.com,0x9");
  g_assert_cmpstr (hs_result_get_string (c, "policy_tz_auto_blocked"), ==, "yes");
  f = hs_test_fix (e, HS_STEP_CLOCK, NULL, &error);
  g_assert_null (f);
  g_assert_error (error, HS_ENGINE_ERROR, HS_ENGINE_ERROR_NO_FIX);
  g_assert_cmpuint (count_actions (e, "elevate_clock_fix", NULL), ==, 0);
}

static void
test_clock_outcomes (void)
{
  static const struct { const char *fixes; const char *code; } cases[] = {
    { "[fixes]\nclock=no_effect\n", HS_CODE_CLOCK_FIX_NO_EFFECT },
    { "[fixes]\nclock=pending\n", HS_CODE_CLOCK_FIX_PENDING },
    { "[fixes]\nclock=stale\n", HS_CODE_CLOCK_FIX_STALE },
    { "[fixes]\nclock=ok\n", HS_CODE_CLOCK_FIXED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HsEngine) e = all_broken_with (cases[i].fixes);
      g_autoptr(HsResult) c = hs_test_check_step (e, HS_STEP_CLOCK);
      g_autoptr(HsResult) f = fix_step (e, HS_STEP_CLOCK, NULL);

      g_assert_cmpstr (hs_result_get_code (f), ==, cases[i].code);
    }
}

/* Point 7: damaged, or being updated by Windows. */
static void
test_broker_status (void)
{
  g_autoptr(HsEngine) e = NULL, e2 = NULL;
  g_autoptr(HsResult) c = NULL, f = NULL, s = NULL, refused = NULL;
  g_autoptr(GError) error = NULL;

  e = hs_test_engine_for_data ("[broker]\nregistered=yes\nstatus=tampered\n", "tampered.ini");
  c = hs_test_check_step (e, HS_STEP_BROKER);
  assert_result (c, HS_STATUS_PROBLEM, HS_CODE_BROKER_BROKEN);
  g_assert_cmpstr (hs_item_get_string (hs_result_get_items (c)->pdata[0], "status"), ==, "Modified, Tampered");
  f = fix_step (e, HS_STEP_BROKER, NULL);
  assert_result (f, HS_STATUS_NEEDS_RESTART, HS_CODE_BROKER_REREGISTERED);

  e2 = hs_test_engine_for_data ("[broker]\nregistered=yes\nstatus=servicing\n", "servicing.ini");
  s = hs_test_check_step (e2, HS_STEP_BROKER);
  assert_result (s, HS_STATUS_WARNING, HS_CODE_BROKER_SERVICING);
  refused = hs_test_fix (e2, HS_STEP_BROKER, NULL, &error);
  g_assert_error (error, HS_ENGINE_ERROR, HS_ENGINE_ERROR_NO_FIX);
}

/* Point 5: what restarting Teams found and did. */
static void
test_teams_restart (void)
{
  g_autoptr(HsEngine) e = hs_test_engine_for_data ("[teams]\nrunning=3\ntray=1\nhung=1\nother_sessions=2\n",
                                                   "teams.ini");
  HsTeamsRestart t = { 0 };
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) res = NULL;

  hs_engine_restart_teams_async (e, NULL, hs_test_store_result_cb, &slot);
  res = hs_test_wait_for (&slot, "restart Teams");
  g_assert_true (hs_engine_restart_teams_finish_report (e, res, &t, NULL));
  g_assert_cmpuint (t.found, ==, 3);
  g_assert_cmpuint (t.closed, ==, 1);
  g_assert_cmpuint (t.hidden_then_ended, ==, 1);
  g_assert_cmpuint (t.killed, ==, 1);
  g_assert_cmpuint (t.other_sessions, ==, 2);
  g_assert_true (t.relaunched);
}

/* Point 9: the join record alone is no signed-in account; the Settings
 * page is the one that lists what to sign out. */
static void
test_accounts (void)
{
  g_autoptr(HsEngine) e = hs_test_engine_for_data (
    "[account joined]\nemail=it-enrol@contoso.com\nkind=work\nsources=aad_join\n"
    "[account mine]\nemail=jane.doe@contoso.com\nkind=work\nsources=workplace_join,tbacct\n"
    "[account other]\nemail=jane@fabrikam.com\nkind=work\nsources=workplace_join\n", "accounts.ini");
  g_autoptr(HsResult) c = hs_test_check_step (e, HS_STEP_ACCOUNTS);
  g_autoptr(HsResult) f = NULL;
  GPtrArray *log;

  assert_result (c, HS_STATUS_WARNING, HS_CODE_ACCOUNTS_SEVERAL);
  g_assert_cmpstr (hs_result_get_string (c, "settings_page"), ==, "ms-settings:workplace");
  f = fix_step (e, HS_STEP_ACCOUNTS, NULL);
  assert_result (f, HS_STATUS_FIXED, HS_CODE_ACCOUNTS_OK);
  log = hs_engine_get_actions (e);
  g_assert_cmpuint (count_actions (e, "open_settings", "ok"), ==, 1);
  for (guint i = 0; i < log->len; i++)
    if (g_str_equal (((HsAction *) log->pdata[i])->action, "open_settings"))
      g_assert_cmpstr (((HsAction *) log->pdata[i])->detail, ==, "ms-settings:workplace");
  /* IT's join record is still there, and not counted. */
  g_assert_cmpuint (hs_result_get_items (f)->len, ==, 2);
}

static void
expect_invalid (const char *text, const char *key)
{
  g_autoptr(GError) error = NULL;
  HsPlatform *pf = hs_practice_platform_new_from_data (text, strlen (text), "bad.ini", &error);

  g_assert_null (pf);
  g_assert_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, key));
}

static void
test_invalid (void)
{
  expect_invalid ("[session]\nsession_id=two\n", "session_id");
  expect_invalid ("[session]\nwho=me\n", "who");
  expect_invalid ("[teams]\nrunning=1\ntray=2\n", "running");
  expect_invalid ("[credential x]\ntarget=t\nrestorable=maybe\n", "restorable");
  expect_invalid ("[broker]\nstatus=wobbly\n", "status");
  expect_invalid ("[clock]\npolicy_type=Sundial\n", "policy_type");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/practice/windows/unrestorable", test_unrestorable);
  g_test_add_func ("/practice/windows/restore-newer", test_restore_newer);
  g_test_add_func ("/practice/windows/wrong-user", test_wrong_user);
  g_test_add_func ("/practice/windows/managed-clock", test_managed_clock);
  g_test_add_func ("/practice/windows/clock-outcomes", test_clock_outcomes);
  g_test_add_func ("/practice/windows/broker-status", test_broker_status);
  g_test_add_func ("/practice/windows/teams-restart", test_teams_restart);
  g_test_add_func ("/practice/windows/accounts", test_accounts);
  g_test_add_func ("/practice/windows/invalid", test_invalid);
  return g_test_run ();
}
