/* hs-win32-request.c — one HTTPS HEAD request through WinHTTP, with the
 * server's certificate judged by CryptoAPI (hs_win32_head, hs-win32-net.h).
 * Its users: the clock fallback's Date request (hs-win32-https.c) and the
 * network check of the sign-in path (hs-win32-netcheck.c).
 *
 * WinHTTP because it is what Windows itself uses: it follows the user's proxy
 * configuration (WPAD, PAC script, manual proxy) and trusts the Windows
 * certificate store, which is what a corporate network with TLS inspection
 * relies on. Facts and sources: README.md, "HTTPS Date through WinHTTP".
 *
 * The deadline. WinHTTP documents closing the request handle as the way to
 * end an in-progress *asynchronous* request; for a blocked synchronous call
 * it promises nothing. So the session is asynchronous, the request's steps
 * are driven from the status callback, and the calling thread only waits on
 * an event (polling cancel) until the deadline. Then it closes the request
 * handle and returns, whatever WinHTTP is still doing: under Wine a blocked
 * connect or TLS read goes on in WinHTTP's worker until its own timeouts
 * (set to the same budget), but this call has long returned by then. The
 * context the callback uses is reference counted and its last reference is
 * dropped by WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING, the last callback a
 * handle gets, so a late callback never touches freed memory.
 *
 * Handles: after WinHttpCloseHandle no other WinHTTP function may be called
 * on a handle, from any thread. Every call on the request handle is made
 * under the context's lock while ctx->request is set; whoever closes it takes
 * it out of ctx->request under the lock and closes it outside the lock.
 *
 * The certificate. WinHTTP is told to let unknown issuers, wrong names, wrong
 * usage and bad dates through (SECURITY_FLAG_IGNORE_*), and the server's
 * certificate is judged by hs-win32-cert.c instead (why: see there), when
 * WINHTTP_CALLBACK_STATUS_SENDING_REQUEST says the secure connection is up
 * and the request is about to be written. A rejected certificate closes the
 * request at once; the HEAD carries no cookie, credential or body either way.
 *
 * The proxy is found by hs-win32-proxy.c; clocks, waiting, the URL and
 * WinHTTP's errors are in hs-win32-net.c (interface: hs-win32-net.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32-net.h"


/* ---- the request's shared state ------------------------------------------ */

typedef struct {
  volatile LONG    refs;
  CRITICAL_SECTION lock;
  HANDLE           done;           /* manual reset: the outcome is known */
  HINTERNET        request;        /* (lock) NULL once taken by whoever closes it */
  wchar_t         *host;           /* the name the certificate must carry */
  char             host_utf8[256]; /* for messages */
  unsigned         port;
  /* Fixed before the request starts and freed with the context: a late
   * callback may still judge a certificate after the call has returned. */
  HsWin32Trust     trust;          /* zero: the Windows store decides */
  HCERTSTORE       public_roots;   /* NULL: the AuthRoot property decides */
  int              accept_dates_only;
  const HsWin32Head *req;          /* (lock) the caller's: NULL once the call returns */
  HsWin32Trace     trace;          /* (lock) copied out when the call returns */

  /* everything below under lock */
  int              finished;
  HsPortCode       code;
  uint32_t         os_error;
  char             failure[256];
  DWORD            secure_flags;   /* WINHTTP_CALLBACK_STATUS_SECURE_FAILURE */
  int              cert_checked;
  int              tls_dates_only;
  const char      *stage;          /* last step WinHTTP reported, for a timeout */
  int64_t          send_usec;
  int64_t          recv_usec;
  int              http_status;
} Ctx;

static Ctx *
ctx_new (void)
{
  Ctx *c = calloc (1, sizeof *c);

  if (c == NULL)
    return NULL;
  c->refs = 1;
  InitializeCriticalSection (&c->lock);
  c->done = CreateEventW (NULL, TRUE, FALSE, NULL);
  if (c->done == NULL)
    {
      DeleteCriticalSection (&c->lock);
      free (c);
      return NULL;
    }
  c->stage = "starting";
  return c;
}

