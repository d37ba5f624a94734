/* test-verdicts.c — the pure verdict functions of the four steps. */
#include <math.h>
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
#define clock_facts hs_test_clock_facts
#define cred hs_test_cred
#define creds_verdict hs_test_creds_verdict
#define pkg hs_test_pkg
#define account hs_test_account
#define accounts hs_test_accounts_verdict

/* ---- Step 1 ---- */

static HsResult *
clock_at (double offset, gboolean auto_on)
{
  HsClockFacts f = clock_facts (offset, auto_on);
  return seen (hs_clock_verdict (&f));
}

static void
expect_clock (double offset, HsStatus status, const char *code, HsFixKind fix)
{
  for (int sign = 1; sign >= -1; sign -= 2)
    {
      g_autoptr(HsResult) r = clock_at (sign * offset, TRUE);
      double got = 0;

      g_test_message ("offset %+.3f", sign * offset);
      assert_verdict (r, status, code, fix);
      g_assert_true (hs_result_get_double (r, "offset_seconds", &got));
      g_assert_cmpfloat (got, ==, sign * offset);
      if (offset == 0)
        break;
    }
}

static void
test_clock_thresholds (void)
{
  expect_clock (0, HS_STATUS_OK, HS_CODE_CLOCK_OK, HS_FIX_NONE);
  expect_clock (29.9, HS_STATUS_OK, HS_CODE_CLOCK_OK, HS_FIX_NONE);
  expect_clock (30.0, HS_STATUS_WARNING, HS_CODE_CLOCK_DRIFT, HS_FIX_AUTOMATIC_ADMIN);
  expect_clock (119.9, HS_STATUS_WARNING, HS_CODE_CLOCK_DRIFT, HS_FIX_AUTOMATIC_ADMIN);
  expect_clock (120.0, HS_STATUS_PROBLEM, HS_CODE_CLOCK_SKEW, HS_FIX_AUTOMATIC_ADMIN);
  expect_clock (1800, HS_STATUS_PROBLEM, HS_CODE_CLOCK_TIMEZONE, HS_FIX_GUIDED);
  expect_clock (1800 + 119, HS_STATUS_PROBLEM, HS_CODE_CLOCK_TIMEZONE, HS_FIX_GUIDED);
  expect_clock (2700 - 119, HS_STATUS_PROBLEM, HS_CODE_CLOCK_TIMEZONE, HS_FIX_GUIDED);
  expect_clock (3600 - 119, HS_STATUS_PROBLEM, HS_CODE_CLOCK_TIMEZONE, HS_FIX_GUIDED);
  expect_clock (3600 + 121, HS_STATUS_PROBLEM, HS_CODE_CLOCK_SKEW, HS_FIX_AUTOMATIC_ADMIN);
  expect_clock (1800 + 121, HS_STATUS_PROBLEM, HS_CODE_CLOCK_SKEW, HS_FIX_AUTOMATIC_ADMIN);
  expect_clock (5 * 3600 + 40, HS_STATUS_PROBLEM, HS_CODE_CLOCK_TIMEZONE, HS_FIX_GUIDED);
  expect_clock (27 * 3600, HS_STATUS_PROBLEM, HS_CODE_CLOCK_SKEW, HS_FIX_AUTOMATIC_ADMIN);
}

/* A zone error is a whole number (at least two) of quarter hours, give or
 * take two minutes of drift: 29 min 59 s is a 30-minute zone error with a
 * clock one second slow; 27 min 59 s is not a zone error. */
static void
test_clock_below_30_min (void)
{
  expect_clock (1799, HS_STATUS_PROBLEM, HS_CODE_CLOCK_TIMEZONE, HS_FIX_GUIDED);
  g_assert_cmpint (hs_clock_zone_error_minutes (1799), ==, 30);
  expect_clock (1679, HS_STATUS_PROBLEM, HS_CODE_CLOCK_SKEW, HS_FIX_AUTOMATIC_ADMIN);
  g_assert_cmpint (hs_clock_zone_error_minutes (1679), ==, 0);
}

