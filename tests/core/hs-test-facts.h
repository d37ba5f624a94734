/* hs-test-facts.h — the facts the verdict tests feed the four verdicts:
 * what a platform would report, built in one line each, and the verdict
 * over a list of them (its code checked to be known). */
#pragma once

#include "hs-accounts-step.h"
#include "hs-broker-step.h"
#include "hs-clock-step.h"
#include "hs-credentials-step.h"

G_BEGIN_DECLS

/* Measured by SNTP, Windows Time running, automatic time on or off. */
HsClockFacts   hs_test_clock_facts     (double offset, gboolean auto_on);
/* A generic entry as Windows lists it (its secret handed out: restorable). */
HsCredential   hs_test_cred            (const char *target, const char *user);
/* Classified by the built-in credential rules. */
HsResult      *hs_test_creds_verdict   (HsCredential *items, gsize n);
/* Found by the API: presence only, its status not read. */
HsPackageState hs_test_pkg             (const char *family, HsTri registered, HsTri manifest);
HsResult      *hs_test_broker_verdict  (HsPackageState *states, gsize n);
HsAccount      hs_test_account         (const char *email, HsAccountKind kind, const char *sources);
HsResult      *hs_test_accounts_verdict (HsAccount *items, gsize n, const char *work);

G_END_DECLS