static void
ctx_ref (Ctx *c)
{
  InterlockedIncrement (&c->refs);
}

static void
ctx_unref (Ctx *c)
{
  if (InterlockedDecrement (&c->refs) != 0)
    return;
  hs_win32_trust_clear (&c->trust);
  if (c->public_roots != NULL)
    CertCloseStore (c->public_roots, 0);
  CloseHandle (c->done);
  DeleteCriticalSection (&c->lock);
  free (c->host);
  free (c);
}

/* Records the outcome once. Call with the lock held. */
static void
ctx_finish (Ctx *c, HsPortCode code, uint32_t os_error, const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__ ((format (printf, 4, 5)))
#endif
  ;

static void
ctx_finish (Ctx *c, HsPortCode code, uint32_t os_error, const char *fmt, ...)
{
  va_list ap;

  if (c->finished)
    return;
  c->finished = 1;
  c->code = code;
  c->os_error = os_error;
  va_start (ap, fmt);
  vsnprintf (c->failure, sizeof c->failure, fmt, ap);
  va_end (ap);
  SetEvent (c->done);
}

/* Takes the request handle out of the context (lock held); the caller
 * closes what it got, outside the lock. */
static HINTERNET
ctx_take_request (Ctx *c)
{
  HINTERNET h = c->request;

  c->request = NULL;
  return h;
}

/* ---- the certificate ------------------------------------------------------ */

/* Checks the certificate of the connection the request is on (again, unless
 * @once and it was checked already). Returns 1 when it was looked at
 * (accepted or rejected) or nothing is left to do, 0 when there is none yet
 * (a proxy tunnel still being set up). */
static int
check_certificate (Ctx *c, int once)
{
  PCCERT_CONTEXT cert = NULL;
  PCCERT_CHAIN_CONTEXT chain = NULL;
  DWORD len = sizeof cert, err = 0;
  HINTERNET to_close = NULL;
  HsWin32Trace seen;
  char why[200] = "";
  int ok, dates_only = 0;
  BOOL got;

  EnterCriticalSection (&c->lock);
  if (c->finished || c->request == NULL || (once && c->cert_checked))
    {
      LeaveCriticalSection (&c->lock);
      return 1;
    }
  got = WinHttpQueryOption (c->request, WINHTTP_OPTION_SERVER_CERT_CONTEXT, &cert, &len);
  if (!got)
    err = GetLastError ();
  LeaveCriticalSection (&c->lock);

  if (!got && err == ERROR_WINHTTP_INCORRECT_HANDLE_STATE)
    return 0;
  memset (&seen, 0, sizeof seen);
  /* Without the lock: trust, roots and host are fixed before the request starts. */
  if (!got || cert == NULL)
    {
      ok = 0;
      snprintf (why, sizeof why, "TLS failed (no server certificate to check, error %lu)",
                (unsigned long) err);
    }
  else if (!hs_win32_cert_chain (&c->trust, cert, &chain, why, sizeof why))
    ok = 0;
  else
    {
      ok = hs_win32_cert_judge_chain (&c->trust, chain, c->host, &dates_only, why, sizeof why);
      hs_win32_cert_describe (chain, ok, c->public_roots, &seen);
      if (ok && dates_only && !c->accept_dates_only)
        {
          ok = 0;
          snprintf (why, sizeof why, "TLS certificate rejected (expired or not yet valid)");
        }
      CertFreeCertificateChain (chain);
    }
  if (cert != NULL)
    CertFreeCertificateContext (cert);

  EnterCriticalSection (&c->lock);
  c->cert_checked = 1;
  seen.cert_seen = got && cert != NULL;
  seen.secured = hs_win32_net_mono_usec ();
  memcpy (seen.stage_usec, c->trace.stage_usec, sizeof seen.stage_usec);
  memcpy (seen.connected_ip, c->trace.connected_ip, sizeof seen.connected_ip);
  c->trace = seen;
  if (ok)
    c->tls_dates_only = dates_only;
  else
    {
      ctx_finish (c, HS_PORT_FAILED, err, "%s", why);
      to_close = ctx_take_request (c);
    }
  LeaveCriticalSection (&c->lock);
  /* The request ends here: on Windows closing the handle aborts it (Wine 8
   * still writes the request it had queued; its answer is never read). */
  if (to_close != NULL)
    WinHttpCloseHandle (to_close);
  return 1;
}

/* ---- the response --------------------------------------------------------- */

/* Lock held, c->request set. */
static void
read_response (Ctx *c)
{
  DWORD status = 0, len = sizeof status;
  HsPortStatus st = { 0 };
  HsPortCode code = HS_PORT_OK;

  if (WinHttpQueryHeaders (c->request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                           WINHTTP_HEADER_NAME_BY_INDEX, &status, &len, WINHTTP_NO_HEADER_INDEX))
    c->http_status = (int) status;
  if (c->req != NULL && c->req->on_headers != NULL)
    code = c->req->on_headers (c->request, c->http_status, c->req->data, &st);
  ctx_finish (c, code, st.os_error, "%s", code == HS_PORT_OK ? "" : st.detail);
}

/* ---- WinHTTP errors ------------------------------------------------------- */

/* Lock held. */
static void
finish_with_error (Ctx *c, DWORD err)
{
  char why[sizeof c->failure];
  HsPortCode code = hs_win32_net_error (err, c->secure_flags, c->host_utf8, c->port, c->stage,
                                        why, sizeof why);

  ctx_finish (c, code, err, "%s", why);
}

/* ---- the status callback -------------------------------------------------- */

/* Lock held: the first time WinHTTP reported @stage. */
static void
trace_stage (Ctx *c, HsWin32TraceStage stage)
{
  if (c->trace.stage_usec[stage] == 0)
    c->trace.stage_usec[stage] = hs_win32_net_mono_usec ();
}

static void
on_status_locked (Ctx *c, DWORD status, LPVOID info, DWORD info_len, int64_t now)
{
  switch (status)
    {
    case WINHTTP_CALLBACK_STATUS_RESOLVING_NAME:
      c->stage = "resolving the name";
      trace_stage (c, HS_WIN32_TRACE_RESOLVING);
      break;
    case WINHTTP_CALLBACK_STATUS_NAME_RESOLVED:
      c->stage = "name resolved";
      break;
    case WINHTTP_CALLBACK_STATUS_CONNECTING_TO_SERVER:
      c->stage = "connecting";
      trace_stage (c, HS_WIN32_TRACE_CONNECTING);
      break;
    case WINHTTP_CALLBACK_STATUS_CONNECTED_TO_SERVER:
      c->stage = "connected";
      trace_stage (c, HS_WIN32_TRACE_CONNECTED);
      if (info != NULL && info_len > 0 && c->trace.connected_ip[0] == '\0')
        {
          char *ip = hs_win32_utf8_n (info, info_len / sizeof (wchar_t));

          if (ip != NULL)
            snprintf (c->trace.connected_ip, sizeof c->trace.connected_ip, "%s", ip);
          free (ip);
        }
      break;
    case WINHTTP_CALLBACK_STATUS_REQUEST_SENT:
    case WINHTTP_CALLBACK_STATUS_RECEIVING_RESPONSE:
      c->stage = "request sent, waiting for the response";
      break;
    case WINHTTP_CALLBACK_STATUS_SECURE_FAILURE:
      if (info != NULL && info_len >= sizeof (DWORD))
        c->secure_flags |= *(DWORD *) info;
      break;
    case WINHTTP_CALLBACK_STATUS_RESPONSE_RECEIVED:
      /* Only for a request whose certificate was seen (not a proxy's
       * answer to CONNECT). */
      if (c->cert_checked && c->recv_usec == 0)
        c->recv_usec = now;
      break;
    case WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE:
      if (!c->finished && c->request != NULL)
        {
          c->stage = "request sent, waiting for the response";
          if (!WinHttpReceiveResponse (c->request, NULL))
            finish_with_error (c, GetLastError ());
        }
      break;
    case WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE:
      if (c->finished || c->request == NULL)
        break;
      if (c->recv_usec == 0)
        c->recv_usec = now;
      if (!c->cert_checked)
        {
          /* Headers without a secure connection to the server: a proxy
           * answering the CONNECT itself. Its Date proves nothing. */
          DWORD code = 0, len = sizeof code;

          WinHttpQueryHeaders (c->request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                               WINHTTP_HEADER_NAME_BY_INDEX, &code, &len, WINHTTP_NO_HEADER_INDEX);
          c->trace.proxy_status = (int) code;
          if (code == 407)
            ctx_finish (c, HS_PORT_FAILED, 0,
                        "the proxy asks for credentials (HTTP 407); none are ever sent");
          else
            ctx_finish (c, HS_PORT_FAILED, 0,
                        "TLS failed (no secure connection to the server; HTTP status %lu "
                        "from the proxy)", (unsigned long) code);
          break;
        }
      read_response (c);
      break;
    case WINHTTP_CALLBACK_STATUS_REQUEST_ERROR:
      if (info != NULL && info_len >= sizeof (WINHTTP_ASYNC_RESULT))
        finish_with_error (c, ((WINHTTP_ASYNC_RESULT *) info)->dwError);
      else
        ctx_finish (c, HS_PORT_FAILED, 0, "request failed (%s)", c->stage);
      break;
    default:
      break;
    }
}

/* WinHTTP's callback for the request handle (context: the Ctx). */
static void CALLBACK
on_status (HINTERNET handle, DWORD_PTR context, DWORD status, LPVOID info, DWORD info_len)
{
  Ctx *c = (Ctx *) context;
  int64_t now = hs_win32_net_real_usec ();

  (void) handle;
  if (c == NULL)
    return;
  if (status == WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING)
    {
      /* The last callback of the request handle: its reference goes. */
      ctx_unref (c);
      return;
    }
  /* Alive here (the handle's reference); kept alive until this callback
   * returns, even if it closes the handle itself. */
  ctx_ref (c);
  switch (status)
    {
    case WINHTTP_CALLBACK_STATUS_SENDING_REQUEST:
      /* TLS is up (unless a proxy tunnel is still being set up: then there
       * is no certificate yet and a later notification comes). */
      if (check_certificate (c, 0))
        {
          EnterCriticalSection (&c->lock);
          if (!c->finished)
            {
              /* After the check, as late as possible before the write:
               * the server cannot have stamped its Date before this. */
              c->send_usec = hs_win32_net_real_usec ();
              c->recv_usec = 0;
              c->stage = "sending the request";
            }
          LeaveCriticalSection (&c->lock);
        }
      break;
    case WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE:
    case WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE:
      /* Where the per-step notifications are not sent, the certificate
       * is judged here, before anything is read. */
      (void) check_certificate (c, 1);
      /* fall through */
    default:
      EnterCriticalSection (&c->lock);
      on_status_locked (c, status, info, info_len, now);
      LeaveCriticalSection (&c->lock);
      break;
    }
  ctx_unref (c);
}

/* ---- the call ------------------------------------------------------------- */

static HsPortCode
fail_early (HsWin32HeadResult *out, HsPortStatus *st, int64_t start, HsPortCode code)
{
  if (st->code == HS_PORT_OK)
    st->code = code;
  out->elapsed_ms = (uint32_t) ((hs_win32_net_mono_usec () - start) / 1000);
  return st->code;
}

HsPortCode
hs_win32_head (const HsWin32Head *req, HsWin32HeadResult *out, HsPortStatus *st)
{
  int64_t start = hs_win32_net_mono_usec (), deadline;
  wchar_t *wurl = NULL, host[256], path[2048];
  INTERNET_PORT port = 0;
  HINTERNET session = NULL, connect = NULL, request = NULL, to_close = NULL;
  Ctx *c = NULL;
  HsPortCode code;
  DWORD opt;
  int timeout_int;

  memset (st, 0, sizeof *st);
  memset (out, 0, sizeof *out);
  deadline = start + (int64_t) req->timeout_ms * 1000;
  timeout_int = req->timeout_ms > 0x7fffffff ? 0x7fffffff : (int) req->timeout_ms;

  if (req->url == NULL || (wurl = hs_win32_wide (req->url)) == NULL)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "invalid URL");
      return fail_early (out, st, start, HS_PORT_BAD_INPUT);
    }
  if (hs_win32_net_split_https_url (wurl, req->url, host, sizeof host / sizeof host[0], &port,
                                    path, sizeof path / sizeof path[0], st) != HS_PORT_OK)
    {
      free (wurl);
      return fail_early (out, st, start, HS_PORT_BAD_INPUT);
    }

  c = ctx_new ();
  if (c == NULL || (c->host = _wcsdup (host)) == NULL)
    {
      hs_port_status_set (st, HS_PORT_FAILED, 0, "out of memory");
      goto early;
    }
  c->port = port;
  c->req = req;
  c->accept_dates_only = req->accept_dates_only;
  {
    char *h = hs_win32_utf8 (host);

    snprintf (c->host_utf8, sizeof c->host_utf8, "%s", h != NULL ? h : "?");
    free (h);
  }

  if (req->ca_file != NULL && *req->ca_file != '\0'
      && hs_win32_trust_from_ca_file (req->ca_file, &c->trust, st) != HS_PORT_OK)
    goto early;
  if (req->public_roots != NULL && *req->public_roots != '\0'
      && hs_win32_cert_load_ca_file (req->public_roots, &c->public_roots, st) != HS_PORT_OK)
    goto early;

  /* The proxy: the one asked for, or the user's (hs-win32-proxy.c), found
   * within the same deadline. */
  if (req->proxy != NULL)
    session = hs_win32_net_open_session_with (req->proxy, req->user_agent, WINHTTP_FLAG_ASYNC, st);
  else
    session = hs_win32_net_open_session (wurl, req->user_agent, WINHTTP_FLAG_ASYNC, deadline,
                                         req->cancel, st);
  if (session == NULL)
    goto early;
  WinHttpSetTimeouts (session, timeout_int, timeout_int, timeout_int, timeout_int);
  opt = WINHTTP_OPTION_REDIRECT_POLICY_NEVER;
  WinHttpSetOption (session, WINHTTP_OPTION_REDIRECT_POLICY, &opt, sizeof opt);

  connect = WinHttpConnect (session, host, port, 0);
  if (connect == NULL)
    {
      hs_win32_status_from_error (st, GetLastError (), "WinHttpConnect");
      goto early;
    }
  request = WinHttpOpenRequest (connect, L"HEAD", path, NULL, WINHTTP_NO_REFERER,
                                WINHTTP_DEFAULT_ACCEPT_TYPES,
                                WINHTTP_FLAG_SECURE | WINHTTP_FLAG_REFRESH);
  if (request == NULL)
    {
      hs_win32_status_from_error (st, GetLastError (), "WinHttpOpenRequest");
      goto early;
    }
  /* What the request must not do; each also has a second line of defence
   * (a fresh session has no cookies, the redirect policy is "never", the
   * autologon policy never sends the user's credentials). */
  opt = WINHTTP_DISABLE_COOKIES | WINHTTP_DISABLE_REDIRECTS | WINHTTP_DISABLE_AUTHENTICATION
        | WINHTTP_DISABLE_KEEP_ALIVE;
  WinHttpSetOption (request, WINHTTP_OPTION_DISABLE_FEATURE, &opt, sizeof opt);
  opt = WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH;
  WinHttpSetOption (request, WINHTTP_OPTION_AUTOLOGON_POLICY, &opt, sizeof opt);
  /* The certificate is judged in on_status (see the top of this file). */
  opt = SECURITY_FLAG_IGNORE_UNKNOWN_CA | SECURITY_FLAG_IGNORE_CERT_DATE_INVALID
        | SECURITY_FLAG_IGNORE_CERT_CN_INVALID | SECURITY_FLAG_IGNORE_CERT_WRONG_USAGE;
  if (!WinHttpSetOption (request, WINHTTP_OPTION_SECURITY_FLAGS, &opt, sizeof opt))
    {
      hs_win32_status_from_error (st, GetLastError (), "WinHttpSetOption (security flags)");
      goto early;
    }

  /* From here the request handle holds a reference on the context, given
   * back by WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING. */
  {
    DWORD_PTR value = (DWORD_PTR) c;

    if (!WinHttpSetOption (request, WINHTTP_OPTION_CONTEXT_VALUE, &value, sizeof value)
        || WinHttpSetStatusCallback (request, on_status, WINHTTP_CALLBACK_FLAG_ALL_NOTIFICATIONS, 0)
           == WINHTTP_INVALID_STATUS_CALLBACK)
      {
        hs_win32_status_from_error (st, GetLastError (), "WinHttpSetStatusCallback");
        goto early;
      }
  }
  ctx_ref (c);
  c->request = request;
  request = NULL;             /* closed through c->request */

  EnterCriticalSection (&c->lock);
  /* Fallback send stamp, where no SENDING_REQUEST notification comes. */
  c->send_usec = hs_win32_net_real_usec ();
  c->trace.stage_usec[HS_WIN32_TRACE_STARTED] = hs_win32_net_mono_usec ();
  if (!WinHttpSendRequest (c->request, WINHTTP_NO_ADDITIONAL_HEADERS, 0, WINHTTP_NO_REQUEST_DATA,
                           0, 0, (DWORD_PTR) c))
    finish_with_error (c, GetLastError ());
  LeaveCriticalSection (&c->lock);

  code = hs_win32_net_wait (c->done, deadline, req->cancel);

  EnterCriticalSection (&c->lock);
  if (!c->finished)
    {
      if (code == HS_PORT_CANCELLED)
        ctx_finish (c, HS_PORT_CANCELLED, 0, "cancelled");
      else
        ctx_finish (c, HS_PORT_TIMEOUT, 0, "timed out after %lu ms (%s)",
                    (unsigned long) req->timeout_ms, c->stage);
    }
  code = c->code;
  hs_port_status_set (st, c->code, c->os_error, "%s", c->failure);
  out->send_usec = c->send_usec;
  out->recv_usec = c->recv_usec;
  out->tls_dates_only = c->tls_dates_only;
  out->http_status = c->http_status;
  snprintf (out->stage, sizeof out->stage, "%s", c->stage);
  if (req->trace != NULL)
    *req->trace = c->trace;
  to_close = ctx_take_request (c);
  /* No callback reads the caller's request after this. */
  c->req = NULL;
  LeaveCriticalSection (&c->lock);

  if (to_close != NULL)
    WinHttpCloseHandle (to_close);
  WinHttpCloseHandle (connect);
  WinHttpCloseHandle (session);
  ctx_unref (c);
  free (wurl);
  out->elapsed_ms = (uint32_t) ((hs_win32_net_mono_usec () - start) / 1000);
  return code;

early:
  if (request != NULL)
    WinHttpCloseHandle (request);
  if (connect != NULL)
    WinHttpCloseHandle (connect);
  if (session != NULL)
    WinHttpCloseHandle (session);
  if (c != NULL)
    ctx_unref (c);
  free (wurl);
  return fail_early (out, st, start, HS_PORT_FAILED);
}
