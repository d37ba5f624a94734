/* hs-win32-broker.c — step 3: is the broker plugin package registered for
 * this user, is its manifest present, re-register it (as the user). */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"

/* Every command starts by making PowerShell write UTF-8 (without a byte
 * order mark): redirected output otherwise follows [Console]::OutputEncoding,
 * the OEM code page, and a localised message would arrive garbled. */
#define PS_UTF8 "[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false; "

typedef LONG (WINAPI *GetPackagesByPackageFamilyFn) (PCWSTR family, UINT32 *count,
                                                     PWSTR *full_names, UINT32 *buffer_length,
                                                     WCHAR *buffer);

static void
manifest_path (const char *family, HsPackageState *out)
{
  wchar_t win[MAX_PATH];
  UINT n = GetSystemWindowsDirectoryW (win, MAX_PATH);
  out->manifest_present = HS_TRI_UNKNOWN;
  out->manifest_path[0] = '\0';
  if (n == 0 || n >= MAX_PATH)
    return;
  char *u = hs_win32_utf8 (win);
  if (u == NULL)
    return;
  snprintf (out->manifest_path, sizeof out->manifest_path, "%s\\SystemApps\\%s\\AppxManifest.xml",
            u, family);
  free (u);
  wchar_t *w = hs_win32_wide (out->manifest_path);
  if (w)
    {
      DWORD a = GetFileAttributesW (w);
      out->manifest_present = (a != INVALID_FILE_ATTRIBUTES && !(a & FILE_ATTRIBUTE_DIRECTORY))
                              ? HS_TRI_YES : HS_TRI_NO;
      free (w);
    }
}

/* -1: API absent or failed; otherwise the package count */
static int
api_count (const char *family)
{
  GetPackagesByPackageFamilyFn fn = NULL;
  HMODULE m = GetModuleHandleW (L"kernelbase.dll");
  if (m)
    fn = (GetPackagesByPackageFamilyFn) (void *) GetProcAddress (m, "GetPackagesByPackageFamily");
  if (fn == NULL && (m = GetModuleHandleW (L"kernel32.dll")) != NULL)
    fn = (GetPackagesByPackageFamilyFn) (void *) GetProcAddress (m, "GetPackagesByPackageFamily");
  if (fn == NULL)
    return -1;
  wchar_t *wf = hs_win32_wide (family);
  if (wf == NULL)
    return -1;
  UINT32 count = 0, buflen = 0;
  LONG r = fn (wf, &count, NULL, &buflen, NULL);
  int result;
  if (r == ERROR_SUCCESS)
    result = (int) count;
  else if (r == ERROR_INSUFFICIENT_BUFFER && count < 10000 && buflen < 1000000)
    {
      PWSTR *names = calloc (count ? count : 1, sizeof *names);
      WCHAR *buf = calloc (buflen ? buflen : 1, sizeof *buf);
      result = -1;
      if (names && buf && fn (wf, &count, names, &buflen, buf) == ERROR_SUCCESS)
        result = (int) count;
      free (names);
      free (buf);
    }
  else
    result = -1;
  free (wf);
  return result;
}

static HsPortCode
powershell_lookup (const char *family, HsTri *registered, HsPackageState *out,
                   const HsPortCancel *cancel, HsPortStatus *st)
{
  char cmd[512];
  char name[128];
  const char *us = strrchr (family, '_');
  snprintf (name, sizeof name, "%.*s", (int) (us - family), family);
  /* family was validated: only [A-Za-z0-9.-_] reach the command */
  snprintf (cmd, sizeof cmd,
            PS_UTF8 "Get-AppxPackage -Name '%s' | ForEach-Object { "
            "'PackageFamilyName=' + $_.PackageFamilyName; "
            "'PackageFullName=' + $_.PackageFullName; 'Status=' + $_.Status }",
            name);
  const char *args[] = { "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
                         "-Command", cmd };
  HsWin32ProcResult res;
  HsPortCode c = hs_win32_run (HS_WIN32_PROG_POWERSHELL, args, 6, HS_WIN32_APPX_LOOKUP_TIMEOUT_MS,
                                cancel, &res, st);
  if (c == HS_PORT_OK)
    {
      char line[200];
      if (res.exit_code != 0)
        c = hs_win32_status_from_exit (st, "Get-AppxPackage", &res, 0);
      else if ((*registered = hs_win32_parse_appx_output (res.out, res.out_truncated, family))
               == HS_TRI_UNKNOWN)
        {
          hs_win32_first_line (res.out, line, sizeof line);
          c = HS_PORT_FAILED;
          hs_port_status_set (st, c, 0, "Get-AppxPackage printed %s output (%lu bytes%s): %s",
                              res.out_truncated ? "too much" : "unexpected",
                              (unsigned long) res.out_raw_len,
                              res.out_truncated ? ", cut" : "", line);
        }
      else
        {
          hs_win32_first_line (res.err, line, sizeof line);
          if (*registered == HS_TRI_NO && line[0] != '\0')
            {
              /* nothing found, but the command complained: not an answer */
              *registered = HS_TRI_UNKNOWN;
              c = HS_PORT_FAILED;
              hs_port_status_set (st, c, 0, "Get-AppxPackage reported an error: %s", line);
            }
          else
            {
              if (*registered == HS_TRI_YES)
                out->status_ok = hs_win32_parse_appx_status (res.out, family, &out->status_flags,
                                                             out->status_text,
                                                             sizeof out->status_text);
              hs_port_status_set (st, HS_PORT_OK, 0, "Get-AppxPackage: %s%s%s",
                                  *registered == HS_TRI_YES ? "registered" : "not registered",
                                  out->status_text[0] ? ", status " : "", out->status_text);
            }
        }
    }
  hs_win32_proc_result_clear (&res);
  return c;
}

