/* hs-broker-step.h — step 3: the AAD broker plugin (and its Microsoft-
 * account twin) registered for this user. */
#pragma once

#include "hs-step.h"

G_BEGIN_DECLS

HsResult *hs_broker_verdict (HsPortCode code, const HsPortStatus *status,
                             const HsPackageState *states, gsize n_states);

G_END_DECLS
