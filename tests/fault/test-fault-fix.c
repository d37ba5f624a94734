/* test-fault-fix.c — fixes interrupted at every point, and backups that
 * cannot be written, over the practice platform and the real engine.
 *
 * Cancel points per fix (the scenario's "[fixes] delay_ms" makes each fix
 * take FIX_DELAY_MS, giving "during" something to interrupt):
 *   before  — the cancellable is cancelled before the fix starts;
 *   early   — cancelled 20 ms in (inside the simulated work);
 *   during  — cancelled half-way through the delay;
 *   late    — cancelled just before the delay ends (the work may complete);
 *   after   — cancelled once the fix has returned.
 * Invariants afterwards, whatever happened:
 *   - the action log, the backup file and the simulated vault agree: every
 *     "delete_credential ok" is gone from the vault, every credential still in
 *     the vault was not logged as deleted, the backup (if logged) exists and
 *     holds every logged deletion; no backup logged means nothing deleted and
 *     no new backup file;
 *   - a fresh re-check gives the same verdict as the fix's own re-check, and
 *     that verdict matches what the log says was done.
 * Backups that cannot be written (read-only or blocked cache directory, and
 * "[fixes] credentials=backup_fails"): nothing is deleted. */
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "hs-codes.h"
#include "hs-engine.h"
#include "hs-practice.h"
#include "hs-test-engine.h"

#define FIX_DELAY_MS 300

static const char scenario_fmt[] =
  "[scenario]\n"
  "name=fault\n"
  "description=All broken, fixes slow enough to interrupt.\n"
  "[clock]\n"
  "offset_seconds=252.4\n"
  "type=NoSync\n"
  "service=stopped\n"
  "start=manual\n"
  "tz_auto=no\n"
  "domain_member=no\n"
  "[credential teams-segments]\n"
  "target=msteams_adalsso/adal_context_segments\n"
  "type=generic\n"
  "persist=local_machine\n"
  "[credential teams-0]\n"
  "target=msteams_adalsso/adal_context_0\n"
  "type=generic\n"
  "persist=local_machine\n"
  "[credential msa]\n"
  "target=MicrosoftAccount:user=jane.doe@contoso.com\n"
  "type=generic\n"
  "user=jane.doe@contoso.com\n"
  "persist=local_machine\n"
  "[credential git]\n"
  "target=git:https://dev.contoso.com\n"
  "type=generic\n"
  "persist=local_machine\n"
  "[broker]\n"
  "registered=no\n"
  "manifest=yes\n"
  "cxh_registered=yes\n"
  "cxh_manifest=yes\n"
  "[account work]\n"
  "email=jane.doe@contoso.com\n"
  "kind=work\n"
  "sources=workplace_join\n"
  "[fixes]\n"
  "delay_ms=%d\n"
  "credentials=%s\n";

static const char *required_targets[] = {
  "msteams_adalsso/adal_context_segments",
  "msteams_adalsso/adal_context_0",
  "MicrosoftAccount:user=jane.doe@contoso.com",
};

/* A fresh engine over scenario_fmt. */
static HsEngine *
engine_for (int delay_ms, const char *creds_outcome)
{
  g_autofree char *text = g_strdup_printf (scenario_fmt, delay_ms, creds_outcome);

  return hs_test_engine_for_data (text, "fault.ini");
}

/* Runs the fix; cancel_after_ms < 0: cancelled before it starts;
 * G_MAXINT: never (cancelled after it returned). */
static HsResult *
fix_step_cancelled (HsEngine *e, HsStep step, int cancel_after_ms)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) c = g_cancellable_new ();
  guint timer = 0;
  HsResult *r;

  if (cancel_after_ms < 0)
    g_cancellable_cancel (c);
  else if (cancel_after_ms != G_MAXINT)
    timer = g_timeout_add (cancel_after_ms, hs_test_cancel_cb, c);
  hs_engine_fix_step_async (e, step, NULL, c, hs_test_store_result_cb, &slot);
  res = hs_test_wait_for (&slot, "fix_step");
  if (timer != 0 && !g_cancellable_is_cancelled (c))
    g_source_remove (timer);
  r = hs_engine_fix_step_finish (e, res, &error);
  if (cancel_after_ms == G_MAXINT)
    g_cancellable_cancel (c);   /* after: must change nothing */
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_true (hs_code_is_known (hs_result_get_code (r)));
  return r;
}

