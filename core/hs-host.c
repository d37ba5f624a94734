/* hs-host.c — the non-Windows platform: nothing to read or change. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <stdlib.h>
#include <glib.h>

#include "hs-host.h"
#ifdef G_OS_WIN32
#include "hs-win32.h"
#endif

static HsPortCode
unsupported (HsPortStatus *st)
{
  hs_port_status_set (st, HS_PORT_UNSUPPORTED, 0, "not available on this operating system");
  return HS_PORT_UNSUPPORTED;
}

static HsPortCode host_time_settings (void *s, HsTimeSettings *o, HsPortStatus *st) { return unsupported (st); }
static HsPortCode host_clock_offset (void *s, HsOffsetSample *o, HsPortStatus *st) { return unsupported (st); }
static HsPortCode host_enable_auto_time (void *s, HsPortStatus *st) { return unsupported (st); }
static HsPortCode host_resync (void *s, const HsClockReference *r, const HsPortCancel *c, HsPortStatus *st) { return unsupported (st); }
static HsPortCode host_list_credentials (void *s, HsCredentialList *o, HsPortStatus *st) { o->items = NULL; o->n_items = 0; return unsupported (st); }
static HsPortCode host_delete_credentials (void *s, const HsCredentialRef *r, size_t n, const char *d,
                                           char **b, HsCredentialOutcome *o, const HsPortCancel *c,
                                           HsPortStatus *st) { *b = NULL; return unsupported (st); }
static HsPortCode host_restore_credentials (void *s, const char *p, uint32_t f, HsRestoreList *o, HsPortStatus *st) { if (o) o->items = NULL, o->n_items = o->n_restored = 0; return unsupported (st); }
static HsPortCode host_backup_dir (void *s, char **o, HsPortStatus *st) { *o = NULL; return unsupported (st); }
static HsPortCode host_package_state (void *s, const char *f, HsPackageState *o, const HsPortCancel *c, HsPortStatus *st) { return unsupported (st); }
static HsPortCode host_reregister (void *s, const char *f, const HsPortCancel *c, HsPortStatus *st) { return unsupported (st); }
static HsPortCode host_list_accounts (void *s, HsAccountList *o, HsPortStatus *st) { o->items = NULL; o->n_items = 0; return unsupported (st); }
static HsPortCode host_open_settings (void *s, const char *u, HsPortStatus *st) { return unsupported (st); }
static HsPortCode host_restart_teams (void *s, HsTeamsRestart *r, const HsPortCancel *c, HsPortStatus *st) { return unsupported (st); }
static HsPortCode host_restart_computer (void *s, HsPortStatus *st) { return unsupported (st); }
static HsPortCode host_elevate (void *s, const char *a, const HsClockReference *r, uintptr_t w, int *e, const HsPortCancel *c, HsPortStatus *st) { *e = -1; return unsupported (st); }
static void host_destroy (void *s) { free (s); }

HsPlatform *
hs_host_platform_new (void)
{
  HsPlatform *p = calloc (1, sizeof *p);

#if defined(__APPLE__)
  p->name = "macos";
#elif defined(__linux__)
  p->name = "linux";
#else
  p->name = "unix";
#endif
  p->simulated = 0;
  p->self = p;
  p->time_settings = host_time_settings;
  p->clock_offset = host_clock_offset;
  p->enable_auto_time = host_enable_auto_time;
  p->resync = host_resync;
  p->list_credentials = host_list_credentials;
  p->delete_credentials = host_delete_credentials;
  p->restore_credentials = host_restore_credentials;
  p->backup_dir = host_backup_dir;
  p->package_state = host_package_state;
  p->reregister_package = host_reregister;
  p->list_accounts = host_list_accounts;
  p->open_settings = host_open_settings;
  p->restart_teams = host_restart_teams;
  p->restart_computer = host_restart_computer;
  p->elevate = host_elevate;
  p->destroy = host_destroy;
  hs_platform_fill_unsupported (p);   /* entries added to the port later */
  return p;
}

HsPlatform *
hs_platform_new_native (void)
{
#ifdef G_OS_WIN32
  return hs_win32_platform_new ();
#else
  return hs_host_platform_new ();
#endif
}
