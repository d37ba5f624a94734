/* hs-accounts-page.h — the page of step 4, accounts on this computer. */
#pragma once

#include "hs-step-page.h"

G_BEGIN_DECLS

#define HS_TYPE_ACCOUNTS_PAGE (hs_accounts_page_get_type ())
G_DECLARE_FINAL_TYPE (HsAccountsPage, hs_accounts_page, HS, ACCOUNTS_PAGE, HsStepPage)

/* The account the user picked as their Teams account on @page, or NULL;
 * NULL too for any other step's page, so callers need not know which page
 * shows the accounts. */
const char *hs_step_page_get_work_account (HsStepPage *page);

G_END_DECLS
