/* hs-win32-net.h — the internal interface of the Windows layer's network
 * files, shared by the HTTPS Date request and the network check of the
 * sign-in path. Not for the probe, the CLI or the tests: their entries are
 * hs_win32_https_date and hs_win32_net_check in hs-win32.h.
 *
 *   hs-win32-net.c      clocks, the bounded wait, https URLs, WinHTTP errors in English
 *   hs-win32-proxy.c    which proxy a URL goes through; opening a session with it
 *   hs-win32-cert.c     CA file, exclusive-root engine, judging a server's chain,
 *                       where the chain ends (a public root or a local one)
 *   hs-win32-request.c  one HEAD request, its certificate judged, its stages traced
 *   hs-win32-https.c    the Date header of that request (public)
 *   hs-win32-netcheck.c the network check of the sign-in path (public)
 *
 * Facts and sources: README.md, "HTTPS Date through WinHTTP".
 */
#ifndef HS_WIN32_NET_H
#define HS_WIN32_NET_H

#include <windows.h>
#include <wincrypt.h>
#include <winhttp.h>
#include <stddef.h>
#include <stdint.h>

#include "hs-win32.h"

/* ---- clocks and waiting (hs-win32-net.c) ---------------------------------- */

/* Real time (GetSystemTimePreciseAsFileTime), µs since 1970. */
int64_t     hs_win32_net_real_usec (void);
/* Monotonic time (QueryPerformanceCounter), µs. Deadlines below are on it. */
int64_t     hs_win32_net_mono_usec (void);
/* Waits for @event until @deadline (monotonic µs) or cancel, polling cancel
 * every 50 ms. Returns HS_PORT_OK when signalled (also when it is signalled
 * at the deadline), HS_PORT_TIMEOUT or HS_PORT_CANCELLED. */
HsPortCode  hs_win32_net_wait (HANDLE event, int64_t deadline, const HsPortCancel *cancel);

/* ---- URLs (hs-win32-net.c) ------------------------------------------------ */

/* Splits @wurl (@url: the same URL as UTF-8, for the message) into host,
 * port and path ("/" when empty; n_path at least 2), with WinHttpCrackUrl.
 * HS_PORT_BAD_INPUT with st set for anything but an https:// URL with a
 * host, for a user name or password in it, or for a host or path longer
 * than its buffer. */
HsPortCode  hs_win32_net_split_https_url (const wchar_t *wurl, const char *url, wchar_t *host,
                                          DWORD n_host, INTERNET_PORT *port, wchar_t *path,
                                          DWORD n_path, HsPortStatus *st);

/* ---- WinHTTP errors (hs-win32-net.c) -------------------------------------- */

/* The port code and English reason for a WinHTTP error @err of a request to
 * @host:@port (host as UTF-8), written to @buf: "name not resolved: HOST",
 * "could not connect to HOST:PORT (…)" (HS_PORT_UNREACHABLE), "timed out
 * (WinHTTP, STAGE)" (HS_PORT_TIMEOUT), "TLS failed (…)" (HS_PORT_FAILED;
 * @secure_flags are the WINHTTP_CALLBACK_STATUS_FLAG_* bits seen in
 * WINHTTP_CALLBACK_STATUS_SECURE_FAILURE, 0 if none), "cancelled"
 * (HS_PORT_CANCELLED), …; @stage is the last step WinHTTP reported. */
HsPortCode  hs_win32_net_error (DWORD err, DWORD secure_flags, const char *host,
                                unsigned port, const char *stage, char *buf, size_t n);

/* ---- proxy (hs-win32-proxy.c) --------------------------------------------- */

/* How the proxy for a URL was found by the explicit lookup. */
typedef enum {
  HS_WIN32_PROXY_DIRECT = 0,   /* no setting gave one: a direct connection */
  HS_WIN32_PROXY_MANUAL,       /* the manual proxy of the user's IE settings */
  HS_WIN32_PROXY_AUTO          /* WinHttpGetProxyForUrl answered (WPAD auto-detection
                                * and/or the PAC script); proxy NULL when it said
                                * DIRECT */
} HsWin32ProxySource;

typedef struct {
  HsWin32ProxySource source;
  wchar_t           *proxy;    /* malloc'd, WinHTTP's proxy list; NULL: direct */
  wchar_t           *bypass;   /* malloc'd, may be NULL */
} HsWin32Proxy;

