/* hs-clock-practice.c — step 1 on the practice machine: a clock off by the
 * scenario's offset (or measured for real), Windows Time settings, and a
 * fix that behind one simulated administrator prompt turns automatic time
 * on and resynchronises.
 *
 * Scenario: [clock] offset_seconds, reachable, type, ntp_server, service,
 * start, tz_auto, domain_member, elevated; [fixes] uac, clock.
 */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <math.h>

#include "hs-clock-step.h"
#include "hs-practice-private.h"

typedef struct {
  gboolean       offset_real;     /* measure this computer for real */
  double         offset;
  gboolean       reachable;
  HsTimeSettings time;
  char          *fix_uac;         /* "accept", "decline" */
  char          *fix_clock;       /* "ok", "denied", "fail" */
} ClockSim;

static void
clock_sim_free (gpointer data)
{
  ClockSim *c = data;

  g_free (c->fix_uac);
  g_free (c->fix_clock);
  g_free (c);
}

static gpointer
clock_sim_new (void)
{
  return g_new0 (ClockSim, 1);
}

static gboolean
clock_load (gpointer state, HsScenario *s, GError **error)
{
  static const char * const known[] = { "offset_seconds", "reachable", "type", "ntp_server",
                                        "service", "start", "tz_auto", "domain_member",
                                        "elevated", NULL };
  static const char * const types[] = { "NTP", "NT5DS", "NoSync", "AllSync", NULL };
  static const char * const services[] = { "running", "stopped", "missing", NULL };
  static const char * const starts[] = { "auto", "manual", "disabled", NULL };
  static const char * const uac[] = { "accept", "decline", NULL };
  static const char * const outcome[] = { "ok", "denied", "fail", NULL };
  const char *g = "clock";
  g_autofree char *offset = NULL, *type = NULL, *svc = NULL, *start = NULL, *ntp = NULL;
  ClockSim *c = state;
  HsTri reachable;

  if (!hs_scenario_check_keys (s, g, known, error))
    return FALSE;
  offset = hs_scenario_get_str (s, g, "offset_seconds", "0");
  if (g_str_equal (offset, "real"))
    c->offset_real = TRUE;
  else
    {
      char *end = NULL;
      c->offset = g_ascii_strtod (offset, &end);
      if (end == offset || *end != '\0' || !isfinite (c->offset) || fabs (c->offset) > 1e9)
        return hs_scenario_fail_key (s, error, g, "offset_seconds",
                                     "expected a number of seconds (positive: computer ahead) or \"real\"");
    }
  if (!hs_scenario_get_tri (s, g, "reachable", HS_TRI_YES, &reachable, error) ||
      !hs_scenario_get_choice (s, g, "type", "NTP", types, &type, error) ||
      !hs_scenario_get_choice (s, g, "service", "running", services, &svc, error) ||
      !hs_scenario_get_choice (s, g, "start", "auto", starts, &start, error) ||
      !hs_scenario_get_tri (s, g, "tz_auto", HS_TRI_YES, &c->time.tz_auto, error) ||
      !hs_scenario_get_tri (s, g, "domain_member", HS_TRI_NO, &c->time.domain_member, error) ||
      !hs_scenario_get_tri (s, g, "elevated", HS_TRI_NO, &c->time.elevated, error))
    return FALSE;
  c->reachable = reachable != HS_TRI_NO;
  g_strlcpy (c->time.sync_type, type, sizeof c->time.sync_type);
  ntp = hs_scenario_get_str (s, g, "ntp_server", "time.windows.com,0x1");
  g_strlcpy (c->time.ntp_server, ntp, sizeof c->time.ntp_server);
  c->time.service_state = g_str_equal (svc, "running") ? HS_SERVICE_RUNNING
                          : g_str_equal (svc, "stopped") ? HS_SERVICE_STOPPED : HS_SERVICE_MISSING;
  c->time.service_start = g_str_equal (start, "auto") ? HS_START_AUTO
                          : g_str_equal (start, "manual") ? HS_START_MANUAL : HS_START_DISABLED;
  return hs_scenario_get_choice (s, "fixes", "uac", "accept", uac, &c->fix_uac, error) &&
         hs_scenario_get_choice (s, "fixes", "clock", "ok", outcome, &c->fix_clock, error);
}

