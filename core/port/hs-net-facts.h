/* hs-net-facts.h — what the network check of the sign-in path found for
 * one endpoint (an https:// URL): plain C, filled by whoever measured it
 * (core/net with GIO off Windows, core/win32 through WinHTTP on Windows, the
 * practice platform from its scenario) and judged in one place
 * (core/net/hs-net-verdict.c). Strings are UTF-8, English, "" when unknown;
 * times are whole milliseconds, -1 when the stage was not reached.
 */
#ifndef HS_NET_FACTS_H
#define HS_NET_FACTS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The stages, in the order they run. */
typedef enum {
  HS_NET_STAGE_START = 0,
  HS_NET_STAGE_PROXY,        /* which proxy the system settings name for the URL */
  HS_NET_STAGE_DNS,          /* the name of the server (or of the proxy) */
  HS_NET_STAGE_CONNECT,      /* TCP to the server (or to the proxy) */
  HS_NET_STAGE_TUNNEL,       /* CONNECT through the proxy */
  HS_NET_STAGE_TLS,          /* the TLS handshake and the certificate */
  HS_NET_STAGE_DONE
} HsNetStage;

/* Why the check stopped; NONE when the secure connection was made. A
 * failure about the proxy (its name, its port, its answer to CONNECT) is
 * PROXY, never DNS or CONNECT: that is what Teams reports too. */
typedef enum {
  HS_NET_FAIL_NONE = 0,
  HS_NET_FAIL_DNS,           /* the server's name does not resolve */
  HS_NET_FAIL_PROXY,         /* the proxy cannot be found or reached, or refuses */
  HS_NET_FAIL_CONNECT,       /* refused, unreachable, reset */
  HS_NET_FAIL_TIMEOUT,       /* a stage ran out of time; stage says which */
  HS_NET_FAIL_TLS,           /* the handshake failed or the certificate was rejected */
  HS_NET_FAIL_CANCELLED,
  HS_NET_FAIL_INTERNAL       /* could not check at all (no TLS support, bad input) */
} HsNetFailure;

/* Where the certificate chain ends. */
typedef enum {
  HS_NET_ROOT_UNKNOWN = 0,   /* not reached, or cannot tell public from local */
  HS_NET_ROOT_PUBLIC,        /* a root the operating system ships (Mozilla's list on
                              * Debian, the Microsoft Root Program on Windows) */
  HS_NET_ROOT_LOCAL,         /* trusted, but installed on this computer or by its
                              * organisation: what HTTPS inspection needs */
  HS_NET_ROOT_UNTRUSTED      /* not trusted at all */
} HsNetRootKind;

#define HS_NET_MAX_ADDRESSES 4

typedef struct {
  HsNetFailure  failure;
  HsNetStage    stage;                  /* the last stage begun: where it stopped */
  char          detail[256];            /* English reason for a failure */

  char          proxy[256];             /* "" direct, else "http://host:port" */
  char          proxy_source[64];       /* where the setting came from */
  int32_t       proxy_ms;

  char          resolved_name[256];     /* the name looked up: the server's or the proxy's */
  char          addresses[HS_NET_MAX_ADDRESSES][64];
  uint32_t      n_addresses;
  int32_t       dns_ms;

  char          connected_to[96];       /* "address:port" that answered */
  int32_t       connect_ms;

  int32_t       tunnel_status;          /* the proxy's HTTP status to CONNECT, 0 none */
  int32_t       tunnel_ms;

  int32_t       tls_ms;
  char          tls_version[16];        /* "TLS 1.3", "" unknown */
  HsNetRootKind root;
  char          root_name[256];         /* subject of the certificate the chain ends at */
  char          server_issuer[256];     /* issuer of the server's own certificate */
  char          root_program[64];       /* Windows only: what the Microsoft Root
                                         * Program check said, "" not asked */

  int32_t       total_ms;
} HsNetFacts;

/* Zero-filled facts with every time at -1. */
void        hs_net_facts_init  (HsNetFacts *facts);
/* "proxy", "dns", "connect", "tunnel", "tls", "done", "start". */
const char *hs_net_stage_name  (HsNetStage stage);
/* "public", "local", "untrusted", "unknown". */
const char *hs_net_root_name   (HsNetRootKind root);

#ifdef __cplusplus
}
#endif

#endif /* HS_NET_FACTS_H */
