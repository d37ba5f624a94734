/* hs-win32-time.c — step 1: clock settings, the elevated clock fix, and the
 * elevation helper. */
#include <windows.h>
#include <lm.h>
#include <shellapi.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"

#define W32TIME_PARAMS L"SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters"
#define TZAUTO_KEY     L"SYSTEM\\CurrentControlSet\\Services\\tzautoupdate"

static int
reg_get_sz (HKEY root, const wchar_t *key, const wchar_t *value, char *out, size_t out_len)
{
  wchar_t buf[512];
  DWORD size = sizeof buf;
  out[0] = '\0';
  if (RegGetValueW (root, key, value, RRF_RT_REG_SZ | RRF_RT_REG_EXPAND_SZ | RRF_NOEXPAND
                    | RRF_SUBKEY_WOW6464KEY, NULL, buf, &size) != ERROR_SUCCESS)
    return 0;
  buf[sizeof buf / sizeof buf[0] - 1] = 0;
  char *u = hs_win32_utf8 (buf);
  if (u == NULL)
    return 0;
  snprintf (out, out_len, "%s", u);
  free (u);
  return 1;
}

static int
reg_get_dword (HKEY root, const wchar_t *key, const wchar_t *value, DWORD *out)
{
  DWORD size = sizeof *out;
  return RegGetValueW (root, key, value, RRF_RT_REG_DWORD | RRF_SUBKEY_WOW6464KEY, NULL, out,
                       &size) == ERROR_SUCCESS;
}

HsTri
hs_win32_is_elevated (void)
{
  HANDLE tok;
  TOKEN_ELEVATION el;
  DWORD len = 0;
  if (!OpenProcessToken (GetCurrentProcess (), TOKEN_QUERY, &tok))
    return HS_TRI_UNKNOWN;
  BOOL ok = GetTokenInformation (tok, TokenElevation, &el, sizeof el, &len);
  CloseHandle (tok);
  if (!ok)
    return HS_TRI_UNKNOWN;
  return el.TokenIsElevated ? HS_TRI_YES : HS_TRI_NO;
}

HsTri
hs_win32_is_domain_member (void)
{
  LPWSTR name = NULL;
  NETSETUP_JOIN_STATUS status = NetSetupUnknownStatus;
  if (NetGetJoinInformation (NULL, &name, &status) == NERR_Success)
    {
      if (name)
        NetApiBufferFree (name);
      if (status == NetSetupDomainName)
        return HS_TRI_YES;
      if (status == NetSetupWorkgroupName || status == NetSetupUnjoined)
        return HS_TRI_NO;
    }
  /* fallback: a DNS domain for the computer means a domain member */
  wchar_t dom[256];
  DWORD n = sizeof dom / sizeof dom[0];
  if (GetComputerNameExW (ComputerNameDnsDomain, dom, &n))
    return n > 0 ? HS_TRI_YES : HS_TRI_NO;
  return HS_TRI_UNKNOWN;
}

static void
service_query (const wchar_t *name, HsServiceState *state, HsServiceStart *start,
               DWORD *os_error)
{
  *state = HS_SERVICE_UNKNOWN;
  *start = HS_START_UNKNOWN;
  *os_error = 0;
  SC_HANDLE scm = OpenSCManagerW (NULL, NULL, SC_MANAGER_CONNECT);
  if (scm == NULL)
    {
      *os_error = GetLastError ();
      return;
    }
  SC_HANDLE svc = OpenServiceW (scm, name, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG);
  if (svc == NULL)
    svc = OpenServiceW (scm, name, SERVICE_QUERY_STATUS);
  if (svc == NULL)
    {
      *os_error = GetLastError ();
      if (*os_error == ERROR_SERVICE_DOES_NOT_EXIST)
        *state = HS_SERVICE_MISSING;
      CloseServiceHandle (scm);
      return;
    }
  SERVICE_STATUS_PROCESS ssp;
  DWORD need = 0;
  if (QueryServiceStatusEx (svc, SC_STATUS_PROCESS_INFO, (LPBYTE) &ssp, sizeof ssp, &need))
    {
      switch (ssp.dwCurrentState)
        {
        case SERVICE_STOPPED: *state = HS_SERVICE_STOPPED; break;
        case SERVICE_START_PENDING: *state = HS_SERVICE_STARTING; break;
        case SERVICE_RUNNING: *state = HS_SERVICE_RUNNING; break;
        case SERVICE_STOP_PENDING: *state = HS_SERVICE_STOPPING; break;
        default: *state = HS_SERVICE_UNKNOWN; break;
        }
    }
  QUERY_SERVICE_CONFIGW *cfg = NULL;
  need = 0;
  QueryServiceConfigW (svc, NULL, 0, &need);
  if (need > 0 && need < 65536 && (cfg = malloc (need)) != NULL
      && QueryServiceConfigW (svc, cfg, need, &need))
    {
      switch (cfg->dwStartType)
        {
        case SERVICE_AUTO_START:
        case SERVICE_BOOT_START:
        case SERVICE_SYSTEM_START: *start = HS_START_AUTO; break;
        case SERVICE_DEMAND_START: *start = HS_START_MANUAL; break;
        case SERVICE_DISABLED: *start = HS_START_DISABLED; break;
        default: break;
        }
    }
  free (cfg);
  CloseServiceHandle (svc);
  CloseServiceHandle (scm);
}