HsPortCode
hs_win32_package_state (const char *family, HsPackageState *out, const HsPortCancel *cancel,
                        HsPortStatus *st)
{
  memset (out, 0, sizeof *out);
  out->registered = HS_TRI_UNKNOWN;
  out->manifest_present = HS_TRI_UNKNOWN;
  out->status_ok = HS_TRI_UNKNOWN;
  if (!hs_win32_family_valid (family))
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "not a package family name");
      return HS_PORT_BAD_INPUT;
    }
  snprintf (out->family, sizeof out->family, "%s", family);
  manifest_path (family, out);

  int n = api_count (family);
  HsTri reg = HS_TRI_UNKNOWN;
  HsPortStatus ps = { 0 };
  if (n > 0)
    {
      out->registered = HS_TRI_YES;
      out->method = HS_LOOKUP_API;
      /* The flat API tells presence only; the package's status (Ok, or
       * broken: NeedsRemediation, Modified, Tampered, ...) comes from
       * Get-AppxPackage. If PowerShell cannot say, the status stays unknown. */
      HsPortCode pc = powershell_lookup (family, &reg, out, cancel, &ps);
      if (pc == HS_PORT_CANCELLED)
        {
          if (st)
            *st = ps;
          return pc;
        }
      hs_port_status_set (st, HS_PORT_OK, 0, "GetPackagesByPackageFamily: %d package(s); status %s",
                          n, out->status_text[0] ? out->status_text : "not read");
      return HS_PORT_OK;
    }
  /* API absent, failed, or "no packages" (which is also what Wine's stub
   * says): ask PowerShell before concluding anything. */
  HsPortCode c = powershell_lookup (family, &reg, out, cancel, &ps);
  if (c == HS_PORT_OK)
    {
      out->registered = reg;
      out->method = HS_LOOKUP_POWERSHELL;
      if (st)
        *st = ps;
      return HS_PORT_OK;
    }
  if (c == HS_PORT_CANCELLED)
    {
      if (st)
        *st = ps;
      return c;
    }
  if (n == 0 && !hs_win32_running_under_wine ())
    {
      out->registered = HS_TRI_NO;
      out->method = HS_LOOKUP_API;
      hs_port_status_set (st, HS_PORT_OK, 0,
                          "GetPackagesByPackageFamily: no package (PowerShell check failed: %s)",
                          ps.detail);
      return HS_PORT_OK;
    }
  out->method = HS_LOOKUP_NONE;
  hs_port_status_set (st, c, ps.os_error, "package lookup failed: %s", ps.detail);
  return c;
}

HsPortCode
hs_win32_reregister_package (const char *family, const HsPortCancel *cancel, HsPortStatus *st)
{
  if (strcmp (family ? family : "", HS_BROKER_FAMILY) != 0
      && strcmp (family ? family : "", HS_CXH_FAMILY) != 0)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "only the broker packages are re-registered");
      return HS_PORT_BAD_INPUT;
    }
  HsPackageState ps;
  memset (&ps, 0, sizeof ps);
  manifest_path (family, &ps);
  if (ps.manifest_present != HS_TRI_YES)
    {
      hs_port_status_set (st, HS_PORT_NOT_FOUND, 0, "manifest %s is missing", ps.manifest_path);
      return HS_PORT_NOT_FOUND;
    }
  /* single-quoted PowerShell string: a quote is doubled */
  char quoted[1100];
  size_t o = 0;
  for (const char *p = ps.manifest_path; *p && o + 3 < sizeof quoted; p++)
    {
      if (*p == '\'')
        quoted[o++] = '\'';
      quoted[o++] = *p;
    }
  quoted[o] = '\0';
  char cmd[1400];
  snprintf (cmd, sizeof cmd,
            PS_UTF8 "Add-AppxPackage -Register '%s' -DisableDevelopmentMode -ForceApplicationShutdown",
            quoted);
  const char *args[] = { "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
                         "-Command", cmd };
  HsWin32ProcResult res;
  HsPortCode c = hs_win32_run (HS_WIN32_PROG_POWERSHELL, args, 6, HS_WIN32_APPX_REGISTER_TIMEOUT_MS,
                                cancel, &res, st);
  if (c == HS_PORT_OK && res.exit_code != 0)
    c = hs_win32_status_from_exit (st, "Add-AppxPackage", &res, 0);
  else if (c == HS_PORT_OK)
    hs_port_status_set (st, c, 0, "%s re-registered for this user", family);
  hs_win32_proc_result_clear (&res);
  return c;
}
