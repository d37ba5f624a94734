/* hs-win32-netcheck.c — the network check of the sign-in path on Windows
 * (hs_win32_net_check, hs-win32.h): one endpoint, stage by stage, each
 * bounded by the same deadline.
 *
 *   proxy    what WinHTTP's settings name for the URL (hs_win32_proxy_for_url:
 *            the user's IE settings, WPAD/PAC, the manual proxy), and its
 *            bypass list. The request below goes through exactly that proxy,
 *            so what is reported is what was tested.
 *   dns      GetAddrInfoW for the proxy's name, or the server's when there
 *            is no proxy, on a thread of its own (it cannot be interrupted).
 *   connect  Winsock, non-blocking, each address in turn.
 *   tunnel   } one HEAD through WinHTTP (hs_win32_head): CONNECT through the
 *   tls      } proxy, the TLS handshake, the chain judged by CryptoAPI and
 *            placed by hs_win32_cert_describe (public root or local).
 *
 * WinHTTP makes its own connection for the last two: the first two are
 * measured on their own so that a failure is named by its stage, and the
 * times are comparable with the GIO check's off Windows.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32-net.h"

#define POLL_MS 50
#define DEFAULT_TIMEOUT_MS 10000

static const wchar_t user_agent[] = L"Handshake-netcheck/1";

typedef struct {
  HsNetFacts           *f;
  int64_t               start, deadline, stage_start;
  uint32_t              timeout_ms;
  const HsPortCancel   *cancel;
  HsWin32NetStageFunc   on_stage;
  void                 *stage_data;
} Check;

static int32_t
ms_since (int64_t t)
{
  return (int32_t) ((hs_win32_net_mono_usec () - t) / 1000);
}

static void
stage (Check *c, HsNetStage s)
{
  c->f->stage = s;
  c->stage_start = hs_win32_net_mono_usec ();
  if (c->on_stage != NULL)
    c->on_stage (s, c->stage_data);
}

/* Records why the check stops; returns 0 for the caller to return. */
static int
fail (Check *c, HsNetFailure kind, const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__ ((format (printf, 3, 4)))
#endif
  ;

static int
fail (Check *c, HsNetFailure kind, const char *fmt, ...)
{
  va_list ap;

  c->f->failure = kind;
  va_start (ap, fmt);
  vsnprintf (c->f->detail, sizeof c->f->detail, fmt, ap);
  va_end (ap);
  return 0;
}

/* A wait that ended without an answer: timeout or cancel. */
static int
fail_wait (Check *c, HsPortCode w)
{
  if (w == HS_PORT_CANCELLED)
    return fail (c, HS_NET_FAIL_CANCELLED, "cancelled");
  return fail (c, HS_NET_FAIL_TIMEOUT, "no answer within %lu ms (%s)",
               (unsigned long) c->timeout_ms, hs_net_stage_name (c->f->stage));
}

/* ---- proxy ---------------------------------------------------------------- */

/* The entry of a WinHTTP proxy list an https:// request uses: "https=X", or
 * one without a scheme ("host:port", "http://host:port"). */
static int
pick_proxy (const wchar_t *list, char *host, size_t n_host, unsigned *port)
{
  wchar_t *copy = _wcsdup (list), *ctx = NULL, *chosen = NULL;
  char *utf8, *colon;
  int ok = 0;

  if (copy == NULL)
    return 0;
  for (wchar_t *e = wcstok_s (copy, L"; \t", &ctx); e != NULL; e = wcstok_s (NULL, L"; \t", &ctx))
    {
      if (_wcsnicmp (e, L"https=", 6) == 0)
        {
          chosen = e + 6;
          break;
        }
      if (wcschr (e, L'=') == NULL && chosen == NULL)
        chosen = e;
    }
  if (chosen != NULL && _wcsnicmp (chosen, L"http://", 7) == 0)
    chosen += 7;
  if (chosen != NULL && (utf8 = hs_win32_utf8 (chosen)) != NULL)
    {
      *port = 80;
      if ((colon = strrchr (utf8, ':')) != NULL && strchr (colon, ']') == NULL)
        {
          *port = (unsigned) strtoul (colon + 1, NULL, 10);
          *colon = '\0';
        }
      snprintf (host, n_host, "%s", utf8);
      ok = *port > 0 && *port < 65536 && host[0] != '\0';
      free (utf8);
    }
  free (copy);
  return ok;
}

static int
glob_match (const wchar_t *pat, const wchar_t *s)
{
  if (*pat == L'\0')
    return *s == L'\0';
  if (*pat == L'*')
    return glob_match (pat + 1, s) || (*s != L'\0' && glob_match (pat, s + 1));
  return towlower (*pat) == towlower (*s) && *s != L'\0' && glob_match (pat + 1, s + 1);
}

/* The bypass list: "<local>" for names without a dot, else wildcards. */
static int
bypassed (const wchar_t *list, const wchar_t *host)
{
  wchar_t *copy = list ? _wcsdup (list) : NULL, *ctx = NULL;
  int hit = 0;

  for (wchar_t *e = copy ? wcstok_s (copy, L"; \t", &ctx) : NULL; e != NULL && !hit;
       e = wcstok_s (NULL, L"; \t", &ctx))
    hit = _wcsicmp (e, L"<local>") == 0 ? wcschr (host, L'.') == NULL : glob_match (e, host);
  free (copy);
  return hit;
}

static int
find_proxy (Check *c, const wchar_t *wurl, const wchar_t *host, HsWin32Proxy *p,
            char *proxy_host, size_t n, unsigned *proxy_port)
{
  HsPortStatus st = { 0 };
  HsPortCode code;

  stage (c, HS_NET_STAGE_PROXY);
  code = hs_win32_proxy_for_url (wurl, user_agent, c->deadline, c->cancel, p, &st);
  c->f->proxy_ms = ms_since (c->stage_start);
  if (code == HS_PORT_TIMEOUT || code == HS_PORT_CANCELLED)
    return fail_wait (c, code);
  if (code != HS_PORT_OK)
    return fail (c, HS_NET_FAIL_PROXY, "the proxy settings could not be read: %s", st.detail);
  snprintf (c->f->proxy_source, sizeof c->f->proxy_source, "WinHTTP: %s",
            hs_win32_proxy_source_name (p->source));
  if (p->proxy != NULL && bypassed (p->bypass, host))
    {
      free (p->proxy);
      p->proxy = NULL;
    }
  if (p->proxy == NULL)
    return 1;
  if (!pick_proxy (p->proxy, proxy_host, n, proxy_port))
    {
      char *list = hs_win32_utf8 (p->proxy);

      fail (c, HS_NET_FAIL_PROXY, "the proxy setting is not usable: %s", list ? list : "?");
      free (list);
      return 0;
    }
  snprintf (c->f->proxy, sizeof c->f->proxy, "http://%s:%u", proxy_host, *proxy_port);
  return 1;
}

/* ---- name resolution, on a thread of its own ------------------------------ */

typedef struct {
  volatile LONG refs;
  wchar_t      *name;
  HANDLE        done;
  ADDRINFOW    *result;   /* written by the thread before done */
  int           error;
} Lookup;

static void
lookup_unref (Lookup *l)
{
  if (InterlockedDecrement (&l->refs) != 0)
    return;
  if (l->result != NULL)
    FreeAddrInfoW (l->result);
  CloseHandle (l->done);
  free (l->name);
  free (l);
}

static DWORD WINAPI
lookup_thread (LPVOID data)
{
  Lookup *l = data;
  ADDRINFOW hints;
  WSADATA wsa;
  int started = WSAStartup (MAKEWORD (2, 2), &wsa) == 0;

  memset (&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  l->error = GetAddrInfoW (l->name, NULL, &hints, &l->result);
  SetEvent (l->done);
  if (started)
    WSACleanup ();
  lookup_unref (l);
  return 0;
}

static void
address_text (const SOCKADDR *sa, size_t len, unsigned port, char *buf, size_t n)
{
  wchar_t w[64];
  char *utf8;

  buf[0] = '\0';
  if (GetNameInfoW (sa, (socklen_t) len, w, 64, NULL, 0, NI_NUMERICHOST) != 0
      || (utf8 = hs_win32_utf8 (w)) == NULL)
    return;
  if (port != 0)
    snprintf (buf, n, sa->sa_family == AF_INET6 ? "[%s]:%u" : "%s:%u", utf8, port);
  else
    snprintf (buf, n, "%s", utf8);
  free (utf8);
}

/* Returns the lookup (a reference for the caller) or NULL with the facts
 * set. */
static Lookup *
resolve (Check *c, const char *name, int is_proxy)
{
  Lookup *l = calloc (1, sizeof *l);
  HANDLE thread;
  HsPortCode w;

  stage (c, HS_NET_STAGE_DNS);
  snprintf (c->f->resolved_name, sizeof c->f->resolved_name, "%s", name);
  if (l == NULL || (l->name = hs_win32_wide (name)) == NULL
      || (l->done = CreateEventW (NULL, TRUE, FALSE, NULL)) == NULL)
    {
      if (l != NULL)
        free (l->name);
      free (l);
      fail (c, HS_NET_FAIL_INTERNAL, "out of memory");
      return NULL;
    }
  l->refs = 2;
  thread = CreateThread (NULL, 0, lookup_thread, l, 0, NULL);
  if (thread == NULL)
    {
      l->refs = 1;
      lookup_unref (l);
      fail (c, HS_NET_FAIL_INTERNAL, "cannot start a thread (error %lu)",
            (unsigned long) GetLastError ());
      return NULL;
    }
  CloseHandle (thread);
  w = hs_win32_net_wait (l->done, c->deadline, c->cancel);
  c->f->dns_ms = ms_since (c->stage_start);
  if (w != HS_PORT_OK)
    {
      lookup_unref (l);
      fail_wait (c, w);
      return NULL;
    }
  if (l->error != 0 || l->result == NULL)
    {
      fail (c, is_proxy ? HS_NET_FAIL_PROXY : HS_NET_FAIL_DNS, "%s%s could not be resolved (error %d)",
            is_proxy ? "the proxy's name " : "", name, l->error);
      lookup_unref (l);
      return NULL;
    }
  for (ADDRINFOW *a = l->result; a != NULL && c->f->n_addresses < HS_NET_MAX_ADDRESSES;
       a = a->ai_next)
    address_text (a->ai_addr, a->ai_addrlen, 0, c->f->addresses[c->f->n_addresses++],
                  sizeof c->f->addresses[0]);
  return l;
}

/* ---- TCP ------------------------------------------------------------------ */

/* 0 connected (*out: the socket, blocking again); else a Winsock error, or
 * -1 for a timeout, -2 for cancel. */
static int
connect_one (Check *c, const ADDRINFOW *a, unsigned port, SOCKET *out)
{
  SOCKADDR_STORAGE to;
  SOCKET s;
  u_long nonblocking = 1;
  int err = 0;

  memcpy (&to, a->ai_addr, a->ai_addrlen);
  if (a->ai_family == AF_INET)
    ((SOCKADDR_IN *) &to)->sin_port = htons ((u_short) port);
  else
    ((SOCKADDR_IN6 *) &to)->sin6_port = htons ((u_short) port);
  s = socket (a->ai_family, SOCK_STREAM, IPPROTO_TCP);
  if (s == INVALID_SOCKET)
    return WSAGetLastError ();
  ioctlsocket (s, FIONBIO, &nonblocking);
  if (connect (s, (SOCKADDR *) &to, (int) a->ai_addrlen) == SOCKET_ERROR
      && (err = WSAGetLastError ()) == WSAEWOULDBLOCK)
    for (err = -1; hs_win32_net_mono_usec () < c->deadline;)
      {
        fd_set wr, ex;
        struct timeval tv = { 0, POLL_MS * 1000 };
        int len = sizeof err;

        if (hs_port_cancelled (c->cancel))
          {
            err = -2;
            break;
          }
        FD_ZERO (&wr);
        FD_ZERO (&ex);
        FD_SET (s, &wr);
        FD_SET (s, &ex);
        if (select (0, NULL, &wr, &ex, &tv) <= 0)
          continue;
        /* Writable: connected. In the exception set: refused or unreachable. */
        err = 0;
        getsockopt (s, SOL_SOCKET, SO_ERROR, (char *) &err, &len);
        if (err == 0 && FD_ISSET (s, &ex))
          err = WSAECONNREFUSED;
        break;
      }
  if (err == 0)
    {
      address_text ((SOCKADDR *) &to, a->ai_addrlen, port, c->f->connected_to,
                    sizeof c->f->connected_to);
      *out = s;
      return 0;
    }
  closesocket (s);
  return err;
}

/* 1 with *out connected (the caller closes it), or 0 with the facts set. */
static int
connect_tcp (Check *c, const Lookup *l, unsigned port, int is_proxy, SOCKET *out)
{
  int err = WSAEHOSTUNREACH;

  stage (c, HS_NET_STAGE_CONNECT);
  for (const ADDRINFOW *a = l->result; a != NULL; a = a->ai_next)
    {
      if (a->ai_family != AF_INET && a->ai_family != AF_INET6)
        continue;
      err = connect_one (c, a, port, out);
      if (err <= 0)
        break;
    }
  c->f->connect_ms = ms_since (c->stage_start);
  if (err == 0)
    return 1;
  if (err < 0)
    return fail_wait (c, err == -2 ? HS_PORT_CANCELLED : HS_PORT_TIMEOUT);
  return fail (c, is_proxy ? HS_NET_FAIL_PROXY : HS_NET_FAIL_CONNECT,
               "could not connect to %s%s:%u (%s, Winsock error %d)", is_proxy ? "the proxy " : "",
               c->f->resolved_name, port,
               err == WSAECONNREFUSED ? "connection refused" : "unreachable", err);
}

/* ---- the proxy tunnel ------------------------------------------------------ */

/* Waits until @s is readable, the deadline or cancel: 1 readable, else 0
 * with the facts set. */
static int
wait_readable (Check *c, SOCKET s)
{
  while (hs_win32_net_mono_usec () < c->deadline)
    {
      fd_set rd;
      struct timeval tv = { 0, POLL_MS * 1000 };

      if (hs_port_cancelled (c->cancel))
        return fail_wait (c, HS_PORT_CANCELLED);
      FD_ZERO (&rd);
      FD_SET (s, &rd);
      if (select (0, &rd, NULL, NULL, &tv) > 0)
        return 1;
    }
  return fail_wait (c, HS_PORT_TIMEOUT);
}

/* CONNECT through the proxy on the connection just made, for its own
 * answer: WinHTTP hides it (Windows hands back the proxy's response,
 * Wine 8 reports a secure channel error). The request below makes its own
 * tunnel; this one is closed. */
static int
tunnel (Check *c, SOCKET s, const char *host, unsigned port)
{
  char request[600], head[4096];
  size_t got = 0;
  int status = 0, len;

  stage (c, HS_NET_STAGE_TUNNEL);
  len = snprintf (request, sizeof request, "CONNECT %s:%u HTTP/1.1\r\nHost: %s:%u\r\n"
                  "User-Agent: Handshake-netcheck/1\r\n\r\n", host, port, host, port);
  if (len <= 0 || (size_t) len >= sizeof request || send (s, request, len, 0) != len)
    return fail (c, HS_NET_FAIL_PROXY, "the proxy took no request (Winsock error %d)",
                 WSAGetLastError ());
  head[0] = '\0';
  while (got < sizeof head - 1 && strstr (head, "\r\n\r\n") == NULL)
    {
      int n;

      if (!wait_readable (c, s))
        return 0;
      n = recv (s, head + got, (int) (sizeof head - 1 - got), 0);
      if (n <= 0)
        return fail (c, HS_NET_FAIL_PROXY,
                     "the proxy closed the connection instead of answering CONNECT");
      got += (size_t) n;
      head[got] = '\0';
    }
  c->f->tunnel_ms = ms_since (c->stage_start);
  if (sscanf (head, "HTTP/1.%*d %d", &status) != 1)
    return fail (c, HS_NET_FAIL_PROXY, "the proxy's answer to CONNECT is not HTTP");
  c->f->tunnel_status = status;
  if (status == 407)
    return fail (c, HS_NET_FAIL_PROXY, "the proxy asks for credentials (HTTP 407); "
                 "Handshake never sends any");
  if (status < 200 || status > 299)
    {
      head[strcspn (head, "\r\n")] = '\0';
      return fail (c, HS_NET_FAIL_PROXY, "the proxy refused to connect to %s:%u (%.80s)",
                   host, port, head);
    }
  return 1;
}

/* ---- the secure connection (WinHTTP) -------------------------------------- */

static void
secure (Check *c, const char *url, const char *ca_file, const char *public_roots,
        const HsWin32Proxy *p)
{
  HsWin32Head req;
  HsWin32HeadResult res;
  HsWin32Trace trace;
  HsPortStatus st = { 0 };
  int64_t left = c->deadline - hs_win32_net_mono_usec ();
  HsPortCode code;
  HsNetFacts *f = c->f;

  stage (c, HS_NET_STAGE_TLS);
  if (left < 1000)
    {
      fail_wait (c, HS_PORT_TIMEOUT);
      return;
    }
  memset (&req, 0, sizeof req);
  memset (&trace, 0, sizeof trace);
  req.url = url;
  req.user_agent = user_agent;
  req.ca_file = ca_file;
  req.public_roots = public_roots;
  req.proxy = p;
  req.timeout_ms = (uint32_t) (left / 1000);
  req.cancel = c->cancel;
  req.trace = &trace;
  code = hs_win32_head (&req, &res, &st);

  /* WinHTTP makes its own connection: from its connecting (or, where that
   * is not notified, the request's start) to the certificate judged. Not
   * from CONNECTED_TO_SERVER: Wine 8 sends that one after the handshake. */
  if (trace.secured != 0)
    f->tls_ms = (int32_t) ((trace.secured - (trace.stage_usec[HS_WIN32_TRACE_CONNECTING]
                                             ? trace.stage_usec[HS_WIN32_TRACE_CONNECTING]
                                             : trace.stage_usec[HS_WIN32_TRACE_STARTED])) / 1000);
  if (trace.proxy_status != 0)
    f->tunnel_status = trace.proxy_status;
  snprintf (f->root_name, sizeof f->root_name, "%s", trace.root_name);
  snprintf (f->server_issuer, sizeof f->server_issuer, "%s", trace.server_issuer);
  snprintf (f->root_program, sizeof f->root_program, "%s", trace.root_program);
  f->root = trace.cert_seen ? trace.root : HS_NET_ROOT_UNKNOWN;

  if (code == HS_PORT_OK)
    {
      f->stage = HS_NET_STAGE_DONE;
      return;
    }
  snprintf (f->detail, sizeof f->detail, "%s", st.detail);
  if (code == HS_PORT_TIMEOUT)
    f->failure = HS_NET_FAIL_TIMEOUT;
  else if (code == HS_PORT_CANCELLED)
    f->failure = HS_NET_FAIL_CANCELLED;
  else if (code == HS_PORT_BAD_INPUT)
    f->failure = HS_NET_FAIL_INTERNAL;
  else if (trace.proxy_status != 0 || (p->proxy != NULL && code == HS_PORT_UNREACHABLE))
    f->failure = HS_NET_FAIL_PROXY;   /* it answered this tunnel otherwise than the first */
  else if (code == HS_PORT_UNREACHABLE && strstr (st.detail, "TLS") == NULL)
    f->failure = strstr (st.detail, "name not resolved") ? HS_NET_FAIL_DNS : HS_NET_FAIL_CONNECT;
  else
    f->failure = HS_NET_FAIL_TLS;
}

/* ---- the check ------------------------------------------------------------ */

HsPortCode
hs_win32_net_check (const char *url, const char *ca_file, const char *public_roots,
                    uint32_t timeout_ms, const HsPortCancel *cancel,
                    HsWin32NetStageFunc on_stage, void *stage_data, HsNetFacts *out,
                    HsPortStatus *st)
{
  Check c;
  wchar_t *wurl = url ? hs_win32_wide (url) : NULL, host[256], path[2048];
  char host_utf8[256] = "", proxy_host[256] = "";
  unsigned proxy_port = 0;
  INTERNET_PORT port = 0;
  HsWin32Proxy p;
  Lookup *l = NULL;
  SOCKET sock = INVALID_SOCKET;
  WSADATA wsa;
  int wsa_started = 0;

  memset (&c, 0, sizeof c);
  memset (&p, 0, sizeof p);
  c.f = out;
  c.timeout_ms = timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS;
  c.start = hs_win32_net_mono_usec ();
  c.deadline = c.start + (int64_t) c.timeout_ms * 1000;
  c.cancel = cancel;
  c.on_stage = on_stage;
  c.stage_data = stage_data;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  if (wurl == NULL || hs_win32_net_split_https_url (wurl, url, host, 256, &port, path, 2048, st)
                      != HS_PORT_OK)
    {
      free (wurl);
      fail (&c, HS_NET_FAIL_INTERNAL, "not an https:// URL: %s", url ? url : "");
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "%s", out->detail);
      return HS_PORT_BAD_INPUT;
    }
  {
    char *h = hs_win32_utf8 (host);

    snprintf (host_utf8, sizeof host_utf8, "%s", h ? h : "");
    free (h);
  }
  wsa_started = WSAStartup (MAKEWORD (2, 2), &wsa) == 0;

  if (find_proxy (&c, wurl, host, &p, proxy_host, sizeof proxy_host, &proxy_port)
      && (l = resolve (&c, p.proxy ? proxy_host : host_utf8, p.proxy != NULL)) != NULL
      && connect_tcp (&c, l, p.proxy ? proxy_port : port, p.proxy != NULL, &sock))
    {
      int through = p.proxy == NULL || tunnel (&c, sock, host_utf8, port);

      closesocket (sock);
      if (through)
        secure (&c, url, ca_file, public_roots, &p);
    }
  out->total_ms = ms_since (c.start);

  if (l != NULL)
    lookup_unref (l);
  hs_win32_proxy_clear (&p);
  if (wsa_started)
    WSACleanup ();
  free (wurl);
  return HS_PORT_OK;
}
