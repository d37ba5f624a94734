/* hs-clock-practice.c — step 1 on the practice machine: a clock off by the
 * scenario's offset (or measured for real), Windows Time settings, and a
 * fix that behind one simulated administrator prompt turns automatic time
 * on and resynchronises.
 *
 * Scenario: [clock] offset_seconds, reachable, type, ntp_server, service,
 * start, tz_auto, domain_member, elevated, and what Group Policy or an MDM
 * sets: policy_time_source, policy_type, policy_ntp_server,
 * policy_ntp_client, policy_tz_auto_blocked, policy_time_zone;
 * [fixes] uac, clock (ok, denied, fail, or how Windows answers a resync
 * that did not prove itself: no_effect, pending, stale).
 *
 * The simulated system clock is this computer's real clock plus the
 * scenario's offset; the fix works from the measurement's reference, as the
 * elevated helper does on Windows.
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

/* Group Policy and MDM: a policy that names a type or a server, or turns
 * the NTP client off, sets the time source. */
static gboolean
clock_load_policy (ClockSim *c, HsScenario *s, GError **error)
{
  static const char * const types[] = { "", "NTP", "NT5DS", "NoSync", "AllSync", NULL };
  const char *g = "clock";
  g_autofree char *type = NULL, *server = NULL, *zone = NULL;
  HsTri source;

  if (!hs_scenario_get_choice (s, g, "policy_type", "", types, &type, error) ||
      !hs_scenario_get_tri (s, g, "policy_time_source", HS_TRI_NO, &source, error) ||
      !hs_scenario_get_tri (s, g, "policy_ntp_client", HS_TRI_UNKNOWN, &c->time.policy_ntp_client, error) ||
      !hs_scenario_get_tri (s, g, "policy_tz_auto_blocked", HS_TRI_NO, &c->time.policy_tz_auto_blocked, error))
    return FALSE;
  server = hs_scenario_get_str (s, g, "policy_ntp_server", "");
  zone = hs_scenario_get_str (s, g, "policy_time_zone", "");
  g_strlcpy (c->time.policy_sync_type, type, sizeof c->time.policy_sync_type);
  g_strlcpy (c->time.policy_ntp_server, server, sizeof c->time.policy_ntp_server);
  g_strlcpy (c->time.policy_time_zone, zone, sizeof c->time.policy_time_zone);
  c->time.policy_time_source = source == HS_TRI_YES || *type != '\0' || *server != '\0' ||
                               c->time.policy_ntp_client == HS_TRI_NO ? HS_TRI_YES : HS_TRI_NO;
  if (*type != '\0')
    g_strlcpy (c->time.sync_type, type, sizeof c->time.sync_type);
  return TRUE;
}

static gboolean
clock_load (gpointer state, HsScenario *s, GError **error)
{
  static const char * const known[] = { "offset_seconds", "reachable", "type", "ntp_server",
                                        "service", "start", "tz_auto", "domain_member",
                                        "elevated", "policy_time_source", "policy_type",
                                        "policy_ntp_server", "policy_ntp_client",
                                        "policy_tz_auto_blocked", "policy_time_zone", NULL };
  static const char * const types[] = { "NTP", "NT5DS", "NoSync", "AllSync", NULL };
  static const char * const services[] = { "running", "stopped", "missing", NULL };
  static const char * const starts[] = { "auto", "manual", "disabled", NULL };
  static const char * const uac[] = { "accept", "decline", NULL };
  static const char * const outcome[] = { "ok", "denied", "fail", "no_effect", "pending", "stale", NULL };
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
  if (!clock_load_policy (c, s, error))
    return FALSE;
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

/* The simulated system clock: this computer's, plus the scenario's offset. */
static HsClockStamp
sim_stamp (ClockSim *c)
{
  HsClockStamp stamp = { g_get_real_time () + (gint64) (c->offset * 1e6), g_get_monotonic_time () };

  return stamp;
}

static HsPortCode
practice_clock_stamp (void *self, HsClockStamp *out, HsPortStatus *st)
{
  HsPractice *p = self;
  HS_PRACTICE_LOCKED (p);

  *out = sim_stamp (p->state[HS_STEP_CLOCK]);
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_enable_auto_time (void *self, HsPortStatus *st)
{
  HsPractice *p = self;
  ClockSim *c = p->state[HS_STEP_CLOCK];
  HS_PRACTICE_LOCKED (p);

  if (c->time.policy_ntp_client == HS_TRI_NO)
    {
      hs_port_status_set (st, HS_PORT_MANAGED, 0, "simulated: a policy turns the NTP client off");
      return HS_PORT_MANAGED;
    }
  if (g_str_equal (c->fix_clock, "denied"))
    {
      hs_port_status_set (st, HS_PORT_ACCESS_DENIED, 5, "simulated: access denied changing W32Time");
      return HS_PORT_ACCESS_DENIED;
    }
  if (c->time.domain_member != HS_TRI_YES && c->time.policy_sync_type[0] == '\0')
    g_strlcpy (c->time.sync_type, "NTP", sizeof c->time.sync_type);
  c->time.service_start = HS_START_AUTO;
  c->time.service_state = HS_SERVICE_RUNNING;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

/* As the elevated helper does: a measurement too old, or a clock that
 * moved since it was measured, stops the fix before anything changes. */
static gboolean
ref_stale (ClockSim *c, const HsClockReference *ref, HsPortStatus *st)
{
  HsClockStamp now = sim_stamp (c);
  gint64 offset_now = 0;

  if (ref == NULL || !ref->valid)
    return FALSE;
  if (!g_str_equal (c->fix_clock, "stale") && hs_clock_reference_offset_now (ref, &now, &offset_now) &&
      ABS (offset_now - ref->offset_us) <= HS_CLOCK_REF_MOVED_US)
    return FALSE;
  hs_port_status_set (st, HS_PORT_STALE, 0, "simulated: the clock changed since it was measured, or "
                      "the measurement is too old; nothing was done");
  return TRUE;
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
    if (ref_stale (c, ref, st))
      return HS_PORT_STALE;
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
    if (g_str_equal (c->fix_clock, "no_effect"))
      {
        hs_port_status_set (st, HS_PORT_NO_EFFECT, 0, "simulated: w32tm said done, the clock did not move");
        return HS_PORT_NO_EFFECT;
      }
    if (g_str_equal (c->fix_clock, "pending"))
      {
        /* W32Time slews: the clock is on its way, not there yet. */
        c->offset /= 2;
        hs_port_status_set (st, HS_PORT_PENDING, 0, "simulated: Windows corrects the clock gradually");
        return HS_PORT_PENDING;
      }
    /* A resync sets true UTC; a time-zone error is not drift, so the
     * whole quarter hours stay and only the drift goes. */
    c->offset = hs_clock_zone_error_minutes (c->offset) * 60.0;
    if (c->offset == 0)
      c->offset = 0.004;
    if (ref == NULL || !ref->valid)
      {
        /* Nothing measured to prove it against, as on Windows. */
        hs_port_status_set (st, HS_PORT_PENDING, 0, "simulated: resynchronised, not proven by measuring");
        return HS_PORT_PENDING;
      }
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
    if (ref_stale (c, ref, st))
      {
        *exit_code = 11;
        return HS_PORT_STALE;
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
  platform->clock_stamp = practice_clock_stamp;
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
