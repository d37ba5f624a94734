/* hs-accounts-step.h — step 4: several accounts signed in to Windows,
 * which can make Teams pick the wrong one. */
#pragma once

#include "hs-step.h"

G_BEGIN_DECLS

/* work_account: the account the user said Teams uses (NULL: not said);
 * the others are marked for removal. */
HsResult *hs_accounts_verdict (HsPortCode code, const HsPortStatus *status,
                               const HsAccountList *list, const char *work_account);
/* The Settings page that lists the accounts to sign out (see the verdict's
 * finding settings_page): ms-settings:workplace when they are all work or
 * school accounts, else ms-settings:emailandaccounts. */
const char *hs_accounts_settings_page (const HsAccountList *list, const char *work_account);

G_END_DECLS
