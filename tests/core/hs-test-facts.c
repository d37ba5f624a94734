/* hs-test-facts.c — facts for the verdict tests (hs-test-facts.h). */
#include "hs-test-engine.h"
#include "hs-test-facts.h"

HsClockFacts
hs_test_clock_facts (double offset, gboolean auto_on)
{
  HsClockFacts f = { 0 };

  f.settings_code = HS_PORT_OK;
  g_strlcpy (f.settings.sync_type, auto_on ? "NTP" : "NoSync", sizeof f.settings.sync_type);
  g_strlcpy (f.settings.ntp_server, "time.windows.com,0x9", sizeof f.settings.ntp_server);
  f.settings.service_state = HS_SERVICE_RUNNING;
  f.settings.service_start = HS_START_AUTO;
  f.settings.tz_auto = HS_TRI_NO;
  f.settings.domain_member = HS_TRI_NO;
  f.settings.elevated = HS_TRI_NO;
  f.settings.policy_ntp_client = HS_TRI_UNKNOWN;
  f.measured = TRUE;
  f.offset_seconds = offset;
  f.uncertainty_seconds = 0.042;
  f.source = "192.0.2.7:123";
  f.method = "sntp";
  return f;
}

HsCredential
hs_test_cred (const char *target, const char *user)
{
  HsCredential c = { 0 };

  c.target = (char *) target;
  c.type = 1;
  c.user = (char *) user;
  c.persist = 2;
  c.last_written_unix = 1757837520;
  c.blob_size = 12;
  c.restorable = HS_TRI_YES;
  return c;
}

HsResult *
hs_test_creds_verdict (HsCredential *items, gsize n)
{
  static HsPatternSet patterns;
  static gsize loaded;
  HsCredentialList list = { items, n };
  HsPortStatus st = { 0 };

  if (g_once_init_enter (&loaded))
    g_once_init_leave (&loaded, hs_patterns_load_default (&patterns) == 0);
  return hs_test_known (hs_credentials_verdict (HS_PORT_OK, &st, &list, &patterns));
}

HsPackageState
hs_test_pkg (const char *family, HsTri registered, HsTri manifest)
{
  HsPackageState s = { 0 };

  g_strlcpy (s.family, family, sizeof s.family);
  s.registered = registered;
  s.manifest_present = manifest;
  s.method = HS_LOOKUP_SIMULATED;
  s.status_ok = HS_TRI_UNKNOWN;
  return s;
}

HsResult *
hs_test_broker_verdict (HsPackageState *states, gsize n)
{
  HsPortStatus st = { 0 };

  return hs_test_known (hs_broker_verdict (HS_PORT_OK, &st, states, n));
}

HsAccount
hs_test_account (const char *email, HsAccountKind kind, const char *sources)
{
  HsAccount a = { (char *) email, kind, (char *) sources, 0 };

  return a;
}

HsResult *
hs_test_accounts_verdict (HsAccount *items, gsize n, const char *work)
{
  HsAccountList list = { items, n };
  HsPortStatus st = { 0 };

  return hs_test_known (hs_accounts_verdict (HS_PORT_OK, &st, &list, work));
}