HsPortCode
hs_win32_time_settings (HsTimeSettings *out, HsPortStatus *st)
{
  DWORD err = 0, start = 0;
  memset (out, 0, sizeof *out);
  reg_get_sz (HKEY_LOCAL_MACHINE, W32TIME_PARAMS, L"Type", out->sync_type, sizeof out->sync_type);
  reg_get_sz (HKEY_LOCAL_MACHINE, W32TIME_PARAMS, L"NtpServer", out->ntp_server,
              sizeof out->ntp_server);
  service_query (L"W32Time", &out->service_state, &out->service_start, &err);
  out->tz_auto = HS_TRI_UNKNOWN;
  if (reg_get_dword (HKEY_LOCAL_MACHINE, TZAUTO_KEY, L"Start", &start))
    out->tz_auto = start == 3 ? HS_TRI_YES : start == 4 ? HS_TRI_NO : HS_TRI_UNKNOWN;
  out->domain_member = hs_win32_is_domain_member ();
  out->elevated = hs_win32_is_elevated ();
  if (out->service_state == HS_SERVICE_MISSING)
    hs_port_status_set (st, HS_PORT_OK, err, "the Windows Time service (W32Time) is not installed");
  else
    hs_port_status_set (st, HS_PORT_OK, err, "time settings read");
  return HS_PORT_OK;
}

HsPortCode
hs_win32_enable_auto_time (HsPortStatus *st)
{
  SC_HANDLE scm = OpenSCManagerW (NULL, NULL, SC_MANAGER_CONNECT);
  if (scm == NULL)
    return hs_win32_status_from_error (st, GetLastError (), "OpenSCManagerW");
  SC_HANDLE svc = OpenServiceW (scm, L"W32Time",
                                SERVICE_QUERY_STATUS | SERVICE_CHANGE_CONFIG | SERVICE_START);
  if (svc == NULL)
    {
      DWORD e = GetLastError ();
      CloseServiceHandle (scm);
      if (e == ERROR_SERVICE_DOES_NOT_EXIST)
        {
          /* Nothing to configure: do not invent registry keys for it. */
          hs_port_status_set (st, HS_PORT_NOT_FOUND, e,
                              "the Windows Time service (W32Time) is not installed");
          return HS_PORT_NOT_FOUND;
        }
      return hs_win32_status_from_error (st, e, "OpenServiceW(W32Time)");
    }

  /* Type=NTP, except on a domain member where NT5DS is the normal state. */
  if (hs_win32_is_domain_member () != HS_TRI_YES)
    {
      HKEY k;
      LSTATUS r = RegOpenKeyExW (HKEY_LOCAL_MACHINE, W32TIME_PARAMS, 0,
                                 KEY_SET_VALUE | KEY_WOW64_64KEY, &k);
      if (r == ERROR_SUCCESS)
        {
          static const wchar_t ntp[] = L"NTP";
          r = RegSetValueExW (k, L"Type", 0, REG_SZ, (const BYTE *) ntp, sizeof ntp);
          RegCloseKey (k);
        }
      if (r != ERROR_SUCCESS)
        {
          CloseServiceHandle (svc);
          CloseServiceHandle (scm);
          return hs_win32_status_from_error (st, (uint32_t) r, "setting W32Time Type=NTP");
        }
    }
  if (!ChangeServiceConfigW (svc, SERVICE_NO_CHANGE, SERVICE_AUTO_START, SERVICE_NO_CHANGE,
                             NULL, NULL, NULL, NULL, NULL, NULL, NULL))
    {
      DWORD e = GetLastError ();
      CloseServiceHandle (svc);
      CloseServiceHandle (scm);
      return hs_win32_status_from_error (st, e, "ChangeServiceConfigW(W32Time, auto)");
    }
  if (!StartServiceW (svc, 0, NULL) && GetLastError () != ERROR_SERVICE_ALREADY_RUNNING)
    {
      DWORD e = GetLastError ();
      CloseServiceHandle (svc);
      CloseServiceHandle (scm);
      return hs_win32_status_from_error (st, e, "StartServiceW(W32Time)");
    }
  /* wait (bounded) until it runs, so that a following resync finds it */
  for (int i = 0; i < 100; i++)
    {
      SERVICE_STATUS ss;
      if (!QueryServiceStatus (svc, &ss) || ss.dwCurrentState == SERVICE_RUNNING)
        break;
      Sleep (100);
    }
  CloseServiceHandle (svc);
  CloseServiceHandle (scm);
  hs_port_status_set (st, HS_PORT_OK, 0, "automatic time on; W32Time automatic and started");
  return HS_PORT_OK;
}