static void
test_clock_zone_minutes (void)
{
  g_assert_cmpint (hs_clock_zone_error_minutes (18040), ==, 300);
  g_assert_cmpint (hs_clock_zone_error_minutes (-18040), ==, -300);
  g_assert_cmpint (hs_clock_zone_error_minutes (1800), ==, 30);
  g_assert_cmpint (hs_clock_zone_error_minutes (-1800), ==, -30);
  g_assert_cmpint (hs_clock_zone_error_minutes (-(5 * 3600 + 45 * 60)), ==, -345);
  g_assert_cmpint (hs_clock_zone_error_minutes (0), ==, 0);
  g_assert_cmpint (hs_clock_zone_error_minutes (252.4), ==, 0);
  g_assert_cmpint (hs_clock_zone_error_minutes (1799 - 120), ==, 0);
  g_assert_cmpint (hs_clock_zone_error_minutes (1800 + 121), ==, 0);
  g_assert_cmpint (hs_clock_zone_error_minutes (27 * 3600), ==, 0);
  g_assert_cmpint (hs_clock_zone_error_minutes (-27 * 3600), ==, 0);
}

static void
test_clock_findings (void)
{
  g_autoptr(HsResult) r = clock_at (252.4, TRUE);
  g_autoptr(HsResult) tz = clock_at (-18040, TRUE);
  double d = 0;
  gint64 i = 0;
  gboolean b = FALSE;

  g_assert_true (hs_result_get_double (r, "offset_seconds", &d));
  g_assert_cmpfloat_with_epsilon (d, 252.4, 1e-9);
  g_assert_true (hs_result_get_double (r, "uncertainty_seconds", &d));
  g_assert_cmpfloat_with_epsilon (d, 0.042, 1e-9);
  g_assert_cmpstr (hs_result_get_string (r, "source"), ==, "192.0.2.7:123");
  g_assert_cmpstr (hs_result_get_string (r, "method"), ==, "sntp");
  g_assert_true (hs_result_get_bool (r, "auto_time", &b));
  g_assert_true (b);
  g_assert_cmpstr (hs_result_get_string (r, "sync_type"), ==, "NTP");
  g_assert_null (hs_result_lookup (r, "zone_error_minutes"));

  g_assert_true (hs_result_get_int (tz, "zone_error_minutes", &i));
  g_assert_cmpint (i, ==, -300);
}

static void
test_clock_auto_off (void)
{
  g_autoptr(HsResult) r = clock_at (3.0, FALSE);
  g_autoptr(HsResult) neg = clock_at (-29.9, FALSE);
  g_autoptr(HsResult) drift = clock_at (45, FALSE);
  gboolean b = TRUE;

  assert_verdict (r, HS_STATUS_WARNING, HS_CODE_CLOCK_AUTO_OFF, HS_FIX_AUTOMATIC_ADMIN);
  assert_verdict (neg, HS_STATUS_WARNING, HS_CODE_CLOCK_AUTO_OFF, HS_FIX_AUTOMATIC_ADMIN);
  g_assert_true (hs_result_get_bool (r, "auto_time", &b));
  g_assert_false (b);
  /* A bigger offset wins over auto_off. */
  assert_verdict (drift, HS_STATUS_WARNING, HS_CODE_CLOCK_DRIFT, HS_FIX_AUTOMATIC_ADMIN);
}

static void
test_clock_domain (void)
{
  HsClockFacts f = clock_facts (600, FALSE);
  g_autoptr(HsResult) before = NULL;
  g_autoptr(HsResult) after = NULL;
  g_autoptr(HsResult) small = NULL;

  g_strlcpy (f.settings.sync_type, "NT5DS", sizeof f.settings.sync_type);
  f.settings.domain_member = HS_TRI_YES;
  before = seen (hs_clock_verdict (&f));
  assert_verdict (before, HS_STATUS_PROBLEM, HS_CODE_CLOCK_SKEW, HS_FIX_AUTOMATIC_ADMIN);
  f.after_fix = TRUE;
  after = seen (hs_clock_verdict (&f));
  assert_verdict (after, HS_STATUS_PROBLEM, HS_CODE_CLOCK_DOMAIN, HS_FIX_GUIDED);
  f.offset_seconds = 5;
  small = seen (hs_clock_verdict (&f));
  assert_verdict (small, HS_STATUS_OK, HS_CODE_CLOCK_OK, HS_FIX_NONE);
}