static HsPortCode
practice_time_settings (void *self, HsTimeSettings *out, HsPortStatus *st)
{
  HsPractice *p = self;
  ClockSim *c = p->state[HS_STEP_CLOCK];
  HS_PRACTICE_LOCKED (p);

  *out = c->time;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_clock_offset (void *self, HsOffsetSample *out, HsPortStatus *st)
{
  HsPractice *p = self;
  ClockSim *c = p->state[HS_STEP_CLOCK];
  HS_PRACTICE_LOCKED (p);

  if (c->offset_real)
    {
      hs_port_status_set (st, HS_PORT_UNSUPPORTED, 0, "scenario asks for a real measurement");
      return HS_PORT_UNSUPPORTED;
    }
  if (!c->reachable)
    {
      hs_port_status_set (st, HS_PORT_UNREACHABLE, 0, "simulated: no time source reachable");
      return HS_PORT_UNREACHABLE;
    }
  out->offset_seconds = c->offset;
  out->uncertainty_seconds = 0.02;
  g_strlcpy (out->source, "practice://time.windows.com", sizeof out->source);
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_enable_auto_time (void *self, HsPortStatus *st)
{
  HsPractice *p = self;
  ClockSim *c = p->state[HS_STEP_CLOCK];
  HS_PRACTICE_LOCKED (p);

  if (g_str_equal (c->fix_clock, "denied"))
    {
      hs_port_status_set (st, HS_PORT_ACCESS_DENIED, 5, "simulated: access denied changing W32Time");
      return HS_PORT_ACCESS_DENIED;
    }
  if (c->time.domain_member != HS_TRI_YES)
    g_strlcpy (c->time.sync_type, "NTP", sizeof c->time.sync_type);
  c->time.service_start = HS_START_AUTO;
  c->time.service_state = HS_SERVICE_RUNNING;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_resync (void *self, const HsClockReference *ref,
                 const HsPortCancel *cancel, HsPortStatus *st)
{
  HsPractice *p = self;
  ClockSim *c = p->state[HS_STEP_CLOCK];

  hs_practice_simulate_work (p, cancel);
  if (hs_port_cancelled (cancel))
    {
      hs_port_status_set (st, HS_PORT_CANCELLED, 0, "cancelled before resync");
      return HS_PORT_CANCELLED;
    }
  {
    HS_PRACTICE_LOCKED (p);
    if (g_str_equal (c->fix_clock, "fail"))
      {
        hs_port_status_set (st, HS_PORT_FAILED, 0x800705B4, "simulated: w32tm /resync timed out");
        return HS_PORT_FAILED;
      }
    if (!c->reachable)
      {
        hs_port_status_set (st, HS_PORT_UNREACHABLE, 0, "simulated: no time source reachable");
        return HS_PORT_UNREACHABLE;
      }
    /* A resync sets true UTC; a time-zone error is not drift, so the
     * whole quarter hours stay and only the drift goes. */
    c->offset = hs_clock_zone_error_minutes (c->offset) * 60.0;
    if (c->offset == 0)
      c->offset = 0.004;
  }
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_elevate (void *self, const char *action, const HsClockReference *ref,
                  uintptr_t owner_window, int *exit_code,
                  const HsPortCancel *cancel, HsPortStatus *st)
{
  HsPractice *p = self;
  ClockSim *c = p->state[HS_STEP_CLOCK];
  HsPortCode code;

  *exit_code = -1;
  if (g_strcmp0 (action, "clock-fix") != 0)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "unknown elevated action");
      *exit_code = 2;
      return HS_PORT_BAD_INPUT;
    }
  {
    HS_PRACTICE_LOCKED (p);
    if (g_str_equal (c->fix_uac, "decline"))
      {
        hs_port_status_set (st, HS_PORT_DECLINED, 1223, "simulated: the administrator prompt was declined");
        return HS_PORT_DECLINED;
      }
  }
  /* What handshake-cli --elevated-action=clock-fix does. */
  code = practice_enable_auto_time (self, st);
  if (code == HS_PORT_OK)
    code = practice_resync (self, ref, cancel, st);
  *exit_code = code == HS_PORT_OK ? 0 : 1;
  return code;
}

/* The simulated person follows the guided step: picks the right zone, then
 * presses "Sync now" as the instructions say. */
static void
clock_open_settings (gpointer state, const char *uri)
{
  ClockSim *c = state;

  if (g_str_equal (uri, "ms-settings:dateandtime") && !g_str_equal (c->fix_clock, "fail") &&
      hs_clock_zone_error_minutes (c->offset) != 0 && c->reachable)
    c->offset = 0.004;
}

static void
clock_install (HsPlatform *platform)
{
  platform->time_settings = practice_time_settings;
  platform->clock_offset = practice_clock_offset;
  platform->enable_auto_time = practice_enable_auto_time;
  platform->resync = practice_resync;
  platform->elevate = practice_elevate;
}

static const char * const fixes_keys[] = { "uac", "clock", NULL };

const HsPracticeStep hs_clock_practice = {
  .group = "clock",
  .fixes_keys = fixes_keys,
  .new_state = clock_sim_new,
  .free_state = clock_sim_free,
  .load = clock_load,
  .install = clock_install,
  .open_settings = clock_open_settings,
};
