/* hs-broker-page.h — the page of step 3, the sign-in helper. */
#pragma once

#include "hs-step-page.h"

G_BEGIN_DECLS

#define HS_TYPE_BROKER_PAGE (hs_broker_page_get_type ())
G_DECLARE_FINAL_TYPE (HsBrokerPage, hs_broker_page, HS, BROKER_PAGE, HsStepPage)

G_END_DECLS
