/* hs-practice-network.c — the simulated computer's way to the sign-in
 * servers: the [network] group of a scenario, answering the network check
 * (core/net) through the port's net_facts. Nothing is sent anywhere.
 *
 *   [network]
 *   proxy=http://proxy.contoso.com:8080   the proxy the settings name (none by default)
 *   signin=inspected                      login.microsoftonline.com
 *   teams=ok                              teams.microsoft.com
 *   other=ok                              any other URL
 *   inspector=Contoso Web Gateway CA      the root an inspecting proxy's chain ends at
 *
 * An outcome is ok, dns, proxy, connect, timeout, tls, inspected or
 * unverified; every endpoint is ok by default. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <string.h>

#include "hs-practice-private.h"

static const char * const outcomes[] = {
  "ok", "dns", "proxy", "connect", "timeout", "tls", "inspected", "unverified", NULL
};

struct _HsPracticeNetwork {
  char *proxy;         /* (nullable) */
  char *inspector;
  char *outcome[3];    /* signin, teams, other */
};

enum { SIGNIN, TEAMS, OTHER };

void
hs_practice_network_free (HsPracticeNetwork *n)
{
  if (n == NULL)
    return;
  g_free (n->proxy);
  g_free (n->inspector);
  for (guint i = 0; i < G_N_ELEMENTS (n->outcome); i++)
    g_free (n->outcome[i]);
  g_free (n);
}

HsPracticeNetwork *
hs_practice_network_load (HsScenario *s, GError **error)
{
  static const char * const keys[] = { "proxy", "signin", "teams", "other", "inspector", NULL };
  static const char * const outcome_keys[] = { "signin", "teams", "other" };
  g_autoptr(GError) local = NULL;
  HsPracticeNetwork *n = g_new0 (HsPracticeNetwork, 1);

  if (!hs_scenario_check_keys (s, "network", keys, error))
    goto fail;
  n->proxy = hs_scenario_get_str (s, "network", "proxy", NULL);
  if (n->proxy != NULL && *n->proxy != '\0' && !g_uri_is_valid (n->proxy, G_URI_FLAGS_NONE, NULL))
    {
      hs_scenario_fail_key (s, error, "network", "proxy", "expected a URL like http://proxy.example:8080");
      goto fail;
    }
  n->inspector = hs_scenario_get_str (s, "network", "inspector", "Contoso Secure Web Gateway CA");
  for (guint i = 0; i < G_N_ELEMENTS (outcome_keys); i++)
    if (!hs_scenario_get_choice (s, "network", outcome_keys[i], "ok", outcomes, &n->outcome[i],
                                 error))
      goto fail;
  return n;

fail:
  hs_practice_network_free (n);
  return NULL;
}

/* The documentation ranges (RFC 5737): clearly not Microsoft's servers. */
static void
add_address (HsNetFacts *f, const char *address)
{
  g_strlcpy (f->addresses[0], address, sizeof f->addresses[0]);
  f->n_addresses = 1;
}

