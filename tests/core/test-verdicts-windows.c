/* test-verdicts-windows.c — the verdicts over what only a real Windows PC
 * tells (issue 11): policies that own the clock or the time zone, secrets
 * Windows withholds, a package Windows reports damaged or is updating, a
 * device join record, and Handshake running as another account. */
#include <string.h>
#include <glib.h>

#include "hs-codes.h"
#include "hs-accounts-step.h"
#include "hs-broker-step.h"
#include "hs-clock-step.h"
#include "hs-credentials-step.h"
#include "hs-step-table.h"
#include "hs-test-engine.h"
#include "hs-test-facts.h"

/* Every result any verdict returns goes through hs_test_known: its code must be known. */
#define seen hs_test_known
#define assert_verdict hs_test_assert_verdict

/* ---- Step 1: policies ---- */

static HsClockFacts
clock_facts (double offset)
{
  HsClockFacts f = hs_test_clock_facts (offset, TRUE);

  g_strlcpy (f.settings.sync_type, "NT5DS", sizeof f.settings.sync_type);
  return f;
}

static HsResult *
managed_clock (double offset)
{
  HsClockFacts f = clock_facts (offset);

  f.settings.policy_time_source = HS_TRI_YES;
  g_strlcpy (f.settings.policy_sync_type, "NT5DS", sizeof f.settings.policy_sync_type);
  g_strlcpy (f.settings.policy_ntp_server, "ntp.contoso.com,0x9", sizeof f.settings.policy_ntp_server);
  return seen (hs_clock_verdict (&f));
}

/* A policy sets the time source: "managed by your organisation", fine when
 * right, IT's job when not, and never an automatic fix the next policy
 * refresh would undo. */
static void
test_clock_managed (void)
{
  g_autoptr(HsResult) right = managed_clock (1.5);
  g_autoptr(HsResult) drift = managed_clock (-45);
  g_autoptr(HsResult) wrong = managed_clock (300);

  assert_verdict (right, HS_STATUS_OK, HS_CODE_CLOCK_MANAGED, HS_FIX_NONE);
  assert_verdict (drift, HS_STATUS_WARNING, HS_CODE_CLOCK_MANAGED, HS_FIX_GUIDED);
  assert_verdict (wrong, HS_STATUS_PROBLEM, HS_CODE_CLOCK_MANAGED, HS_FIX_GUIDED);
  g_assert_cmpstr (hs_result_get_summary_en (right), !=, hs_result_get_summary_en (wrong));
  g_assert_nonnull (strstr (hs_result_get_summary_en (wrong), "IT support"));
  g_assert_cmpstr (hs_result_get_string (wrong, "policy_time_source"), ==, "yes");
  g_assert_cmpstr (hs_result_get_string (wrong, "policy_ntp_server"), ==, "ntp.contoso.com,0x9");
  /* The CLI tells the person to ask IT, and offers no fix. */
  g_assert_nonnull (hs_step_guide (HS_STEP_CLOCK, wrong));
  g_assert_null (hs_step_guide (HS_STEP_CLOCK, right));
}

/* A zone the organisation sets is the organisation's to correct; a
 * policy that only blocks the automatic zone leaves choosing it by hand. */
static void
test_clock_zone_policy (void)
{
  HsClockFacts f = clock_facts (-5 * 3600 - 30);
  g_autoptr(HsResult) zone = NULL, blocked = NULL, plain = NULL;
  const char *guide_blocked, *guide_plain;

  plain = seen (hs_clock_verdict (&f));
  assert_verdict (plain, HS_STATUS_PROBLEM, HS_CODE_CLOCK_TIMEZONE, HS_FIX_GUIDED);
  f.settings.policy_tz_auto_blocked = HS_TRI_YES;
  blocked = seen (hs_clock_verdict (&f));
  assert_verdict (blocked, HS_STATUS_PROBLEM, HS_CODE_CLOCK_TIMEZONE, HS_FIX_GUIDED);
  g_assert_cmpstr (hs_result_get_string (blocked, "policy_tz_auto_blocked"), ==, "yes");
  guide_plain = hs_step_guide (HS_STEP_CLOCK, plain);
  guide_blocked = hs_step_guide (HS_STEP_CLOCK, blocked);
  g_assert_nonnull (strstr (guide_plain, "automatically"));
  g_assert_cmpstr (guide_blocked, !=, guide_plain);
  g_assert_null (strstr (guide_blocked, "turn on"));

  g_strlcpy (f.settings.policy_time_zone, "Eastern Standard Time", sizeof f.settings.policy_time_zone);
  zone = seen (hs_clock_verdict (&f));
  assert_verdict (zone, HS_STATUS_PROBLEM, HS_CODE_CLOCK_TIMEZONE_MANAGED, HS_FIX_GUIDED);
  g_assert_cmpstr (hs_result_get_string (zone, "policy_time_zone"), ==, "Eastern Standard Time");
  g_assert_nonnull (strstr (hs_step_guide (HS_STEP_CLOCK, zone), "IT support"));
}

