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
 * certificate is judged here instead, when WINHTTP_CALLBACK_STATUS_SENDING_REQUEST
 * says the secure connection is up and the request is about to be written:
 * CertGetCertificateChain (default engine = the Windows store, or an engine
 * whose exclusive root is the given CA file) and the SSL chain policy for the
 * name. That is one verdict for both trust sources, and it can tell "only
 * the validity dates are wrong" (a skewed clock's view of a good certificate)
 * from everything else, which WinHTTP's own check cannot without a second
 * connection. A rejected certificate closes the request at once; the HEAD
 * carries no cookie, credential or body either way.
 */
#include <windows.h>
#include <wincrypt.h>
#include <winhttp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"

#define DEFAULT_TIMEOUT_MS 10000
#define POLL_MS 50
#define CA_FILE_MAX (1024 * 1024)

static const wchar_t user_agent[] = L"Handshake-clock/1";

/* ---- time ----------------------------------------------------------------- */

static int64_t
real_usec (void)
{
  FILETIME ft;
  ULARGE_INTEGER u;

  GetSystemTimePreciseAsFileTime (&ft);
  u.LowPart = ft.dwLowDateTime;
  u.HighPart = ft.dwHighDateTime;
  return (int64_t) (u.QuadPart - 116444736000000000ULL) / 10;
}

static int64_t
mono_usec (void)
{
  LARGE_INTEGER freq, now;

  QueryPerformanceFrequency (&freq);
  QueryPerformanceCounter (&now);
  return (int64_t) (now.QuadPart / freq.QuadPart * 1000000
                    + now.QuadPart % freq.QuadPart * 1000000 / freq.QuadPart);
}

/* ---- the request's shared state ------------------------------------------ */