static void
test_clock_unmeasured (void)
{
  HsClockFacts f = clock_facts (0, TRUE);
  g_autoptr(GPtrArray) attempts = g_ptr_array_new ();
  g_autoptr(HsResult) r = NULL;
  GPtrArray *items;

  f.measured = FALSE;
  f.offset_seconds = 18040;   /* ignored: not measured */
  g_ptr_array_add (attempts, (gpointer) "pool.ntp.org: timed out");
  g_ptr_array_add (attempts, (gpointer) "https://example.com: refused");
  f.attempts = attempts;
  r = seen (hs_clock_verdict (&f));
  assert_verdict (r, HS_STATUS_UNVERIFIED, HS_CODE_CLOCK_UNREACHABLE, HS_FIX_NONE);
  g_assert_null (hs_result_lookup (r, "offset_seconds"));
  g_assert_nonnull (hs_result_get_string (r, "reason"));
  items = hs_result_get_items (r);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (((HsItem *) items->pdata[0])->kind, ==, "attempt");
  g_assert_cmpstr (hs_item_get_string (items->pdata[1], "line"), ==, "https://example.com: refused");
}

static void
test_clock_unsupported (void)
{
  HsClockFacts f = clock_facts (252.4, TRUE);
  g_autoptr(HsResult) skew = NULL;
  g_autoptr(HsResult) drift = NULL;
  g_autoptr(HsResult) ok = NULL;

  f.settings_code = HS_PORT_UNSUPPORTED;
  skew = seen (hs_clock_verdict (&f));
  assert_verdict (skew, HS_STATUS_PROBLEM, HS_CODE_CLOCK_SKEW, HS_FIX_NONE);
  g_assert_cmpstr (hs_result_get_string (skew, "settings"), ==, hs_port_code_name (HS_PORT_UNSUPPORTED));
  g_assert_null (hs_result_lookup (skew, "auto_time"));
  f.offset_seconds = -60;
  drift = seen (hs_clock_verdict (&f));
  assert_verdict (drift, HS_STATUS_WARNING, HS_CODE_CLOCK_DRIFT, HS_FIX_NONE);
  /* Off Windows "automatic time" is unknown: not reported as off. */
  f.offset_seconds = 1;
  ok = seen (hs_clock_verdict (&f));
  assert_verdict (ok, HS_STATUS_OK, HS_CODE_CLOCK_OK, HS_FIX_NONE);
}

/* ---- Step 2 ---- */

static HsPatternSet patterns;

static gint64
int_of (HsResult *r, const char *key)
{
  gint64 v = -1;
  if (!hs_result_get_int (r, key, &v))
    g_error ("finding %s missing", key);
  return v;
}

