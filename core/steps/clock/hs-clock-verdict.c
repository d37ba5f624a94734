/* hs-clock-verdict.c — step 1's verdict: pure code over the measured
 * offset and the time settings the platform returned. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "hs-codes.h"
#include "hs-clock-step.h"
#include "hs-step-table.h"

gboolean
hs_clock_auto_time_on (const HsTimeSettings *s)
{
  return g_ascii_strcasecmp (s->sync_type, "NTP") == 0 ||
         g_ascii_strcasecmp (s->sync_type, "NT5DS") == 0 ||
         g_ascii_strcasecmp (s->sync_type, "AllSync") == 0;
}

int
hs_clock_zone_error_minutes (double offset)
{
  double mag = fabs (offset);
  double quarters = round (mag / HS_CLOCK_ZONE_QUANTUM);
  double remainder = fabs (mag - quarters * HS_CLOCK_ZONE_QUANTUM);

  /* Zones run from UTC−12 to UTC+14: beyond 26 h it is not a zone error. */
  if (mag < HS_CLOCK_ZONE_MIN_SECONDS - HS_CLOCK_ZONE_REMAINDER || quarters < 2 ||
      quarters > 26 * 4 || remainder > HS_CLOCK_ZONE_REMAINDER)
    return 0;
  return (int) (quarters * 15) * (offset < 0 ? -1 : 1);
}

static void
add_time_settings (HsResult *r, const HsClockFacts *f)
{
  const HsTimeSettings *s = &f->settings;

  if (f->settings_code != HS_PORT_OK)
    {
      hs_result_add_string (r, "settings", hs_port_code_name (f->settings_code), HS_SENSITIVITY_PUBLIC);
      return;
    }
  hs_result_add_bool (r, "auto_time", hs_clock_auto_time_on (s));
  hs_result_add_string (r, "sync_type", s->sync_type[0] ? s->sync_type : "unknown", HS_SENSITIVITY_PUBLIC);
  hs_result_add_string (r, "ntp_server", s->ntp_server, HS_SENSITIVITY_PUBLIC);
  hs_result_add_string (r, "service", hs_service_state_name (s->service_state), HS_SENSITIVITY_PUBLIC);
  hs_result_add_string (r, "service_start", hs_service_start_name (s->service_start), HS_SENSITIVITY_PUBLIC);
  hs_result_add_string (r, "tz_auto", hs_tri_name (s->tz_auto), HS_SENSITIVITY_PUBLIC);
  hs_result_add_string (r, "domain_member", hs_tri_name (s->domain_member), HS_SENSITIVITY_PUBLIC);
  /* What Group Policy or an MDM says: a value a policy owns is not "fixed"
   * here, the next policy refresh would write it back. */
  hs_result_add_string (r, "policy_time_source", hs_tri_name (s->policy_time_source), HS_SENSITIVITY_PUBLIC);
  if (s->policy_sync_type[0] != '\0')
    hs_result_add_string (r, "policy_sync_type", s->policy_sync_type, HS_SENSITIVITY_PUBLIC);
  if (s->policy_ntp_server[0] != '\0')
    hs_result_add_string (r, "policy_ntp_server", s->policy_ntp_server, HS_SENSITIVITY_PUBLIC);
  hs_result_add_string (r, "policy_ntp_client", hs_tri_name (s->policy_ntp_client), HS_SENSITIVITY_PUBLIC);
  hs_result_add_string (r, "policy_tz_auto_blocked", hs_tri_name (s->policy_tz_auto_blocked),
                        HS_SENSITIVITY_PUBLIC);
  if (s->policy_time_zone[0] != '\0')
    hs_result_add_string (r, "policy_time_zone", s->policy_time_zone, HS_SENSITIVITY_PUBLIC);
}

/* A clock a policy sets: said as it is. Right, it is fine; wrong, it is the
 * organisation's to correct (a fix here would be undone). */
static HsResult *
managed_verdict (double mag)
{
  if (mag >= HS_CLOCK_PROBLEM_SECONDS)
    return hs_result_new (HS_STEP_CLOCK, HS_STATUS_PROBLEM, HS_CODE_CLOCK_MANAGED, HS_FIX_GUIDED,
                          N_("Your organisation manages this computer’s clock, and it is off: contact your IT support."));
  if (mag >= HS_CLOCK_WARN_SECONDS)
    return hs_result_new (HS_STEP_CLOCK, HS_STATUS_WARNING, HS_CODE_CLOCK_MANAGED, HS_FIX_GUIDED,
                          N_("Your organisation manages this computer’s clock, and it is off: contact your IT support."));
  return hs_result_new (HS_STEP_CLOCK, HS_STATUS_OK, HS_CODE_CLOCK_MANAGED, HS_FIX_NONE,
                        N_("The clock is right. Your organisation manages it."));
}

