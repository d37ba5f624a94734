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
  DWORD    pids[64];
  int      classic[64];
  int      had_window[64];   /* a visible top-level window before WM_CLOSE */
  HANDLE   handles[64];
  size_t   n;
  uint32_t other_sessions;
} TeamsProcs;

/* Teams processes of this process's session only: a terminal server or a
 * fast-user-switched PC runs other people's Teams too. */
static void
find_teams (TeamsProcs *t)
{
  memset (t, 0, sizeof *t);
  uint32_t own = hs_win32_session_of (GetCurrentProcessId ());
  HANDLE snap = CreateToolhelp32Snapshot (TH32CS_SNAPPROCESS, 0);
  if (snap == INVALID_HANDLE_VALUE)
    return;
  PROCESSENTRY32W pe;
  pe.dwSize = sizeof pe;
  for (BOOL ok = Process32FirstW (snap, &pe); ok && t->n < 64; ok = Process32NextW (snap, &pe))
    {
      int is_new = _wcsicmp (pe.szExeFile, L"ms-teams.exe") == 0;
      int is_classic = _wcsicmp (pe.szExeFile, L"Teams.exe") == 0;
      if (!is_new && !is_classic)
        continue;
      if (hs_win32_session_of (pe.th32ProcessID) != own)
        {
          t->other_sessions++;
          continue;
        }
      t->pids[t->n] = pe.th32ProcessID;
      t->classic[t->n] = is_classic;
      t->n++;
    }
  CloseHandle (snap);
}

typedef struct {
  DWORD pid;
  int   visible;
} WindowQuery;

static BOOL CALLBACK
find_visible (HWND hwnd, LPARAM lp)
{
  WindowQuery *q = (WindowQuery *) lp;
  DWORD pid = 0;
  GetWindowThreadProcessId (hwnd, &pid);
  if (pid == q->pid && GetWindow (hwnd, GW_OWNER) == NULL && IsWindowVisible (hwnd))
    {
      q->visible = 1;
      return FALSE;
    }
  return TRUE;
}

static int
has_visible_window (DWORD pid)
{
  WindowQuery q = { pid, 0 };
  EnumWindows (find_visible, (LPARAM) &q);
  return q.visible;
}

static BOOL CALLBACK
close_window (HWND hwnd, LPARAM lp)
{
  const TeamsProcs *t = (const TeamsProcs *) lp;
  DWORD pid = 0;
  GetWindowThreadProcessId (hwnd, &pid);
  for (size_t i = 0; i < t->n; i++)
    if (t->pids[i] == pid && t->handles[i] && GetWindow (hwnd, GW_OWNER) == NULL)
      PostMessageW (hwnd, WM_CLOSE, 0, 0);
  return TRUE;
}

static int
exited (HANDLE h)
{
  return h == NULL || WaitForSingleObject (h, 0) == WAIT_OBJECT_0;
}

/* WM_CLOSE, then the grace time; new Teams answers WM_CLOSE by hiding in the
 * tray: alive, its window gone. That is seen and said, and such a process is
 * ended like one that did not react. */
static HsPortCode
close_teams (TeamsProcs *t, HsTeamsRestart *r, const HsPortCancel *cancel, HsPortStatus *st)
{
  for (size_t i = 0; i < t->n; i++)
    {
      /* a handle, not the pid, follows the process: a reused pid is never hit */
      t->handles[i] = OpenProcess (SYNCHRONIZE | PROCESS_TERMINATE | PROCESS_QUERY_LIMITED_INFORMATION,
                                   FALSE, t->pids[i]);
      t->had_window[i] = t->handles[i] && has_visible_window (t->pids[i]);
    }
  EnumWindows (close_window, (LPARAM) t);
  ULONGLONG start = GetTickCount64 (), deadline = start + teams_grace_ms;
  while (GetTickCount64 () < deadline)
    {
      if (hs_port_cancelled (cancel))
        {
          hs_port_status_set (st, HS_PORT_CANCELLED, 0, "cancelled while Teams was closing");
          return HS_PORT_CANCELLED;
        }
      size_t alive = 0, hidden = 0;
      for (size_t i = 0; i < t->n; i++)
        if (!exited (t->handles[i]))
          {
            alive++;
            hidden += t->had_window[i] && !has_visible_window (t->pids[i]);
          }
      /* everything left has gone to the tray: waiting longer changes nothing */
      if (alive == 0 || (alive == hidden && GetTickCount64 () - start >= 1000))
        break;
      Sleep (100);
    }
  for (size_t i = 0; i < t->n; i++)
    {
      if (t->handles[i] == NULL)
        {
          r->survived++;
          continue;
        }
      if (exited (t->handles[i]))
        {
          r->closed++;
          continue;
        }
      int to_tray = t->had_window[i] && !has_visible_window (t->pids[i]);
      TerminateProcess (t->handles[i], 1);
      if (WaitForSingleObject (t->handles[i], 2000) != WAIT_OBJECT_0)
        r->survived++;
      else if (to_tray)
        r->hidden_then_ended++;
      else
        r->killed++;
    }
  return HS_PORT_OK;
}

HsPortCode
hs_win32_restart_teams (HsTeamsRestart *report, const HsPortCancel *cancel, HsPortStatus *st)
{
  HsTeamsRestart local;
  HsTeamsRestart *r = report ? report : &local;
  TeamsProcs t;
  memset (r, 0, sizeof *r);
  find_teams (&t);
  r->found = (uint32_t) t.n;
  r->other_sessions = t.other_sessions;
  int had_new = 0, had_classic = 0;
  for (size_t i = 0; i < t.n; i++)
    {
      had_new |= !t.classic[i];
      had_classic |= t.classic[i];
    }
  HsPortCode code = HS_PORT_OK;
  if (t.n > 0)
    code = close_teams (&t, r, cancel, st);
  for (size_t i = 0; i < t.n; i++)
    if (t.handles[i])
      CloseHandle (t.handles[i]);
  if (code != HS_PORT_OK)
    return code;
  if (!had_classic)
    had_new = 1;   /* nothing was running: start the new Teams */

  r->relaunched = 1;
  if (had_new)
    {
      HINSTANCE h = ShellExecuteW (NULL, L"open",
                                   L"shell:AppsFolder\\MSTeams_8wekyb3d8bbwe!MSTeams", NULL, NULL,
                                   SW_SHOWNORMAL);
      if ((INT_PTR) h <= 32)
        {
          code = HS_PORT_FAILED;
          r->relaunched = 0;
          hs_port_status_set (st, code, (uint32_t) (INT_PTR) h,
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
          HINSTANCE h = ShellExecuteW (NULL, L"open", path, L"--processStart Teams.exe", NULL,
                                       SW_SHOWNORMAL);
          if ((INT_PTR) h <= 32)
            {
              code = HS_PORT_FAILED;
              r->relaunched = 0;
              hs_port_status_set (st, code, (uint32_t) (INT_PTR) h,
                                  "classic Teams closed but could not be started again");
            }
        }
    }
  if (code == HS_PORT_OK && r->survived > 0)
    {
      code = HS_PORT_FAILED;
      hs_port_status_set (st, code, 0, "%lu Teams process(es) could not be ended",
                          (unsigned long) r->survived);
    }
  if (code == HS_PORT_OK)
    hs_port_status_set (st, code, 0, "Teams restarted: %lu closed, %lu hid in the tray and were "
                        "ended, %lu ended after no reaction; %lu in other sessions left alone",
                        (unsigned long) r->closed, (unsigned long) r->hidden_then_ended,
                        (unsigned long) r->killed, (unsigned long) r->other_sessions);
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
