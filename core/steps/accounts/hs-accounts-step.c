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

/* The Settings page the verdict names: where the accounts to sign out are
 * listed (work or school ones under Access work or school, personal ones
 * under Email & accounts). */
static const char *
settings_page (HsResult *result)
{
  const char *page = result ? hs_result_get_string (result, "settings_page") : NULL;

  return page != NULL ? page : hs_account_settings_page (HS_ACCOUNT_PERSONAL);
}

/* Run in a worker thread. */
static void
accounts_fix (HsStepContext *ctx)
{
  HsPlatform *pf = ctx->platform;
  const char *page = settings_page (ctx->last);

  ctx->action_code = pf->open_settings (pf->self, page, &ctx->action_status);
  hs_action_sink_add (&ctx->sink, ctx->step, "open_settings", hs_port_code_name (ctx->action_code),
                      HS_SENSITIVITY_PUBLIC, "%s", page);
}

static const char *
accounts_guide (HsResult *result)
{
  const char *code = hs_result_get_code (result);
  gboolean work_page = g_str_equal (settings_page (result), hs_account_settings_page (HS_ACCOUNT_WORK));

  if (!g_str_has_prefix (code, "accounts."))
    return NULL;
  if (g_str_equal (code, HS_CODE_ACCOUNTS_NO_WORK))
    return _("Open Settings > Accounts > Access work or school and connect the work or school account you use for Teams.");
  if (work_page)
    return _("Open Settings > Accounts > Access work or school and disconnect the work or school accounts you do not use for Teams.");
  return _("Open Settings > Accounts > Email & accounts and sign out of the accounts you do not use for Teams.");
}

const HsStepInfo hs_accounts_step = {
  .number = HS_STEP_ACCOUNTS,
  .id = "accounts",
  .per_user = TRUE,
  .check = accounts_check,
  .fix = accounts_fix,
  .fixed = { HS_STATUS_FIXED, NULL, N_("Only one work account is signed in to Windows.") },
  .failed = { HS_STATUS_PROBLEM, HS_CODE_ACCOUNTS_UNVERIFIED,
              N_("The accounts settings could not be opened.") },
  .guide = accounts_guide,
};
