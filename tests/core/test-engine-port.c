/* test-engine-port.c — the engine over a platform port written here, which
 * records what the engine hands it: the clock reference and owner window of
 * the elevated fix, which calls a refused step still made, what restarting
 * Teams reported. Each port answer Windows can give (issue 11) has its own
 * verdict. */
#include <string.h>
#include <glib.h>

#include "hs-codes.h"
#include "hs-engine.h"
#include "hs-test-engine.h"

typedef struct {
  HsPlatform       platform;      /* first: the engine gets &platform */
  double           offset;        /* what the clock is off by now */
  gboolean         auto_on;       /* Windows sets the time automatically */
  gint64           n_stamps;      /* clock_stamp calls so far */
  HsClockStamp     last_stamp;    /* the last one handed out */
  HsClockStamp     measured_at;   /* the stamp handed out with the last measurement */
  HsPortCode       elevate_code;  /* what the elevated helper answers */
  gboolean         elevate_fixes; /* the helper really corrects the clock */
  HsClockReference ref;           /* what elevate was given */
  uintptr_t        owner;
  guint            n_elevate;
  HsUserContext    user;
  guint            n_list_credentials;
  HsTeamsRestart   teams;
} FakePort;

static HsPortCode
fake_time_settings (void *self, HsTimeSettings *out, HsPortStatus *st)
{
  memset (out, 0, sizeof *out);
  g_strlcpy (out->sync_type, ((FakePort *) self)->auto_on ? "NTP" : "NoSync", sizeof out->sync_type);
  out->service_state = HS_SERVICE_STOPPED;
  out->elevated = HS_TRI_NO;
  out->policy_ntp_client = HS_TRI_UNKNOWN;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsClockStamp
next_stamp (FakePort *f)
{
  f->n_stamps++;
  f->last_stamp.system_utc_us = G_GINT64_CONSTANT (1795000000000000) + f->n_stamps * 7000000;
  f->last_stamp.mono_us = f->n_stamps * 7000000;
  return f->last_stamp;
}

static HsPortCode
fake_clock_offset (void *self, HsOffsetSample *out, HsPortStatus *st)
{
  FakePort *f = self;

  out->offset_seconds = f->offset;
  out->uncertainty_seconds = 0.01;
  g_strlcpy (out->source, "fake://ntp", sizeof out->source);
  /* Whatever stamp comes next belongs to this measurement. */
  f->measured_at.mono_us = (f->n_stamps + 1) * 7000000;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
fake_clock_stamp (void *self, HsClockStamp *out, HsPortStatus *st)
{
  *out = next_stamp (self);
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
fake_elevate (void *self, const char *action, const HsClockReference *ref, uintptr_t owner,
              int *exit_code, const HsPortCancel *cancel, HsPortStatus *st)
{
  FakePort *f = self;

  f->n_elevate++;
  f->ref = ref ? *ref : (HsClockReference) { 0 };
  f->owner = owner;
  if (f->elevate_fixes)
    f->offset = 0.01, f->auto_on = TRUE;
  *exit_code = f->elevate_code == HS_PORT_OK ? 0 : 1;
  hs_port_status_set (st, f->elevate_code, 0, "w32tm: The following error occurred: (0x80070005)");
  return f->elevate_code;
}

static HsPortCode
fake_user_context (void *self, HsUserContext *out, HsPortStatus *st)
{
  *out = ((FakePort *) self)->user;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
fake_list_credentials (void *self, HsCredentialList *out, HsPortStatus *st)
{
  ((FakePort *) self)->n_list_credentials++;
  out->items = NULL;
  out->n_items = 0;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
fake_restart_teams (void *self, HsTeamsRestart *report, const HsPortCancel *cancel, HsPortStatus *st)
{
  if (report != NULL)
    *report = ((FakePort *) self)->teams;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static void
fake_destroy (void *self)
{
  g_free (self);
}

/* The engine owns the port; the test keeps a pointer to look into it. */
static HsEngine *
fake_engine (FakePort **out)
{
  FakePort *f = g_new0 (FakePort, 1);

  f->platform.name = "fake";
  f->platform.self = f;
  f->platform.time_settings = fake_time_settings;
  f->platform.clock_offset = fake_clock_offset;
  f->platform.clock_stamp = fake_clock_stamp;
  f->platform.elevate = fake_elevate;
  f->platform.user_context = fake_user_context;
  f->platform.list_credentials = fake_list_credentials;
  f->platform.restart_teams = fake_restart_teams;
  f->platform.destroy = fake_destroy;
  hs_platform_fill_unsupported (&f->platform);
  f->offset = 252.4;
  f->elevate_code = HS_PORT_OK;
  f->elevate_fixes = TRUE;
  f->user = (HsUserContext) { "CONTOSO\\jane.doe", "CONTOSO\\jane.doe", 1, HS_TRI_YES };
  *out = f;
  return hs_engine_new (&f->platform, NULL);
}

#define fix_step hs_test_fix_ok

/* The fix works from the offset as it was measured, with the clocks read
 * at that moment (not at fix time), and its UAC prompt belongs to the
 * wizard's window. */
static void
test_clock_reference (void)
{
  FakePort *f;
  g_autoptr(HsEngine) e = fake_engine (&f);
  g_autoptr(HsResult) check = NULL, fixed = NULL;
  HsClockStamp measured;

  hs_engine_set_owner_window (e, 0x5150);
  check = hs_test_check_step (e, HS_STEP_CLOCK);
  g_assert_cmpstr (hs_result_get_code (check), ==, HS_CODE_CLOCK_SKEW);
  g_assert_cmpint (f->n_stamps, ==, 1);
  measured = f->last_stamp;
  g_assert_cmpint (measured.mono_us, ==, f->measured_at.mono_us);

  fixed = fix_step (e, HS_STEP_CLOCK, NULL);
  g_assert_cmpstr (hs_result_get_code (fixed), ==, HS_CODE_CLOCK_FIXED);
  g_assert_cmpuint (f->n_elevate, ==, 1);
  g_assert_true (f->ref.valid);
  g_assert_cmpint (f->ref.mono_us, ==, measured.mono_us);
  g_assert_cmpint (f->ref.offset_us, ==, 252400000);
  g_assert_cmpint (f->ref.true_utc_us, ==, measured.system_utc_us - 252400000);
  g_assert_cmpuint (f->owner, ==, 0x5150);
}

/* Each way Windows answers a clock fix that did not prove itself gets its
 * own code; success is judged by the re-check only. */
static void
test_clock_outcomes (void)
{
  static const struct { HsPortCode port; gboolean fixes; const char *code; HsStatus status; } cases[] = {
    { HS_PORT_NO_EFFECT, FALSE, HS_CODE_CLOCK_FIX_NO_EFFECT, HS_STATUS_PROBLEM },
    { HS_PORT_PENDING, FALSE, HS_CODE_CLOCK_FIX_PENDING, HS_STATUS_PROBLEM },
    { HS_PORT_STALE, FALSE, HS_CODE_CLOCK_FIX_STALE, HS_STATUS_PROBLEM },
    { HS_PORT_MANAGED, FALSE, HS_CODE_CLOCK_MANAGED, HS_STATUS_PROBLEM },
    /* the helper was pessimistic, the clock measures right: fixed */
    { HS_PORT_PENDING, TRUE, HS_CODE_CLOCK_FIXED, HS_STATUS_FIXED },
    /* the helper said done, the clock still measures wrong: not fixed */
    { HS_PORT_OK, FALSE, HS_CODE_CLOCK_SKEW, HS_STATUS_PROBLEM },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FakePort *f;
      g_autoptr(HsEngine) e = fake_engine (&f);
      g_autoptr(HsResult) check = NULL, fixed = NULL;
      const char *reason;

      f->elevate_code = cases[i].port;
      f->elevate_fixes = cases[i].fixes;
      check = hs_test_check_step (e, HS_STEP_CLOCK);
      fixed = fix_step (e, HS_STEP_CLOCK, NULL);
      g_test_message ("%s → %s", hs_port_code_name (cases[i].port), hs_result_get_code (fixed));
      g_assert_cmpstr (hs_result_get_code (fixed), ==, cases[i].code);
      g_assert_cmpint (hs_result_get_status (fixed), ==, cases[i].status);
      /* What the person reads is Handshake's own sentence; w32tm's words
       * stay in the report's fix_reason for support staff. */
      g_assert_null (strstr (hs_result_get_summary_en (fixed), "w32tm"));
      reason = hs_result_get_string (fixed, "fix_reason");
      if (cases[i].port != HS_PORT_OK)
        g_assert_nonnull (reason);
    }
}

/* A stale measurement leaves the fix on offer: the re-check measured anew. */
static void
test_clock_stale_retry (void)
{
  FakePort *f;
  g_autoptr(HsEngine) e = fake_engine (&f);
  g_autoptr(HsResult) check = NULL, stale = NULL, fixed = NULL;

  f->elevate_code = HS_PORT_STALE;
  f->elevate_fixes = FALSE;
  check = hs_test_check_step (e, HS_STEP_CLOCK);
  stale = fix_step (e, HS_STEP_CLOCK, NULL);
  g_assert_cmpstr (hs_result_get_code (stale), ==, HS_CODE_CLOCK_FIX_STALE);
  g_assert_cmpint (hs_result_get_fix (stale), ==, HS_FIX_AUTOMATIC_ADMIN);
  f->elevate_code = HS_PORT_OK;
  f->elevate_fixes = TRUE;
  fixed = fix_step (e, HS_STEP_CLOCK, NULL);
  g_assert_cmpstr (hs_result_get_code (fixed), ==, HS_CODE_CLOCK_FIXED);
  /* the second try worked from the measurement of the re-check */
  g_assert_cmpint (f->ref.mono_us, ==, 2 * 7000000);
}

#define count_actions hs_test_count_actions

/* Running as another account than the person at the computer: steps 2–4
 * neither read nor change anything (it would be that account's vault,
 * packages and accounts); step 1 is the computer's and goes on. */
static void
test_wrong_user (void)
{
  FakePort *f;
  g_autoptr(HsEngine) e = fake_engine (&f);
  const char *refs[] = { "1:msteams_adalsso/adal_context_0", NULL };
  HsFixOptions options = { refs, NULL, TRUE };
  g_autoptr(HsResult) fixed = NULL, restored = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) res = NULL;

  f->user = (HsUserContext) { "CONTOSO\\helpdesk-admin", "CONTOSO\\jane.doe", 1, HS_TRI_NO };
  hs_test_check_all (e);
  g_assert_cmpstr (hs_result_get_code (hs_engine_get_result (e, HS_STEP_CLOCK)), ==, HS_CODE_CLOCK_SKEW);
  for (HsStep s = HS_STEP_CREDENTIALS; s <= HS_STEP_ACCOUNTS; s++)
    {
      HsResult *r = hs_engine_get_result (e, s);
      g_assert_cmpstr (hs_result_get_code (r), ==, HS_CODE_WRONG_USER);
      g_assert_cmpint (hs_result_get_status (r), ==, HS_STATUS_UNVERIFIED);
      g_assert_cmpstr (hs_result_get_string (r, "session_user"), ==, "CONTOSO\\jane.doe");
    }
  g_assert_cmpuint (f->n_list_credentials, ==, 0);
  /* An explicit removal is refused too, and so is a restore. */
  fixed = fix_step (e, HS_STEP_CREDENTIALS, &options);
  g_assert_cmpstr (hs_result_get_code (fixed), ==, HS_CODE_WRONG_USER);
  hs_engine_restore_async (e, "/nonexistent/backup", NULL, hs_test_store_result_cb, &slot);
  res = hs_test_wait_for (&slot, "restore");
  restored = hs_engine_restore_finish (e, res, NULL);
  g_assert_cmpstr (hs_result_get_code (restored), ==, HS_CODE_WRONG_USER);
  g_assert_cmpuint (f->n_list_credentials, ==, 0);
  g_assert_cmpuint (count_actions (e, "user_context", "wrong_user"), ==, 5);
  g_assert_cmpuint (count_actions (e, "delete_credential", NULL), ==, 0);

  /* The same person (or no way to tell): checked as usual. */
  f->user.same_user = HS_TRI_UNKNOWN;
  g_clear_object (&fixed);
  fixed = hs_test_check_step (e, HS_STEP_CREDENTIALS);
  g_assert_cmpstr (hs_result_get_code (fixed), ==, HS_CODE_CREDS_OK);
  g_assert_cmpuint (f->n_list_credentials, ==, 1);
}

/* What restarting Teams did reaches the caller and the action log. */
static void
test_teams_restart (void)
{
  FakePort *f;
  g_autoptr(HsEngine) e = fake_engine (&f);
  HsTeamsRestart got = { 0 };
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  GPtrArray *log;
  HsAction *last;

  f->teams = (HsTeamsRestart) { .found = 2, .other_sessions = 1, .closed = 1, .hidden_then_ended = 1,
                                .relaunched = 1 };
  hs_engine_restart_teams_async (e, NULL, hs_test_store_result_cb, &slot);
  res = hs_test_wait_for (&slot, "restart Teams");
  g_assert_true (hs_engine_restart_teams_finish_report (e, res, &got, NULL));
  g_assert_cmpuint (got.found, ==, 2);
  g_assert_cmpuint (got.hidden_then_ended, ==, 1);
  g_assert_cmpuint (got.other_sessions, ==, 1);
  g_assert_cmpint (got.relaunched, ==, 1);
  log = hs_engine_get_actions (e);
  last = log->pdata[log->len - 1];
  g_assert_cmpstr (last->action, ==, "restart_teams");
  g_test_message ("%s", last->detail);
  g_assert_nonnull (strstr (last->detail, "hidden then ended 1"));
  g_assert_nonnull (strstr (last->detail, "other sessions (left alone) 1"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/port/clock-reference", test_clock_reference);
  g_test_add_func ("/engine/port/clock-outcomes", test_clock_outcomes);
  g_test_add_func ("/engine/port/clock-stale-retry", test_clock_stale_retry);
  g_test_add_func ("/engine/port/wrong-user", test_wrong_user);
  g_test_add_func ("/engine/port/teams-restart", test_teams_restart);
  return g_test_run ();
}
