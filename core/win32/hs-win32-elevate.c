/* hs-win32-elevate.c — the elevated helper (what runs behind the UAC prompt)
 * and the caller's side: starting it with ShellExecuteExW "runas" on a
 * thread with COM initialised, owned by the wizard's window, and turning its
 * exit code into a port code. */
#include <windows.h>
#include <objbase.h>
#include <shellapi.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"

HsWin32TestHooks hs_win32_test_hooks;

static const char *const elevated_actions[] = { "clock-fix" };

int
hs_win32_elevated_action_known (const char *spec)
{
  char name[32];
  HsClockReference ref;
  if (!hs_win32_parse_action_spec (spec, name, sizeof name, &ref))
    return 0;
  for (size_t i = 0; i < sizeof elevated_actions / sizeof elevated_actions[0]; i++)
    if (strcmp (name, elevated_actions[i]) == 0)
      return 1;
  return 0;
}

static const struct { int exit_code; HsPortCode code; const char *what; } exit_meaning[] = {
  { HS_ELEVATED_OK, HS_PORT_OK, "the clock was fixed and measured right" },
  { HS_ELEVATED_FAILED, HS_PORT_FAILED, "the clock fix failed" },
  { HS_ELEVATED_USAGE, HS_PORT_BAD_INPUT, "the helper refused its arguments; nothing was done" },
  { HS_ELEVATED_NO_SERVICE, HS_PORT_NOT_FOUND, "the Windows Time service is not installed" },
  { HS_ELEVATED_ACCESS_DENIED, HS_PORT_ACCESS_DENIED, "Windows refused a change even to an administrator" },
  { HS_ELEVATED_SERVICE_FAILED, HS_PORT_FAILED, "the Windows Time service could not be configured or started" },
  { HS_ELEVATED_CONFIG_UPDATE_FAILED, HS_PORT_FAILED, "the Windows Time service did not take its new settings (w32tm /config /update)" },
  { HS_ELEVATED_NO_TIME_DATA, HS_PORT_UNREACHABLE, "no time server answered the Windows Time service" },
  { HS_ELEVATED_RESYNC_FAILED, HS_PORT_FAILED, "w32tm /resync failed" },
  { HS_ELEVATED_TIMEOUT, HS_PORT_TIMEOUT, "w32tm did not answer in time" },
  { HS_ELEVATED_NO_EFFECT, HS_PORT_NO_EFFECT, "the resync reported success but the clock did not change" },
  { HS_ELEVATED_STALE, HS_PORT_STALE, "the clock changed since it was measured, or the measurement is too old; nothing was done" },
  { HS_ELEVATED_SET_TIME_FAILED, HS_PORT_FAILED, "setting the clock directly failed" },
  { HS_ELEVATED_PENDING, HS_PORT_PENDING, "the resync was accepted; Windows corrects the clock gradually" },
  { HS_ELEVATED_MANAGED, HS_PORT_MANAGED, "a policy of the organisation turns time synchronisation off" },
  { HS_ELEVATED_IMPLAUSIBLE, HS_PORT_BAD_INPUT, "the measured offset is not plausible; nothing was done" },
};

HsPortCode
hs_win32_elevated_exit_status (int exit_code, HsPortStatus *st)
{
  for (size_t i = 0; i < sizeof exit_meaning / sizeof exit_meaning[0]; i++)
    if (exit_meaning[i].exit_code == exit_code)
      {
        hs_port_status_set (st, exit_meaning[i].code, (uint32_t) exit_code,
                            "elevated helper (exit %d): %s", exit_code, exit_meaning[i].what);
        return exit_meaning[i].code;
      }
  char how[96];
  hs_win32_describe_exit ((uint32_t) exit_code, how, sizeof how);
  hs_port_status_set (st, HS_PORT_FAILED, (uint32_t) exit_code, "elevated helper %s", how);
  return HS_PORT_FAILED;
}

/* the helper's exit code for a port code of one of its steps */
static int
exit_for (HsPortCode c, int when_failed)
{
  switch (c)
    {
    case HS_PORT_OK: return HS_ELEVATED_OK;
    case HS_PORT_NOT_FOUND: return HS_ELEVATED_NO_SERVICE;
    case HS_PORT_ACCESS_DENIED: return HS_ELEVATED_ACCESS_DENIED;
    case HS_PORT_UNREACHABLE: return HS_ELEVATED_NO_TIME_DATA;
    case HS_PORT_TIMEOUT: return HS_ELEVATED_TIMEOUT;
    case HS_PORT_NO_EFFECT: return HS_ELEVATED_NO_EFFECT;
    case HS_PORT_STALE: return HS_ELEVATED_STALE;
    case HS_PORT_PENDING: return HS_ELEVATED_PENDING;
    case HS_PORT_MANAGED: return HS_ELEVATED_MANAGED;
    case HS_PORT_BAD_INPUT: return HS_ELEVATED_IMPLAUSIBLE;
    default: return when_failed;
    }
}