/* The reference a fix works from comes with the measurement. */
static void
test_clock_stamp_carried (void)
{
  HsClockFacts f = clock_facts (252.4);
  g_autoptr(HsResult) r = NULL;
  HsClockReference ref = { 0 };
  gint64 v = 0;

  f.stamped = TRUE;
  f.stamp.system_utc_us = G_GINT64_CONSTANT (1795000000000000);
  f.stamp.mono_us = 987654321;
  r = seen (hs_clock_verdict (&f));
  g_assert_true (hs_result_get_int (r, "clock_stamp_utc_us", &v));
  g_assert_cmpint (v, ==, f.stamp.system_utc_us);
  g_assert_true (hs_result_get_int (r, "clock_stamp_mono_us", &v));
  g_assert_cmpint (v, ==, 987654321);
  hs_clock_reference_from_result (r, &ref);
  g_assert_true (ref.valid);
  g_assert_cmpint (ref.mono_us, ==, 987654321);
  g_assert_cmpint (ref.offset_us, ==, 252400000);
  g_assert_cmpint (ref.true_utc_us, ==, f.stamp.system_utc_us - 252400000);
}

/* ---- Step 2: secrets Windows withholds ---- */

/* A domain password: Windows hands out no secret of it, so no backup
 * can put it back. */
static HsCredential
withheld (const char *target)
{
  HsCredential c = hs_test_cred (target, NULL);

  c.type = 2;
  c.blob_size = 0;
  c.restorable = HS_TRI_NO;
  return c;
}

static const HsItem *
item_for (HsResult *r, const char *target)
{
  GPtrArray *items = hs_result_get_items (r);

  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (hs_item_get_string (items->pdata[i], "target"), target) == 0)
      return items->pdata[i];
  g_error ("no item for %s", target);
  return NULL;
}

static void
test_creds_unrestorable (void)
{
  HsCredential mixed[] = {
    hs_test_cred ("msteams_adalsso/adal_context_segments", NULL),
    withheld ("MicrosoftAccount:user=jane.doe@contoso.com"),
  };
  HsCredential only[] = { withheld ("MicrosoftAccount:user=jane.doe@contoso.com") };
  g_autoptr(HsResult) r1 = hs_test_creds_verdict (mixed, G_N_ELEMENTS (mixed));
  g_autoptr(HsResult) r2 = hs_test_creds_verdict (only, G_N_ELEMENTS (only));
  gint64 n = -1;

  /* Each entry says whether a backup can put it back. */
  assert_verdict (r1, HS_STATUS_PROBLEM, HS_CODE_CREDS_STALE, HS_FIX_AUTOMATIC);
  g_assert_cmpstr (hs_item_get_string (item_for (r1, "msteams_adalsso/adal_context_segments"), "restorable"),
                   ==, "yes");
  g_assert_cmpstr (hs_item_get_string (item_for (r1, "MicrosoftAccount:user=jane.doe@contoso.com"), "restorable"),
                   ==, "no");
  g_assert_true (hs_result_get_int (r1, "unrestorable_count", &n));
  g_assert_cmpint (n, ==, 1);
  /* What is left can only go for good: its own code, still a problem
   * (the stale entry may be what blocks sign-in), still removable with
   * the person's own agreement. */
  assert_verdict (r2, HS_STATUS_PROBLEM, HS_CODE_CREDS_UNRESTORABLE, HS_FIX_AUTOMATIC);
}

/* ---- Step 3: package status ---- */

