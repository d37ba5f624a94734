/* hs-accounts-step.c — step 4's check and its guided fix: Handshake cannot
 * sign accounts out; it opens Email & accounts, and the re-check tells. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-codes.h"
#include "hs-accounts-step.h"
#include "hs-step-table.h"

/* Run in a worker thread. */
static HsResult *
accounts_check (HsStepContext *ctx)
{
  HsPlatform *pf = ctx->platform;
  HsAccountList list = { 0 };
  HsPortStatus st = { 0 };
  HsPortCode code = pf->list_accounts (pf->self, &list, &st);
  HsResult *r = hs_accounts_verdict (code, &st, &list, ctx->work_account);

  hs_port_accounts_free (&list);
  return r;
}

/* Run in a worker thread. */
static void
accounts_fix (HsStepContext *ctx)
{
  HsPlatform *pf = ctx->platform;

  ctx->action_code = pf->open_settings (pf->self, "ms-settings:emailandaccounts", &ctx->action_status);
  hs_action_sink_add (&ctx->sink, ctx->step, "open_settings", hs_port_code_name (ctx->action_code),
                      HS_SENSITIVITY_PUBLIC, "ms-settings:emailandaccounts");
}

static const char *
accounts_guide (HsResult *result)
{
  if (g_str_has_prefix (hs_result_get_code (result), "accounts."))
    return _("Open Settings > Accounts > Email & accounts and sign out of the accounts you do not use for Teams.");
  return NULL;
}

const HsStepInfo hs_accounts_step = {
  .number = HS_STEP_ACCOUNTS,
  .id = "accounts",
  .check = accounts_check,
  .fix = accounts_fix,
  .fixed = { HS_STATUS_FIXED, NULL, N_("Only one work account is signed in to Windows.") },
  .failed = { HS_STATUS_PROBLEM, HS_CODE_ACCOUNTS_UNVERIFIED,
              N_("The accounts settings could not be opened.") },
  .guide = accounts_guide,
};