int
hs_win32_run_elevated_action (const char *spec, double offset)
{
  HsPortStatus st = { 0 };
  char name[32];
  HsClockReference ref;
  (void) offset;   /* an offset without a reference is never used to step the clock */
  if (!hs_win32_elevated_action_known (spec)
      || !hs_win32_parse_action_spec (spec, name, sizeof name, &ref))
    {
      fprintf (stderr, "unknown elevated action \"%s\"; known: clock-fix[:TRUE_UTC_US:OFFSET_US:MONO_US]\n",
               spec ? spec : "");
      return HS_ELEVATED_USAGE;
    }
  /* 1. the measurement must still be true before anything changes */
  if (ref.valid)
    {
      HsClockStamp now;
      int64_t off = 0;
      hs_win32_clock_stamp (&now, NULL);
      if (!hs_clock_reference_offset_now (&ref, &now, &off)
          || llabs (off - ref.offset_us) > HS_CLOCK_REF_MOVED_US)
        {
          fprintf (stderr, "clock-fix: the clock changed since it was measured, or the "
                   "measurement is too old; nothing done\n");
          return HS_ELEVATED_STALE;
        }
    }
  /* 2. automatic time on, the service told */
  HsPortCode c = hs_win32_enable_auto_time (&st);
  if (c != HS_PORT_OK)
    {
      fprintf (stderr, "clock-fix: %s\n", st.detail);
      if (c == HS_PORT_FAILED && strstr (st.detail, "/config /update") != NULL)
        return HS_ELEVATED_CONFIG_UPDATE_FAILED;
      return exit_for (c, HS_ELEVATED_SERVICE_FAILED);
    }
  /* 3. resync, proven by measuring against the reference */
  c = hs_win32_resync (&ref, NULL, &st);
  fprintf (stderr, "clock-fix: %s\n", st.detail);
  if (c == HS_PORT_ACCESS_DENIED || (c == HS_PORT_FAILED && strstr (st.detail, "SetSystemTime")))
    return c == HS_PORT_ACCESS_DENIED ? HS_ELEVATED_ACCESS_DENIED : HS_ELEVATED_SET_TIME_FAILED;
  return exit_for (c, HS_ELEVATED_RESYNC_FAILED);
}

/* ---- ShellExecuteExW with COM, as its documentation asks ------------------ */

typedef struct {
  SHELLEXECUTEINFOW *sei;
  BOOL  ok;
  DWORD err;
} ShellCall;

static void
shell_call (ShellCall *call)
{
  /* "Because ShellExecuteEx can delegate execution to Shell extensions ...
   * that are activated using COM, COM should be initialized before
   * ShellExecuteEx is called" (shellapi.h docs) */
  HRESULT hr = CoInitializeEx (NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);
  if (hs_win32_test_hooks.before_shell_execute)
    hs_win32_test_hooks.before_shell_execute (call->sei, hs_win32_test_hooks.data);
  call->ok = ShellExecuteExW (call->sei);
  call->err = GetLastError ();
  if (SUCCEEDED (hr))   /* S_OK and S_FALSE both need their CoUninitialize */
    CoUninitialize ();
}

static DWORD WINAPI
shell_thread (LPVOID data)
{
  shell_call (data);
  return 0;
}

/* Runs ShellExecuteExW on this thread when it is (or can become) a
 * single-threaded apartment, else on a helper thread that is one. */
static void
shell_execute_sta (ShellCall *call)
{
  HRESULT hr = CoInitializeEx (NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);
  if (SUCCEEDED (hr))
    {
      CoUninitialize ();   /* shell_call initialises again, balanced */
      shell_call (call);
      return;
    }
  /* RPC_E_CHANGED_MODE: this thread is in the multithreaded apartment */
  HANDLE t = CreateThread (NULL, 0, shell_thread, call, 0, NULL);
  if (t == NULL)
    {
      call->ok = FALSE;
      call->err = GetLastError ();
      return;
    }
  WaitForSingleObject (t, INFINITE);   /* ShellExecuteExW returns once started or refused */
  CloseHandle (t);
}

HsPortCode
hs_win32_elevate (const char *action, const HsClockReference *ref, uintptr_t owner_window,
                  int *exit_code, const HsPortCancel *cancel, HsPortStatus *st)
{
  if (exit_code)
    *exit_code = -1;
  if (action == NULL || strchr (action, ':') != NULL || !hs_win32_elevated_action_known (action))
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "\"%s\" is not an elevated action",
                          action ? action : "");
      return HS_PORT_BAD_INPUT;
    }

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

  /* integers only, in the C locale: nothing a locale can reformat */
  char spec[128], params[192];
  hs_win32_format_action_spec (action, ref, spec, sizeof spec);
  snprintf (params, sizeof params, "--elevated-action=%s", spec);
  wchar_t *wparams = hs_win32_wide (params);
  SHELLEXECUTEINFOW sei;
  memset (&sei, 0, sizeof sei);
  sei.cbSize = sizeof sei;
  sei.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_NOASYNC | SEE_MASK_FLAG_NO_UI;
  sei.hwnd = (HWND) owner_window;   /* the UAC prompt belongs to the wizard */
  sei.lpVerb = L"runas";
  sei.lpFile = exe;
  sei.lpParameters = wparams;
  sei.nShow = SW_HIDE;
  ShellCall call = { &sei, FALSE, 0 };
  shell_execute_sta (&call);
  free (wparams);
  if (!call.ok)
    {
      if (call.err == ERROR_CANCELLED)
        {
          hs_port_status_set (st, HS_PORT_DECLINED, call.err, "the administrator prompt was declined");
          return HS_PORT_DECLINED;
        }
      return hs_win32_status_from_error (st, call.err, "ShellExecuteExW(runas)");
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
          DWORD e = GetLastError ();
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
  DWORD ec = HS_ELEVATED_FAILED;
  GetExitCodeProcess (sei.hProcess, &ec);
  CloseHandle (sei.hProcess);
  if (exit_code)
    *exit_code = (int) ec;
  return hs_win32_elevated_exit_status ((int) ec, st);
}
