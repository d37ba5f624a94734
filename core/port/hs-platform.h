/* hs-platform.h — the platform port: what a step needs from the machine.
 *
 * Plain C, no GLib: the win32 instance (core/win32/) is built with nothing but
 * mingw-w64 and the Win32 API, and the practice instance (core/practice/)
 * simulates a Windows machine from a scenario file. Strings are UTF-8.
 *
 * Conventions
 *  - Every call is blocking and may be slow (registry, SCM, child processes):
 *    core calls it from a worker thread, never from the UI thread.
 *  - Every call returns an HsPortCode and fills an HsPortStatus (may be NULL)
 *    with the OS error number and an English, untranslated detail for logs.
 *  - Memory returned through out-parameters is owned by the caller and freed
 *    with the matching hs_port_*_free() (plain free() underneath).
 *  - Secrets (credential blobs) never cross this interface: listings carry
 *    the blob's size only.
 *  - A call that can take long polls HsPortCancel and returns
 *    HS_PORT_CANCELLED when asked to stop.
 */
#ifndef HS_PLATFORM_H
#define HS_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "hs-net-facts.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  HS_PORT_OK = 0,
  HS_PORT_NOT_FOUND,      /* the thing asked about does not exist (e.g. service 1060) */
  HS_PORT_ACCESS_DENIED,  /* the OS refused; retrying as the same user will not help */
  HS_PORT_DECLINED,       /* the user said no (UAC prompt, confirmation) */
  HS_PORT_UNSUPPORTED,    /* not available on this platform / OS version */
  HS_PORT_UNREACHABLE,    /* network or service could not be reached */
  HS_PORT_TIMEOUT,        /* bounded wait ran out; any child process was killed */
  HS_PORT_CANCELLED,      /* HsPortCancel said stop */
  HS_PORT_IO,             /* reading or writing a file failed */
  HS_PORT_BAD_INPUT,      /* malformed file or argument */
  HS_PORT_FAILED,         /* anything else; see detail */
  /* Added for issue 11 ("right on a real Windows PC"); each asks the engine
   * for its own result code and message. */
  HS_PORT_SKIPPED,        /* deliberately not done: doing it would lose something or
                           * needs a permission the caller did not give; the
                           * per-entry reason (HsCredSkipReason) says which */
  HS_PORT_STALE,          /* what the call relied on changed since it was read (the
                           * clock moved since it was measured, the measurement is
                           * too old): measure again, then retry */
  HS_PORT_NO_EFFECT,      /* the action reported success but measuring shows that
                           * nothing changed */
  HS_PORT_PENDING,        /* accepted, but not confirmed by measuring yet (Windows
                           * corrects small clock errors gradually): check again */
  HS_PORT_MANAGED         /* a policy owns the setting: changing it would be undone;
                           * tell the user it is managed by their organisation */
} HsPortCode;

typedef struct {
  HsPortCode code;
  uint32_t   os_error;      /* GetLastError()/errno/HRESULT, 0 if none */
  char       detail[512];   /* English, for logs and reports; never a secret */
} HsPortStatus;

/* Cancellation without GLib: core wires a GCancellable to this. */
typedef struct {
  int  (*is_cancelled) (void *data);
  void  *data;
} HsPortCancel;

typedef enum { HS_TRI_UNKNOWN = -1, HS_TRI_NO = 0, HS_TRI_YES = 1 } HsTri;

/* ---- Step 1: clock ---------------------------------------------------- */

typedef enum {
  HS_SERVICE_UNKNOWN = 0,
  HS_SERVICE_MISSING,        /* ERROR_SERVICE_DOES_NOT_EXIST */
  HS_SERVICE_STOPPED,
  HS_SERVICE_STARTING,
  HS_SERVICE_RUNNING,
  HS_SERVICE_STOPPING
} HsServiceState;

typedef enum {
  HS_START_UNKNOWN = 0,
  HS_START_AUTO,
  HS_START_MANUAL,           /* includes trigger start */
  HS_START_DISABLED
} HsServiceStart;