/* ---- reading the action log ---- */

static guint
count_actions (HsEngine *e, guint from, HsStep step, const char *action, const char *outcome)
{
  GPtrArray *log = hs_engine_get_actions (e);
  guint n = 0;
  for (guint i = from; i < log->len; i++)
    {
      HsAction *a = g_ptr_array_index (log, i);
      if (a->step == step && g_str_equal (a->action, action)
          && (outcome == NULL || g_str_equal (a->outcome, outcome)))
        n++;
    }
  return n;
}

static gboolean
logged_deleted (HsEngine *e, guint from, const char *target)
{
  GPtrArray *log = hs_engine_get_actions (e);
  for (guint i = from; i < log->len; i++)
    {
      HsAction *a = g_ptr_array_index (log, i);
      if (a->step == HS_STEP_CREDENTIALS && g_str_equal (a->action, "delete_credential")
          && g_str_equal (a->outcome, "ok") && g_strcmp0 (a->detail, target) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The credentials the vault holds, as the step-2 check lists them. */
static gboolean
vault_has (HsResult *check, const char *target)
{
  GPtrArray *items = hs_result_get_items (check);
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (hs_item_get_string (g_ptr_array_index (items, i), "target"), target) == 0)
      return TRUE;
  return FALSE;
}

static char *
backup_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "handshake", "practice-backups", NULL);
}

static guint
count_backups (void)
{
  g_autofree char *dir = backup_dir ();
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  while (d && g_dir_read_name (d))
    n++;
  return n;
}

/* ---- step 2 ---- */

static void check_consistency (HsEngine *e, const char *name, HsResult *before, HsResult *fixed,
                               guint from, guint n_backups);

typedef struct { const char *name; int cancel_ms; } CancelPoint;

static const CancelPoint points[] = {
  { "before", -1 },
  { "early", 20 },
  { "during", FIX_DELAY_MS / 2 },
  { "late", FIX_DELAY_MS - 15 },
  { "just-after-delay", FIX_DELAY_MS + 5 },
  { "after", G_MAXINT },
};

static void
test_cancel_credentials (gconstpointer data)
{
  const CancelPoint *pt = data;
  g_autoptr(HsEngine) e = engine_for (FIX_DELAY_MS, "ok");
  g_autoptr(HsResult) before = hs_test_check_step (e, HS_STEP_CREDENTIALS);
  guint n_backups = count_backups ();
  guint from = hs_engine_get_actions (e)->len;
  g_autoptr(HsResult) fixed = fix_step_cancelled (e, HS_STEP_CREDENTIALS, pt->cancel_ms);

  check_consistency (e, pt->name, before, fixed, from, n_backups);
}

