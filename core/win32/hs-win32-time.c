/* hs-win32-time.c — step 1: clock settings and policies, the parts of the
 * clock fix (automatic time, w32tm /config /update, resync proven by
 * measuring). The elevation itself is in hs-win32-elevate.c. */
#include <windows.h>
#include <lm.h>
#include <shellapi.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"

#define W32TIME_PARAMS L"SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters"
#define W32TIME_CONFIG L"SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config"
#define TZAUTO_KEY     L"SYSTEM\\CurrentControlSet\\Services\\tzautoupdate"
/* Group Policy: "Configure Windows NTP Client" / "Enable Windows NTP Client"
 * (W32Time.admx) and "Turn off location" (Sensors.admx); MDM Policy CSP
 * TimeLanguageSettings/ConfigureTimeZone as applied by the PolicyManager. */
#define POL_W32TIME_PARAMS L"SOFTWARE\\Policies\\Microsoft\\W32Time\\Parameters"
#define POL_W32TIME_CONFIG L"SOFTWARE\\Policies\\Microsoft\\W32Time\\Config"
#define POL_NTPCLIENT      L"SOFTWARE\\Policies\\Microsoft\\W32Time\\TimeProviders\\NtpClient"
#define POL_LOCATION       L"SOFTWARE\\Policies\\Microsoft\\Windows\\LocationAndSensors"
#define MDM_TIMEZONE       L"SOFTWARE\\Microsoft\\PolicyManager\\current\\device\\TimeLanguageSettings"

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

static void
read_policies (HsTimeSettings *out)
{
  DWORD v = 0;
  reg_get_sz (HKEY_LOCAL_MACHINE, POL_W32TIME_PARAMS, L"Type", out->policy_sync_type,
              sizeof out->policy_sync_type);
  reg_get_sz (HKEY_LOCAL_MACHINE, POL_W32TIME_PARAMS, L"NtpServer", out->policy_ntp_server,
              sizeof out->policy_ntp_server);
  out->policy_ntp_client = HS_TRI_UNKNOWN;
  if (reg_get_dword (HKEY_LOCAL_MACHINE, POL_NTPCLIENT, L"Enabled", &v))
    out->policy_ntp_client = v ? HS_TRI_YES : HS_TRI_NO;
  out->policy_time_source = (out->policy_sync_type[0] || out->policy_ntp_server[0]
                             || out->policy_ntp_client == HS_TRI_NO) ? HS_TRI_YES : HS_TRI_NO;
  /* automatic time zone needs location; a policy may turn location off for
   * the machine or for this user */
  out->policy_tz_auto_blocked = HS_TRI_NO;
  if ((reg_get_dword (HKEY_LOCAL_MACHINE, POL_LOCATION, L"DisableLocation", &v) && v == 1)
      || (reg_get_dword (HKEY_CURRENT_USER, POL_LOCATION, L"DisableLocation", &v) && v == 1))
    out->policy_tz_auto_blocked = HS_TRI_YES;
  reg_get_sz (HKEY_LOCAL_MACHINE, MDM_TIMEZONE, L"ConfigureTimeZone", out->policy_time_zone,
              sizeof out->policy_time_zone);
}

/* 1 when a policy turns time synchronisation off: fixing it would be undone */
static int
policy_sync_off (const HsTimeSettings *t)
{
  return _stricmp (t->policy_sync_type, "NoSync") == 0 || t->policy_ntp_client == HS_TRI_NO;
}

uint32_t
hs_win32_max_allowed_phase_offset (void)
{
  DWORD v = 0;
  if (reg_get_dword (HKEY_LOCAL_MACHINE, POL_W32TIME_CONFIG, L"MaxAllowedPhaseOffset", &v)
      || reg_get_dword (HKEY_LOCAL_MACHINE, W32TIME_CONFIG, L"MaxAllowedPhaseOffset", &v))
    return v;
  return 300;
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
  read_policies (out);
  if (out->service_state == HS_SERVICE_MISSING)
    hs_port_status_set (st, HS_PORT_OK, err, "the Windows Time service (W32Time) is not installed");
  else
    hs_port_status_set (st, HS_PORT_OK, err, "time settings read");
  return HS_PORT_OK;
}

HsPortCode
hs_win32_enable_auto_time (HsPortStatus *st)
{
  HsTimeSettings pol;
  memset (&pol, 0, sizeof pol);
  read_policies (&pol);
  if (policy_sync_off (&pol))
    {
      /* the organisation turned synchronisation off: nothing to write */
      hs_port_status_set (st, HS_PORT_MANAGED, 0,
                          "a policy turns time synchronisation off (Type=%s, NtpClient %s); "
                          "nothing changed", pol.policy_sync_type[0] ? pol.policy_sync_type : "-",
                          pol.policy_ntp_client == HS_TRI_NO ? "disabled" : "not set");
      return HS_PORT_MANAGED;
    }
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

  /* Type=NTP, except on a domain member where NT5DS is the normal state, and
   * never over a value a policy owns (the policy value is what W32Time uses) */
  if (hs_win32_is_domain_member () != HS_TRI_YES && pol.policy_sync_type[0] == '\0')
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
  /* the service reads a changed configuration only when told (w32tm docs) */
  HsPortCode c = hs_win32_w32time_config_update (NULL, st);
  if (c != HS_PORT_OK)
    return c;
  hs_port_status_set (st, HS_PORT_OK, 0, "automatic time on%s; W32Time automatic, started "
                      "and told to read its configuration",
                      pol.policy_sync_type[0] ? " (Type left to the policy)" : "");
  return HS_PORT_OK;
}

