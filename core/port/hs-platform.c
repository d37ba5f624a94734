/* hs-platform.c — helpers shared by every platform instance. Plain C. */
#include "hs-platform.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
hs_port_status_set (HsPortStatus *st, HsPortCode code, uint32_t os_error,
                    const char *fmt, ...)
{
  va_list ap;

  if (st == NULL)
    return;
  st->code = code;
  st->os_error = os_error;
  if (fmt == NULL)
    {
      st->detail[0] = '\0';
      return;
    }
  va_start (ap, fmt);
  vsnprintf (st->detail, sizeof st->detail, fmt, ap);
  va_end (ap);
}

const char *
hs_port_code_name (HsPortCode code)
{
  switch (code)
    {
    case HS_PORT_OK: return "ok";
    case HS_PORT_NOT_FOUND: return "not_found";
    case HS_PORT_ACCESS_DENIED: return "access_denied";
    case HS_PORT_DECLINED: return "declined";
    case HS_PORT_UNSUPPORTED: return "unsupported";
    case HS_PORT_UNREACHABLE: return "unreachable";
    case HS_PORT_TIMEOUT: return "timeout";
    case HS_PORT_CANCELLED: return "cancelled";
    case HS_PORT_IO: return "io_error";
    case HS_PORT_BAD_INPUT: return "bad_input";
    case HS_PORT_FAILED: return "failed";
    case HS_PORT_SKIPPED: return "skipped";
    case HS_PORT_STALE: return "stale";
    case HS_PORT_NO_EFFECT: return "no_effect";
    case HS_PORT_PENDING: return "pending";
    case HS_PORT_MANAGED: return "managed";
    }
  return "failed";
}

void
hs_port_credentials_free (HsCredentialList *list)
{
  if (list == NULL)
    return;
  for (size_t i = 0; i < list->n_items; i++)
    {
      free (list->items[i].target);
      free (list->items[i].user);
      free (list->items[i].comment);
    }
  free (list->items);
  list->items = NULL;
  list->n_items = 0;
}

void
hs_port_accounts_free (HsAccountList *list)
{
  if (list == NULL)
    return;
  for (size_t i = 0; i < list->n_items; i++)
    {
      free (list->items[i].email);
      free (list->items[i].sources);
    }
  free (list->items);
  list->items = NULL;
  list->n_items = 0;
}

int
hs_port_cancelled (const HsPortCancel *cancel)
{
  return cancel != NULL && cancel->is_cancelled != NULL &&
         cancel->is_cancelled (cancel->data);
}

const char *
hs_service_state_name (HsServiceState s)
{
  switch (s)
    {
    case HS_SERVICE_MISSING: return "missing";
    case HS_SERVICE_STOPPED: return "stopped";
    case HS_SERVICE_STARTING: return "starting";
    case HS_SERVICE_RUNNING: return "running";
    case HS_SERVICE_STOPPING: return "stopping";
    case HS_SERVICE_UNKNOWN: break;
    }
  return "unknown";
}

const char *
hs_service_start_name (HsServiceStart s)
{
  switch (s)
    {
    case HS_START_AUTO: return "auto";
    case HS_START_MANUAL: return "manual";
    case HS_START_DISABLED: return "disabled";
    case HS_START_UNKNOWN: break;
    }
  return "unknown";
}

const char *
hs_cred_type_name (uint32_t type)
{
  /* CRED_TYPE_* values from wincred.h */
  switch (type)
    {
    case 1: return "generic";
    case 2: return "domain_password";
    case 3: return "domain_certificate";
    case 4: return "domain_visible_password";
    case 5: return "generic_certificate";
    case 6: return "domain_extended";
    default: return "unknown";
    }
}

const char *
hs_cred_persist_name (uint32_t persist)
{
  switch (persist)
    {
    case 1: return "session";
    case 2: return "local_machine";
    case 3: return "enterprise";
    default: return "unknown";
    }
}