/* The invariants of the header comment, for step 2. */
static void
check_consistency (HsEngine *e, const char *name, HsResult *before, HsResult *fixed,
                   guint from, guint n_backups)
{
  g_autoptr(HsResult) recheck = hs_test_check_step (e, HS_STEP_CREDENTIALS);
  guint backups_ok = count_actions (e, from, HS_STEP_CREDENTIALS, "backup", "ok");
  guint deleted = count_actions (e, from, HS_STEP_CREDENTIALS, "delete_credential", "ok");
  const char *backup = hs_engine_get_last_backup (e);

  g_test_message ("cancel %s: fix → %s, re-check → %s, backup %s, %u deleted", name,
                  hs_result_get_code (fixed), hs_result_get_code (recheck),
                  backups_ok ? "written" : "none", deleted);
  g_assert_cmpstr (hs_result_get_code (before), ==, HS_CODE_CREDS_STALE);

  /* the fix's own re-check and a fresh one agree, unless the fix itself was
   * cancelled before its verdict (step.cancelled) */
  if (!g_str_equal (hs_result_get_code (fixed), HS_CODE_CANCELLED))
    {
      if (deleted == G_N_ELEMENTS (required_targets))
        g_assert_cmpstr (hs_result_get_code (fixed), ==, HS_CODE_CREDS_REMOVED);
      else
        g_assert_cmpstr (hs_result_get_code (fixed), ==, hs_result_get_code (recheck));
    }

  /* log ↔ vault */
  for (guint i = 0; i < G_N_ELEMENTS (required_targets); i++)
    {
      gboolean gone = !vault_has (recheck, required_targets[i]);
      g_assert_cmpint (gone, ==, logged_deleted (e, from, required_targets[i]));
    }
  gint64 others = -1;
  g_assert_true (hs_result_get_int (recheck, "other_count", &others));
  g_assert_cmpint (others, ==, 1);   /* the git credential: never touched */
  if (deleted == 0)
    g_assert_cmpstr (hs_result_get_code (recheck), ==, HS_CODE_CREDS_STALE);
  else if (deleted == G_N_ELEMENTS (required_targets))
    g_assert_true (g_str_equal (hs_result_get_code (recheck), HS_CODE_CREDS_OK)
                   || g_str_equal (hs_result_get_code (recheck), HS_CODE_CREDS_OFFICE_ONLY));

  /* log ↔ backup file */
  if (backups_ok == 0)
    {
      g_assert_cmpuint (deleted, ==, 0);
      g_assert_cmpuint (count_backups (), ==, n_backups);
    }
  else
    {
      g_autoptr(GKeyFile) kf = g_key_file_new ();
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) groups = NULL;

      g_assert_cmpuint (backups_ok, ==, 1);
      g_assert_nonnull (backup);
      g_assert_cmpuint (count_backups (), ==, n_backups + 1);
      g_assert_true (g_key_file_load_from_file (kf, backup, G_KEY_FILE_NONE, &error));
      g_assert_no_error (error);
      groups = g_key_file_get_groups (kf, NULL);
      /* the backup holds every credential the fix set out to delete */
      for (guint i = 0; i < G_N_ELEMENTS (required_targets); i++)
        {
          gboolean found = FALSE;
          for (char **g = groups; *g; g++)
            {
              g_autofree char *t = g_key_file_get_string (kf, *g, "target", NULL);
              found |= g_strcmp0 (t, required_targets[i]) == 0;
            }
          g_assert_true (found);
        }

      /* and it puts back exactly what was deleted */
      g_autoptr(HsResult) restored = NULL;
      restored = hs_test_restore (e, NULL);
      g_autoptr(HsResult) after_restore = hs_test_check_step (e, HS_STEP_CREDENTIALS);
      for (guint i = 0; i < G_N_ELEMENTS (required_targets); i++)
        g_assert_true (vault_has (after_restore, required_targets[i]));
    }
}

static void
assert_nothing_deleted (HsEngine *e, guint from, guint n_backups, HsResult *fixed)
{
  g_autoptr(HsResult) recheck = hs_test_check_step (e, HS_STEP_CREDENTIALS);

  g_assert_cmpstr (hs_result_get_code (fixed), ==, HS_CODE_CREDS_BACKUP_FAILED);
  g_assert_cmpuint (count_actions (e, from, HS_STEP_CREDENTIALS, "backup", "ok"), ==, 0);
  g_assert_cmpuint (count_actions (e, from, HS_STEP_CREDENTIALS, "backup", NULL), ==, 1);
  g_assert_cmpuint (count_actions (e, from, HS_STEP_CREDENTIALS, "delete_credential", NULL), ==, 0);
  g_assert_null (hs_engine_get_last_backup (e));
  g_assert_cmpstr (hs_result_get_code (recheck), ==, HS_CODE_CREDS_STALE);
  for (guint i = 0; i < G_N_ELEMENTS (required_targets); i++)
    g_assert_true (vault_has (recheck, required_targets[i]));
  g_assert_cmpuint (count_backups (), ==, n_backups);
}

static void
test_backup_fails_simulated (void)
{
  g_autoptr(HsEngine) e = engine_for (0, "backup_fails");
  g_autoptr(HsResult) before = hs_test_check_step (e, HS_STEP_CREDENTIALS);
  guint n_backups = count_backups ();
  guint from = hs_engine_get_actions (e)->len;
  g_autoptr(HsResult) fixed = fix_step_cancelled (e, HS_STEP_CREDENTIALS, G_MAXINT);

  assert_nothing_deleted (e, from, n_backups, fixed);
}