typedef struct {
  char           sync_type[16];   /* "NTP", "NT5DS", "NoSync", "AllSync", "" = unknown */
  char           ntp_server[256]; /* W32Time NtpServer, "" = unknown */
  HsServiceState service_state;   /* W32Time */
  HsServiceStart service_start;
  HsTri          tz_auto;         /* tzautoupdate enabled */
  HsTri          domain_member;
  HsTri          elevated;        /* is this process already elevated */
  /* Group Policy and MDM (issue 11, point 3). A policy-owned value must not
   * be "fixed": the next policy refresh writes it back. Read from
   * HKLM\SOFTWARE\Policies\Microsoft\W32Time\Parameters (Type, NtpServer),
   * ...\W32Time\TimeProviders\NtpClient (Enabled), the location policy
   * (HKLM and HKCU ...\Windows\LocationAndSensors DisableLocation: automatic
   * time zone needs location) and the MDM TimeLanguageSettings/ConfigureTimeZone
   * policy (PolicyManager\current\device). See core/win32/README.md. */
  HsTri          policy_time_source;    /* YES: a policy sets Type or NtpServer, or
                                         * turns the NTP client off */
  char           policy_sync_type[16];  /* the policy's Type, "" when not set */
  char           policy_ntp_server[256];/* the policy's NtpServer, "" when not set */
  HsTri          policy_ntp_client;     /* NtpClient Enabled by policy: YES 1, NO 0,
                                         * UNKNOWN when no policy sets it */
  HsTri          policy_tz_auto_blocked;/* YES: location is turned off by policy, so
                                         * "set time zone automatically" cannot work */
  char           policy_time_zone[128]; /* the time zone an MDM policy imposes, "" none */
} HsTimeSettings;

/* A measured offset tied to an absolute reference, so that a fix made later
 * (after a UAC prompt, in another process) never steps the clock from a
 * stale number: the helper recomputes the offset from true UTC and a
 * system-wide monotonic clock, and refuses when the clock moved since. */
typedef struct {
  int64_t system_utc_us;  /* the system clock (UTC), microseconds since 1970 */
  int64_t mono_us;        /* system-wide monotonic clock, microseconds (Windows:
                           * QueryPerformanceCounter, same in every process) */
} HsClockStamp;

typedef struct {
  int     valid;          /* 0: no measurement (offset unknown) */
  int64_t true_utc_us;    /* true UTC at the measurement, microseconds since 1970 */
  int64_t offset_us;      /* system clock minus true UTC then (positive: ahead) */
  int64_t mono_us;        /* the monotonic stamp taken at that same moment */
} HsClockReference;

/* Tolerances of the elevated clock fix (microseconds). */
#define HS_CLOCK_REF_MAX_AGE_US     (15LL * 60 * 1000000)  /* older: measure again */
#define HS_CLOCK_REF_MOVED_US       (2LL * 1000000)        /* clock moved since: refuse */
#define HS_CLOCK_FIXED_US           (2LL * 1000000)        /* within this: fixed */

/* A platform may supply the clock offset itself (practice mode); a real one
 * returns HS_PORT_UNSUPPORTED and core measures over the network. */
typedef struct {
  double offset_seconds;       /* positive: this computer is ahead of true time */
  double uncertainty_seconds;
  char   source[128];
} HsOffsetSample;

/* The clock fallback when UDP 123 is blocked: one HTTPS HEAD request read
 * for its Date header (1 s resolution). Plain data, nothing to free. */
typedef struct {
  int      answered;          /* 1: a response with a usable Date header came back */
  int64_t  date_unix;         /* the server's Date, seconds since 1970 (UTC) */
  char     date[64];          /* the Date header as received, "" when none */
  int64_t  send_usec;         /* real time, µs since 1970: the request was about to be
                               * written, after connect and TLS */
  int64_t  recv_usec;         /* real time, µs since 1970: the response headers had arrived */
  int      tls_dates_only;    /* the certificate was accepted although its dates are
                               * invalid: evidence of a wrong clock */
  int      http_status;       /* status code of the response, 0 when none */
  uint32_t elapsed_ms;        /* how long the call took (monotonic) */
  char     failure[256];      /* English reason when !answered, "" otherwise */
} HsHttpsDate;