/* Registered, its status as Get-AppxPackage prints it. */
static HsPackageState
pkg (const char *family, HsTri status_ok, guint32 flags, const char *text)
{
  HsPackageState s = hs_test_pkg (family, HS_TRI_YES, HS_TRI_YES);

  s.method = HS_LOOKUP_POWERSHELL;
  s.status_ok = status_ok;
  s.status_flags = flags;
  g_strlcpy (s.status_text, text, sizeof s.status_text);
  return s;
}

static HsResult *
broker (HsPackageState a, HsPackageState b)
{
  HsPackageState s[2] = { a, b };

  return hs_test_broker_verdict (s, 2);
}

static void
test_broker_status (void)
{
  HsPackageState ok = pkg (HS_CXH_FAMILY, HS_TRI_YES, 0, "Ok");
  g_autoptr(HsResult) broken = broker (pkg (HS_BROKER_FAMILY, HS_TRI_NO,
                                            HS_PKG_STATUS_MODIFIED | HS_PKG_STATUS_TAMPERED,
                                            "Modified, Tampered"), ok);
  g_autoptr(HsResult) servicing = broker (pkg (HS_BROKER_FAMILY, HS_TRI_NO, HS_PKG_STATUS_SERVICING,
                                               "Servicing"), ok);
  g_autoptr(HsResult) unknown = broker (pkg (HS_BROKER_FAMILY, HS_TRI_UNKNOWN, 0, ""), ok);
  const HsItem *item;

  assert_verdict (broken, HS_STATUS_PROBLEM, HS_CODE_BROKER_BROKEN, HS_FIX_AUTOMATIC);
  item = hs_result_get_items (broken)->pdata[0];
  g_assert_cmpstr (hs_item_get_string (item, "status"), ==, "Modified, Tampered");
  g_assert_cmpstr (hs_item_get_string (item, "status_ok"), ==, "no");
  /* Windows is updating it: wait, no fix. */
  assert_verdict (servicing, HS_STATUS_WARNING, HS_CODE_BROKER_SERVICING, HS_FIX_NONE);
  g_assert_nonnull (hs_step_guide (HS_STEP_BROKER, servicing));
  /* A status not read (the API said "registered") is no verdict of its own. */
  assert_verdict (unknown, HS_STATUS_OK, HS_CODE_BROKER_OK, HS_FIX_NONE);
}

/* ---- Step 4: join records and Settings pages ---- */

/* As the Windows layer reports it: only a join record when aad_join is
 * its one source. */
static HsAccount
account (const char *email, HsAccountKind kind, const char *sources)
{
  HsAccount a = hs_test_account (email, kind, sources);

  a.join_record_only = g_str_equal (sources, "aad_join");
  return a;
}

#define accounts hs_test_accounts_verdict

static void
test_accounts_join_record (void)
{
  /* The device joined by IT's account; the person's own work account. */
  HsAccount two[] = { account ("it-enrol@contoso.com", HS_ACCOUNT_WORK, "aad_join"),
                      account ("jane.doe@contoso.com", HS_ACCOUNT_WORK, "workplace_join,tbacct") };
  HsAccount only[] = { account ("it-enrol@contoso.com", HS_ACCOUNT_WORK, "aad_join") };
  g_autoptr(HsResult) r2 = accounts (two, 2, NULL);
  g_autoptr(HsResult) r1 = accounts (only, 1, NULL);
  gint64 n = -1;
  const HsItem *item;

  assert_verdict (r2, HS_STATUS_OK, HS_CODE_ACCOUNTS_OK, HS_FIX_NONE);
  g_assert_true (hs_result_get_int (r2, "work_count", &n));
  g_assert_cmpint (n, ==, 1);
  item = hs_result_get_items (r2)->pdata[0];
  g_assert_true (hs_item_get_bool (item, "join_record_only", FALSE));
  g_assert_null (hs_item_lookup (item, "remove_suggested"));
  /* By itself it is no account signed in for the person. */
  assert_verdict (r1, HS_STATUS_WARNING, HS_CODE_ACCOUNTS_NO_WORK, HS_FIX_GUIDED);
}