/* "direct", "manual", "auto-detect/PAC". */
const char *hs_win32_proxy_source_name (HsWin32ProxySource source);
/* The proxy a request for @url goes through, found the way WinHTTP's
 * documentation describes for systems without
 * WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY: the user's Internet Explorer settings,
 * then WinHttpGetProxyForUrl (auto-detection and/or the PAC URL; @user_agent
 * is that lookup's own session's), then the manual proxy. The lookup runs on
 * a thread of its own (WPAD may be slow); this returns at @deadline
 * (monotonic µs) or cancel whatever it is doing: HS_PORT_OK with @out filled
 * (free with hs_win32_proxy_clear), HS_PORT_TIMEOUT, HS_PORT_CANCELLED or
 * HS_PORT_FAILED, with st set. It reads per-user settings only: where
 * AUTOMATIC_PROXY is available WinHTTP itself also follows the system-wide
 * ones, so a session from hs_win32_net_open_session may differ there. */
HsPortCode  hs_win32_proxy_for_url (const wchar_t *url, const wchar_t *user_agent,
                                    int64_t deadline, const HsPortCancel *cancel,
                                    HsWin32Proxy *out, HsPortStatus *st);
void        hs_win32_proxy_clear (HsWin32Proxy *p);
/* A WinHTTP session (@flags: 0 or WINHTTP_FLAG_ASYNC) for requests to @url:
 * WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY where Windows has it, else the named
 * proxy or none from hs_win32_proxy_for_url (bounded by @deadline). NULL with
 * st set on failure. */
HINTERNET   hs_win32_net_open_session (const wchar_t *url, const wchar_t *user_agent,
                                       DWORD flags, int64_t deadline,
                                       const HsPortCancel *cancel, HsPortStatus *st);
/* A session through exactly @proxy (its proxy NULL: direct). */
HINTERNET   hs_win32_net_open_session_with (const HsWin32Proxy *proxy, const wchar_t *user_agent,
                                            DWORD flags, HsPortStatus *st);

/* ---- certificates (hs-win32-cert.c) --------------------------------------- */

/* What a server's certificate is judged against. Zero-filled: the Windows
 * store (the default chain engine). */
typedef struct {
  HCERTSTORE       ca_store;   /* NULL: the Windows store decides */
  HCERTCHAINENGINE engine;     /* exclusive root = ca_store; NULL: the default engine */
} HsWin32Trust;

/* Loads every certificate of a PEM file (at most 1 MiB) into a memory store. */
HsPortCode  hs_win32_cert_load_ca_file (const char *path, HCERTSTORE *out, HsPortStatus *st);
/* An engine that trusts exactly the certificates of @roots. */
HsPortCode  hs_win32_cert_exclusive_engine (HCERTSTORE roots, HCERTCHAINENGINE *out,
                                            HsPortStatus *st);
/* Both of the above: @trust trusts exactly the CA file's certificates.
 * On failure @trust is left zero-filled. */
HsPortCode  hs_win32_trust_from_ca_file (const char *path, HsWin32Trust *trust,
                                         HsPortStatus *st);
void        hs_win32_trust_clear (HsWin32Trust *trust);

/* English names of CERT_TRUST_* error bits, comma-separated, into @buf. */
void        hs_win32_cert_describe_chain_errors (DWORD errors, char *buf, size_t n);
/* The chain of @cert for server authentication under @trust (the server's
 * intermediates come from the certificate's own store). 1 with *chain set
 * (CertFreeCertificateChain), or 0 with an English reason. */
int         hs_win32_cert_chain (const HsWin32Trust *trust, PCCERT_CONTEXT cert,
                                 PCCERT_CHAIN_CONTEXT *chain, char *why, size_t n_why);
/* The certificate the chain ends at (last element of its first simple
 * chain; no new reference), NULL for an empty chain. */
PCCERT_CONTEXT hs_win32_cert_chain_root (PCCERT_CHAIN_CONTEXT chain);
/* Judges a chain for @host (UTF-16). Returns 1 when it is acceptable, with
 * *dates_only set when its validity dates (only they) are wrong; 0 with an
 * English reason ("TLS certificate rejected (…)") otherwise. */
