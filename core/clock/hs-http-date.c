/* hs-http-date.c — clock offset from an HTTP Date header. */
#include "config.h"

#include "hs-http-date.h"

/* The header is read by the HTTP library that fetched it: libsoup's parser
 * elsewhere, WinHTTP's on Windows (where libsoup is not shipped). */
#ifdef G_OS_WIN32
#include <wchar.h>
#include <windows.h>
#include <winhttp.h>

gboolean
hs_http_date_parse (const char *header, gint64 *unix_seconds)
{
  g_autofree gunichar2 *wide = NULL;
  SYSTEMTIME st;
  FILETIME ft;
  ULARGE_INTEGER ticks;

  if (header == NULL || *header == '\0')
    return FALSE;
  WCHAR back[WINHTTP_TIME_FORMAT_BUFSIZE / sizeof (WCHAR)];

  wide = g_utf8_to_utf16 (header, -1, NULL, NULL, NULL);
  /* WinHttpTimeToSystemTime starts from the current time and reports
   * success on text it cannot read (under Wine, "around teatime" is today):
   * for a clock check that would be a perfect clock. Only a header that
   * formats back to itself, the IMF-fixdate every server must send
   * (RFC 9110 5.6.7), is believed. */
  if (wide == NULL || !WinHttpTimeToSystemTime ((LPCWSTR) wide, &st) ||
      !WinHttpTimeFromSystemTime (&st, back) || wcscmp (back, (const wchar_t *) wide) != 0 ||
      !SystemTimeToFileTime (&st, &ft))
    return FALSE;
  ticks.LowPart = ft.dwLowDateTime;
  ticks.HighPart = ft.dwHighDateTime;
  if (unix_seconds)
    /* 100 ns ticks since 1601-01-01; 11644473600 s to 1970-01-01. */
    *unix_seconds = (gint64) (ticks.QuadPart / 10000000ULL) - G_GINT64_CONSTANT (11644473600);
  return TRUE;
}
#else
#include <libsoup/soup.h>

gboolean
hs_http_date_parse (const char *header, gint64 *unix_seconds)
{
  g_autoptr(GDateTime) dt = NULL;

  if (header == NULL || *header == '\0')
    return FALSE;
  dt = soup_date_time_new_from_http_string (header);
  if (dt == NULL)
    return FALSE;
  if (unix_seconds)
    *unix_seconds = g_date_time_to_unix (dt);
  return TRUE;
}
#endif

gboolean
hs_http_date_compute (const char *header,
                      gint64 send_unix_usec,
                      gint64 recv_unix_usec,
                      HsHttpDateOffset *out)
{
  gint64 server_secs;
  double delay, midpoint, server_time;

  if (!hs_http_date_parse (header, &server_secs))
    return FALSE;
  if (recv_unix_usec < send_unix_usec)
    recv_unix_usec = send_unix_usec;

  delay = (double) (recv_unix_usec - send_unix_usec) / G_USEC_PER_SEC;
  /* Seconds since send, relative to keep double precision at µs level. */
  midpoint = (double) send_unix_usec / G_USEC_PER_SEC + delay / 2.0;
  /* The header truncates: true server time was in [Date, Date + 1). */
  server_time = (double) server_secs + 0.5;

  if (out)
    {
      out->offset_seconds = midpoint - server_time;
      out->uncertainty_seconds = 0.5 + delay / 2.0;
      out->delay_seconds = delay;
    }
  return TRUE;
}
