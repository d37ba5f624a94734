/* hs-win32.h — the real Windows platform layer. Plain C over the Win32 API,
 * no GLib; UTF-8 in and out (converted to UTF-16 at the API edge).
 *
 * hs_win32_platform_new() fills an HsPlatform (core/port/hs-platform.h).
 * The lower-level functions below are what the vtable calls; the probe
 * (hs-win32-probe.exe) and the Wine suites call them directly.
 */
#ifndef HS_WIN32_H
#define HS_WIN32_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "hs-platform.h"
#include "hs-win32-text.h"

#ifdef __cplusplus
extern "C" {
#endif

HsPlatform *hs_win32_platform_new (void);

/* Called by the CLI inside the elevated helper (handshake-cli.exe
 * --elevated-action=NAME --offset=N). NAME must be on the fixed list
 * ("clock-fix"); anything else returns 2 (usage error) without doing
 * anything. Returns 0 when the action succeeded, 1 when it failed. */
int         hs_win32_run_elevated_action (const char *name, double offset);
/* 1 if NAME is on the fixed list of elevated actions. */
int         hs_win32_elevated_action_known (const char *name);

/* ---- strings ----------------------------------------------------------- */
wchar_t    *hs_win32_wide (const char *utf8);          /* malloc'd, NULL on bad input */
char       *hs_win32_utf8 (const wchar_t *wide);       /* malloc'd, NULL on bad input */
char       *hs_win32_utf8_n (const wchar_t *wide, size_t n_chars);

/* ---- process runner ---------------------------------------------------- */
typedef enum {
  HS_WIN32_PROG_POWERSHELL = 0,  /* <System>\WindowsPowerShell\v1.0\powershell.exe */
  HS_WIN32_PROG_W32TM            /* <System>\w32tm.exe */
} HsWin32Program;

#define HS_WIN32_CAPTURE_MAX (1024 * 1024)   /* per stream */

typedef struct {
  uint32_t exit_code;
  char    *out;            /* NUL-terminated, raw bytes of the child's stdout */
  size_t   out_len;
  int      out_truncated;
  char    *err;
  size_t   err_len;
  int      err_truncated;
} HsWin32ProcResult;

/* Absolute path of PROG from GetSystemDirectoryW (never PATH or the
 * environment). buf holds at least MAX_PATH wide chars. */
HsPortCode  hs_win32_program_path (HsWin32Program prog, wchar_t *buf, size_t n_buf,
                                   HsPortStatus *st);
/* Quotes one argument so that CommandLineToArgvW / the MS C runtime give it
 * back unchanged. malloc'd. */
wchar_t    *hs_win32_quote_arg (const wchar_t *arg);
/* Builds "\"path\" arg1 arg2…" (each quoted). malloc'd. */
wchar_t    *hs_win32_build_command_line (const wchar_t *path, const char *const *args,
                                         size_t n_args);
/* Runs PROG with ARGS (UTF-8) and waits at most timeout_ms (0 = 60 s), polling
 * cancel. The child and all its descendants live in a job object that is
 * killed on timeout, cancel, and after the child exits. Returns HS_PORT_OK
 * when the child ran to its end (whatever its exit code: see res->exit_code),
 * HS_PORT_NOT_FOUND when the program is not installed, HS_PORT_TIMEOUT,
 * HS_PORT_CANCELLED or HS_PORT_FAILED. */
HsPortCode  hs_win32_run (HsWin32Program prog, const char *const *args, size_t n_args,
                          uint32_t timeout_ms, const HsPortCancel *cancel,
                          HsWin32ProcResult *res, HsPortStatus *st);
/* Same with an explicit absolute path (tests, the elevated helper). */
HsPortCode  hs_win32_run_path (const wchar_t *abs_path, const char *const *args,
                               size_t n_args, uint32_t timeout_ms,
                               const HsPortCancel *cancel, HsWin32ProcResult *res,
                               HsPortStatus *st);
void        hs_win32_proc_result_clear (HsWin32ProcResult *res);
/* For a child that ran to its end with a non-zero exit: sets st to
 * HS_PORT_FAILED, detail "WHAT exited with N: <first line>" or "WHAT crashed
 * (0xC0000005, access violation): <first line>", the line taken from stderr
 * (stdout when stdout_first, or when stderr is empty) through
 * hs_win32_first_line. Returns HS_PORT_FAILED. */
HsPortCode  hs_win32_status_from_exit (HsPortStatus *st, const char *what,
                                       const HsWin32ProcResult *res, int stdout_first);

/* ---- step 1: clock ----------------------------------------------------- */
HsPortCode  hs_win32_time_settings (HsTimeSettings *out, HsPortStatus *st);
HsPortCode  hs_win32_enable_auto_time (HsPortStatus *st);
HsPortCode  hs_win32_resync (double measured_offset, int offset_known,
                             const HsPortCancel *cancel, HsPortStatus *st);
HsTri       hs_win32_is_elevated (void);
HsTri       hs_win32_is_domain_member (void);
#define HS_WIN32_MAX_PHASE_CORRECTION 54000.0   /* seconds: w32tm's default limit */
/* The clock fallback's HTTPS Date request through WinHTTP (an
 * HsHttpsDateFunc, see hs-platform.h): the user's proxy settings, the
 * Windows certificate store unless ca_file is given. timeout_ms 0 = 10 s. */
HsPortCode  hs_win32_https_date (const char *url, const char *ca_file, uint32_t timeout_ms,
                                 const HsPortCancel *cancel, HsHttpsDate *out,
                                 HsPortStatus *st);

/* ---- step 2: credentials ----------------------------------------------- */
HsPortCode  hs_win32_list_credentials (HsCredentialList *out, HsPortStatus *st);
HsPortCode  hs_win32_delete_credentials (const HsCredentialRef *refs, size_t n_refs,
                                         const char *backup_dir, char **backup_path,
                                         HsCredentialOutcome *outcomes,
                                         const HsPortCancel *cancel, HsPortStatus *st);
HsPortCode  hs_win32_restore_credentials (const char *backup_path, size_t *n_restored,
                                          HsPortStatus *st);
HsPortCode  hs_win32_backup_dir (char **out, HsPortStatus *st);

/* ---- step 3: broker ---------------------------------------------------- */
HsPortCode  hs_win32_package_state (const char *family, HsPackageState *out,
                                    const HsPortCancel *cancel, HsPortStatus *st);
HsPortCode  hs_win32_reregister_package (const char *family, const HsPortCancel *cancel,
                                         HsPortStatus *st);
/* Bounds on the PowerShell runs of step 3: Get-AppxPackage answers in a few
 * seconds even on a cold start, and the check is what a person waits for;
 * a deployment (Add-AppxPackage) may legitimately take minutes. */
#define HS_WIN32_APPX_LOOKUP_TIMEOUT_MS 20000
#define HS_WIN32_APPX_REGISTER_TIMEOUT_MS 120000

/* ---- step 4: accounts -------------------------------------------------- */
HsPortCode  hs_win32_list_accounts (HsAccountList *out, HsPortStatus *st);

/* ---- shell ------------------------------------------------------------- */
HsPortCode  hs_win32_open_settings (const char *uri, HsPortStatus *st);
HsPortCode  hs_win32_restart_computer (HsPortStatus *st);
HsPortCode  hs_win32_restart_teams (const HsPortCancel *cancel, HsPortStatus *st);
/* Grace period for WM_CLOSE before TerminateProcess, ms (default 5000). */
void        hs_win32_set_teams_grace_ms (uint32_t ms);
HsPortCode  hs_win32_elevate (const char *action, double arg, int *exit_code,
                              const HsPortCancel *cancel, HsPortStatus *st);

/* ---- internal helpers shared by the win32 files ------------------------ */
HsPortCode  hs_win32_status_from_error (HsPortStatus *st, uint32_t err, const char *what);
int         hs_win32_running_under_wine (void);

#ifdef __cplusplus
}
#endif

#endif /* HS_WIN32_H */
