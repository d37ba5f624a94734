/* hs-platform.h — the platform port: what a step needs from the machine.
 *
 * Plain C, no GLib: the win32 instance (core/win32/) is built with nothing but
 * mingw-w64 and the Win32 API, and the practice instance (core/hs-practice.c)
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
  HS_PORT_FAILED          /* anything else; see detail */
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
} HsTimeSettings;

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
} HsCredential;

typedef struct {
  HsCredential *items;
  size_t        n_items;
} HsCredentialList;

typedef struct {
  const char *target;
  uint32_t    type;
} HsCredentialRef;

/* Per-credential outcome of a delete: HS_PORT_OK (deleted), HS_PORT_NOT_FOUND
 * (vanished between listing and deleting: reported, not fatal), or an error. */
typedef struct {
  HsPortCode code;
  uint32_t   os_error;
} HsCredentialOutcome;

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
} HsPackageState;

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
} HsAccount;

typedef struct {
  HsAccount *items;
  size_t     n_items;
} HsAccountList;

/* ---- The port ---------------------------------------------------------- */

typedef struct HsPlatform HsPlatform;

struct HsPlatform {
  const char *name;          /* "win32", "practice" */
  int         simulated;     /* 1 for practice: nothing on this computer changes */
  void       *self;          /* instance data */

  /* Step 1 */
  HsPortCode (*time_settings)     (void *self, HsTimeSettings *out, HsPortStatus *st);
  HsPortCode (*clock_offset)      (void *self, HsOffsetSample *out, HsPortStatus *st);
  /* Elevated part of the clock fix (run inside the elevated helper on Windows):
   * automatic time on (Type=NTP unless domain member), service automatic and
   * started. */
  HsPortCode (*enable_auto_time)  (void *self, HsPortStatus *st);
  /* w32tm /resync /rediscover; when |offset| exceeds the 15 h correction limit
   * the clock is set directly from measured_offset instead. */
  HsPortCode (*resync)            (void *self, double measured_offset, int offset_known,
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
  HsPortCode (*restore_credentials)(void *self, const char *backup_path,
                                    size_t *n_restored, HsPortStatus *st);
  /* Directory for backups (e.g. %LOCALAPPDATA%\Handshake\backups); malloc'd. */
  HsPortCode (*backup_dir)        (void *self, char **out, HsPortStatus *st);

  /* Step 3 */
  HsPortCode (*package_state)     (void *self, const char *family, HsPackageState *out,
                                   const HsPortCancel *cancel, HsPortStatus *st);
  HsPortCode (*reregister_package)(void *self, const char *family,
                                   const HsPortCancel *cancel, HsPortStatus *st);

  /* Step 4 */
  HsPortCode (*list_accounts)     (void *self, HsAccountList *out, HsPortStatus *st);

  /* Shell */
  HsPortCode (*open_settings)     (void *self, const char *uri, HsPortStatus *st);
  HsPortCode (*restart_teams)     (void *self, const HsPortCancel *cancel, HsPortStatus *st);
  /* Restarts Windows (apps that registered for restart come back); the
   * caller has asked the user first. */
  HsPortCode (*restart_computer)  (void *self, HsPortStatus *st);
  /* Runs one named admin action in an elevated helper and waits; names come
   * from a fixed list ("clock-fix"). *exit_code is the helper's exit code. */
  HsPortCode (*elevate)           (void *self, const char *action, double arg,
                                   int *exit_code, const HsPortCancel *cancel,
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

#ifdef __cplusplus
}
#endif

#endif /* HS_PLATFORM_H */
