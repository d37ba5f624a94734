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

/* Exit codes of the elevated helper, one per reason, so that the caller
 * (hs_win32_elevate) can say which one happened without reading the
 * helper's output. 0 is "done and proven by measuring". */
typedef enum {
  HS_ELEVATED_OK = 0,               /* done; the clock measured within HS_CLOCK_FIXED_US */
  HS_ELEVATED_FAILED = 1,           /* any other failure (see stderr) */
  HS_ELEVATED_USAGE = 2,            /* unknown action or malformed spec: nothing done */
  HS_ELEVATED_NO_SERVICE = 3,       /* W32Time is not installed: nothing written */
  HS_ELEVATED_ACCESS_DENIED = 4,    /* a write or the privilege was refused */
  HS_ELEVATED_SERVICE_FAILED = 5,   /* W32Time could not be configured or started */
  HS_ELEVATED_CONFIG_UPDATE_FAILED = 6, /* w32tm /config /update failed */
  HS_ELEVATED_NO_TIME_DATA = 7,     /* w32tm /resync: no time source answered */
  HS_ELEVATED_RESYNC_FAILED = 8,    /* w32tm /resync failed otherwise (exit code, crash) */
  HS_ELEVATED_TIMEOUT = 9,          /* w32tm did not answer in time */
  HS_ELEVATED_NO_EFFECT = 10,       /* w32tm said done but the clock did not move */
  HS_ELEVATED_STALE = 11,           /* the clock moved since it was measured, or the
                                     * measurement is too old: nothing done */
  HS_ELEVATED_SET_TIME_FAILED = 12, /* SetSystemTime refused */
  HS_ELEVATED_PENDING = 13,         /* accepted, not proven yet (gradual correction,
                                     * or no measurement to check against) */
  HS_ELEVATED_MANAGED = 14,         /* a policy turns time synchronisation off */
  HS_ELEVATED_IMPLAUSIBLE = 15      /* the measured offset is beyond 20 years */
} HsWin32ElevatedExit;

/* Called by the CLI inside the elevated helper (handshake-cli.exe
 * --elevated-action=SPEC). SPEC is "NAME" or "NAME:TRUE_UTC_US:OFFSET_US:MONO_US"
 * (decimal integers in the C locale; hs_win32_parse_action_spec): the action
 * name from the fixed list ("clock-fix") and the clock reference it checks
 * before touching the clock. offset is the old --offset value and is never
 * used to step the clock. Anything malformed returns HS_ELEVATED_USAGE
 * without doing anything; otherwise one of HsWin32ElevatedExit. */
int         hs_win32_run_elevated_action (const char *spec, double offset);
/* 1 if SPEC names an action on the fixed list (with or without a reference). */
int         hs_win32_elevated_action_known (const char *spec);
/* What an exit code of the helper means: the port code and an English detail. */
HsPortCode  hs_win32_elevated_exit_status (int exit_code, HsPortStatus *st);

/* ---- strings ----------------------------------------------------------- */
wchar_t    *hs_win32_wide (const char *utf8);          /* malloc'd, NULL on bad input */
char       *hs_win32_utf8 (const wchar_t *wide);       /* malloc'd, NULL on bad input */
char       *hs_win32_utf8_n (const wchar_t *wide, size_t n_chars);
/* len bytes in code page cp (CP_OEMCP, 850, 932, ...) as UTF-8, malloc'd and
 * NUL-terminated (embedded NULs kept; *out_len without the final NUL). */
char       *hs_win32_codepage_to_utf8 (unsigned cp, const char *bytes, size_t len,
                                       size_t *out_len);

/* ---- process runner ---------------------------------------------------- */
typedef enum {
  HS_WIN32_PROG_POWERSHELL = 0,  /* <System>\WindowsPowerShell\v1.0\powershell.exe */
  HS_WIN32_PROG_W32TM            /* <System>\w32tm.exe */
} HsWin32Program;

#define HS_WIN32_CAPTURE_MAX (1024 * 1024)   /* per stream */