/* HEAD @url (https only): no redirects followed, no cookies, no credentials.
 * Returns within @timeout_ms whatever the network does, polling @cancel.
 * @ca_file (PEM, may be NULL): trust exactly these CAs instead of the system
 * store. A certificate that fails only on its validity dates is accepted
 * and flagged tls_dates_only; any other certificate problem is a failure.
 * HS_PORT_OK when answered; otherwise out->failure says why (the same text
 * as st->detail): HS_PORT_UNREACHABLE (name not resolved, could not
 * connect), HS_PORT_TIMEOUT, HS_PORT_CANCELLED, HS_PORT_BAD_INPUT (URL, CA
 * file), HS_PORT_FAILED (TLS, no Date header, bad response). */
typedef HsPortCode (*HsHttpsDateFunc) (const char *url, const char *ca_file,
                                       uint32_t timeout_ms, const HsPortCancel *cancel,
                                       HsHttpsDate *out, HsPortStatus *st);

/* ---- Step 2: credentials ---------------------------------------------- */

/* Numeric values are Windows' CRED_TYPE_* and CRED_PERSIST_* */
typedef struct {
  char    *target;
  uint32_t type;
  char    *user;              /* may be NULL */
  char    *comment;           /* may be NULL */
  int64_t  last_written_unix; /* seconds since 1970, UTC; 0 = unknown */
  uint32_t persist;
  uint32_t blob_size;
  /* Whether a backup can put this entry back as it is (issue 11, point 1):
   * NO when Windows hands out no secret for it (CRED_TYPE_DOMAIN_PASSWORD,
   * _DOMAIN_CERTIFICATE, _DOMAIN_EXTENDED: the blob is readable by the
   * authentication packages only), so a backup would hold an entry without
   * its secret. Deleting such an entry needs HS_CRED_ALLOW_UNRESTORABLE. */
  HsTri    restorable;
} HsCredential;

typedef struct {
  HsCredential *items;
  size_t        n_items;
} HsCredentialList;

/* Permissions a caller grants per credential (HsCredentialRef.allow). Zero
 * (what a zero-filled array gives) is the safe default. */
#define HS_CRED_ALLOW_UNRESTORABLE 0x1u   /* delete it even though the backup cannot
                                           * hold its secret (the user agreed that it
                                           * cannot be put back) */

typedef struct {
  const char *target;
  uint32_t    type;
  uint32_t    allow;      /* HS_CRED_ALLOW_* */
} HsCredentialRef;

/* Why an entry was skipped (outcome code HS_PORT_SKIPPED). */
typedef enum {
  HS_CRED_SKIP_NONE = 0,
  HS_CRED_SKIP_UNRESTORABLE,   /* delete: its secret cannot be backed up and the caller
                                * did not pass HS_CRED_ALLOW_UNRESTORABLE */
  HS_CRED_SKIP_NO_SECRET,      /* restore: the backup holds no secret for it (Windows
                                * never handed it out); writing it would create an
                                * entry without its password */
  HS_CRED_SKIP_NEWER,          /* restore: an entry with the same target and type was
                                * written after the backup; HS_RESTORE_OVERWRITE_NEWER
                                * was not passed */
  HS_CRED_SKIP_AGE_UNKNOWN     /* restore: an entry with the same target and type exists
                                * and the backup does not say when it was made */
} HsCredSkipReason;

/* Per-credential outcome of a delete: HS_PORT_OK (deleted), HS_PORT_NOT_FOUND
 * (vanished between listing and deleting: reported, not fatal), HS_PORT_SKIPPED
 * (not deleted, not in the backup; see reason), or an error. */
typedef struct {
  HsPortCode       code;
  uint32_t         os_error;
  HsCredSkipReason reason;
} HsCredentialOutcome;

/* Restore flags. */
#define HS_RESTORE_OVERWRITE_NEWER 0x1u   /* write over entries newer than the backup */

/* Per-entry outcome of a restore: HS_PORT_OK (written), HS_PORT_SKIPPED (see
 * reason; nothing written), or an error from CredWriteW. */
typedef struct {
  char            *target;   /* UTF-8; may name a person (e-mail in the target) */
  uint32_t         type;
  HsPortCode       code;
  uint32_t         os_error;
  HsCredSkipReason reason;
} HsRestoreEntry;

