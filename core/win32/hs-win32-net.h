/* hs-win32-net.h — the internal interface of the Windows layer's network
 * files, shared by the HTTPS Date request and (coming) the network check of
 * the sign-in path. Not for the probe, the CLI or the tests: their entry is
 * hs_win32_https_date in hs-win32.h.
 *
 *   hs-win32-net.c    clocks, the bounded wait, https URLs, WinHTTP errors in English
 *   hs-win32-proxy.c  which proxy a URL goes through; opening a session with it
 *   hs-win32-cert.c   CA file, exclusive-root engine, judging a server's chain
 *   hs-win32-https.c  the HEAD request for the Date header (public)
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

#endif /* HS_WIN32_NET_H */
