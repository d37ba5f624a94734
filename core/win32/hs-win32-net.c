/* hs-win32-net.c — what the network files share: the clocks, the bounded
 * wait on an event, https URLs, and WinHTTP's errors in English
 * (hs-win32-net.h). */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "hs-win32-net.h"

#define POLL_MS 50

/* ---- time ----------------------------------------------------------------- */

int64_t
hs_win32_net_real_usec (void)
{
  FILETIME ft;
  ULARGE_INTEGER u;

  GetSystemTimePreciseAsFileTime (&ft);
  u.LowPart = ft.dwLowDateTime;
  u.HighPart = ft.dwHighDateTime;
  return (int64_t) (u.QuadPart - 116444736000000000ULL) / 10;
}

int64_t
hs_win32_net_mono_usec (void)
{
  LARGE_INTEGER freq, now;

  QueryPerformanceFrequency (&freq);
  QueryPerformanceCounter (&now);
  return (int64_t) (now.QuadPart / freq.QuadPart * 1000000
                    + now.QuadPart % freq.QuadPart * 1000000 / freq.QuadPart);
}

HsPortCode
hs_win32_net_wait (HANDLE event, int64_t deadline, const HsPortCancel *cancel)
{
  for (;;)
    {
      int64_t left = deadline - hs_win32_net_mono_usec ();
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

/* ---- URLs ----------------------------------------------------------------- */

HsPortCode
hs_win32_net_split_https_url (const wchar_t *wurl, const char *url, wchar_t *host,
                              DWORD n_host, INTERNET_PORT *port, wchar_t *path, DWORD n_path,
                              HsPortStatus *st)
{
  URL_COMPONENTS parts;

  memset (&parts, 0, sizeof parts);
  parts.dwStructSize = sizeof parts;
  parts.lpszHostName = host;
  parts.dwHostNameLength = n_host;
  parts.lpszUrlPath = path;
  parts.dwUrlPathLength = n_path;
  parts.dwUserNameLength = (DWORD) -1;
  parts.dwPasswordLength = (DWORD) -1;
  if (!WinHttpCrackUrl (wurl, 0, 0, &parts) || parts.nScheme != INTERNET_SCHEME_HTTPS
      || host[0] == L'\0')
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "invalid URL (an https:// URL is needed): %s",
                          url);
      return HS_PORT_BAD_INPUT;
    }
  if (parts.dwUserNameLength > 0 || parts.dwPasswordLength > 0)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "invalid URL (no user name or password)");
      return HS_PORT_BAD_INPUT;
    }
  if (path[0] == L'\0')
    wcscpy (path, L"/");
  *port = parts.nPort;
  return HS_PORT_OK;
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

HsPortCode
hs_win32_net_error (DWORD err, DWORD secure_flags, const char *host, unsigned port,
                    const char *stage, char *buf, size_t n)
{
  const char *sec = secure_flags_text (secure_flags);

  switch (err)
    {
    case ERROR_WINHTTP_NAME_NOT_RESOLVED:
      snprintf (buf, n, "name not resolved: %s", host);
      return HS_PORT_UNREACHABLE;
    case ERROR_WINHTTP_CANNOT_CONNECT:
      snprintf (buf, n, "could not connect to %s:%u (connection refused or host unreachable)",
                host, port);
      return HS_PORT_UNREACHABLE;
    case ERROR_WINHTTP_TIMEOUT:
      snprintf (buf, n, "timed out (WinHTTP, %s)", stage);
      return HS_PORT_TIMEOUT;
    case ERROR_WINHTTP_CONNECTION_ERROR:
      snprintf (buf, n, "connection closed or reset by the server (%s; a failed TLS handshake "
                "looks like this too)", stage);
      return HS_PORT_UNREACHABLE;
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
      snprintf (buf, n, "TLS failed (%s, WinHTTP error %lu)",
                err == ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED ? "the server wants a client certificate"
                : sec != NULL ? sec : "handshake failed", (unsigned long) err);
      return HS_PORT_FAILED;
    case ERROR_WINHTTP_INVALID_SERVER_RESPONSE:
      snprintf (buf, n, "invalid HTTP response");
      return HS_PORT_FAILED;
    case ERROR_WINHTTP_OPERATION_CANCELLED:
      snprintf (buf, n, "cancelled");
      return HS_PORT_CANCELLED;
    default:
      snprintf (buf, n, "request failed (WinHTTP error %lu, %s)", (unsigned long) err, stage);
      return HS_PORT_FAILED;
    }
}