typedef struct {
  HsRestoreEntry *items;     /* one per entry of the backup, in its order */
  size_t          n_items;
  size_t          n_restored;/* entries with code HS_PORT_OK */
} HsRestoreList;

/* ---- Step 3: broker plugin -------------------------------------------- */

typedef enum {
  HS_LOOKUP_NONE = 0,
  HS_LOOKUP_API,             /* GetPackagesByPackageFamily */
  HS_LOOKUP_POWERSHELL,      /* Get-AppxPackage fallback */
  HS_LOOKUP_SIMULATED
} HsLookupMethod;

typedef struct {
  char           family[128];
  HsTri          registered;       /* for the current user */
  HsTri          manifest_present;
  char           manifest_path[520];
  HsLookupMethod method;
  /* The package's status for this user (issue 11, point 7): Get-AppxPackage's
   * Status (Windows.Management.Deployment.PackageStatus / the
   * Windows.ApplicationModel.PackageStatus groups). A registered package that
   * is not Ok is broken and re-registering is the fix. */
  HsTri          status_ok;        /* YES Ok, NO any other status, UNKNOWN not read */
  uint32_t       status_flags;     /* HS_PKG_STATUS_* */
  char           status_text[64];  /* as printed (letters, digits, ", " only), "" unknown */
} HsPackageState;

#define HS_PKG_STATUS_LICENSE_ISSUE     0x001u
#define HS_PKG_STATUS_MODIFIED          0x002u
#define HS_PKG_STATUS_TAMPERED          0x004u
#define HS_PKG_STATUS_DISABLED          0x008u
#define HS_PKG_STATUS_DEPENDENCY_ISSUE  0x010u
#define HS_PKG_STATUS_NEEDS_REMEDIATION 0x020u  /* the group name itself */
#define HS_PKG_STATUS_NOT_AVAILABLE     0x040u  /* NotAvailable, PackageOffline, DataOffline */
#define HS_PKG_STATUS_SERVICING         0x080u  /* Servicing, DeploymentInProgress: wait */
#define HS_PKG_STATUS_PARTIALLY_STAGED  0x100u
#define HS_PKG_STATUS_OTHER             0x200u  /* a name not known here */

#define HS_BROKER_FAMILY "Microsoft.AAD.BrokerPlugin_cw5n1h2txyewy"
#define HS_CXH_FAMILY    "Microsoft.Windows.CloudExperienceHost_cw5n1h2txyewy"

/* ---- Step 4: accounts ------------------------------------------------- */

typedef enum {
  HS_ACCOUNT_UNKNOWN = 0,
  HS_ACCOUNT_WORK,           /* work or school (Entra ID) */
  HS_ACCOUNT_PERSONAL        /* Microsoft account */
} HsAccountKind;

typedef struct {
  char         *email;
  HsAccountKind kind;
  char         *sources;     /* comma-separated, e.g. "aad_join,workplace_join,tbacct" */
  /* 1 when every source is a device join record (CloudDomainJoin JoinInfo or
   * NetGetAadJoinInformation's device join, source "aad_join"): that address
   * is the account that joined the device, often IT's, not necessarily an
   * account signed in for this user (issue 11, point 9). */
  int           join_record_only;
} HsAccount;

typedef struct {
  HsAccount *items;
  size_t     n_items;
} HsAccountList;

/* ---- Users and sessions (issue 11, points 4 and 5) -------------------- */

/* Who runs this process and who sits at the session it runs in. Support
 * staff who start the wizard with their own administrator account ("Run as
 * a different user") run it as themselves: then the vault, the broker
 * packages and the accounts are theirs, not the person's. Names are personal
 * data (mask them in reports). */
typedef struct {
  char     process_user[256];    /* DOMAIN\user of the process token */
  char     session_user[256];    /* DOMAIN\user logged on to the session, "" if none */
  uint32_t session_id;           /* ProcessIdToSessionId of this process */
  HsTri    same_user;            /* YES same account, NO another account, UNKNOWN */
} HsUserContext;

/* What restarting Teams did (issue 11, point 5); only processes in this
 * process's session count. New Teams minimises to the tray on WM_CLOSE:
 * such a process is still alive with its window hidden, and is ended. */