static void
test_creds_stale (void)
{
  HsCredential items[] = {
    cred ("msteams_adalsso/adal_context_segments", NULL),
    cred ("MicrosoftAccount:user=jane.doe@contoso.com", "jane.doe@contoso.com"),
    cred ("MicrosoftOffice16_Data:ADAL:7c2f", NULL),
    cred ("MicrosoftAccount:target=SSO_POP_Device", NULL),
    cred ("git:https://dev.contoso.com", "jdoe"),
    cred ("TERMSRV/host", "admin"),
  };
  g_autoptr(HsResult) r = creds_verdict (items, G_N_ELEMENTS (items));
  GPtrArray *its = hs_result_get_items (r);
  guint n_req = 0, n_opt = 0;

  assert_verdict (r, HS_STATUS_PROBLEM, HS_CODE_CREDS_STALE, HS_FIX_AUTOMATIC);
  g_assert_cmpint (int_of (r, "required_count"), ==, 2);
  g_assert_cmpint (int_of (r, "optional_count"), ==, 1);
  g_assert_cmpint (int_of (r, "other_count"), ==, 3);
  g_assert_cmpuint (its->len, ==, 3);
  for (guint i = 0; i < its->len; i++)
    {
      HsItem *it = its->pdata[i];
      const char *cat = hs_item_get_string (it, "category");
      const char *target = hs_item_get_string (it, "target");
      g_autofree char *ref = hs_credential_ref (1, target);

      g_assert_cmpstr (it->kind, ==, "credential");
      g_assert_true (g_str_equal (cat, "required") || g_str_equal (cat, "optional"));
      n_req += g_str_equal (cat, "required");
      n_opt += g_str_equal (cat, "optional");
      g_assert_cmpstr (hs_item_get_string (it, "ref"), ==, ref);
      g_assert_nonnull (hs_item_get_string (it, "reason"));
      g_assert_false (strstr (target, "SSO_POP") || strstr (target, "git:") || strstr (target, "TERMSRV"));
      if (strstr (target, "jane.doe"))
        {
          const HsFinding *u = hs_item_lookup (it, "user");
          g_assert_nonnull (u);
          g_assert_cmpint (u->sensitivity, ==, HS_SENSITIVITY_PERSONAL);
        }
    }
  g_assert_cmpuint (n_req, ==, 2);
  g_assert_cmpuint (n_opt, ==, 1);
}

static void
test_creds_office_only (void)
{
  HsCredential items[] = {
    cred ("MicrosoftOffice16_Data:ADAL:1b3e", NULL),
    cred ("WindowsLive:target=virtualapp/didlogical", NULL),
  };
  g_autoptr(HsResult) r = creds_verdict (items, G_N_ELEMENTS (items));
  assert_verdict (r, HS_STATUS_OK, HS_CODE_CREDS_OFFICE_ONLY, HS_FIX_AUTOMATIC);
  g_assert_cmpint (int_of (r, "required_count"), ==, 0);
  g_assert_cmpint (int_of (r, "optional_count"), ==, 1);
  g_assert_cmpuint (hs_result_get_items (r)->len, ==, 1);
}

static void
test_creds_none (void)
{
  HsCredential items[] = { cred ("git:https://x", "me") };
  g_autoptr(HsResult) r0 = creds_verdict (NULL, 0);
  g_autoptr(HsResult) r1 = creds_verdict (items, 1);
  assert_verdict (r0, HS_STATUS_OK, HS_CODE_CREDS_OK, HS_FIX_NONE);
  assert_verdict (r1, HS_STATUS_OK, HS_CODE_CREDS_OK, HS_FIX_NONE);
  g_assert_cmpint (int_of (r1, "other_count"), ==, 1);
  g_assert_cmpuint (hs_result_get_items (r1)->len, ==, 0);
}

static void
test_creds_failures (void)
{
  HsPortStatus st = { 0 };
  HsCredentialList empty = { NULL, 0 };
  g_autoptr(HsResult) denied = NULL;
  g_autoptr(HsResult) unsup = NULL;

  hs_port_status_set (&st, HS_PORT_ACCESS_DENIED, 5, "CredEnumerate: access denied");
  denied = seen (hs_credentials_verdict (HS_PORT_ACCESS_DENIED, &st, &empty, &patterns));
  assert_verdict (denied, HS_STATUS_UNVERIFIED, HS_CODE_CREDS_ACCESS_DENIED, HS_FIX_NONE);
  hs_port_status_set (&st, HS_PORT_UNSUPPORTED, 0, "not Windows");
  unsup = seen (hs_credentials_verdict (HS_PORT_UNSUPPORTED, &st, &empty, &patterns));
  g_assert_cmpint (hs_result_get_status (unsup), ==, HS_STATUS_NOT_APPLICABLE);
  g_assert_cmpstr (hs_result_get_code (unsup), ==, HS_CODE_CREDS_NOT_APPLICABLE);
}