static void
fill (const HsPracticeNetwork *n, const char *host, guint port, int which, HsNetFacts *f)
{
  const char *outcome = n->outcome[which];
  const char *proxy = n->proxy && *n->proxy ? n->proxy : NULL;
  g_autoptr(GUri) proxy_uri = NULL;

  if (proxy == NULL && g_str_equal (outcome, "proxy"))
    proxy = "http://proxy.contoso.com:8080";
  proxy_uri = proxy ? g_uri_parse (proxy, G_URI_FLAGS_NONE, NULL) : NULL;
  g_strlcpy (f->proxy_source, "practice scenario", sizeof f->proxy_source);
  f->proxy_ms = 2;
  if (proxy != NULL)
    g_strlcpy (f->proxy, proxy, sizeof f->proxy);

  f->stage = HS_NET_STAGE_DNS;
  g_strlcpy (f->resolved_name, proxy_uri ? g_uri_get_host (proxy_uri) : host,
             sizeof f->resolved_name);
  f->dns_ms = 14;
  if (g_str_equal (outcome, "dns"))
    {
      f->failure = proxy ? HS_NET_FAIL_PROXY : HS_NET_FAIL_DNS;
      g_snprintf (f->detail, sizeof f->detail, "simulated: %s could not be resolved", f->resolved_name);
      return;
    }
  add_address (f, proxy ? "192.0.2.8" : which == SIGNIN ? "203.0.113.10"
                  : which == TEAMS ? "203.0.113.20" : "203.0.113.30");

  f->stage = HS_NET_STAGE_CONNECT;
  f->connect_ms = 23;
  if (g_str_equal (outcome, "connect"))
    {
      f->failure = proxy ? HS_NET_FAIL_PROXY : HS_NET_FAIL_CONNECT;
      g_snprintf (f->detail, sizeof f->detail, "simulated: could not connect to %s:%u (connection "
                  "refused)", f->addresses[0], proxy ? (guint) g_uri_get_port (proxy_uri) : port);
      return;
    }
  g_snprintf (f->connected_to, sizeof f->connected_to, "%s:%u", f->addresses[0],
              proxy ? (guint) g_uri_get_port (proxy_uri) : port);

  if (proxy != NULL)
    {
      f->stage = HS_NET_STAGE_TUNNEL;
      f->tunnel_ms = 9;
      f->tunnel_status = g_str_equal (outcome, "proxy") ? 403 : 200;
      if (f->tunnel_status != 200)
        {
          f->failure = HS_NET_FAIL_PROXY;
          g_snprintf (f->detail, sizeof f->detail, "simulated: the proxy refused to connect to "
                      "%s:%u (HTTP/1.1 403 Forbidden)", host, port);
          return;
        }
    }

  f->stage = HS_NET_STAGE_TLS;
  if (g_str_equal (outcome, "timeout"))
    {
      f->failure = HS_NET_FAIL_TIMEOUT;
      g_strlcpy (f->detail, "simulated: no answer in time (tls)", sizeof f->detail);
      return;
    }
  if (g_str_equal (outcome, "unverified"))
    {
      f->failure = HS_NET_FAIL_INTERNAL;
      g_strlcpy (f->detail, "simulated: could not check", sizeof f->detail);
      return;
    }
  f->tls_ms = 48;
  g_strlcpy (f->tls_version, "TLS 1.3", sizeof f->tls_version);
  if (g_str_equal (outcome, "tls"))
    {
      f->failure = HS_NET_FAIL_TLS;
      f->root = HS_NET_ROOT_UNTRUSTED;
      g_strlcpy (f->root_name, n->inspector, sizeof f->root_name);
      g_strlcpy (f->server_issuer, n->inspector, sizeof f->server_issuer);
      g_strlcpy (f->detail, "simulated: certificate not accepted (issuer not trusted)",
                 sizeof f->detail);
      return;
    }
  f->stage = HS_NET_STAGE_DONE;
  if (g_str_equal (outcome, "inspected"))
    {
      f->root = HS_NET_ROOT_LOCAL;
      g_strlcpy (f->root_name, n->inspector, sizeof f->root_name);
      g_strlcpy (f->server_issuer, n->inspector, sizeof f->server_issuer);
    }
  else
    {
      f->root = HS_NET_ROOT_PUBLIC;
      g_strlcpy (f->root_name, "Simulated Public Root CA", sizeof f->root_name);
      g_strlcpy (f->server_issuer, "Simulated Public TLS CA", sizeof f->server_issuer);
    }
}

static HsPortCode
practice_net_facts (void *self, const char *url, HsNetFacts *out, HsPortStatus *st)
{
  HsPractice *p = self;
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri ? g_uri_get_host (uri) : NULL;
  int which = OTHER;
  HS_PRACTICE_LOCKED (p);

  if (host == NULL)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "not a URL: %s", url);
      out->failure = HS_NET_FAIL_INTERNAL;
      return HS_PORT_BAD_INPUT;
    }
  if (g_ascii_strcasecmp (host, "login.microsoftonline.com") == 0)
    which = SIGNIN;
  else if (g_ascii_strcasecmp (host, "teams.microsoft.com") == 0)
    which = TEAMS;
  fill (p->network, host, g_uri_get_port (uri) > 0 ? (guint) g_uri_get_port (uri) : 443, which, out);
  out->total_ms = MAX (out->proxy_ms, 0) + MAX (out->dns_ms, 0) + MAX (out->connect_ms, 0)
                  + MAX (out->tunnel_ms, 0) + MAX (out->tls_ms, 0);
  hs_port_status_set (st, HS_PORT_OK, 0, "simulated");
  return HS_PORT_OK;
}

void
hs_practice_network_install (HsPlatform *platform)
{
  platform->net_facts = practice_net_facts;
}