typedef struct {
  volatile LONG    refs;
  CRITICAL_SECTION lock;
  HANDLE           done;           /* manual reset: the outcome is known */
  HINTERNET        request;        /* (lock) NULL once taken by whoever closes it */
  wchar_t         *host;           /* the name the certificate must carry */
  char             host_utf8[256]; /* for messages */
  unsigned         port;
  HCERTSTORE       ca_store;       /* NULL: the Windows store decides */
  HCERTCHAINENGINE engine;         /* exclusive root = ca_store; NULL = default */

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
  if (c->engine != NULL)
    CertFreeCertificateChainEngine (c->engine);
  if (c->ca_store != NULL)
    CertCloseStore (c->ca_store, 0);
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

static void
describe_chain_errors (DWORD errors, char *buf, size_t n)
{
  static const struct { DWORD bit; const char *text; } names[] = {
    { CERT_TRUST_IS_UNTRUSTED_ROOT, "unknown issuer (root not trusted)" },
    { CERT_TRUST_IS_PARTIAL_CHAIN, "unknown issuer (chain incomplete)" },
    { CERT_TRUST_IS_REVOKED, "revoked" },
    { CERT_TRUST_IS_NOT_SIGNATURE_VALID, "bad signature" },
    { CERT_TRUST_IS_NOT_VALID_FOR_USAGE, "not valid for server authentication" },
    { CERT_TRUST_IS_CYCLIC, "cyclic chain" },
    { CERT_TRUST_INVALID_EXTENSION, "invalid extension" },
    { CERT_TRUST_INVALID_BASIC_CONSTRAINTS, "invalid basic constraints" },
    { CERT_TRUST_INVALID_NAME_CONSTRAINTS, "name constraints violated" },
    { CERT_TRUST_HAS_NOT_SUPPORTED_NAME_CONSTRAINT, "name constraints violated" },
    { CERT_TRUST_HAS_NOT_DEFINED_NAME_CONSTRAINT, "name constraints violated" },
    { CERT_TRUST_HAS_NOT_PERMITTED_NAME_CONSTRAINT, "name constraints violated" },
    { CERT_TRUST_HAS_EXCLUDED_NAME_CONSTRAINT, "name constraints violated" },
    { CERT_TRUST_INVALID_POLICY_CONSTRAINTS, "policy constraints violated" },
    { CERT_TRUST_REVOCATION_STATUS_UNKNOWN, "revocation status unknown" },
    { CERT_TRUST_IS_OFFLINE_REVOCATION, "revocation status unknown" },
    { CERT_TRUST_IS_EXPLICIT_DISTRUST, "explicitly distrusted" },
  };
  size_t used = 0;
  DWORD described = 0;

  buf[0] = '\0';
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    {
      if (!(errors & names[i].bit))
        continue;
      described |= names[i].bit;
      if (strstr (buf, names[i].text) == NULL && used + 2 < n)
        used += (size_t) snprintf (buf + used, n - used, "%s%s", used ? ", " : "",
                                   names[i].text);
      if (used >= n)
        used = n - 1;
    }
  if ((errors & ~described) && used + 2 < n)
    snprintf (buf + used, n - used, "%schain error 0x%08lx", used ? ", " : "",
              (unsigned long) (errors & ~described));
}

/* Judges the server's certificate. Returns 1 when it is acceptable, with
 * *dates_only set when its validity dates (only they) are wrong; 0 with an
 * English reason otherwise. Runs in a WinHTTP thread, without the lock. */
static int
judge_certificate (Ctx *c, PCCERT_CONTEXT cert, int *dates_only, char *why, size_t n_why)
{
  static LPSTR server_auth[] = { (LPSTR) szOID_PKIX_KP_SERVER_AUTH };
  const DWORD date_bits = CERT_TRUST_IS_NOT_TIME_VALID | CERT_TRUST_IS_NOT_TIME_NESTED
                          | CERT_TRUST_CTL_IS_NOT_TIME_VALID;
  CERT_CHAIN_PARA para;
  PCCERT_CHAIN_CONTEXT chain = NULL;
  DWORD errors;
  int ok = 0;

  *dates_only = 0;
  memset (&para, 0, sizeof para);
  para.cbSize = sizeof para;
  para.RequestedUsage.dwType = USAGE_MATCH_TYPE_AND;
  para.RequestedUsage.Usage.cUsageIdentifier = 1;
  para.RequestedUsage.Usage.rgpszUsageIdentifier = server_auth;
  /* The server's intermediates come with the certificate's store. */
  if (!CertGetCertificateChain (c->engine, cert, NULL, cert->hCertStore, &para, 0, NULL, &chain))
    {
      snprintf (why, n_why, "TLS certificate rejected (cannot build its chain, error %lu)",
                (unsigned long) GetLastError ());
      return 0;
    }
  errors = chain->TrustStatus.dwErrorStatus;
  if (errors & ~date_bits)
    {
      char what[160];

      describe_chain_errors (errors & ~date_bits, what, sizeof what);
      snprintf (why, n_why, "TLS certificate rejected (%s%s)", what,
                (errors & date_bits) ? ", and its dates are invalid" : "");
      goto out;
    }
  if (c->ca_store != NULL && chain->cChain > 0 && chain->rgpChain[0]->cElement > 0)
    {
      /* Belt and braces: with an exclusive root the chain can only end at
       * one of the given CAs; say so plainly if it does not. */
      PCERT_SIMPLE_CHAIN simple = chain->rgpChain[0];
      PCCERT_CONTEXT top = simple->rgpElement[simple->cElement - 1]->pCertContext;
      PCCERT_CONTEXT found = CertFindCertificateInStore (c->ca_store, X509_ASN_ENCODING, 0,
                                                         CERT_FIND_EXISTING, top, NULL);
      if (found == NULL)
        {
          snprintf (why, n_why, "TLS certificate rejected (unknown issuer: not the given CA)");
          goto out;
        }
      CertFreeCertificateContext (found);
    }

  /* The name. Trust and dates were judged above: the policy is asked to
   * leave them alone so that what it reports is about the name. */
  {
    SSL_EXTRA_CERT_CHAIN_POLICY_PARA ssl;
    CERT_CHAIN_POLICY_PARA policy;
    CERT_CHAIN_POLICY_STATUS status;

    memset (&ssl, 0, sizeof ssl);
    ssl.cbSize = sizeof ssl;
    ssl.dwAuthType = AUTHTYPE_SERVER;
    ssl.fdwChecks = SECURITY_FLAG_IGNORE_UNKNOWN_CA | SECURITY_FLAG_IGNORE_CERT_DATE_INVALID;
    ssl.pwszServerName = c->host;
    memset (&policy, 0, sizeof policy);
    policy.cbSize = sizeof policy;
    policy.dwFlags = CERT_CHAIN_POLICY_IGNORE_ALL_NOT_TIME_VALID_FLAGS
                     | CERT_CHAIN_POLICY_ALLOW_UNKNOWN_CA_FLAG;
    policy.pvExtraPolicyPara = &ssl;
    memset (&status, 0, sizeof status);
    status.cbSize = sizeof status;
    if (!CertVerifyCertificateChainPolicy (CERT_CHAIN_POLICY_SSL, chain, &policy, &status))
      {
        snprintf (why, n_why, "TLS certificate rejected (SSL policy check failed, error %lu)",
                  (unsigned long) GetLastError ());
        goto out;
      }
    if (status.dwError == (DWORD) CERT_E_CN_NO_MATCH)
      {
        snprintf (why, n_why, "TLS certificate rejected (name mismatch: not valid for this host)");
        goto out;
      }
    if (status.dwError != 0)
      {
        snprintf (why, n_why, "TLS certificate rejected (SSL policy error 0x%08lx)",
                  (unsigned long) status.dwError);
        goto out;
      }
  }
  *dates_only = (errors & date_bits) != 0;
  ok = 1;

out:
  CertFreeCertificateChain (chain);
  return ok;
}

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
  else
    ok = judge_certificate (c, cert, &dates_only, why, sizeof why);
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

static const char *
secure_flags_text (DWORD flags)
{
  if (flags & WINHTTP_CALLBACK_STATUS_FLAG_CERT_REVOKED)
    return "certificate revoked";
  if (flags & WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED)
    return "revocation check failed";
  if (flags & WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA)
    return "unknown issuer";
  if (flags & WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID)
    return "name mismatch";
  if (flags & WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID)
    return "dates invalid";
  if (flags & WINHTTP_CALLBACK_STATUS_FLAG_CERT_WRONG_USAGE)
    return "wrong usage";
  if (flags & WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CERT)
    return "invalid certificate";
  if (flags & WINHTTP_CALLBACK_STATUS_FLAG_SECURITY_CHANNEL_ERROR)
    return "secure channel error";
  return NULL;
}

/* Lock held. */
static void
finish_with_error (Ctx *c, DWORD err)
{
  const char *host = c->host_utf8;
  unsigned port = c->port;
  const char *sec = secure_flags_text (c->secure_flags);

  switch (err)
    {
    case ERROR_WINHTTP_NAME_NOT_RESOLVED:
      ctx_finish (c, HS_PORT_UNREACHABLE, err, "name not resolved: %s", host);
      break;
    case ERROR_WINHTTP_CANNOT_CONNECT:
      ctx_finish (c, HS_PORT_UNREACHABLE, err,
                  "could not connect to %s:%u (connection refused or host unreachable)",
                  host, port);
      break;
    case ERROR_WINHTTP_TIMEOUT:
      ctx_finish (c, HS_PORT_TIMEOUT, err, "timed out (WinHTTP, %s)", c->stage);
      break;
    case ERROR_WINHTTP_CONNECTION_ERROR:
      ctx_finish (c, HS_PORT_UNREACHABLE, err,
                  "connection closed or reset by the server (%s; a failed TLS handshake "
                  "looks like this too)", c->stage);
      break;
    case ERROR_WINHTTP_SECURE_FAILURE:
    case ERROR_WINHTTP_SECURE_CHANNEL_ERROR:
    case ERROR_WINHTTP_SECURE_INVALID_CERT:
    case ERROR_WINHTTP_SECURE_CERT_REVOKED:
    case ERROR_WINHTTP_SECURE_CERT_REV_FAILED:
    case ERROR_WINHTTP_SECURE_INVALID_CA:
    case ERROR_WINHTTP_SECURE_CERT_CN_INVALID:
    case ERROR_WINHTTP_SECURE_CERT_DATE_INVALID:
    case ERROR_WINHTTP_SECURE_CERT_WRONG_USAGE:
    case ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED:
      ctx_finish (c, HS_PORT_FAILED, err, "TLS failed (%s, WinHTTP error %lu)",
                  err == ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED ? "the server wants a client certificate"
                  : sec != NULL ? sec : "handshake failed", (unsigned long) err);
      break;
    case ERROR_WINHTTP_INVALID_SERVER_RESPONSE:
      ctx_finish (c, HS_PORT_FAILED, err, "invalid HTTP response");
      break;
    case ERROR_WINHTTP_OPERATION_CANCELLED:
      ctx_finish (c, HS_PORT_CANCELLED, err, "cancelled");
      break;
    default:
      ctx_finish (c, HS_PORT_FAILED, err, "request failed (WinHTTP error %lu, %s)",
                  (unsigned long) err, c->stage);
      break;
    }
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
  int64_t now = real_usec ();

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
              c->send_usec = real_usec ();
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

/* ---- CA file -------------------------------------------------------------- */

/* Loads every certificate of a PEM file into a memory store. */
static HsPortCode
load_ca_file (const char *path, HCERTSTORE *out, HsPortStatus *st)
{
  static const char begin[] = "-----BEGIN CERTIFICATE-----";
  static const char end[] = "-----END CERTIFICATE-----";
  wchar_t *wpath = hs_win32_wide (path);
  HANDLE f;
  LARGE_INTEGER size;
  char *text = NULL;
  DWORD got = 0;
  HCERTSTORE store = NULL;
  size_t n_certs = 0;
  HsPortCode code = HS_PORT_OK;

  *out = NULL;
  if (wpath == NULL)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "CA file name is not valid UTF-8");
      return HS_PORT_BAD_INPUT;
    }
  f = CreateFileW (wpath, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                   FILE_ATTRIBUTE_NORMAL, NULL);
  free (wpath);
  if (f == INVALID_HANDLE_VALUE)
    {
      DWORD err = GetLastError ();

      hs_port_status_set (st, HS_PORT_IO, err, "cannot open the CA file %s (error %lu)", path,
                          (unsigned long) err);
      return HS_PORT_IO;
    }
  if (!GetFileSizeEx (f, &size) || size.QuadPart <= 0 || size.QuadPart > CA_FILE_MAX)
    {
      CloseHandle (f);
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "CA file %s is empty or larger than %d bytes",
                          path, CA_FILE_MAX);
      return HS_PORT_BAD_INPUT;
    }
  text = malloc ((size_t) size.QuadPart + 1);
  if (text == NULL || !ReadFile (f, text, (DWORD) size.QuadPart, &got, NULL)
      || got != (DWORD) size.QuadPart)
    {
      DWORD err = GetLastError ();

      CloseHandle (f);
      free (text);
      hs_port_status_set (st, HS_PORT_IO, err, "cannot read the CA file %s (error %lu)", path,
                          (unsigned long) err);
      return HS_PORT_IO;
    }
  CloseHandle (f);
  text[got] = '\0';

  store = CertOpenStore (CERT_STORE_PROV_MEMORY, 0, 0, CERT_STORE_CREATE_NEW_FLAG, NULL);
  if (store == NULL)
    {
      free (text);
      return hs_win32_status_from_error (st, GetLastError (), "CertOpenStore");
    }
  for (char *p = strstr (text, begin); p != NULL; p = strstr (p, begin))
    {
      char *e = strstr (p, end);
      BYTE *der;
      DWORD der_len = 0;

      if (e == NULL)
        break;
      e += sizeof end - 1;
      if (!CryptStringToBinaryA (p, (DWORD) (e - p), CRYPT_STRING_BASE64HEADER, NULL, &der_len,
                                 NULL, NULL)
          || (der = malloc (der_len)) == NULL)
        {
          code = HS_PORT_BAD_INPUT;
          break;
        }
      if (!CryptStringToBinaryA (p, (DWORD) (e - p), CRYPT_STRING_BASE64HEADER, der, &der_len,
                                 NULL, NULL)
          || !CertAddEncodedCertificateToStore (store, X509_ASN_ENCODING, der, der_len,
                                                CERT_STORE_ADD_USE_EXISTING, NULL))
        {
          free (der);
          code = HS_PORT_BAD_INPUT;
          break;
        }
      free (der);
      n_certs++;
      p = e;
    }
  free (text);
  if (code == HS_PORT_OK && n_certs == 0)
    code = HS_PORT_BAD_INPUT;
  if (code != HS_PORT_OK)
    {
      CertCloseStore (store, 0);
      hs_port_status_set (st, code, 0, "CA file %s: %s", path,
                          n_certs == 0 ? "no PEM certificate in it" : "a certificate is damaged");
      return code;
    }
  *out = store;
  return HS_PORT_OK;
}

