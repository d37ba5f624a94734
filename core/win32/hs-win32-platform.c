/* hs-win32-platform.c — the HsPlatform vtable over the hs_win32_* calls. */
#include <windows.h>
#include <stdlib.h>

#include "hs-win32.h"

static HsPortCode
p_time_settings (void *self, HsTimeSettings *out, HsPortStatus *st)
{
  return hs_win32_time_settings (out, st);
}

static HsPortCode
p_clock_offset (void *self, HsOffsetSample *out, HsPortStatus *st)
{
  hs_port_status_set (st, HS_PORT_UNSUPPORTED, 0, "measured over the network by core");
  return HS_PORT_UNSUPPORTED;
}

static HsPortCode
p_enable_auto_time (void *self, HsPortStatus *st)
{
  return hs_win32_enable_auto_time (st);
}

static HsPortCode
p_clock_stamp (void *self, HsClockStamp *out, HsPortStatus *st)
{
  return hs_win32_clock_stamp (out, st);
}

static HsPortCode
p_resync (void *self, const HsClockReference *ref, const HsPortCancel *cancel, HsPortStatus *st)
{
  return hs_win32_resync (ref, cancel, st);
}

static HsPortCode
p_list_credentials (void *self, HsCredentialList *out, HsPortStatus *st)
{
  return hs_win32_list_credentials (out, st);
}

static HsPortCode
p_delete_credentials (void *self, const HsCredentialRef *refs, size_t n, const char *dir,
                      char **path, HsCredentialOutcome *outcomes, const HsPortCancel *cancel,
                      HsPortStatus *st)
{
  return hs_win32_delete_credentials (refs, n, dir, path, outcomes, cancel, st);
}

static HsPortCode
p_restore_credentials (void *self, const char *path, uint32_t flags, HsRestoreList *out,
                       HsPortStatus *st)
{
  return hs_win32_restore_credentials (path, flags, out, st);
}

static HsPortCode
p_backup_dir (void *self, char **out, HsPortStatus *st)
{
  return hs_win32_backup_dir (out, st);
}

static HsPortCode
p_package_state (void *self, const char *family, HsPackageState *out,
                 const HsPortCancel *cancel, HsPortStatus *st)
{
  return hs_win32_package_state (family, out, cancel, st);
}

static HsPortCode
p_reregister_package (void *self, const char *family, const HsPortCancel *cancel,
                      HsPortStatus *st)
{
  return hs_win32_reregister_package (family, cancel, st);
}

static HsPortCode
p_list_accounts (void *self, HsAccountList *out, HsPortStatus *st)
{
  return hs_win32_list_accounts (out, st);
}

static HsPortCode
p_user_context (void *self, HsUserContext *out, HsPortStatus *st)
{
  return hs_win32_user_context (out, st);
}

static HsPortCode
p_open_settings (void *self, const char *uri, HsPortStatus *st)
{
  return hs_win32_open_settings (uri, st);
}

static HsPortCode
p_restart_teams (void *self, HsTeamsRestart *report, const HsPortCancel *cancel,
                 HsPortStatus *st)
{
  return hs_win32_restart_teams (report, cancel, st);
}

static HsPortCode
p_restart_computer (void *self, HsPortStatus *st)
{
  return hs_win32_restart_computer (st);
}

static HsPortCode
p_elevate (void *self, const char *action, const HsClockReference *ref, uintptr_t owner,
           int *exit_code, const HsPortCancel *cancel, HsPortStatus *st)
{
  return hs_win32_elevate (action, ref, owner, exit_code, cancel, st);
}

static void
p_destroy (void *self)
{
  free (self);
}

HsPlatform *
hs_win32_platform_new (void)
{
  HsPlatform *p = calloc (1, sizeof *p);
  if (p == NULL)
    return NULL;
  p->name = "win32";
  p->simulated = 0;
  p->self = p;
  p->time_settings = p_time_settings;
  p->clock_offset = p_clock_offset;
  p->clock_stamp = p_clock_stamp;
  p->enable_auto_time = p_enable_auto_time;
  p->resync = p_resync;
  p->list_credentials = p_list_credentials;
  p->delete_credentials = p_delete_credentials;
  p->restore_credentials = p_restore_credentials;
  p->backup_dir = p_backup_dir;
  p->package_state = p_package_state;
  p->reregister_package = p_reregister_package;
  p->list_accounts = p_list_accounts;
  p->user_context = p_user_context;
  p->open_settings = p_open_settings;
  p->restart_teams = p_restart_teams;
  p->restart_computer = p_restart_computer;
  p->elevate = p_elevate;
  p->destroy = p_destroy;
  /* The rest answer HS_PORT_UNSUPPORTED: net_facts, for one, since core
   * measures the network itself (core/net, through hs_win32_net_check). */
  hs_platform_fill_unsupported (p);
  return p;
}
