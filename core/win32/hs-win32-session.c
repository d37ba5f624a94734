/* hs-win32-session.c — which account runs this process, which one sits at
 * the session it runs in. Support staff who start the wizard with their own
 * administrator account run it as themselves: then the vault, the broker
 * packages and the accounts it sees are theirs, not the person's. */
#include <windows.h>
#include <wtsapi32.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"

uint32_t
hs_win32_session_of (uint32_t pid)
{
  if (hs_win32_test_hooks.session_of)
    return hs_win32_test_hooks.session_of (pid);
  DWORD s = 0;
  return ProcessIdToSessionId (pid, &s) ? s : (uint32_t) -1;
}

/* DOMAIN\user of the process token (LookupAccountSidW) */
static int
token_user (wchar_t *domain, DWORD n_domain, wchar_t *user, DWORD n_user)
{
  HANDLE tok;
  unsigned char buf[512];
  DWORD len = 0;
  SID_NAME_USE use;
  if (!OpenProcessToken (GetCurrentProcess (), TOKEN_QUERY, &tok))
    return 0;
  BOOL ok = GetTokenInformation (tok, TokenUser, buf, sizeof buf, &len);
  CloseHandle (tok);
  if (!ok)
    return 0;
  return LookupAccountSidW (NULL, ((TOKEN_USER *) buf)->User.Sid, user, &n_user, domain,
                            &n_domain, &use);
}

/* WTSUserName / WTSDomainName of a session; 0 when nobody is logged on */
static int
session_user (DWORD session, wchar_t *domain, size_t n_domain, wchar_t *user, size_t n_user)
{
  if (hs_win32_test_hooks.session_user)
    {
      _snwprintf (user, n_user, L"%ls", hs_win32_test_hooks.session_user);
      _snwprintf (domain, n_domain, L"%ls",
                  hs_win32_test_hooks.session_domain ? hs_win32_test_hooks.session_domain : L"");
      user[n_user - 1] = domain[n_domain - 1] = 0;
      return user[0] != 0;
    }
  LPWSTR u = NULL, d = NULL;
  DWORD bytes = 0;
  int ok = WTSQuerySessionInformationW (WTS_CURRENT_SERVER_HANDLE, session, WTSUserName, &u, &bytes)
           && WTSQuerySessionInformationW (WTS_CURRENT_SERVER_HANDLE, session, WTSDomainName, &d,
                                           &bytes);
  if (ok)
    {
      _snwprintf (user, n_user, L"%ls", u);
      _snwprintf (domain, n_domain, L"%ls", d);
      user[n_user - 1] = domain[n_domain - 1] = 0;
    }
  if (u)
    WTSFreeMemory (u);
  if (d)
    WTSFreeMemory (d);
  return ok && user[0] != 0;
}

static void
join_name (char *out, size_t n, const wchar_t *domain, const wchar_t *user)
{
  char *d = hs_win32_utf8 (domain), *u = hs_win32_utf8 (user);
  if (d && d[0])
    snprintf (out, n, "%s\\%s", d, u ? u : "");
  else
    snprintf (out, n, "%s", u ? u : "");
  free (d);
  free (u);
}

HsPortCode
hs_win32_user_context (HsUserContext *out, HsPortStatus *st)
{
  wchar_t pd[256] = L"", pu[256] = L"", sd[256] = L"", su[256] = L"";
  memset (out, 0, sizeof *out);
  out->same_user = HS_TRI_UNKNOWN;
  out->session_id = hs_win32_session_of (GetCurrentProcessId ());
  if (!token_user (pd, 256, pu, 256))
    return hs_win32_status_from_error (st, GetLastError (), "reading this process's user");
  join_name (out->process_user, sizeof out->process_user, pd, pu);
  if (out->session_id == (uint32_t) -1 || !session_user (out->session_id, sd, 256, su, 256))
    {
      hs_port_status_set (st, HS_PORT_OK, 0, "no user is logged on to this session (%lu)",
                          (unsigned long) out->session_id);
      return HS_PORT_OK;
    }
  join_name (out->session_user, sizeof out->session_user, sd, su);
  /* account names compare without regard to case; the domain may be empty on
   * one side (a local account), then the names alone decide */
  int same_name = CompareStringOrdinal (pu, -1, su, -1, TRUE) == CSTR_EQUAL;
  int same_domain = !pd[0] || !sd[0] || CompareStringOrdinal (pd, -1, sd, -1, TRUE) == CSTR_EQUAL;
  out->same_user = same_name && same_domain ? HS_TRI_YES : HS_TRI_NO;
  hs_port_status_set (st, HS_PORT_OK, 0, out->same_user == HS_TRI_YES
                      ? "this process runs as the session's user"
                      : "this process runs as another account than the session's user");
  return HS_PORT_OK;
}
