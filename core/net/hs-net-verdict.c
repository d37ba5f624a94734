/* hs-net-verdict.c — facts of one endpoint → its verdict (hs-net-verdict.h). */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-codes.h"
#include "hs-net-check.h"
#include "hs-net-verdict.h"

const char *
hs_net_endpoint_name (const char *url)
{
  g_autoptr(GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  if (host != NULL && g_ascii_strcasecmp (host, "login.microsoftonline.com") == 0)
    return "signin";
  if (host != NULL && g_ascii_strcasecmp (host, "teams.microsoft.com") == 0)
    return "teams";
  return "";
}

typedef struct {
  HsStatus    status;
  const char *code;
  const char *summary;
} Verdict;

static Verdict
judge (const HsNetFacts *f)
{
  switch (f->failure)
    {
    case HS_NET_FAIL_DNS:
      return (Verdict) { HS_STATUS_PROBLEM, HS_CODE_NET_DNS,
                         N_("The server’s name could not be found: the name service (DNS) did not know it.") };
    case HS_NET_FAIL_PROXY:
      return (Verdict) { HS_STATUS_PROBLEM, HS_CODE_NET_PROXY,
                         N_("The proxy this computer is set to use could not be reached, or it refused to pass the connection on.") };
    case HS_NET_FAIL_CONNECT:
      return (Verdict) { HS_STATUS_PROBLEM, HS_CODE_NET_CONNECT,
                         N_("The connection to the server was refused or broken off.") };
    case HS_NET_FAIL_TIMEOUT:
      return (Verdict) { HS_STATUS_PROBLEM, HS_CODE_NET_TIMEOUT,
                         N_("The server did not answer in time.") };
    case HS_NET_FAIL_TLS:
      return (Verdict) { HS_STATUS_PROBLEM, HS_CODE_NET_TLS,
                         N_("The secure connection failed: the server’s certificate was not accepted, or the handshake broke off.") };
    case HS_NET_FAIL_CANCELLED:
    case HS_NET_FAIL_INTERNAL:
      return (Verdict) { HS_STATUS_UNVERIFIED, HS_CODE_NET_UNVERIFIED,
                         N_("The connection could not be checked.") };
    case HS_NET_FAIL_NONE:
    default:
      break;
    }
  if (f->root == HS_NET_ROOT_LOCAL)
    return (Verdict) { HS_STATUS_PROBLEM, HS_CODE_NET_INSPECTED,
                       N_("Something on the way opens the secure connection: its certificate comes from a root installed on this computer, not from a public one.") };
  /* A public root, or one this computer cannot place: nothing says that
   * the connection is inspected. */
  return (Verdict) { HS_STATUS_OK, HS_CODE_NET_OK, N_("Reached securely.") };
}

/* What the OS hands over is converted, not trusted. */
static void
add_text (HsResult *r, const char *key, const char *value)
{
  g_autofree char *valid = NULL;

  if (value == NULL || *value == '\0')
    return;
  valid = g_utf8_make_valid (value, -1);
  hs_result_add_string (r, key, valid, HS_SENSITIVITY_TEXT);
}

static void
add_ms (HsResult *r, const char *key, gint32 ms)
{
  if (ms >= 0)
    hs_result_add_int (r, key, ms);
}

HsResult *
hs_net_verdict (const char *url, const HsNetFacts *f, gboolean simulated)
{
  Verdict v = judge (f);
  HsResult *r = hs_result_new (0, v.status, v.code, HS_FIX_NONE, v.summary);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GString) addresses = g_string_new (NULL);
  const char *teams = hs_code_teams_status (v.code);

  hs_result_add_string (r, "url", url, HS_SENSITIVITY_PUBLIC);
  hs_result_add_string (r, "name", hs_net_endpoint_name (url), HS_SENSITIVITY_PUBLIC);
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    {
      hs_result_add_string (r, "host", g_uri_get_host (uri), HS_SENSITIVITY_PUBLIC);
      hs_result_add_int (r, "port", g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443);
    }
  hs_result_add_string (r, "teams_code", teams ? teams : "", HS_SENSITIVITY_PUBLIC);
  hs_result_add_string (r, "stage", hs_net_stage_name (f->stage), HS_SENSITIVITY_PUBLIC);
  add_text (r, "reason", f->detail);
  hs_result_add_string (r, "proxy", f->proxy[0] ? f->proxy : "direct", HS_SENSITIVITY_TEXT);
  add_text (r, "proxy_source", f->proxy_source);
  add_ms (r, "proxy_ms", f->proxy_ms);
  add_text (r, "resolved_name", f->resolved_name);
  for (guint i = 0; i < f->n_addresses && i < HS_NET_MAX_ADDRESSES; i++)
    g_string_append_printf (addresses, "%s%s", i ? ", " : "", f->addresses[i]);
  add_text (r, "addresses", addresses->str);
  add_ms (r, "dns_ms", f->dns_ms);
  add_text (r, "connected_to", f->connected_to);
  add_ms (r, "connect_ms", f->connect_ms);
  if (f->tunnel_status > 0)
    hs_result_add_int (r, "tunnel_status", f->tunnel_status);
  add_ms (r, "tunnel_ms", f->tunnel_ms);
  add_ms (r, "tls_ms", f->tls_ms);
  add_text (r, "tls_version", f->tls_version);
  if (f->stage >= HS_NET_STAGE_TLS)
    hs_result_add_string (r, "root", hs_net_root_name (f->root), HS_SENSITIVITY_PUBLIC);
  add_text (r, "root_name", f->root_name);
  add_text (r, "server_issuer", f->server_issuer);
  add_text (r, "root_program", f->root_program);
  add_ms (r, "total_ms", f->total_ms);
  hs_result_add_bool (r, "simulated", simulated);
  return r;
}