/* Run in a subprocess whose XDG_CACHE_HOME is unwritable (see main). */
static void
test_backup_dir_unwritable (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(HsEngine) e = engine_for (0, "ok");
      g_autoptr(HsResult) before = hs_test_check_step (e, HS_STEP_CREDENTIALS);
      guint from = hs_engine_get_actions (e)->len;
      g_autoptr(HsResult) fixed = fix_step_cancelled (e, HS_STEP_CREDENTIALS, G_MAXINT);

      assert_nothing_deleted (e, from, 0, fixed);
      return;
    }
  g_autofree char *root = g_dir_make_tmp ("hs-fault-XXXXXX", NULL);
  g_autofree char *cache = g_build_filename (root, "cache", NULL);
  g_autofree char *blocker = g_build_filename (cache, "handshake", NULL);
  g_assert_cmpint (g_mkdir (cache, 0700), ==, 0);
  /* root ignores directory permissions: a file where the directory should
   * be blocks it for everyone; the read-only mode blocks everyone else */
  if (geteuid () == 0)
    g_assert_true (g_file_set_contents (blocker, "not a directory", -1, NULL));
  g_assert_cmpint (g_chmod (cache, 0500), ==, 0);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_chmod (cache, 0700);
  g_unlink (blocker);
  g_rmdir (cache);
  g_rmdir (root);
  g_test_trap_assert_passed ();
}

/* Cancelled between two deletions. The practice platform deletes under one
 * lock, so the test wraps its delete_credentials with a cancel that says
 * "stop" at its N-th poll: poll 1 is just before the backup, poll 1 + k just
 * before the k-th deletion. */
static HsPortCode (*practice_delete) (void *, const HsCredentialRef *, size_t, const char *,
                                      char **, HsCredentialOutcome *, const HsPortCancel *,
                                      HsPortStatus *);
static int polls, stop_at_poll;

static int
counting_cancel (void *data)
{
  return ++polls >= stop_at_poll;
}

static HsPortCode
delete_cancelled_midway (void *self, const HsCredentialRef *refs, size_t n_refs,
                         const char *dir, char **backup_path, HsCredentialOutcome *outcomes,
                         const HsPortCancel *cancel, HsPortStatus *st)
{
  HsPortCancel c = { counting_cancel, NULL };
  polls = 0;
  return practice_delete (self, refs, n_refs, dir, backup_path, outcomes, &c, st);
}

static void
test_cancel_mid_deletion (gconstpointer data)
{
  int k = GPOINTER_TO_INT (data);   /* deletions allowed before the cancel */
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf (scenario_fmt, 0, "ok");
  HsPlatform *pf = hs_practice_platform_new_from_data (text, strlen (text), "fault.ini", &error);
  g_assert_no_error (error);
  practice_delete = pf->delete_credentials;
  pf->delete_credentials = delete_cancelled_midway;
  stop_at_poll = 2 + k;
  g_autoptr(HsEngine) e = hs_engine_new (pf, NULL);
  g_autoptr(HsResult) before = hs_test_check_step (e, HS_STEP_CREDENTIALS);
  guint n_backups = count_backups ();
  guint from = hs_engine_get_actions (e)->len;
  g_autoptr(HsResult) fixed = fix_step_cancelled (e, HS_STEP_CREDENTIALS, G_MAXINT);
  g_autofree char *name = g_strdup_printf ("after %d deletion(s)", k);

  check_consistency (e, name, before, fixed, from, n_backups);
  g_assert_cmpuint (count_actions (e, from, HS_STEP_CREDENTIALS, "delete_credential", "ok"), ==,
                    (guint) MIN (k, (int) G_N_ELEMENTS (required_targets)));
  if (k < (int) G_N_ELEMENTS (required_targets))
    g_assert_cmpuint (count_actions (e, from, HS_STEP_CREDENTIALS, "delete_credential", "cancelled"),
                      ==, G_N_ELEMENTS (required_targets) - k);
}

/* ---- steps 1 and 3 ---- */