static int
enable_privilege (const wchar_t *name)
{
  HANDLE tok;
  TOKEN_PRIVILEGES tp;
  if (!OpenProcessToken (GetCurrentProcess (), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &tok))
    return 0;
  tp.PrivilegeCount = 1;
  tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
  BOOL ok = LookupPrivilegeValueW (NULL, name, &tp.Privileges[0].Luid)
            && AdjustTokenPrivileges (tok, FALSE, &tp, sizeof tp, NULL, NULL)
            && GetLastError () == ERROR_SUCCESS;
  CloseHandle (tok);
  return ok;
}

HsPortCode
hs_win32_resync (double measured_offset, int offset_known, const HsPortCancel *cancel,
                 HsPortStatus *st)
{
  if (offset_known && isfinite (measured_offset)
      && fabs (measured_offset) > HS_WIN32_MAX_PHASE_CORRECTION)
    {
      /* w32tm refuses to correct more than 15 h: set the clock directly. */
      if (fabs (measured_offset) > 20.0 * 365 * 86400)
        {
          hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "offset %.0f s is not plausible",
                              measured_offset);
          return HS_PORT_BAD_INPUT;
        }
      if (!enable_privilege (SE_SYSTEMTIME_NAME))
        {
          hs_port_status_set (st, HS_PORT_ACCESS_DENIED, GetLastError (),
                              "cannot enable the privilege to set the clock");
          return HS_PORT_ACCESS_DENIED;
        }
      FILETIME ft;
      GetSystemTimeAsFileTime (&ft);
      ULARGE_INTEGER u;
      u.LowPart = ft.dwLowDateTime;
      u.HighPart = ft.dwHighDateTime;
      /* positive offset: this computer is ahead, so go back */
      long long delta = (long long) llround (measured_offset * 1e7);
      u.QuadPart = (ULONGLONG) ((long long) u.QuadPart - delta);
      ft.dwLowDateTime = u.LowPart;
      ft.dwHighDateTime = u.HighPart;
      SYSTEMTIME sys;
      if (!FileTimeToSystemTime (&ft, &sys) || !SetSystemTime (&sys))
        return hs_win32_status_from_error (st, GetLastError (), "SetSystemTime");
      hs_port_status_set (st, HS_PORT_OK, 0, "clock set directly (offset %.0f s beyond w32tm's limit)",
                          measured_offset);
      return HS_PORT_OK;
    }

  static const char *const args[] = { "/resync", "/rediscover" };
  HsWin32ProcResult res;
  HsPortCode c = hs_win32_run (HS_WIN32_PROG_W32TM, args, 2, 60000, cancel, &res, st);
  if (c == HS_PORT_OK && res.exit_code != 0)
    /* w32tm prints its reason on stdout */
    c = hs_win32_status_from_exit (st, "w32tm /resync", &res, 1);
  else if (c == HS_PORT_OK)
    hs_port_status_set (st, HS_PORT_OK, 0, "w32tm /resync /rediscover succeeded");
  hs_win32_proc_result_clear (&res);
  return c;
}

/* ---- elevation ----------------------------------------------------------- */

static const char *const elevated_actions[] = { "clock-fix" };

int
hs_win32_elevated_action_known (const char *name)
{
  if (name == NULL)
    return 0;
  for (size_t i = 0; i < sizeof elevated_actions / sizeof elevated_actions[0]; i++)
    if (strcmp (name, elevated_actions[i]) == 0)
      return 1;
  return 0;
}