HsPortCode
hs_win32_w32time_config_update (const HsPortCancel *cancel, HsPortStatus *st)
{
  static const char *const args[] = { "/config", "/update" };
  HsWin32ProcResult res;
  HsPortCode c = hs_win32_run (HS_WIN32_PROG_W32TM, args, 2, 30000, cancel, &res, st);
  if (c == HS_PORT_OK)
    {
      uint32_t hr = 0;
      if (res.exit_code != 0 || hs_win32_parse_w32tm (res.out, &hr) == HS_W32TM_ERROR)
        {
          char line[240];
          hs_win32_last_line (res.out_len ? res.out : res.err, line, sizeof line);
          c = HS_PORT_FAILED;
          hs_port_status_set (st, c, hr ? hr : res.exit_code,
                              "w32tm /config /update failed (exit %lu): %s",
                              (unsigned long) res.exit_code, line);
        }
      else
        hs_port_status_set (st, HS_PORT_OK, 0, "w32tm /config /update done");
    }
  hs_win32_proc_result_clear (&res);
  return c;
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
hs_win32_clock_stamp (HsClockStamp *out, HsPortStatus *st)
{
  LARGE_INTEGER f, a, b;
  FILETIME ft;
  if (!QueryPerformanceFrequency (&f) || f.QuadPart <= 0)
    return hs_win32_status_from_error (st, GetLastError (), "QueryPerformanceFrequency");
  /* the system clock read between two counter readings: their midpoint is
   * the moment of the reading (QPC is the same counter in every process) */
  QueryPerformanceCounter (&a);
  GetSystemTimePreciseAsFileTime (&ft);
  QueryPerformanceCounter (&b);
  int64_t ticks = a.QuadPart + (b.QuadPart - a.QuadPart) / 2;
  out->mono_us = (ticks / f.QuadPart) * 1000000 + (ticks % f.QuadPart) * 1000000 / f.QuadPart;
  ULARGE_INTEGER u;
  u.LowPart = ft.dwLowDateTime;
  u.HighPart = ft.dwHighDateTime;
  out->system_utc_us = ((int64_t) u.QuadPart - 116444736000000000LL) / 10;
  hs_port_status_set (st, HS_PORT_OK, 0, "clock stamp");
  return HS_PORT_OK;
}

/* The offset now, from ref: HS_PORT_OK, or STALE when ref is too old or the
 * clock moved since ref was measured. */
static HsPortCode
offset_from_ref (const HsClockReference *ref, int64_t *off, int check_moved, HsPortStatus *st)
{
  HsClockStamp now;
  hs_win32_clock_stamp (&now, NULL);
  if (!hs_clock_reference_offset_now (ref, &now, off))
    {
      hs_port_status_set (st, HS_PORT_STALE, 0, "the clock measurement is too old (over %lld min) "
                          "or not from this boot; measure again",
                          (long long) (HS_CLOCK_REF_MAX_AGE_US / 60000000));
      return HS_PORT_STALE;
    }
  if (check_moved && llabs (*off - ref->offset_us) > HS_CLOCK_REF_MOVED_US)
    {
      hs_port_status_set (st, HS_PORT_STALE, 0, "the clock moved by %.1f s since it was measured "
                          "(offset then %.1f s, now %.1f s); nothing changed, measure again",
                          (double) (*off - ref->offset_us) / 1e6, (double) ref->offset_us / 1e6,
                          (double) *off / 1e6);
      return HS_PORT_STALE;
    }
  return HS_PORT_OK;
}

/* Sets the clock to true UTC as ref tells it now (absolute, never "now minus
 * an old offset"). */
static HsPortCode
set_clock_from_ref (const HsClockReference *ref, HsPortStatus *st)
{
  if (!enable_privilege (SE_SYSTEMTIME_NAME))
    {
      hs_port_status_set (st, HS_PORT_ACCESS_DENIED, GetLastError (),
                          "cannot enable the privilege to set the clock");
      return HS_PORT_ACCESS_DENIED;
    }
  HsClockStamp now;
  hs_win32_clock_stamp (&now, NULL);
  int64_t true_now = ref->true_utc_us + (now.mono_us - ref->mono_us);
  ULARGE_INTEGER u;
  u.QuadPart = (ULONGLONG) (true_now * 10 + 116444736000000000LL);
  FILETIME ft;
  ft.dwLowDateTime = u.LowPart;
  ft.dwHighDateTime = u.HighPart;
  SYSTEMTIME sys;
  if (!FileTimeToSystemTime (&ft, &sys) || !SetSystemTime (&sys))
    return hs_win32_status_from_error (st, GetLastError (), "SetSystemTime");
  return HS_PORT_OK;
}

/* After w32tm or SetSystemTime: is the clock right now? */
static HsPortCode
prove_by_measuring (const HsClockReference *ref, int64_t before, const char *what,
                    HsPortStatus *st)
{
  int64_t after = 0;
  HsPortCode c = offset_from_ref (ref, &after, 0, st);
  if (c != HS_PORT_OK)
    return c;
  uint32_t slew_limit = hs_win32_max_allowed_phase_offset ();
  if (llabs (after) <= HS_CLOCK_FIXED_US)
    {
      hs_port_status_set (st, HS_PORT_OK, 0, "%s: the clock is now %.2f s from true time "
                          "(was %.1f s)", what, (double) after / 1e6, (double) before / 1e6);
      return HS_PORT_OK;
    }
  if (llabs (before) > (int64_t) slew_limit * 1000000)
    {
      hs_port_status_set (st, HS_PORT_NO_EFFECT, 0, "%s reported success, but the clock is still "
                          "%.1f s off (was %.1f s)", what, (double) after / 1e6,
                          (double) before / 1e6);
      return HS_PORT_NO_EFFECT;
    }
  hs_port_status_set (st, HS_PORT_PENDING, 0, "%s accepted; Windows corrects offsets below %lu s "
                      "gradually (%.1f s now, was %.1f s): measure again later", what,
                      (unsigned long) slew_limit, (double) after / 1e6, (double) before / 1e6);
  return HS_PORT_PENDING;
}

HsPortCode
hs_win32_resync (const HsClockReference *ref, const HsPortCancel *cancel, HsPortStatus *st)
{
  int have_ref = ref != NULL && ref->valid;
  int64_t before = 0;
  if (have_ref)
    {
      /* never act on a number that is no longer true */
      HsPortCode c = offset_from_ref (ref, &before, 1, st);
      if (c != HS_PORT_OK)
        return c;
      if (llabs (before) > 20LL * 365 * 86400 * 1000000)
        {
          hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "offset %.0f s is not plausible",
                              (double) before / 1e6);
          return HS_PORT_BAD_INPUT;
        }
      if (llabs (before) > (int64_t) HS_WIN32_MAX_PHASE_CORRECTION * 1000000)
        {
          /* w32tm refuses to correct more than 15 h: set the clock directly */
          c = set_clock_from_ref (ref, st);
          return c == HS_PORT_OK ? prove_by_measuring (ref, before, "setting the clock directly", st)
                                 : c;
        }
    }

  static const char *const args[] = { "/resync", "/rediscover" };
  HsWin32ProcResult res;
  HsPortCode c = hs_win32_run (HS_WIN32_PROG_W32TM, args, 2, 60000, cancel, &res, st);
  if (c != HS_PORT_OK)
    {
      hs_win32_proc_result_clear (&res);
      return c;
    }
  /* w32tm prints progress first and its result last, on stdout; it may exit
   * 0 having done nothing */
  char line[240], how[96];
  uint32_t hr = 0;
  HsW32tmResult r = hs_win32_parse_w32tm (res.out, &hr);
  hs_win32_last_line (res.out_len ? res.out : res.err, line, sizeof line);
  hs_win32_describe_exit (res.exit_code, how, sizeof how);
  uint32_t exit_code = res.exit_code;
  hs_win32_proc_result_clear (&res);
  if (r == HS_W32TM_NO_TIME_DATA)
    {
      hs_port_status_set (st, HS_PORT_UNREACHABLE, 0, "w32tm /resync: no time source answered "
                          "(%s: %s)", how, line);
      return HS_PORT_UNREACHABLE;
    }
  if (r == HS_W32TM_CHANGE_TOO_BIG && have_ref)
    {
      c = set_clock_from_ref (ref, st);
      return c == HS_PORT_OK ? prove_by_measuring (ref, before, "setting the clock directly", st) : c;
    }
  if (exit_code != 0 || r == HS_W32TM_ERROR || r == HS_W32TM_CHANGE_TOO_BIG)
    {
      hs_port_status_set (st, HS_PORT_FAILED, hr ? hr : exit_code, "w32tm /resync %s: %s",
                          how, line);
      return HS_PORT_FAILED;
    }
  if (!have_ref)
    {
      hs_port_status_set (st, HS_PORT_PENDING, 0, "w32tm /resync reported success; no measurement "
                          "to prove it: measure again");
      return HS_PORT_PENDING;
    }
  return prove_by_measuring (ref, before, "w32tm /resync", st);
}
