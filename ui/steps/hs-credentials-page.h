/* hs-credentials-page.h — the page of step 2, saved sign-ins. */
#pragma once

#include "hs-step-page.h"

G_BEGIN_DECLS

#define HS_TYPE_CREDENTIALS_PAGE (hs_credentials_page_get_type ())
G_DECLARE_FINAL_TYPE (HsCredentialsPage, hs_credentials_page, HS, CREDENTIALS_PAGE, HsStepPage)

/* For tests: the check box of the entry with this target, or NULL. */
GtkCheckButton *hs_credentials_page_get_check (HsCredentialsPage *self, const char *target);

G_END_DECLS