int
hs_win32_run_elevated_action (const char *name, double offset)
{
  HsPortStatus st = { 0 };
  if (!hs_win32_elevated_action_known (name))
    {
      fprintf (stderr, "unknown elevated action \"%s\"; known: clock-fix\n", name ? name : "");
      return 2;
    }
  if (hs_win32_enable_auto_time (&st) != HS_PORT_OK)
    {
      fprintf (stderr, "clock-fix: %s\n", st.detail);
      return 1;
    }
  int known = isfinite (offset) && offset != 0.0;
  if (hs_win32_resync (offset, known, NULL, &st) != HS_PORT_OK)
    {
      fprintf (stderr, "clock-fix: %s\n", st.detail);
      return 1;
    }
  return 0;
}

HsPortCode
hs_win32_elevate (const char *action, double arg, int *exit_code,
                  const HsPortCancel *cancel, HsPortStatus *st)
{
  if (exit_code)
    *exit_code = -1;
  if (!hs_win32_elevated_action_known (action))
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "\"%s\" is not an elevated action",
                          action ? action : "");
      return HS_PORT_BAD_INPUT;
    }
  if (!isfinite (arg))
    arg = 0;

  /* handshake-cli.exe next to the current module */
  wchar_t exe[MAX_PATH + 32];
  DWORD n = GetModuleFileNameW (NULL, exe, MAX_PATH);
  if (n == 0 || n >= MAX_PATH)
    return hs_win32_status_from_error (st, GetLastError (), "GetModuleFileNameW");
  wchar_t *slash = wcsrchr (exe, L'\\');
  if (slash == NULL)
    {
      hs_port_status_set (st, HS_PORT_FAILED, 0, "module path has no directory");
      return HS_PORT_FAILED;
    }
  wcscpy (slash + 1, L"handshake-cli.exe");
  if (GetFileAttributesW (exe) == INVALID_FILE_ATTRIBUTES)
    {
      hs_port_status_set (st, HS_PORT_NOT_FOUND, GetLastError (),
                          "handshake-cli.exe is not next to this program");
      return HS_PORT_NOT_FOUND;
    }

  char params[128];
  snprintf (params, sizeof params, "--elevated-action=%s --offset=%.3f", action, arg);
  wchar_t *wparams = hs_win32_wide (params);
  SHELLEXECUTEINFOW sei;
  memset (&sei, 0, sizeof sei);
  sei.cbSize = sizeof sei;
  sei.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_NOASYNC | SEE_MASK_FLAG_NO_UI;
  sei.lpVerb = L"runas";
  sei.lpFile = exe;
  sei.lpParameters = wparams;
  sei.nShow = SW_HIDE;
  BOOL ok = ShellExecuteExW (&sei);
  DWORD e = GetLastError ();
  free (wparams);
  if (!ok)
    {
      if (e == ERROR_CANCELLED)
        {
          hs_port_status_set (st, HS_PORT_DECLINED, e, "the administrator prompt was declined");
          return HS_PORT_DECLINED;
        }
      return hs_win32_status_from_error (st, e, "ShellExecuteExW(runas)");
    }
  if (sei.hProcess == NULL)
    {
      hs_port_status_set (st, HS_PORT_FAILED, 0, "no process handle for the elevated helper");
      return HS_PORT_FAILED;
    }
  for (;;)
    {
      DWORD w = WaitForSingleObject (sei.hProcess, 100);
      if (w == WAIT_OBJECT_0)
        break;
      if (w == WAIT_FAILED)
        {
          e = GetLastError ();
          CloseHandle (sei.hProcess);
          return hs_win32_status_from_error (st, e, "waiting for the elevated helper");
        }
      if (hs_port_cancelled (cancel))
        {
          /* an elevated process cannot be stopped from here; stop waiting */
          CloseHandle (sei.hProcess);
          hs_port_status_set (st, HS_PORT_CANCELLED, 0, "stopped waiting for the elevated helper");
          return HS_PORT_CANCELLED;
        }
    }
  DWORD ec = 1;
  GetExitCodeProcess (sei.hProcess, &ec);
  CloseHandle (sei.hProcess);
  if (exit_code)
    *exit_code = (int) ec;
  hs_port_status_set (st, HS_PORT_OK, 0, "elevated helper exited with %lu", (unsigned long) ec);
  return HS_PORT_OK;
}
