/* hs-credentials-step.h — step 2: stale Teams sign-ins saved in Windows
 * Credential Manager. */
#pragma once

#include "hs-step.h"

G_BEGIN_DECLS

HsResult *hs_credentials_verdict  (HsPortCode list_code, const HsPortStatus *status,
                                   const HsCredentialList *list, const HsPatternSet *patterns);
/* A credential's "ref" finding: "TYPE:TARGET". */
char     *hs_credential_ref       (guint32 type, const char *target);
gboolean  hs_credential_ref_parse (const char *ref, guint32 *type, const char **target);

G_END_DECLS
