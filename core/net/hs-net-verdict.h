/* hs-net-verdict.h — the verdict of the network check for one endpoint:
 * facts (hs-net-facts.h) in, an HsResult out. Pure code, whoever gathered
 * the facts; unit-tested in tests/net/test-net-verdict.c. */
#pragma once

#include "hs-net-facts.h"
#include "hs-result.h"

G_BEGIN_DECLS

/* The endpoint result: step 0, one net.* code (hs-codes.h), the summary of
 * that code, and the facts as findings (url, name, stage, reason, proxy,
 * proxy_source, addresses, the *_ms times, root, root_name,
 * server_issuer, teams_code, simulated, …). */
HsResult   *hs_net_verdict       (const char *url, const HsNetFacts *facts, gboolean simulated);

/* "signin" for the Entra sign-in service, "teams" for the Teams service, ""
 * for any other URL (the UI names those by their host). */
const char *hs_net_endpoint_name (const char *url);

G_END_DECLS
