/* hs-win32-probe-net.c — the probe's "net-check": the network check of the
 * sign-in path for one URL (hs_win32_net_check), every fact on one line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32-probe.h"

static void
stage_seen (HsNetStage stage, void *data)
{
  char *seen = data;

  /* "proxy,dns,connect,…": the order the stages began in. */
  if (strlen (seen) + 12 < 128)
    {
      if (*seen)
        strcat (seen, ",");
      strcat (seen, hs_net_stage_name (stage));
    }
}

static const char *
failure_name (HsNetFailure f)
{
  static const char * const names[] = {
    "none", "dns", "proxy", "connect", "timeout", "tls", "cancelled", "internal"
  };

  return (unsigned) f < sizeof names / sizeof names[0] ? names[f] : "?";
}

int
cmd_net_check (int argc, char **argv)
{
  const char *url = NULL, *ca = NULL, *roots = NULL;
  uint32_t timeout = 10000;
  char stages[128] = "", addresses[HS_NET_MAX_ADDRESSES * 65] = "";
  HsNetFacts f;
  HsPortStatus st = { 0 };

  for (int i = 0; i < argc; i++)
    {
      if (strcmp (argv[i], "--ca") == 0 && i + 1 < argc)
        ca = argv[++i];
      else if (strcmp (argv[i], "--public-roots") == 0 && i + 1 < argc)
        roots = argv[++i];
      else if (strcmp (argv[i], "--timeout") == 0 && i + 1 < argc)
        {
          if (!parse_timeout_ms (argv[++i], &timeout))
            return usage ("net-check: bad --timeout (milliseconds, 1-600000)");
        }
      else if (argv[i][0] != '-' && url == NULL)
        url = argv[i];
      else
        return usage ("net-check: unknown option");
    }
  if (url == NULL)
    return usage ("net-check: expected URL");

  hs_net_facts_init (&f);
  if (hs_win32_net_check (url, ca, roots, timeout, NULL, stage_seen, stages, &f, &st) != HS_PORT_OK)
    return fail (&st);
  for (uint32_t i = 0; i < f.n_addresses; i++)
    {
      if (i)
        strcat (addresses, ",");
      strcat (addresses, f.addresses[i]);
    }
  field ("failure", failure_name (f.failure));
  field ("stage", hs_net_stage_name (f.stage));
  field ("stages", stages);
  field ("detail", f.detail);
  field ("proxy", f.proxy);
  field ("proxy_source", f.proxy_source);
  field_int ("proxy_ms", f.proxy_ms);
  field ("resolved_name", f.resolved_name);
  field ("addresses", addresses);
  field_int ("dns_ms", f.dns_ms);
  field ("connected_to", f.connected_to);
  field_int ("connect_ms", f.connect_ms);
  field_int ("tunnel_status", f.tunnel_status);
  field_int ("tls_ms", f.tls_ms);
  field ("root", hs_net_root_name (f.root));
  field ("root_name", f.root_name);
  field ("server_issuer", f.server_issuer);
  field ("root_program", f.root_program);
  field_int ("total_ms", f.total_ms);
  end_record ();
  return f.failure == HS_NET_FAIL_NONE ? 0 : 1;
}