static void
test_creds_ref (void)
{
  const char *bad[] = { "", "0:x", "1:", "abc", "1x:y", ":x", "-1:x", "99999999999:x" };
  g_autofree char *ref = hs_credential_ref (1, "MicrosoftAccount:user=a@b.c");
  guint32 type = 0;
  const char *target = NULL;

  g_assert_cmpstr (ref, ==, "1:MicrosoftAccount:user=a@b.c");
  g_assert_true (hs_credential_ref_parse (ref, &type, &target));
  g_assert_cmpuint (type, ==, 1);
  g_assert_cmpstr (target, ==, "MicrosoftAccount:user=a@b.c");
  g_assert_true (hs_credential_ref_parse ("2:TERMSRV/host", &type, &target));
  g_assert_cmpuint (type, ==, 2);
  g_assert_cmpstr (target, ==, "TERMSRV/host");
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      type = 77;
      target = NULL;
      g_test_message ("rejects \"%s\"", bad[i]);
      g_assert_false (hs_credential_ref_parse (bad[i], &type, &target));
    }
  g_assert_false (hs_credential_ref_parse (NULL, &type, &target));
}

/* ---- Step 3 ---- */

static HsResult *
broker (HsTri r1, HsTri m1, HsTri r2, HsTri m2)
{
  HsPackageState s[2] = { pkg (HS_BROKER_FAMILY, r1, m1), pkg (HS_CXH_FAMILY, r2, m2) };
  return hs_test_broker_verdict (s, 2);
}

static void
test_broker (void)
{
  g_autoptr(HsResult) ok = broker (HS_TRI_YES, HS_TRI_YES, HS_TRI_YES, HS_TRI_YES);
  g_autoptr(HsResult) unreg = broker (HS_TRI_NO, HS_TRI_YES, HS_TRI_YES, HS_TRI_YES);
  g_autoptr(HsResult) missing = broker (HS_TRI_NO, HS_TRI_NO, HS_TRI_YES, HS_TRI_YES);
  g_autoptr(HsResult) missing2 = broker (HS_TRI_YES, HS_TRI_YES, HS_TRI_NO, HS_TRI_UNKNOWN);
  g_autoptr(HsResult) unknown = broker (HS_TRI_UNKNOWN, HS_TRI_YES, HS_TRI_YES, HS_TRI_YES);
  HsPortStatus st = { 0 };
  g_autoptr(HsResult) unsup = NULL;
  GPtrArray *items;

  assert_verdict (ok, HS_STATUS_OK, HS_CODE_BROKER_OK, HS_FIX_NONE);
  assert_verdict (unreg, HS_STATUS_PROBLEM, HS_CODE_BROKER_UNREGISTERED, HS_FIX_AUTOMATIC);
  assert_verdict (missing, HS_STATUS_PROBLEM, HS_CODE_BROKER_MANIFEST_MISSING, HS_FIX_GUIDED);
  assert_verdict (missing2, HS_STATUS_PROBLEM, HS_CODE_BROKER_MANIFEST_MISSING, HS_FIX_GUIDED);
  assert_verdict (unknown, HS_STATUS_UNVERIFIED, HS_CODE_BROKER_UNVERIFIED, HS_FIX_NONE);
  items = hs_result_get_items (unreg);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (hs_item_get_string (items->pdata[0], "family"), ==, HS_BROKER_FAMILY);
  g_assert_cmpstr (hs_item_get_string (items->pdata[0], "registered"), ==, "no");
  g_assert_cmpstr (hs_item_get_string (items->pdata[1], "registered"), ==, "yes");

  hs_port_status_set (&st, HS_PORT_UNSUPPORTED, 0, "not Windows");
  unsup = seen (hs_broker_verdict (HS_PORT_UNSUPPORTED, &st, NULL, 0));
  g_assert_cmpint (hs_result_get_status (unsup), ==, HS_STATUS_NOT_APPLICABLE);
}

/* ---- Step 4 ---- */