const char *
hs_lookup_method_name (HsLookupMethod m)
{
  switch (m)
    {
    case HS_LOOKUP_API: return "api";
    case HS_LOOKUP_POWERSHELL: return "powershell";
    case HS_LOOKUP_SIMULATED: return "simulated";
    case HS_LOOKUP_NONE: break;
    }
  return "none";
}

const char *
hs_account_kind_name (HsAccountKind kind)
{
  switch (kind)
    {
    case HS_ACCOUNT_WORK: return "work";
    case HS_ACCOUNT_PERSONAL: return "personal";
    case HS_ACCOUNT_UNKNOWN: break;
    }
  return "unknown";
}

const char *
hs_cred_skip_reason_name (HsCredSkipReason reason)
{
  switch (reason)
    {
    case HS_CRED_SKIP_UNRESTORABLE: return "unrestorable";
    case HS_CRED_SKIP_NO_SECRET: return "no_secret";
    case HS_CRED_SKIP_NEWER: return "newer_exists";
    case HS_CRED_SKIP_AGE_UNKNOWN: return "exists_age_unknown";
    case HS_CRED_SKIP_NONE: break;
    }
  return "none";
}

void
hs_port_restore_list_free (HsRestoreList *list)
{
  if (list == NULL)
    return;
  for (size_t i = 0; i < list->n_items; i++)
    free (list->items[i].target);
  free (list->items);
  list->items = NULL;
  list->n_items = 0;
  list->n_restored = 0;
}

const char *
hs_account_settings_page (HsAccountKind kind)
{
  return kind == HS_ACCOUNT_WORK ? "ms-settings:workplace" : "ms-settings:emailandaccounts";
}

void
hs_clock_reference_make (HsClockReference *ref, const HsClockStamp *stamp, double offset_seconds)
{
  memset (ref, 0, sizeof *ref);
  /* beyond a century the number is not a measurement */
  if (stamp == NULL || !isfinite (offset_seconds) || offset_seconds > 100.0 * 366 * 86400
      || offset_seconds < -100.0 * 366 * 86400)
    return;
  double us = offset_seconds * 1e6;
  ref->offset_us = (int64_t) (us >= 0 ? us + 0.5 : us - 0.5);   /* no libm needed */
  ref->true_utc_us = stamp->system_utc_us - ref->offset_us;
  ref->mono_us = stamp->mono_us;
  ref->valid = 1;
}

int
hs_clock_reference_offset_now (const HsClockReference *ref, const HsClockStamp *now,
                               int64_t *offset_us)
{
  if (ref == NULL || !ref->valid || now == NULL)
    return 0;
  int64_t elapsed = now->mono_us - ref->mono_us;
  if (elapsed < 0 || elapsed > HS_CLOCK_REF_MAX_AGE_US)
    return 0;
  *offset_us = now->system_utc_us - (ref->true_utc_us + elapsed);
  return 1;
}

/* ---- defaults for entries a platform does not fill ----------------------- */

static HsPortCode
unsupported (HsPortStatus *st)
{
  hs_port_status_set (st, HS_PORT_UNSUPPORTED, 0, "not available on this platform");
  return HS_PORT_UNSUPPORTED;
}