typedef struct {
  uint32_t found;               /* Teams processes in this session */
  uint32_t other_sessions;      /* Teams processes of other sessions, left alone */
  uint32_t closed;              /* exited after WM_CLOSE */
  uint32_t hidden_then_ended;   /* hid their window (tray) and were then ended */
  uint32_t killed;              /* did not react within the grace time: ended */
  uint32_t survived;            /* could not be ended */
  int      relaunched;          /* 1 when a start was requested successfully */
} HsTeamsRestart;

/* ---- The port ---------------------------------------------------------- */

typedef struct HsPlatform HsPlatform;

struct HsPlatform {
  const char *name;          /* "win32", "practice" */
  int         simulated;     /* 1 for practice: nothing on this computer changes */
  void       *self;          /* instance data */

  /* Step 1 */
  HsPortCode (*time_settings)     (void *self, HsTimeSettings *out, HsPortStatus *st);
  HsPortCode (*clock_offset)      (void *self, HsOffsetSample *out, HsPortStatus *st);
  /* The system clock and the monotonic clock read at one moment; take it
   * right after measuring the offset and build an HsClockReference with
   * hs_clock_reference_make(). */
  HsPortCode (*clock_stamp)       (void *self, HsClockStamp *out, HsPortStatus *st);
  /* Elevated part of the clock fix (run inside the elevated helper on Windows):
   * automatic time on (Type=NTP unless domain member or a policy owns Type),
   * service automatic and started, the service told (w32tm /config /update).
   * HS_PORT_MANAGED when a policy turns time synchronisation off. */
  HsPortCode (*enable_auto_time)  (void *self, HsPortStatus *st);
  /* w32tm /resync /rediscover, then proven by measuring against ref: OK when
   * the clock is within HS_CLOCK_FIXED_US, HS_PORT_NO_EFFECT when it did not
   * move, HS_PORT_PENDING when Windows corrects it gradually,
   * HS_PORT_UNREACHABLE when no time source answered, HS_PORT_STALE when the
   * clock moved since ref was measured or ref is too old. When the offset
   * exceeds w32tm's correction limit the clock is set from ref directly.
   * ref may be NULL or !valid (nothing measured): then no direct setting and
   * no proof (HS_PORT_PENDING on a w32tm success). */
  HsPortCode (*resync)            (void *self, const HsClockReference *ref,
                                   const HsPortCancel *cancel, HsPortStatus *st);

  /* Step 2 */
  HsPortCode (*list_credentials)  (void *self, HsCredentialList *out, HsPortStatus *st);
  /* Backs up every ref to one file in backup_dir (encrypted for the user),
   * then deletes them. If the backup cannot be written nothing is deleted.
   * outcomes has n_refs entries. *backup_path is malloc'd. */
  HsPortCode (*delete_credentials)(void *self, const HsCredentialRef *refs, size_t n_refs,
                                   const char *backup_dir, char **backup_path,
                                   HsCredentialOutcome *outcomes,
                                   const HsPortCancel *cancel, HsPortStatus *st);
  /* Writes the backup's entries back, each with its outcome in *out (free
   * with hs_port_restore_list_free). Never writes an entry without its
   * secret; skips entries newer than the backup unless flags has
   * HS_RESTORE_OVERWRITE_NEWER. Returns OK when every entry was written,
   * HS_PORT_SKIPPED when some were skipped and none failed, HS_PORT_FAILED
   * when a write failed; BAD_INPUT/NOT_FOUND/IO for the file (nothing written). */
  HsPortCode (*restore_credentials)(void *self, const char *backup_path, uint32_t flags,
                                    HsRestoreList *out, HsPortStatus *st);
  /* Directory for backups (e.g. %LOCALAPPDATA%\Handshake\backups); malloc'd. */
  HsPortCode (*backup_dir)        (void *self, char **out, HsPortStatus *st);

  /* Step 3 */
  HsPortCode (*package_state)     (void *self, const char *family, HsPackageState *out,
                                   const HsPortCancel *cancel, HsPortStatus *st);
  HsPortCode (*reregister_package)(void *self, const char *family,
                                   const HsPortCancel *cancel, HsPortStatus *st);

