#include "config.h"

#include "hs-codes.h"

static const HsCodeInfo codes[] = {
  { HS_CODE_CLOCK_OK, 1 },
  { HS_CODE_CLOCK_DRIFT, 1 },
  { HS_CODE_CLOCK_SKEW, 1 },
  { HS_CODE_CLOCK_TIMEZONE, 1 },
  { HS_CODE_CLOCK_AUTO_OFF, 1 },
  { HS_CODE_CLOCK_DOMAIN, 1 },
  { HS_CODE_CLOCK_UNREACHABLE, 1 },
  { HS_CODE_CLOCK_FIXED, 1 },
  { HS_CODE_CLOCK_FIX_DECLINED, 1 },
  { HS_CODE_CLOCK_FIX_FAILED, 1 },
  { HS_CODE_CLOCK_FIX_NO_EFFECT, 1 },
  { HS_CODE_CLOCK_FIX_PENDING, 1 },
  { HS_CODE_CLOCK_FIX_STALE, 1 },
  { HS_CODE_CLOCK_MANAGED, 1 },
  { HS_CODE_CLOCK_TIMEZONE_MANAGED, 1 },
  { HS_CODE_CREDS_OK, 2 },
  { HS_CODE_CREDS_STALE, 2 },
  { HS_CODE_CREDS_OFFICE_ONLY, 2 },
  { HS_CODE_CREDS_REMOVED, 2 },
  { HS_CODE_CREDS_RESTORED, 2 },
  { HS_CODE_CREDS_RESTORE_FAILED, 2 },
  { HS_CODE_CREDS_ACCESS_DENIED, 2 },
  { HS_CODE_CREDS_BACKUP_FAILED, 2 },
  { HS_CODE_CREDS_FIX_FAILED, 2 },
  { HS_CODE_CREDS_NOT_APPLICABLE, 2 },
  { HS_CODE_CREDS_UNRESTORABLE, 2 },
  { HS_CODE_CREDS_RESTORE_PARTIAL, 2 },
  { HS_CODE_BROKER_OK, 3 },
  { HS_CODE_BROKER_UNREGISTERED, 3 },
  { HS_CODE_BROKER_MANIFEST_MISSING, 3 },
  { HS_CODE_BROKER_REREGISTERED, 3 },
  { HS_CODE_BROKER_FIX_FAILED, 3 },
  { HS_CODE_BROKER_UNVERIFIED, 3 },
  { HS_CODE_BROKER_NOT_APPLICABLE, 3 },
  { HS_CODE_BROKER_BROKEN, 3 },
  { HS_CODE_BROKER_SERVICING, 3 },
  { HS_CODE_ACCOUNTS_OK, 4 },
  { HS_CODE_ACCOUNTS_DUPLICATE, 4 },
  { HS_CODE_ACCOUNTS_SEVERAL, 4 },
  { HS_CODE_ACCOUNTS_NO_WORK, 4 },
  { HS_CODE_ACCOUNTS_UNVERIFIED, 4 },
  { HS_CODE_ACCOUNTS_NOT_APPLICABLE, 4 },
  { HS_CODE_CANCELLED, 0 },
  { HS_CODE_INTERNAL, 0 },
  { HS_CODE_WRONG_USER, 0 },
  { HS_CODE_NET_OK, 0 },
  { HS_CODE_NET_DNS, 0, "0xCAA82EE7" },
  { HS_CODE_NET_PROXY, 0, "0xCAA70004" },
  { HS_CODE_NET_CONNECT, 0, "0xCAA70007" },
  { HS_CODE_NET_TIMEOUT, 0, "0xCAA82EE2" },
  { HS_CODE_NET_TLS, 0 },
  { HS_CODE_NET_INSPECTED, 0, "0xCAA70004" },
  { HS_CODE_NET_UNVERIFIED, 0 },
  { NULL, 0 }
};

const HsCodeInfo *
hs_codes_all (void)
{
  return codes;
}

gboolean
hs_code_is_known (const char *code)
{
  for (const HsCodeInfo *c = codes; c->code != NULL; c++)
    if (g_strcmp0 (c->code, code) == 0)
      return TRUE;
  return FALSE;
}

const char *
hs_code_teams_status (const char *code)
{
  for (const HsCodeInfo *c = codes; c->code != NULL; c++)
    if (g_strcmp0 (c->code, code) == 0)
      return c->teams;
  return NULL;
}