static HsPortCode u_time_settings (void *s, HsTimeSettings *o, HsPortStatus *st) { (void) s; (void) o; return unsupported (st); }
static HsPortCode u_clock_offset (void *s, HsOffsetSample *o, HsPortStatus *st) { (void) s; (void) o; return unsupported (st); }
static HsPortCode u_clock_stamp (void *s, HsClockStamp *o, HsPortStatus *st) { (void) s; (void) o; return unsupported (st); }
static HsPortCode u_enable_auto_time (void *s, HsPortStatus *st) { (void) s; return unsupported (st); }
static HsPortCode u_resync (void *s, const HsClockReference *r, const HsPortCancel *c, HsPortStatus *st) { (void) s; (void) r; (void) c; return unsupported (st); }
static HsPortCode u_list_credentials (void *s, HsCredentialList *o, HsPortStatus *st) { (void) s; o->items = NULL; o->n_items = 0; return unsupported (st); }
static HsPortCode u_delete_credentials (void *s, const HsCredentialRef *r, size_t n, const char *d, char **b,
                                        HsCredentialOutcome *o, const HsPortCancel *c, HsPortStatus *st)
{ (void) s; (void) r; (void) d; (void) c; if (b) *b = NULL; for (size_t i = 0; i < n; i++) o[i].code = HS_PORT_UNSUPPORTED; return unsupported (st); }
static HsPortCode u_restore_credentials (void *s, const char *p, uint32_t f, HsRestoreList *o, HsPortStatus *st)
{ (void) s; (void) p; (void) f; if (o) memset (o, 0, sizeof *o); return unsupported (st); }
static HsPortCode u_backup_dir (void *s, char **o, HsPortStatus *st) { (void) s; *o = NULL; return unsupported (st); }
static HsPortCode u_package_state (void *s, const char *f, HsPackageState *o, const HsPortCancel *c, HsPortStatus *st) { (void) s; (void) f; (void) o; (void) c; return unsupported (st); }
static HsPortCode u_reregister (void *s, const char *f, const HsPortCancel *c, HsPortStatus *st) { (void) s; (void) f; (void) c; return unsupported (st); }
static HsPortCode u_list_accounts (void *s, HsAccountList *o, HsPortStatus *st) { (void) s; o->items = NULL; o->n_items = 0; return unsupported (st); }
static HsPortCode u_user_context (void *s, HsUserContext *o, HsPortStatus *st) { (void) s; memset (o, 0, sizeof *o); o->same_user = HS_TRI_UNKNOWN; return unsupported (st); }
static HsPortCode u_open_settings (void *s, const char *u, HsPortStatus *st) { (void) s; (void) u; return unsupported (st); }
static HsPortCode u_restart_teams (void *s, HsTeamsRestart *r, const HsPortCancel *c, HsPortStatus *st) { (void) s; (void) c; if (r) memset (r, 0, sizeof *r); return unsupported (st); }
static HsPortCode u_restart_computer (void *s, HsPortStatus *st) { (void) s; return unsupported (st); }
static HsPortCode u_elevate (void *s, const char *a, const HsClockReference *r, uintptr_t w, int *e,
                             const HsPortCancel *c, HsPortStatus *st)
{ (void) s; (void) a; (void) r; (void) w; (void) c; if (e) *e = -1; return unsupported (st); }
static HsPortCode u_net_facts (void *s, const char *u, HsNetFacts *o, HsPortStatus *st)
{ (void) s; (void) u; (void) o; return unsupported (st); }

void
hs_platform_fill_unsupported (HsPlatform *p)
{
#define FILL(field, fn) do { if (p->field == NULL) p->field = fn; } while (0)
  FILL (time_settings, u_time_settings);
  FILL (clock_offset, u_clock_offset);
  FILL (clock_stamp, u_clock_stamp);
  FILL (enable_auto_time, u_enable_auto_time);
  FILL (resync, u_resync);
  FILL (list_credentials, u_list_credentials);
  FILL (delete_credentials, u_delete_credentials);
  FILL (restore_credentials, u_restore_credentials);
  FILL (backup_dir, u_backup_dir);
  FILL (package_state, u_package_state);
  FILL (reregister_package, u_reregister);
  FILL (list_accounts, u_list_accounts);
  FILL (user_context, u_user_context);
  FILL (open_settings, u_open_settings);
  FILL (restart_teams, u_restart_teams);
  FILL (restart_computer, u_restart_computer);
  FILL (elevate, u_elevate);
  FILL (net_facts, u_net_facts);
#undef FILL
}