static void
test_cancel_clock (gconstpointer data)
{
  const CancelPoint *pt = data;
  g_autoptr(HsEngine) e = engine_for (FIX_DELAY_MS, "ok");
  g_autoptr(HsResult) before = hs_test_check_step (e, HS_STEP_CLOCK);
  guint from = hs_engine_get_actions (e)->len;
  g_autoptr(HsResult) fixed = fix_step_cancelled (e, HS_STEP_CLOCK, pt->cancel_ms);
  g_autoptr(HsResult) recheck = hs_test_check_step (e, HS_STEP_CLOCK);
  gboolean changed = count_actions (e, from, HS_STEP_CLOCK, "resync", "ok")
                     + count_actions (e, from, HS_STEP_CLOCK, "elevate_clock_fix", "ok") > 0;

  g_test_message ("cancel %s: fix → %s, re-check → %s, resync %s", pt->name,
                  hs_result_get_code (fixed), hs_result_get_code (recheck),
                  changed ? "done" : "not done");
  g_assert_cmpstr (hs_result_get_code (before), ==, HS_CODE_CLOCK_SKEW);
  if (changed)
    g_assert_cmpstr (hs_result_get_code (recheck), ==, HS_CODE_CLOCK_OK);
  else
    g_assert_cmpstr (hs_result_get_code (recheck), !=, HS_CODE_CLOCK_OK);
  if (!g_str_equal (hs_result_get_code (fixed), HS_CODE_CANCELLED))
    {
      if (changed)
        g_assert_cmpstr (hs_result_get_code (fixed), ==, HS_CODE_CLOCK_FIXED);
      else
        g_assert_cmpstr (hs_result_get_code (fixed), ==, hs_result_get_code (recheck));
    }
}

static void
test_cancel_broker (gconstpointer data)
{
  const CancelPoint *pt = data;
  g_autoptr(HsEngine) e = engine_for (FIX_DELAY_MS, "ok");
  g_autoptr(HsResult) before = hs_test_check_step (e, HS_STEP_BROKER);
  guint from = hs_engine_get_actions (e)->len;
  g_autoptr(HsResult) fixed = fix_step_cancelled (e, HS_STEP_BROKER, pt->cancel_ms);
  g_autoptr(HsResult) recheck = hs_test_check_step (e, HS_STEP_BROKER);
  guint failed = count_actions (e, from, HS_STEP_BROKER, "reregister_package", NULL)
                 - count_actions (e, from, HS_STEP_BROKER, "reregister_package", "ok");
  guint done = count_actions (e, from, HS_STEP_BROKER, "reregister_package", "ok");

  g_test_message ("cancel %s: fix → %s, re-check → %s, %u re-registered, %u not", pt->name,
                  hs_result_get_code (fixed), hs_result_get_code (recheck), done, failed);
  g_assert_cmpstr (hs_result_get_code (before), ==, HS_CODE_BROKER_UNREGISTERED);
  /* the broker family is re-registered first: the vault of packages says
   * registered exactly when the log says so */
  if (done >= 1)
    g_assert_true (g_str_equal (hs_result_get_code (recheck), HS_CODE_BROKER_OK)
                   || g_str_equal (hs_result_get_code (recheck), HS_CODE_BROKER_REREGISTERED));
  else
    g_assert_cmpstr (hs_result_get_code (recheck), ==, HS_CODE_BROKER_UNREGISTERED);
  if (!g_str_equal (hs_result_get_code (fixed), HS_CODE_CANCELLED) && done == 0)
    g_assert_cmpstr (hs_result_get_code (fixed), ==, HS_CODE_BROKER_UNREGISTERED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  hs_test_set_watchdog (20);   /* the fixes are slowed down on purpose */

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autofree char *p1 = g_strdup_printf ("/fault/cancel/credentials/%s", points[i].name);
      g_autofree char *p2 = g_strdup_printf ("/fault/cancel/clock/%s", points[i].name);
      g_autofree char *p3 = g_strdup_printf ("/fault/cancel/broker/%s", points[i].name);
      g_test_add_data_func (p1, &points[i], test_cancel_credentials);
      g_test_add_data_func (p2, &points[i], test_cancel_clock);
      g_test_add_data_func (p3, &points[i], test_cancel_broker);
    }
  for (int k = 0; k <= 3; k++)
    {
      g_autofree char *p = g_strdup_printf ("/fault/cancel/credentials/mid-deletion-%d", k);
      g_test_add_data_func (p, GINT_TO_POINTER (k), test_cancel_mid_deletion);
    }
  g_test_add_func ("/fault/backup/simulated-failure", test_backup_fails_simulated);
  g_test_add_func ("/fault/backup/unwritable-dir", test_backup_dir_unwritable);
  return g_test_run ();
}