/* An engine that trusts exactly the certificates of @roots. hExclusiveRoot
 * came with Windows 7, dwExclusiveFlags with Windows 8: the whole structure
 * first, then the Windows 7 layout, which is also all Wine 8 knows (it
 * refuses the larger size with E_INVALIDARG). */
static HsPortCode
exclusive_engine (HCERTSTORE roots, HCERTCHAINENGINE *out, HsPortStatus *st)
{
  static const DWORD sizes[] = {
    sizeof (CERT_CHAIN_ENGINE_CONFIG),
    offsetof (CERT_CHAIN_ENGINE_CONFIG, dwExclusiveFlags),
  };
  CERT_CHAIN_ENGINE_CONFIG config;
  DWORD err = 0;

  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
    {
      memset (&config, 0, sizeof config);
      config.cbSize = sizes[i];
      config.hExclusiveRoot = roots;
      if (CertCreateCertificateChainEngine (&config, out))
        return HS_PORT_OK;
      err = GetLastError ();
      if (err != (DWORD) E_INVALIDARG && err != ERROR_INVALID_PARAMETER)
        break;
    }
  hs_port_status_set (st, HS_PORT_FAILED, err,
                      "cannot make a chain engine that trusts only the CA file (error 0x%08lx)",
                      (unsigned long) err);
  return HS_PORT_FAILED;
}