int         hs_win32_cert_judge_chain (const HsWin32Trust *trust, PCCERT_CHAIN_CONTEXT chain,
                                       const wchar_t *host, int *dates_only,
                                       char *why, size_t n_why);
/* hs_win32_cert_chain, then hs_win32_cert_judge_chain. */
int         hs_win32_cert_judge (const HsWin32Trust *trust, PCCERT_CONTEXT cert,
                                 const wchar_t *host, int *dates_only, char *why,
                                 size_t n_why);

/* ---- one HEAD request (hs-win32-request.c) -------------------------------- */

/* WinHTTP's notifications, in the order they come. */
typedef enum {
  HS_WIN32_TRACE_STARTED = 0,  /* WinHttpSendRequest */
  HS_WIN32_TRACE_RESOLVING,    /* RESOLVING_NAME */
  HS_WIN32_TRACE_CONNECTING,   /* CONNECTING_TO_SERVER (the proxy's, with one) */
  HS_WIN32_TRACE_CONNECTED,    /* CONNECTED_TO_SERVER */
  HS_WIN32_N_TRACE
} HsWin32TraceStage;

/* What a request saw on its way (for the network check). */
typedef struct {
  int64_t       stage_usec[HS_WIN32_N_TRACE]; /* monotonic µs, 0: not notified */
  char          connected_ip[64];  /* the address WinHTTP connected to, "" unknown */
  int           proxy_status;      /* the proxy's HTTP status instead of a tunnel, 0 none */
  int           cert_seen;         /* the server's certificate was looked at */
  int64_t       secured;           /* monotonic µs: TLS up, certificate judged */
  char          server_issuer[256];
  char          root_name[256];
  HsNetRootKind root;
  char          root_program[64];  /* what CERT_CHAIN_POLICY_SSL_F12 said */
} HsWin32Trace;

/* Reads the response's headers; called with the request's lock held.
 * HS_PORT_OK accepts the response; anything else fails the request with
 * st's detail. */
typedef HsPortCode (*HsWin32HeadersFunc) (HINTERNET request, int http_status, void *data,
                                          HsPortStatus *st);

typedef struct {
  const char         *url;              /* https:// */
  const wchar_t      *user_agent;
  const char         *ca_file;          /* PEM: trust exactly these CAs; NULL: the store */
  const char         *public_roots;     /* PEM: these count as public roots (tests);
                                         * NULL: the Microsoft Root Program decides */
  const HsWin32Proxy *proxy;            /* exactly this proxy; NULL: the user's */
  uint32_t            timeout_ms;       /* the whole request */
  const HsPortCancel *cancel;
  int                 accept_dates_only;/* a certificate wrong only in its dates passes */
  HsWin32HeadersFunc  on_headers;       /* NULL: any response will do */
  void               *data;
  HsWin32Trace       *trace;            /* NULL: not wanted */
} HsWin32Head;

typedef struct {
  int      http_status;
  int64_t  send_usec, recv_usec;        /* real time, as in HsHttpsDate */
  int      tls_dates_only;
  uint32_t elapsed_ms;
  char     stage[48];                   /* the last step WinHTTP reported */
} HsWin32HeadResult;

/* HEAD @req->url, bounded by its timeout and cancel, no redirects, cookies
 * or credentials; the certificate judged by CryptoAPI. HS_PORT_OK when a
 * response was accepted; else the port code and English reason of
 * hs_win32_https_date. */
HsPortCode  hs_win32_head (const HsWin32Head *req, HsWin32HeadResult *out, HsPortStatus *st);

/* Where a judged chain ends (hs-win32-cert.c): the names, and whether its
 * root is public: one of @public_roots when given (tests), else one that
 * came through the Microsoft Root Program (it carries the AuthRoot SHA-256
 * property; a root installed by hand or by the organisation does not). The
 * CERT_CHAIN_POLICY_SSL_F12 answer goes to root_program. @trusted: the
 * chain was accepted (else the root is HS_NET_ROOT_UNTRUSTED). */
void        hs_win32_cert_describe (PCCERT_CHAIN_CONTEXT chain, int trusted,
                                    HCERTSTORE public_roots, HsWin32Trace *trace);

#endif /* HS_WIN32_NET_H */