static void
test_accounts (void)
{
  HsAccount one[] = { account ("sam.lee@fabrikam.com", HS_ACCOUNT_WORK, "aad_join,tbacct") };
  HsAccount two[] = { account ("sam.lee@fabrikam.com", HS_ACCOUNT_WORK, "aad_join"),
                      account ("sam@outlook.com", HS_ACCOUNT_PERSONAL, "identitycrl") };
  HsAccount twice[] = { account ("jane.doe@contoso.com", HS_ACCOUNT_WORK, "workplace_join"),
                        account ("Jane.DOE@Contoso.com", HS_ACCOUNT_PERSONAL, "identitycrl"),
                        account ("other@outlook.com", HS_ACCOUNT_PERSONAL, "identitycrl") };
  HsAccount folded[] = { account ("jane.doe@contoso.com", HS_ACCOUNT_WORK, "workplace_join,identitycrl") };
  HsAccount none[] = { account ("me@outlook.com", HS_ACCOUNT_PERSONAL, "identitycrl") };
  g_autoptr(HsResult) r1 = accounts (one, 1, NULL);
  g_autoptr(HsResult) r2 = accounts (two, 2, NULL);
  g_autoptr(HsResult) r3 = accounts (twice, 3, NULL);
  g_autoptr(HsResult) r4 = accounts (folded, 1, NULL);
  g_autoptr(HsResult) r5 = accounts (none, 1, NULL);
  g_autoptr(HsResult) r6 = accounts (NULL, 0, NULL);
  GPtrArray *items;

  assert_verdict (r1, HS_STATUS_OK, HS_CODE_ACCOUNTS_OK, HS_FIX_NONE);
  assert_verdict (r2, HS_STATUS_WARNING, HS_CODE_ACCOUNTS_SEVERAL, HS_FIX_GUIDED);
  assert_verdict (r3, HS_STATUS_PROBLEM, HS_CODE_ACCOUNTS_DUPLICATE, HS_FIX_GUIDED);
  assert_verdict (r4, HS_STATUS_PROBLEM, HS_CODE_ACCOUNTS_DUPLICATE, HS_FIX_GUIDED);
  g_assert_cmpstr (hs_result_get_code (r5), ==, HS_CODE_ACCOUNTS_NO_WORK);
  g_assert_cmpint (hs_result_get_status (r5), ==, HS_STATUS_WARNING);
  g_assert_cmpstr (hs_result_get_code (r6), ==, HS_CODE_ACCOUNTS_NO_WORK);

  g_assert_cmpint (int_of (r3, "work_count"), ==, 1);
  g_assert_cmpint (int_of (r3, "personal_count"), ==, 2);
  items = hs_result_get_items (r3);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_true (hs_item_get_bool (items->pdata[0], "duplicate", FALSE));
  g_assert_true (hs_item_get_bool (items->pdata[1], "duplicate", FALSE));
  g_assert_false (hs_item_get_bool (items->pdata[2], "duplicate", TRUE));
  g_assert_cmpint (hs_item_lookup (items->pdata[0], "email")->sensitivity, ==, HS_SENSITIVITY_PERSONAL);
  /* No choice made: no suggestion. */
  g_assert_null (hs_item_lookup (items->pdata[0], "teams_account"));
  g_assert_null (hs_item_lookup (items->pdata[0], "remove_suggested"));
  g_assert_true (hs_item_get_bool (hs_result_get_items (r4)->pdata[0], "duplicate", FALSE));
}

static void
test_accounts_choice (void)
{
  HsAccount a[] = { account ("lena.fischer@contoso.de", HS_ACCOUNT_WORK, "aad_join"),
                    account ("l.fischer@fabrikam.com", HS_ACCOUNT_WORK, "workplace_join"),
                    account ("lena.f@outlook.de", HS_ACCOUNT_PERSONAL, "identitycrl") };
  g_autoptr(HsResult) r = accounts (a, 3, "Lena.Fischer@contoso.de");
  GPtrArray *items = hs_result_get_items (r);

  assert_verdict (r, HS_STATUS_WARNING, HS_CODE_ACCOUNTS_SEVERAL, HS_FIX_GUIDED);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_nonnull (hs_item_lookup (items->pdata[0], "teams_account"));
  g_assert_true (hs_item_get_bool (items->pdata[0], "teams_account", FALSE));
  g_assert_false (hs_item_get_bool (items->pdata[0], "remove_suggested", TRUE));
  for (guint i = 1; i < 3; i++)
    {
      g_assert_nonnull (hs_item_lookup (items->pdata[i], "remove_suggested"));
      g_assert_false (hs_item_get_bool (items->pdata[i], "teams_account", TRUE));
      g_assert_true (hs_item_get_bool (items->pdata[i], "remove_suggested", FALSE));
    }
}