/* ---- proxy ---------------------------------------------------------------- */

/* Where WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY is not available, the proxy is
 * found the way WinHTTP's documentation describes for older systems: the
 * user's Internet Explorer settings, then WPAD auto-detection and/or the
 * PAC script through WinHttpGetProxyForUrl, then the manual proxy. That
 * lookup is synchronous and may take long (WPAD), so it runs on a thread of
 * its own and the caller gives up on it at the deadline. */
typedef struct {
  volatile LONG refs;
  wchar_t      *url;
  HANDLE        done;
  wchar_t      *proxy;       /* NULL: direct */
  wchar_t      *bypass;
  const char   *how;         /* "direct", "manual", "auto-detect/PAC" */
} ProxyLookup;

static void
lookup_unref (ProxyLookup *l)
{
  if (InterlockedDecrement (&l->refs) != 0)
    return;
  free (l->url);
  free (l->proxy);
  free (l->bypass);
  CloseHandle (l->done);
  free (l);
}

static wchar_t *
take_global (LPWSTR s)
{
  wchar_t *copy = NULL;

  if (s != NULL)
    {
      if (*s != L'\0')
        copy = _wcsdup (s);
      GlobalFree (s);
    }
  return copy;
}

static DWORD WINAPI
lookup_thread (LPVOID data)
{
  ProxyLookup *l = data;
  WINHTTP_CURRENT_USER_IE_PROXY_CONFIG ie;
  wchar_t *ie_proxy = NULL, *ie_bypass = NULL, *pac_url = NULL;
  BOOL auto_detect;

  memset (&ie, 0, sizeof ie);
  if (WinHttpGetIEProxyConfigForCurrentUser (&ie))
    {
      auto_detect = ie.fAutoDetect;
      pac_url = take_global (ie.lpszAutoConfigUrl);
      ie_proxy = take_global (ie.lpszProxy);
      ie_bypass = take_global (ie.lpszProxyBypass);
    }
  else
    auto_detect = TRUE;   /* no settings at all: what a fresh profile does */

  l->how = "direct";
  if (auto_detect || pac_url != NULL)
    {
      HINTERNET s = WinHttpOpen (user_agent, WINHTTP_ACCESS_TYPE_NO_PROXY, WINHTTP_NO_PROXY_NAME,
                                 WINHTTP_NO_PROXY_BYPASS, 0);
      WINHTTP_AUTOPROXY_OPTIONS o;
      WINHTTP_PROXY_INFO info;

      memset (&o, 0, sizeof o);
      memset (&info, 0, sizeof info);
      if (pac_url != NULL)
        {
          o.dwFlags |= WINHTTP_AUTOPROXY_CONFIG_URL;
          o.lpszAutoConfigUrl = pac_url;
        }
      if (auto_detect)
        {
          o.dwFlags |= WINHTTP_AUTOPROXY_AUTO_DETECT;
          o.dwAutoDetectFlags = WINHTTP_AUTO_DETECT_TYPE_DHCP | WINHTTP_AUTO_DETECT_TYPE_DNS_A;
        }
      o.fAutoLogonIfChallenged = FALSE;
      if (s != NULL && WinHttpGetProxyForUrl (s, l->url, &o, &info))
        {
          l->how = "auto-detect/PAC";
          if (info.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY && info.lpszProxy != NULL)
            {
              l->proxy = take_global (info.lpszProxy);
              l->bypass = take_global (info.lpszProxyBypass);
            }
          else
            {
              take_global (info.lpszProxy);
              take_global (info.lpszProxyBypass);
            }
          free (ie_proxy);
          ie_proxy = NULL;
        }
      if (s != NULL)
        WinHttpCloseHandle (s);
    }
  if (l->proxy == NULL && ie_proxy != NULL)
    {
      l->how = "manual";
      l->proxy = ie_proxy;
      l->bypass = ie_bypass;
      ie_proxy = ie_bypass = NULL;
    }
  free (ie_proxy);
  free (ie_bypass);
  free (pac_url);
  SetEvent (l->done);
  lookup_unref (l);
  return 0;
}

