/* hs-win32-https.c — the clock fallback's HTTPS Date request, through WinHTTP.
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

#define DEFAULT_TIMEOUT_MS 10000

static const wchar_t user_agent[] = L"Handshake-clock/1";

/* ---- the request's shared state ------------------------------------------ */

typedef struct {
  volatile LONG    refs;
  CRITICAL_SECTION lock;
  HANDLE           done;           /* manual reset: the outcome is known */
  HINTERNET        request;        /* (lock) NULL once taken by whoever closes it */
  wchar_t         *host;           /* the name the certificate must carry */
  char             host_utf8[256]; /* for messages */
  unsigned         port;
  HsWin32Trust     trust;          /* zero: the Windows store decides */

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
  int64_t          date_unix;
  char             date[64];
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
  DWORD len = sizeof cert, err = 0;
  HINTERNET to_close = NULL;
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
  if (!got || cert == NULL)
    {
      ok = 0;
      snprintf (why, sizeof why, "TLS failed (no server certificate to check, error %lu)",
                (unsigned long) err);
    }
  else   /* without the lock: trust and host are fixed before the request starts */
    ok = hs_win32_cert_judge (&c->trust, cert, c->host, &dates_only, why, sizeof why);
  if (cert != NULL)
    CertFreeCertificateContext (cert);

  EnterCriticalSection (&c->lock);
  c->cert_checked = 1;
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
  wchar_t raw[128], back[WINHTTP_TIME_FORMAT_BUFSIZE / sizeof (wchar_t) + 1];
  SYSTEMTIME st;
  FILETIME ft;

  if (WinHttpQueryHeaders (c->request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                           WINHTTP_HEADER_NAME_BY_INDEX, &status, &len, WINHTTP_NO_HEADER_INDEX))
    c->http_status = (int) status;

  len = sizeof raw;
  if (!WinHttpQueryHeaders (c->request, WINHTTP_QUERY_DATE, WINHTTP_HEADER_NAME_BY_INDEX,
                            raw, &len, WINHTTP_NO_HEADER_INDEX))
    {
      DWORD err = GetLastError ();

      if (err == ERROR_WINHTTP_HEADER_NOT_FOUND)
        ctx_finish (c, HS_PORT_FAILED, err, "response has no Date header (HTTP status %d)",
                    c->http_status);
      else if (err == ERROR_INSUFFICIENT_BUFFER)
        ctx_finish (c, HS_PORT_FAILED, err, "unparsable Date header (too long)");
      else
        ctx_finish (c, HS_PORT_FAILED, err, "cannot read the Date header (error %lu)",
                    (unsigned long) err);
      return;
    }
  {
    char *utf8 = hs_win32_utf8_n (raw, len / sizeof (wchar_t));

    if (utf8 != NULL)
      {
        snprintf (c->date, sizeof c->date, "%s", utf8);
        free (utf8);
      }
  }
  /* WinHTTP parses the HTTP date itself. But WinHttpTimeToSystemTime starts
   * from the current system time and returns success with whatever it could
   * not parse left at "now" (Wine's comment says Windows does the same; seen
   * under Wine 8 with "Date: around teatime"), which would read as a perfect
   * clock. So the parsed time must format back, through WinHTTP, to exactly
   * the header: an IMF-fixdate, the only form RFC 9110 lets servers send. */
  len = sizeof st;
  if (!WinHttpQueryHeaders (c->request, WINHTTP_QUERY_DATE | WINHTTP_QUERY_FLAG_SYSTEMTIME,
                            WINHTTP_HEADER_NAME_BY_INDEX, &st, &len, WINHTTP_NO_HEADER_INDEX)
      || !SystemTimeToFileTime (&st, &ft) || !FileTimeToSystemTime (&ft, &st)
      || !WinHttpTimeFromSystemTime (&st, back) || _wcsicmp (back, raw) != 0)
    {
      ctx_finish (c, HS_PORT_FAILED, 0, "unparsable Date header \"%s\" (not an IMF-fixdate)",
                  c->date);
      return;
    }
  {
    ULARGE_INTEGER u;

    u.LowPart = ft.dwLowDateTime;
    u.HighPart = ft.dwHighDateTime;
    c->date_unix = ((int64_t) u.QuadPart - 116444736000000000LL) / 10000000;
  }
  ctx_finish (c, HS_PORT_OK, 0, "%s", "");
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

static void
on_status_locked (Ctx *c, DWORD status, LPVOID info, DWORD info_len, int64_t now)
{
  switch (status)
    {
    case WINHTTP_CALLBACK_STATUS_RESOLVING_NAME:
      c->stage = "resolving the name";
      break;
    case WINHTTP_CALLBACK_STATUS_NAME_RESOLVED:
      c->stage = "name resolved";
      break;
    case WINHTTP_CALLBACK_STATUS_CONNECTING_TO_SERVER:
      c->stage = "connecting";
      break;
    case WINHTTP_CALLBACK_STATUS_CONNECTED_TO_SERVER:
      c->stage = "connected";
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
fail_early (HsHttpsDate *out, HsPortStatus *st, int64_t start, HsPortCode code)
{
  if (st->code == HS_PORT_OK)
    st->code = code;
  snprintf (out->failure, sizeof out->failure, "%s", st->detail);
  out->elapsed_ms = (uint32_t) ((hs_win32_net_mono_usec () - start) / 1000);
  return st->code;
}

HsPortCode
hs_win32_https_date (const char *url, const char *ca_file, uint32_t timeout_ms,
                     const HsPortCancel *cancel, HsHttpsDate *out, HsPortStatus *st)
{
  HsPortStatus local_st = { 0 };
  int64_t start = hs_win32_net_mono_usec (), deadline;
  wchar_t *wurl = NULL, host[256], path[2048];
  INTERNET_PORT port = 0;
  HINTERNET session = NULL, connect = NULL, request = NULL, to_close = NULL;
  Ctx *c = NULL;
  HsPortCode code;
  DWORD opt;
  int timeout_int;

  if (st == NULL)
    st = &local_st;
  memset (st, 0, sizeof *st);
  memset (out, 0, sizeof *out);
  if (timeout_ms == 0)
    timeout_ms = DEFAULT_TIMEOUT_MS;
  deadline = start + (int64_t) timeout_ms * 1000;
  timeout_int = timeout_ms > 0x7fffffff ? 0x7fffffff : (int) timeout_ms;

  if (url == NULL || (wurl = hs_win32_wide (url)) == NULL)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "invalid URL");
      return fail_early (out, st, start, HS_PORT_BAD_INPUT);
    }
  if (hs_win32_net_split_https_url (wurl, url, host, sizeof host / sizeof host[0], &port, path,
                                    sizeof path / sizeof path[0], st) != HS_PORT_OK)
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
  {
    char *h = hs_win32_utf8 (host);

    snprintf (c->host_utf8, sizeof c->host_utf8, "%s", h != NULL ? h : "?");
    free (h);
  }

  if (ca_file != NULL && *ca_file != '\0')
    {
      if (hs_win32_trust_from_ca_file (ca_file, &c->trust, st) != HS_PORT_OK)
        goto early;
    }

  /* The user's proxy (hs-win32-proxy.c), found within the same deadline. */
  session = hs_win32_net_open_session (wurl, user_agent, WINHTTP_FLAG_ASYNC, deadline, cancel,
                                       st);
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
  if (!WinHttpSendRequest (c->request, WINHTTP_NO_ADDITIONAL_HEADERS, 0, WINHTTP_NO_REQUEST_DATA,
                           0, 0, (DWORD_PTR) c))
    finish_with_error (c, GetLastError ());
  LeaveCriticalSection (&c->lock);

  code = hs_win32_net_wait (c->done, deadline, cancel);

  EnterCriticalSection (&c->lock);
  if (!c->finished)
    {
      if (code == HS_PORT_CANCELLED)
        ctx_finish (c, HS_PORT_CANCELLED, 0, "cancelled");
      else
        ctx_finish (c, HS_PORT_TIMEOUT, 0, "timed out after %lu ms (%s)",
                    (unsigned long) timeout_ms, c->stage);
    }
  code = c->code;
  hs_port_status_set (st, c->code, c->os_error, "%s", c->failure);
  if (code == HS_PORT_OK)
    {
      out->answered = 1;
      out->date_unix = c->date_unix;
      out->send_usec = c->send_usec;
      out->recv_usec = c->recv_usec;
      out->tls_dates_only = c->tls_dates_only;
    }
  else
    snprintf (out->failure, sizeof out->failure, "%s", c->failure);
  snprintf (out->date, sizeof out->date, "%s", c->date);
  out->http_status = c->http_status;
  to_close = ctx_take_request (c);
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