static void
test_accounts_failure (void)
{
  HsPortStatus st = { 0 };
  g_autoptr(HsResult) denied = NULL;
  hs_port_status_set (&st, HS_PORT_ACCESS_DENIED, 5, "registry: access denied");
  denied = seen (hs_accounts_verdict (HS_PORT_ACCESS_DENIED, &st, NULL, NULL));
  g_assert_cmpint (hs_result_get_status (denied), ==, HS_STATUS_UNVERIFIED);
  g_assert_cmpstr (hs_result_get_code (denied), ==, HS_CODE_ACCOUNTS_UNVERIFIED);
}

/* ---- Codes ---- */

static void
test_codes_known (void)
{
  const HsCodeInfo *all = hs_codes_all ();
  guint n = 0;

  g_assert_false (hs_code_is_known ("clock.nonsense"));
  g_assert_false (hs_code_is_known (""));
  for (const HsCodeInfo *c = all; c->code != NULL; c++, n++)
    {
      g_assert_true (hs_code_is_known (c->code));
      g_assert_cmpint (c->step, >=, 0);
      g_assert_cmpint (c->step, <=, 4);
    }
  g_assert_cmpuint (n, ==, 53);
  g_assert_true (hs_code_is_known (HS_CODE_CLOCK_SKEW));
  g_assert_true (hs_code_is_known (HS_CODE_CANCELLED));
}

static void
test_codes_readme (void)
{
  g_autofree char *path = g_build_filename (SOURCE_ROOT, "README.md", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  guint missing = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  /* The table: rows "| `code` | step | status | meaning |". */
  for (const HsCodeInfo *c = hs_codes_all (); c->code != NULL; c++)
    {
      g_autofree char *row = g_strdup_printf ("| `%s` |", c->code);
      if (strstr (text, row) == NULL)
        {
          g_test_message ("README.md code table lacks %s", c->code);
          missing++;
        }
    }
  g_assert_cmpuint (missing, ==, 0);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (hs_patterns_load_default (&patterns), ==, 0);

  g_test_add_func ("/verdicts/clock/thresholds", test_clock_thresholds);
  g_test_add_func ("/verdicts/clock/zone-minutes", test_clock_zone_minutes);
  g_test_add_func ("/verdicts/clock/findings", test_clock_findings);
  g_test_add_func ("/verdicts/clock/auto-off", test_clock_auto_off);
  g_test_add_func ("/verdicts/clock/domain", test_clock_domain);
  g_test_add_func ("/verdicts/clock/unmeasured", test_clock_unmeasured);
  g_test_add_func ("/verdicts/clock/unsupported", test_clock_unsupported);
  g_test_add_func ("/verdicts/creds/stale", test_creds_stale);
  g_test_add_func ("/verdicts/creds/office-only", test_creds_office_only);
  g_test_add_func ("/verdicts/creds/none", test_creds_none);
  g_test_add_func ("/verdicts/creds/failures", test_creds_failures);
  g_test_add_func ("/verdicts/creds/ref", test_creds_ref);
  g_test_add_func ("/verdicts/broker", test_broker);
  g_test_add_func ("/verdicts/accounts/kinds", test_accounts);
  g_test_add_func ("/verdicts/accounts/choice", test_accounts_choice);
  g_test_add_func ("/verdicts/accounts/failure", test_accounts_failure);
  g_test_add_func ("/verdicts/codes/known", test_codes_known);
  g_test_add_func ("/verdicts/codes/readme", test_codes_readme);
  g_test_add_func ("/verdicts/clock/below-30-min", test_clock_below_30_min);
  rc = g_test_run ();
  hs_patterns_free (&patterns);
  return rc;
}
