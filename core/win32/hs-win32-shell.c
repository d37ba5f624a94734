/* hs-win32-shell.c — Settings pages and restarting Teams. */
#include <windows.h>
#include <shellapi.h>
#include <shlobj.h>
#include <tlhelp32.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"

static uint32_t teams_grace_ms = 5000;

void
hs_win32_set_teams_grace_ms (uint32_t ms)
{
  teams_grace_ms = ms;
}

HsPortCode
hs_win32_open_settings (const char *uri, HsPortStatus *st)
{
  static const char prefix[] = "ms-settings:";
  if (uri == NULL || _strnicmp (uri, prefix, sizeof prefix - 1) != 0)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "only ms-settings: pages are opened");
      return HS_PORT_BAD_INPUT;
    }
  for (const char *p = uri; *p; p++)
    if ((unsigned char) *p <= ' ' || *p == '"')
      {
        hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "settings page name has bad characters");
        return HS_PORT_BAD_INPUT;
      }
  wchar_t *w = hs_win32_wide (uri);
  if (w == NULL)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "not UTF-8");
      return HS_PORT_BAD_INPUT;
    }
  HINSTANCE r = ShellExecuteW (NULL, L"open", w, NULL, NULL, SW_SHOWNORMAL);
  free (w);
  if ((INT_PTR) r <= 32)
    {
      hs_port_status_set (st, HS_PORT_FAILED, (uint32_t) (INT_PTR) r,
                          "ShellExecuteW could not open %s (code %ld)", uri, (long) (INT_PTR) r);
      return HS_PORT_FAILED;
    }
  hs_port_status_set (st, HS_PORT_OK, 0, "opened %s", uri);
  return HS_PORT_OK;
}

typedef struct {
  DWORD pids[64];
  int   classic[64];
  size_t n;
} TeamsProcs;

static void
find_teams (TeamsProcs *t)
{
  t->n = 0;
  HANDLE snap = CreateToolhelp32Snapshot (TH32CS_SNAPPROCESS, 0);
  if (snap == INVALID_HANDLE_VALUE)
    return;
  PROCESSENTRY32W pe;
  pe.dwSize = sizeof pe;
  for (BOOL ok = Process32FirstW (snap, &pe); ok && t->n < 64; ok = Process32NextW (snap, &pe))
    {
      int is_new = _wcsicmp (pe.szExeFile, L"ms-teams.exe") == 0;
      int is_classic = _wcsicmp (pe.szExeFile, L"Teams.exe") == 0;
      if (is_new || is_classic)
        {
          t->pids[t->n] = pe.th32ProcessID;
          t->classic[t->n] = is_classic;
          t->n++;
        }
    }
  CloseHandle (snap);
}

static BOOL CALLBACK
close_window (HWND hwnd, LPARAM lp)
{
  const TeamsProcs *t = (const TeamsProcs *) lp;
  DWORD pid = 0;
  GetWindowThreadProcessId (hwnd, &pid);
  for (size_t i = 0; i < t->n; i++)
    if (t->pids[i] == pid && GetWindow (hwnd, GW_OWNER) == NULL)
      PostMessageW (hwnd, WM_CLOSE, 0, 0);
  return TRUE;
}

