/* hs-win32-proxy.c — which proxy a request goes through, and a WinHTTP
 * session that uses it (hs-win32-net.h).
 *
 * Where WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY is not available, the proxy is
 * found the way WinHTTP's documentation describes for older systems: the
 * user's Internet Explorer settings, then WPAD auto-detection and/or the
 * PAC script through WinHttpGetProxyForUrl, then the manual proxy. That
 * lookup is synchronous and may take long (WPAD), so it runs on a thread of
 * its own and the caller gives up on it at the deadline. The thread and the
 * caller share the lookup's state, reference counted: whichever lets go last
 * frees it, so a lookup still running after the caller has given up never
 * touches freed memory.
 */
#include <stdlib.h>
#include <string.h>

#include "hs-win32-net.h"

typedef struct {
  volatile LONG      refs;
  wchar_t           *url;
  wchar_t           *user_agent;
  HANDLE             done;
  /* written by the thread before it sets done */
  HsWin32ProxySource source;
  wchar_t           *proxy;       /* NULL: direct */
  wchar_t           *bypass;
} ProxyLookup;

const char *
hs_win32_proxy_source_name (HsWin32ProxySource source)
{
  switch (source)
    {
    case HS_WIN32_PROXY_MANUAL:
      return "manual";
    case HS_WIN32_PROXY_AUTO:
      return "auto-detect/PAC";
    case HS_WIN32_PROXY_DIRECT:
    default:
      return "direct";
    }
}

void
hs_win32_proxy_clear (HsWin32Proxy *p)
{
  free (p->proxy);
  free (p->bypass);
  memset (p, 0, sizeof *p);
}

static void
lookup_unref (ProxyLookup *l)
{
  if (InterlockedDecrement (&l->refs) != 0)
    return;
  free (l->url);
  free (l->user_agent);
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

  l->source = HS_WIN32_PROXY_DIRECT;
  if (auto_detect || pac_url != NULL)
    {
      HINTERNET s = WinHttpOpen (l->user_agent, WINHTTP_ACCESS_TYPE_NO_PROXY,
                                 WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0);
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
          l->source = HS_WIN32_PROXY_AUTO;
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
      l->source = HS_WIN32_PROXY_MANUAL;
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

HsPortCode
hs_win32_proxy_for_url (const wchar_t *url, const wchar_t *user_agent, int64_t deadline,
                        const HsPortCancel *cancel, HsWin32Proxy *out, HsPortStatus *st)
{
  ProxyLookup *l;
  HANDLE thread;
  HsPortCode w;

  memset (out, 0, sizeof *out);
  l = calloc (1, sizeof *l);
  if (l == NULL || (l->url = _wcsdup (url)) == NULL
      || (l->user_agent = _wcsdup (user_agent)) == NULL
      || (l->done = CreateEventW (NULL, TRUE, FALSE, NULL)) == NULL)
    {
      if (l != NULL)
        {
          free (l->url);
          free (l->user_agent);
        }
      free (l);
      hs_port_status_set (st, HS_PORT_FAILED, 0, "out of memory");
      return HS_PORT_FAILED;
    }
  l->refs = 2;
  thread = CreateThread (NULL, 0, lookup_thread, l, 0, NULL);
  if (thread == NULL)
    {
      DWORD err = GetLastError ();

      l->refs = 1;
      lookup_unref (l);
      return hs_win32_status_from_error (st, err, "CreateThread");
    }
  CloseHandle (thread);
  w = hs_win32_net_wait (l->done, deadline, cancel);
  if (w == HS_PORT_TIMEOUT)
    hs_port_status_set (st, w, 0, "timed out while looking for the proxy (auto-detection/PAC)");
  else if (w == HS_PORT_CANCELLED)
    hs_port_status_set (st, w, 0, "cancelled");
  else
    {
      /* The thread has set done: it writes nothing more, and its only
       * step left is letting go of its reference. */
      out->source = l->source;
      out->proxy = l->proxy;
      out->bypass = l->bypass;
      l->proxy = l->bypass = NULL;
    }
  lookup_unref (l);
  return w;
}

HINTERNET
hs_win32_net_open_session (const wchar_t *url, const wchar_t *user_agent, DWORD flags,
                           int64_t deadline, const HsPortCancel *cancel, HsPortStatus *st)
{
  HINTERNET s = NULL;
  HsWin32Proxy p;

  /* The OS's automatic proxy handling where it has it. Wine accepts the
   * access type and then connects directly, ignoring every proxy setting,
   * so there (and where the type is refused: older Windows) the proxy is
   * looked up explicitly. */
  if (!hs_win32_running_under_wine ())
    {
      s = WinHttpOpen (user_agent, WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY, WINHTTP_NO_PROXY_NAME,
                       WINHTTP_NO_PROXY_BYPASS, flags);
      if (s != NULL || GetLastError () != ERROR_INVALID_PARAMETER)
        {
          if (s == NULL)
            hs_win32_status_from_error (st, GetLastError (), "WinHttpOpen");
          return s;
        }
    }

  if (hs_win32_proxy_for_url (url, user_agent, deadline, cancel, &p, st) != HS_PORT_OK)
    return NULL;
  s = hs_win32_net_open_session_with (&p, user_agent, flags, st);
  hs_win32_proxy_clear (&p);
  return s;
}

HINTERNET
hs_win32_net_open_session_with (const HsWin32Proxy *p, const wchar_t *user_agent, DWORD flags,
                                HsPortStatus *st)
{
  HINTERNET s;

  if (p->proxy != NULL)
    s = WinHttpOpen (user_agent, WINHTTP_ACCESS_TYPE_NAMED_PROXY, p->proxy,
                     p->bypass != NULL ? p->bypass : WINHTTP_NO_PROXY_BYPASS, flags);
  else
    s = WinHttpOpen (user_agent, WINHTTP_ACCESS_TYPE_NO_PROXY, WINHTTP_NO_PROXY_NAME,
                     WINHTTP_NO_PROXY_BYPASS, flags);
  if (s == NULL)
    hs_win32_status_from_error (st, GetLastError (), "WinHttpOpen");
  return s;
}
