/* hs-win32-https.c — the clock fallback's HTTPS Date request: one HEAD
 * through WinHTTP (hs_win32_head, hs-win32-request.c) whose Date header is
 * read here. Facts and sources: README.md, "HTTPS Date through WinHTTP".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32-net.h"

#define DEFAULT_TIMEOUT_MS 10000

typedef struct {
  int64_t date_unix;
  char    date[64];
} DateRead;

/* HsWin32HeadersFunc: the Date header of the response, WinHTTP's lock held. */
static HsPortCode
read_date (HINTERNET request, int http_status, void *data, HsPortStatus *st)
{
  DateRead *d = data;
  wchar_t raw[128], back[WINHTTP_TIME_FORMAT_BUFSIZE / sizeof (wchar_t) + 1];
  DWORD len = sizeof raw;
  SYSTEMTIME t;
  FILETIME ft;

  if (!WinHttpQueryHeaders (request, WINHTTP_QUERY_DATE, WINHTTP_HEADER_NAME_BY_INDEX,
                            raw, &len, WINHTTP_NO_HEADER_INDEX))
    {
      DWORD err = GetLastError ();

      if (err == ERROR_WINHTTP_HEADER_NOT_FOUND)
        hs_port_status_set (st, HS_PORT_FAILED, err,
                            "response has no Date header (HTTP status %d)", http_status);
      else if (err == ERROR_INSUFFICIENT_BUFFER)
        hs_port_status_set (st, HS_PORT_FAILED, err, "unparsable Date header (too long)");
      else
        hs_port_status_set (st, HS_PORT_FAILED, err, "cannot read the Date header (error %lu)",
                            (unsigned long) err);
      return HS_PORT_FAILED;
    }
  {
    char *utf8 = hs_win32_utf8_n (raw, len / sizeof (wchar_t));

    if (utf8 != NULL)
      {
        snprintf (d->date, sizeof d->date, "%s", utf8);
        free (utf8);
      }
  }
  /* WinHTTP parses the HTTP date itself. But WinHttpTimeToSystemTime starts
   * from the current system time and returns success with whatever it could
   * not parse left at "now" (Wine's comment says Windows does the same; seen
   * under Wine 8 with "Date: around teatime"), which would read as a perfect
   * clock. So the parsed time must format back, through WinHTTP, to exactly
   * the header: an IMF-fixdate, the only form RFC 9110 lets servers send. */
  len = sizeof t;
  if (!WinHttpQueryHeaders (request, WINHTTP_QUERY_DATE | WINHTTP_QUERY_FLAG_SYSTEMTIME,
                            WINHTTP_HEADER_NAME_BY_INDEX, &t, &len, WINHTTP_NO_HEADER_INDEX)
      || !SystemTimeToFileTime (&t, &ft) || !FileTimeToSystemTime (&ft, &t)
      || !WinHttpTimeFromSystemTime (&t, back) || _wcsicmp (back, raw) != 0)
    {
      hs_port_status_set (st, HS_PORT_FAILED, 0, "unparsable Date header \"%s\" (not an IMF-fixdate)",
                          d->date);
      return HS_PORT_FAILED;
    }
  {
    ULARGE_INTEGER u;

    u.LowPart = ft.dwLowDateTime;
    u.HighPart = ft.dwHighDateTime;
    d->date_unix = ((int64_t) u.QuadPart - 116444736000000000LL) / 10000000;
  }
  return HS_PORT_OK;
}

HsPortCode
hs_win32_https_date (const char *url, const char *ca_file, uint32_t timeout_ms,
                     const HsPortCancel *cancel, HsHttpsDate *out, HsPortStatus *st)
{
  HsPortStatus local_st = { 0 };
  DateRead d;
  HsWin32Head req;
  HsWin32HeadResult res;
  HsPortCode code;

  if (st == NULL)
    st = &local_st;
  memset (out, 0, sizeof *out);
  memset (&d, 0, sizeof d);
  memset (&req, 0, sizeof req);
  req.url = url;
  req.ca_file = ca_file;
  req.user_agent = L"Handshake-clock/1";
  req.timeout_ms = timeout_ms != 0 ? timeout_ms : DEFAULT_TIMEOUT_MS;
  req.cancel = cancel;
  /* A certificate wrong only in its dates is what a skewed clock sees:
   * evidence, not a reason to give up. */
  req.accept_dates_only = 1;
  req.on_headers = read_date;
  req.data = &d;
  code = hs_win32_head (&req, &res, st);
  out->elapsed_ms = res.elapsed_ms;
  out->http_status = res.http_status;
  snprintf (out->date, sizeof out->date, "%s", d.date);
  if (code != HS_PORT_OK)
    {
      snprintf (out->failure, sizeof out->failure, "%s", st->detail);
      return code;
    }
  out->answered = 1;
  out->date_unix = d.date_unix;
  out->send_usec = res.send_usec;
  out->recv_usec = res.recv_usec;
  out->tls_dates_only = res.tls_dates_only;
  return HS_PORT_OK;
}