static void
test_accounts_settings_page (void)
{
  HsAccount personal[] = { account ("jane.doe@contoso.com", HS_ACCOUNT_WORK, "workplace_join"),
                           account ("Jane.Doe@contoso.com", HS_ACCOUNT_PERSONAL, "identitycrl") };
  HsAccount work[] = { account ("lena.fischer@contoso.de", HS_ACCOUNT_WORK, "workplace_join,tbacct"),
                       account ("l.fischer@fabrikam.com", HS_ACCOUNT_WORK, "workplace_join") };
  g_autoptr(HsResult) dup = accounts (personal, 2, NULL);
  g_autoptr(HsResult) several = accounts (work, 2, "lena.fischer@contoso.de");
  g_autoptr(HsResult) other_choice = accounts (work, 2, "l.fischer@fabrikam.com");

  /* The duplicate to sign out is a personal account: Email & accounts. */
  assert_verdict (dup, HS_STATUS_PROBLEM, HS_CODE_ACCOUNTS_DUPLICATE, HS_FIX_GUIDED);
  g_assert_cmpstr (hs_result_get_string (dup, "settings_page"), ==, "ms-settings:emailandaccounts");
  g_assert_nonnull (strstr (hs_step_guide (HS_STEP_ACCOUNTS, dup), "Email & accounts"));
  /* A second work account: Access work or school. */
  assert_verdict (several, HS_STATUS_WARNING, HS_CODE_ACCOUNTS_SEVERAL, HS_FIX_GUIDED);
  g_assert_cmpstr (hs_result_get_string (several, "settings_page"), ==, "ms-settings:workplace");
  g_assert_cmpstr (hs_result_get_string (other_choice, "settings_page"), ==, "ms-settings:workplace");
  g_assert_nonnull (strstr (hs_step_guide (HS_STEP_ACCOUNTS, several), "Access work or school"));
  g_assert_cmpstr (hs_item_get_string (hs_result_get_items (dup)->pdata[1], "settings_page"), ==,
                   "ms-settings:emailandaccounts");
  g_assert_cmpstr (hs_item_get_string (hs_result_get_items (dup)->pdata[0], "settings_page"), ==,
                   "ms-settings:workplace");
}

/* ---- Another account runs Handshake ---- */

static void
test_wrong_user (void)
{
  HsUserContext user = { "CONTOSO\\helpdesk-admin", "CONTOSO\\jane.doe", 1, HS_TRI_NO };
  g_autoptr(HsResult) r = seen (hs_step_wrong_user (HS_STEP_CREDENTIALS, &user));
  const HsFinding *f;

  assert_verdict (r, HS_STATUS_UNVERIFIED, HS_CODE_WRONG_USER, HS_FIX_NONE);
  g_assert_cmpint (hs_result_get_step (r), ==, HS_STEP_CREDENTIALS);
  g_assert_cmpstr (hs_result_get_string (r, "process_user"), ==, "CONTOSO\\helpdesk-admin");
  g_assert_cmpstr (hs_result_get_string (r, "session_user"), ==, "CONTOSO\\jane.doe");
  /* Names are personal: masked in reports. */
  f = hs_result_lookup (r, "session_user");
  g_assert_cmpint (f->sensitivity, ==, HS_SENSITIVITY_PERSONAL);
  g_assert_cmpint (hs_result_lookup (r, "process_user")->sensitivity, ==, HS_SENSITIVITY_PERSONAL);
  /* Only the steps over the person's own things are refused. */
  g_assert_false (hs_step_get_info (HS_STEP_CLOCK)->per_user);
  g_assert_true (hs_step_get_info (HS_STEP_CREDENTIALS)->per_user);
  g_assert_true (hs_step_get_info (HS_STEP_BROKER)->per_user);
  g_assert_true (hs_step_get_info (HS_STEP_ACCOUNTS)->per_user);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/verdicts/windows/clock-managed", test_clock_managed);
  g_test_add_func ("/verdicts/windows/clock-zone-policy", test_clock_zone_policy);
  g_test_add_func ("/verdicts/windows/clock-stamp-carried", test_clock_stamp_carried);
  g_test_add_func ("/verdicts/windows/creds-unrestorable", test_creds_unrestorable);
  g_test_add_func ("/verdicts/windows/broker-status", test_broker_status);
  g_test_add_func ("/verdicts/windows/accounts-join-record", test_accounts_join_record);
  g_test_add_func ("/verdicts/windows/accounts-settings-page", test_accounts_settings_page);
  g_test_add_func ("/verdicts/windows/wrong-user", test_wrong_user);
  return g_test_run ();
}