typedef struct {
  uint32_t exit_code;
  char    *out;            /* NUL-terminated stdout, UTF-8 (see below) */
  size_t   out_len;
  int      out_truncated;
  char    *err;
  size_t   err_len;
  int      err_truncated;
  /* A console program without a console writes redirected output in the
   * OEM code page (w32tm; PowerShell unless told otherwise): a capture that
   * is not valid UTF-8 is decoded from the system locale's OEM code page
   * (LOCALE_IDEFAULTCODEPAGE; not CP_OEMCP, which is 65001 in a process
   * whose manifest sets activeCodePage UTF-8), so localised messages arrive
   * intact. The sizes of what the child wrote, before decoding: */
  size_t   out_raw_len, err_raw_len;
  int      out_decoded, err_decoded;   /* 1 when decoded from the OEM code page */
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
/* w32tm /config /update: tells W32Time to read its changed configuration. */
HsPortCode  hs_win32_w32time_config_update (const HsPortCancel *cancel, HsPortStatus *st);
HsPortCode  hs_win32_resync (const HsClockReference *ref, const HsPortCancel *cancel,
                             HsPortStatus *st);
/* GetSystemTimePreciseAsFileTime and QueryPerformanceCounter, as microseconds. */
HsPortCode  hs_win32_clock_stamp (HsClockStamp *out, HsPortStatus *st);
/* W32Time's MaxAllowedPhaseOffset (seconds): below it W32Time slews the clock
 * gradually instead of stepping it (policy value first, default 300). */
uint32_t    hs_win32_max_allowed_phase_offset (void);
HsTri       hs_win32_is_elevated (void);
HsTri       hs_win32_is_domain_member (void);
#define HS_WIN32_MAX_PHASE_CORRECTION 54000.0   /* seconds: w32tm's default limit */
/* The clock fallback's HTTPS Date request through WinHTTP (an
 * HsHttpsDateFunc, see hs-platform.h): the user's proxy settings, the
 * Windows certificate store unless ca_file is given. timeout_ms 0 = 10 s. */
HsPortCode  hs_win32_https_date (const char *url, const char *ca_file, uint32_t timeout_ms,
                                 const HsPortCancel *cancel, HsHttpsDate *out,
                                 HsPortStatus *st);

/* The network check of the sign-in path for one endpoint (core/net; the
 * facts of hs-net-facts.h): the proxy WinHTTP's settings name for @url
 * (hs_win32_proxy_for_url: IE settings, WPAD/PAC, manual), name resolution
 * and the TCP connection measured with Winsock (to the proxy when there is
 * one), then a HEAD through that proxy with WinHTTP for CONNECT and TLS, the
 * chain judged by CryptoAPI and placed by hs_win32_cert_describe. @ca_file
 * and @public_roots (PEM, may be NULL) are the tests' seams. @on_stage (may
 * be NULL) is called on this thread as each stage begins. Returns within
 * @timeout_ms (0: 10 s) whatever the network does; HS_PORT_OK when the facts
 * are filled (whatever they say), HS_PORT_BAD_INPUT for a bad URL. */
typedef void (*HsWin32NetStageFunc) (HsNetStage stage, void *data);
HsPortCode  hs_win32_net_check (const char *url, const char *ca_file, const char *public_roots,
                                uint32_t timeout_ms, const HsPortCancel *cancel,
                                HsWin32NetStageFunc on_stage, void *stage_data,
                                HsNetFacts *out, HsPortStatus *st);

/* ---- step 2: credentials ----------------------------------------------- */
HsPortCode  hs_win32_list_credentials (HsCredentialList *out, HsPortStatus *st);
HsPortCode  hs_win32_delete_credentials (const HsCredentialRef *refs, size_t n_refs,
                                         const char *backup_dir, char **backup_path,
                                         HsCredentialOutcome *outcomes,
                                         const HsPortCancel *cancel, HsPortStatus *st);
HsPortCode  hs_win32_restore_credentials (const char *backup_path, uint32_t flags,
                                          HsRestoreList *out, HsPortStatus *st);
/* 1 when Windows withholds this type's secret from CredRead/CredEnumerate
 * (CRED_TYPE_DOMAIN_PASSWORD, _DOMAIN_CERTIFICATE, _DOMAIN_EXTENDED). */
int         hs_win32_cred_type_withholds_secret (uint32_t type);
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

/* ---- users and sessions ------------------------------------------------ */
HsPortCode  hs_win32_user_context (HsUserContext *out, HsPortStatus *st);
/* Session of a process (ProcessIdToSessionId); (uint32_t) -1 when unknown. */
uint32_t    hs_win32_session_of (uint32_t pid);

/* ---- shell ------------------------------------------------------------- */
HsPortCode  hs_win32_open_settings (const char *uri, HsPortStatus *st);
HsPortCode  hs_win32_restart_computer (HsPortStatus *st);
HsPortCode  hs_win32_restart_teams (HsTeamsRestart *report, const HsPortCancel *cancel,
                                    HsPortStatus *st);
/* Grace period for WM_CLOSE before TerminateProcess, ms (default 5000). */
void        hs_win32_set_teams_grace_ms (uint32_t ms);
/* Starts the elevated helper for ACTION ("clock-fix") with ref, the UAC
 * prompt owned by owner_window (an HWND, 0 for none), on a thread with COM
 * initialised as ShellExecuteExW needs it; waits; maps the exit code with
 * hs_win32_elevated_exit_status. */
HsPortCode  hs_win32_elevate (const char *action, const HsClockReference *ref,
                              uintptr_t owner_window, int *exit_code,
                              const HsPortCancel *cancel, HsPortStatus *st);

/* ---- seams for the Wine suites (never set in the product) ---------------
 * Wine differs from Windows where these matter: every secret reads back, one
 * user owns one session, ShellExecuteExW "runas" needs no COM. The test tool
 * (tests/win32/hs-wine-tool.c) sets them in its own process; nothing reads
 * the environment or a file for them. */
typedef struct {
  /* behave as Windows: hand out no secret for the domain credential types */
  int   withhold_domain_secrets;
  /* present this account as the session's user (NULL: ask WTS) */
  const wchar_t *session_domain, *session_user;
  /* session of a process instead of ProcessIdToSessionId (NULL: ask Windows) */
  uint32_t (*session_of) (uint32_t pid);
  /* called on the thread that calls ShellExecuteExW, just before it */
  void  (*before_shell_execute) (const void *sei, void *data);
  void   *data;
} HsWin32TestHooks;
extern HsWin32TestHooks hs_win32_test_hooks;

/* ---- internal helpers shared by the win32 files ------------------------ */
HsPortCode  hs_win32_status_from_error (HsPortStatus *st, uint32_t err, const char *what);
int         hs_win32_running_under_wine (void);

#ifdef __cplusplus
}
#endif

#endif /* HS_WIN32_H */