/* ---- the call ------------------------------------------------------------- */

/* Waits for @event until @deadline (monotonic µs) or cancel. Returns 0 when
 * signalled, HS_PORT_TIMEOUT or HS_PORT_CANCELLED. */
static HsPortCode
wait_event (HANDLE event, int64_t deadline, const HsPortCancel *cancel)
{
  for (;;)
    {
      int64_t left = deadline - mono_usec ();
      DWORD ms;

      if (hs_port_cancelled (cancel))
        return HS_PORT_CANCELLED;
      if (left <= 0)
        return WaitForSingleObject (event, 0) == WAIT_OBJECT_0 ? HS_PORT_OK : HS_PORT_TIMEOUT;
      ms = left / 1000 + 1 < POLL_MS ? (DWORD) (left / 1000 + 1) : POLL_MS;
      if (WaitForSingleObject (event, ms) == WAIT_OBJECT_0)
        return HS_PORT_OK;
    }
}

/* Opens the asynchronous session: the OS's automatic proxy handling where
 * it has it, else the explicit lookup above (bounded by the deadline). */
static HINTERNET
open_session (const wchar_t *url, int64_t deadline, const HsPortCancel *cancel,
              HsPortStatus *st)
{
  HINTERNET s = NULL;
  ProxyLookup *l;
  HANDLE thread;
  HsPortCode w;

  if (!hs_win32_running_under_wine ())
    {
      s = WinHttpOpen (user_agent, WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY, WINHTTP_NO_PROXY_NAME,
                       WINHTTP_NO_PROXY_BYPASS, WINHTTP_FLAG_ASYNC);
      if (s != NULL || GetLastError () != ERROR_INVALID_PARAMETER)
        {
          if (s == NULL)
            hs_win32_status_from_error (st, GetLastError (), "WinHttpOpen");
          return s;
        }
    }

  l = calloc (1, sizeof *l);
  if (l == NULL || (l->url = _wcsdup (url)) == NULL
      || (l->done = CreateEventW (NULL, TRUE, FALSE, NULL)) == NULL)
    {
      if (l != NULL)
        free (l->url);
      free (l);
      hs_port_status_set (st, HS_PORT_FAILED, 0, "out of memory");
      return NULL;
    }
  l->refs = 2;
  thread = CreateThread (NULL, 0, lookup_thread, l, 0, NULL);
  if (thread == NULL)
    {
      DWORD err = GetLastError ();

      l->refs = 1;
      lookup_unref (l);
      hs_win32_status_from_error (st, err, "CreateThread");
      return NULL;
    }
  CloseHandle (thread);
  w = wait_event (l->done, deadline, cancel);
  if (w == HS_PORT_TIMEOUT)
    hs_port_status_set (st, w, 0, "timed out while looking for the proxy (auto-detection/PAC)");
  else if (w == HS_PORT_CANCELLED)
    hs_port_status_set (st, w, 0, "cancelled");
  else
    {
      if (l->proxy != NULL)
        s = WinHttpOpen (user_agent, WINHTTP_ACCESS_TYPE_NAMED_PROXY, l->proxy,
                         l->bypass != NULL ? l->bypass : WINHTTP_NO_PROXY_BYPASS,
                         WINHTTP_FLAG_ASYNC);
      else
        s = WinHttpOpen (user_agent, WINHTTP_ACCESS_TYPE_NO_PROXY, WINHTTP_NO_PROXY_NAME,
                         WINHTTP_NO_PROXY_BYPASS, WINHTTP_FLAG_ASYNC);
      if (s == NULL)
        hs_win32_status_from_error (st, GetLastError (), "WinHttpOpen");
    }
  lookup_unref (l);
  return s;
}