void
hs_clock_reference_from_result (HsResult *last, HsClockReference *ref)
{
  HsClockStamp stamp = { 0 };
  double offset = 0;

  memset (ref, 0, sizeof *ref);
  if (last != NULL && hs_result_get_double (last, "offset_seconds", &offset) &&
      hs_result_get_int (last, "clock_stamp_utc_us", &stamp.system_utc_us) &&
      hs_result_get_int (last, "clock_stamp_mono_us", &stamp.mono_us))
    hs_clock_reference_make (ref, &stamp, offset);
}

HsResult *
hs_clock_verdict (const HsClockFacts *f)
{
  HsResult *r;
  double mag = fabs (f->offset_seconds);
  gboolean windows = f->settings_code == HS_PORT_OK;
  gboolean auto_on = windows && hs_clock_auto_time_on (&f->settings);
  gboolean domain = windows && f->settings.domain_member == HS_TRI_YES;
  gboolean managed = windows && f->settings.policy_time_source == HS_TRI_YES;
  gboolean zone_managed = windows && f->settings.policy_time_zone[0] != '\0';
  /* Off Windows Handshake measures but cannot change anything. */
  HsFixKind resync_fix = windows ? HS_FIX_AUTOMATIC_ADMIN : HS_FIX_NONE;
  int zone_minutes = f->measured ? hs_clock_zone_error_minutes (f->offset_seconds) : 0;

  if (!f->measured)
    {
      r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_UNVERIFIED, HS_CODE_CLOCK_UNREACHABLE, HS_FIX_NONE,
                         N_("No time source could be reached, so the clock could not be checked."));
      hs_result_add_string (r, "reason", "no time source answered", HS_SENSITIVITY_PUBLIC);
    }
  else if (zone_minutes != 0 && zone_managed)
    r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_PROBLEM, HS_CODE_CLOCK_TIMEZONE_MANAGED, HS_FIX_GUIDED,
                       N_("The clock is off by whole hours, and your organisation sets the time zone: contact your IT support."));
  else if (zone_minutes != 0)
    r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_PROBLEM, HS_CODE_CLOCK_TIMEZONE, HS_FIX_GUIDED,
                       N_("The clock is off by whole hours: the time zone is probably wrong."));
  else if (managed)
    r = managed_verdict (mag);
  else if (mag >= HS_CLOCK_PROBLEM_SECONDS && domain && f->after_fix)
    r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_PROBLEM, HS_CODE_CLOCK_DOMAIN, HS_FIX_GUIDED,
                       N_("Your organisation sets this computer's clock, and it is still wrong: contact your IT support."));
  else if (mag >= HS_CLOCK_PROBLEM_SECONDS)
    r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_PROBLEM, HS_CODE_CLOCK_SKEW, resync_fix,
                       N_("The clock is off by more than two minutes, enough to block sign-in."));
  else if (mag >= HS_CLOCK_WARN_SECONDS)
    r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_WARNING, HS_CODE_CLOCK_DRIFT, resync_fix,
                       N_("The clock is slightly off. It is not blocking sign-in yet, but it should be corrected."));
  else if (windows && !auto_on)
    r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_WARNING, HS_CODE_CLOCK_AUTO_OFF, HS_FIX_AUTOMATIC_ADMIN,
                       N_("The clock is right, but it is not set automatically, so it can drift again."));
  else
    r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_OK, HS_CODE_CLOCK_OK, HS_FIX_NONE,
                       N_("The clock is right."));

  if (f->measured)
    {
      hs_result_add_double (r, "offset_seconds", f->offset_seconds);
      hs_result_add_double (r, "uncertainty_seconds", f->uncertainty_seconds);
      hs_result_add_string (r, "source", f->source, HS_SENSITIVITY_PUBLIC);
      hs_result_add_string (r, "method", f->method, HS_SENSITIVITY_PUBLIC);
      if (f->tls_dates_invalid)
        hs_result_add_bool (r, "tls_dates_invalid", TRUE);
      if (zone_minutes != 0)
        hs_result_add_int (r, "zone_error_minutes", zone_minutes);
      if (f->stamped)
        {
          hs_result_add_int (r, "clock_stamp_utc_us", f->stamp.system_utc_us);
          hs_result_add_int (r, "clock_stamp_mono_us", f->stamp.mono_us);
        }
    }
  add_time_settings (r, f);
  if (f->attempts != NULL)
    for (guint i = 0; i < f->attempts->len; i++)
      hs_item_add_string (hs_result_add_item (r, "attempt"), "line",
                          g_ptr_array_index (f->attempts, i), HS_SENSITIVITY_PUBLIC);
  return r;
}
