/* hs-net-facts.c — helpers for HsNetFacts (hs-net-facts.h). Plain C. */
#include "hs-net-facts.h"

#include <string.h>

void
hs_net_facts_init (HsNetFacts *facts)
{
  memset (facts, 0, sizeof *facts);
  facts->proxy_ms = facts->dns_ms = facts->connect_ms = -1;
  facts->tunnel_ms = facts->tls_ms = facts->total_ms = -1;
}

const char *
hs_net_stage_name (HsNetStage stage)
{
  switch (stage)
    {
    case HS_NET_STAGE_PROXY: return "proxy";
    case HS_NET_STAGE_DNS: return "dns";
    case HS_NET_STAGE_CONNECT: return "connect";
    case HS_NET_STAGE_TUNNEL: return "tunnel";
    case HS_NET_STAGE_TLS: return "tls";
    case HS_NET_STAGE_DONE: return "done";
    case HS_NET_STAGE_START:
    default: return "start";
    }
}

const char *
hs_net_root_name (HsNetRootKind root)
{
  switch (root)
    {
    case HS_NET_ROOT_PUBLIC: return "public";
    case HS_NET_ROOT_LOCAL: return "local";
    case HS_NET_ROOT_UNTRUSTED: return "untrusted";
    case HS_NET_ROOT_UNKNOWN:
    default: return "unknown";
    }
}