  /* Step 4 */
  HsPortCode (*list_accounts)     (void *self, HsAccountList *out, HsPortStatus *st);

  /* Which account runs this process, which one sits at its session. */
  HsPortCode (*user_context)      (void *self, HsUserContext *out, HsPortStatus *st);

  /* Shell. open_settings takes ms-settings: URIs only (work accounts:
   * hs_account_settings_page()). restart_teams fills *report when not NULL. */
  HsPortCode (*open_settings)     (void *self, const char *uri, HsPortStatus *st);
  HsPortCode (*restart_teams)     (void *self, HsTeamsRestart *report,
                                   const HsPortCancel *cancel, HsPortStatus *st);
  /* Restarts Windows (apps that registered for restart come back); the
   * caller has asked the user first. */
  HsPortCode (*restart_computer)  (void *self, HsPortStatus *st);
  /* Runs one named admin action in an elevated helper and waits; names come
   * from a fixed list ("clock-fix"). ref is the clock measurement the helper
   * checks before touching the clock (may be NULL). owner_window is the
   * wizard's top-level window (an HWND on Windows, 0 for none): the UAC
   * prompt belongs to it. *exit_code is the helper's exit code; the return
   * value maps each of the helper's failure reasons to its own code
   * (DECLINED, NOT_FOUND, ACCESS_DENIED, UNREACHABLE, TIMEOUT, STALE,
   * NO_EFFECT, PENDING, MANAGED, FAILED) with an English detail. */
  HsPortCode (*elevate)           (void *self, const char *action,
                                   const HsClockReference *ref, uintptr_t owner_window,
                                   int *exit_code, const HsPortCancel *cancel,
                                   HsPortStatus *st);

  /* The network check of the sign-in path (issue 14; core/net): a platform
   * may supply the facts for an endpoint itself (practice mode: from its
   * scenario, nothing is sent); a real one answers HS_PORT_UNSUPPORTED and
   * core measures over the network. *out is initialised by the caller. */
  HsPortCode (*net_facts)         (void *self, const char *url, HsNetFacts *out,
                                   HsPortStatus *st);

  void       (*destroy)           (void *self);
};

/* Helpers shared by every instance (hs-platform.c, plain C). */
void        hs_port_status_set   (HsPortStatus *st, HsPortCode code, uint32_t os_error,
                                  const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__ ((format (printf, 4, 5)))
#endif
  ;
const char *hs_port_code_name    (HsPortCode code);
void        hs_port_credentials_free (HsCredentialList *list);
void        hs_port_accounts_free    (HsAccountList *list);
int         hs_port_cancelled    (const HsPortCancel *cancel);
const char *hs_service_state_name (HsServiceState s);
const char *hs_service_start_name (HsServiceStart s);
const char *hs_cred_type_name    (uint32_t type);
const char *hs_cred_persist_name (uint32_t persist);
const char *hs_account_kind_name (HsAccountKind kind);
const char *hs_lookup_method_name (HsLookupMethod method);
const char *hs_cred_skip_reason_name (HsCredSkipReason reason);
void        hs_port_restore_list_free (HsRestoreList *list);
/* The Settings page that lists accounts of this kind: work or school
 * accounts are under "Access work or school" (ms-settings:workplace),
 * personal Microsoft accounts under "Email & accounts"
 * (ms-settings:emailandaccounts). */
const char *hs_account_settings_page (HsAccountKind kind);
/* ref from a measured offset (seconds, positive: this computer is ahead) and
 * a stamp taken right after the measurement. */
void        hs_clock_reference_make (HsClockReference *ref, const HsClockStamp *stamp,
                                     double offset_seconds);
/* The offset now, from ref and a fresh stamp: 1 on success, 0 when ref is
 * not valid, too old (HS_CLOCK_REF_MAX_AGE_US) or from the future. */
int         hs_clock_reference_offset_now (const HsClockReference *ref,
                                           const HsClockStamp *now, int64_t *offset_us);
/* Fills every function pointer a platform left NULL with one that answers
 * HS_PORT_UNSUPPORTED, so that added entries never crash an older platform. */
void        hs_platform_fill_unsupported (HsPlatform *platform);

#ifdef __cplusplus
}
#endif

#endif /* HS_PLATFORM_H */