HsPortCode
hs_win32_restart_teams (const HsPortCancel *cancel, HsPortStatus *st)
{
  TeamsProcs t;
  find_teams (&t);
  int had_new = 0, had_classic = 0;
  for (size_t i = 0; i < t.n; i++)
    {
      had_new |= !t.classic[i];
      had_classic |= t.classic[i];
    }
  if (t.n > 0)
    {
      EnumWindows (close_window, (LPARAM) &t);
      ULONGLONG deadline = GetTickCount64 () + teams_grace_ms;
      while (GetTickCount64 () < deadline)
        {
          if (hs_port_cancelled (cancel))
            {
              hs_port_status_set (st, HS_PORT_CANCELLED, 0, "cancelled while Teams was closing");
              return HS_PORT_CANCELLED;
            }
          TeamsProcs now;
          find_teams (&now);
          if (now.n == 0)
            break;
          Sleep (100);
        }
      /* survivors: only the ones we found before (never a new one) */
      TeamsProcs now;
      find_teams (&now);
      for (size_t i = 0; i < now.n; i++)
        for (size_t j = 0; j < t.n; j++)
          if (now.pids[i] == t.pids[j])
            {
              HANDLE h = OpenProcess (PROCESS_TERMINATE | SYNCHRONIZE, FALSE, now.pids[i]);
              if (h)
                {
                  TerminateProcess (h, 1);
                  WaitForSingleObject (h, 2000);
                  CloseHandle (h);
                }
            }
    }
  if (!had_classic)
    had_new = 1;   /* nothing was running: start the new Teams */

  HsPortCode code = HS_PORT_OK;
  if (had_new)
    {
      HINSTANCE r = ShellExecuteW (NULL, L"open",
                                   L"shell:AppsFolder\\MSTeams_8wekyb3d8bbwe!MSTeams", NULL, NULL,
                                   SW_SHOWNORMAL);
      if ((INT_PTR) r <= 32)
        {
          code = HS_PORT_FAILED;
          hs_port_status_set (st, code, (uint32_t) (INT_PTR) r,
                              "Teams closed (%lu process(es)) but could not be started again",
                              (unsigned long) t.n);
        }
    }
  if (had_classic)
    {
      wchar_t *base = NULL;
      if (SUCCEEDED (SHGetKnownFolderPath (&FOLDERID_LocalAppData, KF_FLAG_DEFAULT, NULL, &base)))
        {
          wchar_t path[MAX_PATH + 64];
          _snwprintf (path, MAX_PATH + 64, L"%s\\Microsoft\\Teams\\Update.exe", base);
          path[MAX_PATH + 63] = 0;
          CoTaskMemFree (base);
          HINSTANCE r = ShellExecuteW (NULL, L"open", path, L"--processStart Teams.exe", NULL,
                                       SW_SHOWNORMAL);
          if ((INT_PTR) r <= 32)
            {
              code = HS_PORT_FAILED;
              hs_port_status_set (st, code, (uint32_t) (INT_PTR) r,
                                  "classic Teams closed but could not be started again");
            }
        }
    }
  if (code == HS_PORT_OK)
    hs_port_status_set (st, code, 0, "Teams restarted (%lu process(es) closed)",
                        (unsigned long) t.n);
  return code;
}

HsPortCode
hs_win32_restart_computer (HsPortStatus *st)
{
  HANDLE token = NULL;
  TOKEN_PRIVILEGES tp;

  /* Every interactive user holds SeShutdownPrivilege; it only needs turning
   * on for this process. No elevation. */
  if (!OpenProcessToken (GetCurrentProcess (), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &token))
    return hs_win32_status_from_error (st, GetLastError (), "OpenProcessToken");
  memset (&tp, 0, sizeof tp);
  tp.PrivilegeCount = 1;
  tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
  if (!LookupPrivilegeValueW (NULL, SE_SHUTDOWN_NAME, &tp.Privileges[0].Luid) ||
      !AdjustTokenPrivileges (token, FALSE, &tp, 0, NULL, NULL) ||
      GetLastError () == ERROR_NOT_ALL_ASSIGNED)
    {
      DWORD err = GetLastError ();
      CloseHandle (token);
      return hs_win32_status_from_error (st, err, "SeShutdownPrivilege");
    }
  CloseHandle (token);
  if (!ExitWindowsEx (EWX_REBOOT | EWX_RESTARTAPPS,
                      SHTDN_REASON_MAJOR_APPLICATION | SHTDN_REASON_MINOR_RECONFIG |
                      SHTDN_REASON_FLAG_PLANNED))
    return hs_win32_status_from_error (st, GetLastError (), "ExitWindowsEx");
  hs_port_status_set (st, HS_PORT_OK, 0, "restart requested");
  return HS_PORT_OK;
}