static HsPortCode
fail_early (HsHttpsDate *out, HsPortStatus *st, int64_t start, HsPortCode code)
{
  if (st->code == HS_PORT_OK)
    st->code = code;
  snprintf (out->failure, sizeof out->failure, "%s", st->detail);
  out->elapsed_ms = (uint32_t) ((mono_usec () - start) / 1000);
  return st->code;
}

HsPortCode
hs_win32_https_date (const char *url, const char *ca_file, uint32_t timeout_ms,
                     const HsPortCancel *cancel, HsHttpsDate *out, HsPortStatus *st)
{
  HsPortStatus local_st = { 0 };
  int64_t start = mono_usec (), deadline;
  wchar_t *wurl = NULL, host[256], path[2048];
  URL_COMPONENTS parts;
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
  memset (&parts, 0, sizeof parts);
  parts.dwStructSize = sizeof parts;
  parts.lpszHostName = host;
  parts.dwHostNameLength = sizeof host / sizeof host[0];
  parts.lpszUrlPath = path;
  parts.dwUrlPathLength = sizeof path / sizeof path[0];
  parts.dwUserNameLength = (DWORD) -1;
  parts.dwPasswordLength = (DWORD) -1;
  if (!WinHttpCrackUrl (wurl, 0, 0, &parts) || parts.nScheme != INTERNET_SCHEME_HTTPS
      || host[0] == L'\0')
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "invalid URL (an https:// URL is needed): %s",
                          url);
      free (wurl);
      return fail_early (out, st, start, HS_PORT_BAD_INPUT);
    }
  if (parts.dwUserNameLength > 0 || parts.dwPasswordLength > 0)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "invalid URL (no user name or password)");
      free (wurl);
      return fail_early (out, st, start, HS_PORT_BAD_INPUT);
    }
  if (path[0] == L'\0')
    wcscpy (path, L"/");

  c = ctx_new ();
  if (c == NULL || (c->host = _wcsdup (host)) == NULL)
    {
      hs_port_status_set (st, HS_PORT_FAILED, 0, "out of memory");
      goto early;
    }
  c->port = parts.nPort;
  {
    char *h = hs_win32_utf8 (host);

    snprintf (c->host_utf8, sizeof c->host_utf8, "%s", h != NULL ? h : "?");
    free (h);
  }

  if (ca_file != NULL && *ca_file != '\0')
    {
      if (load_ca_file (ca_file, &c->ca_store, st) != HS_PORT_OK
          || exclusive_engine (c->ca_store, &c->engine, st) != HS_PORT_OK)
        goto early;
    }

  session = open_session (wurl, deadline, cancel, st);
  if (session == NULL)
    goto early;
  WinHttpSetTimeouts (session, timeout_int, timeout_int, timeout_int, timeout_int);
  opt = WINHTTP_OPTION_REDIRECT_POLICY_NEVER;
  WinHttpSetOption (session, WINHTTP_OPTION_REDIRECT_POLICY, &opt, sizeof opt);

  connect = WinHttpConnect (session, host, parts.nPort, 0);
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
  c->send_usec = real_usec ();
  if (!WinHttpSendRequest (c->request, WINHTTP_NO_ADDITIONAL_HEADERS, 0, WINHTTP_NO_REQUEST_DATA,
                           0, 0, (DWORD_PTR) c))
    finish_with_error (c, GetLastError ());
  LeaveCriticalSection (&c->lock);

  code = wait_event (c->done, deadline, cancel);

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
  out->elapsed_ms = (uint32_t) ((mono_usec () - start) / 1000);
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
