/* hs-win32-probe-time.c — the probe's "time", "elevated-action" and
 * "elevate" commands (see README.md). */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32-probe.h"

int
parse_clock_arg (int argc, char **argv, int i, HsClockReference *ref)
{
  if (i >= argc)
    return 0;
  if (strcmp (argv[i], "--offset") == 0)
    {
      double off;
      HsClockStamp now;
      HsPortStatus st;
      if (i + 1 >= argc || !parse_double (argv[i + 1], &off))
        return -1;
      /* what the engine does today: the offset tied to a stamp taken now */
      if (hs_win32_clock_stamp (&now, &st) != HS_PORT_OK)
        return -1;
      hs_clock_reference_make (ref, &now, off);
      return ref->valid ? 2 : -1;
    }
  if (strcmp (argv[i], "--ref") == 0)
    {
      char spec[160], name[32];
      if (i + 1 >= argc || strlen (argv[i + 1]) > 100)
        return -1;
      snprintf (spec, sizeof spec, "x:%s", argv[i + 1]);
      return hs_win32_parse_action_spec (spec, name, sizeof name, ref) && ref->valid ? 2 : -1;
    }
  return 0;
}

static void
status_record (const HsTimeSettings *t)
{
  field ("type", t->sync_type);
  field ("ntp_server", t->ntp_server);
  field ("service", hs_service_state_name (t->service_state));
  field ("start", hs_service_start_name (t->service_start));
  field ("tz_auto", tri (t->tz_auto));
  field ("domain_member", tri (t->domain_member));
  field ("elevated", tri (t->elevated));
  field ("policy_time_source", tri (t->policy_time_source));
  field ("policy_type", t->policy_sync_type);
  field ("policy_ntp_server", t->policy_ntp_server);
  field ("policy_ntp_client", tri (t->policy_ntp_client));
  field ("policy_tz_auto_blocked", tri (t->policy_tz_auto_blocked));
  field ("policy_time_zone", t->policy_time_zone);
  end_record ();
}

int
cmd_time (int argc, char **argv)
{
  HsPortStatus st = { 0 };
  if (argc == 1 && strcmp (argv[0], "status") == 0)
    {
      HsTimeSettings t;
      if (hs_win32_time_settings (&t, &st) != HS_PORT_OK)
        return fail (&st);
      status_record (&t);
      return 0;
    }
  if (argc == 1 && strcmp (argv[0], "stamp") == 0)
    {
      HsClockStamp s;
      if (hs_win32_clock_stamp (&s, &st) != HS_PORT_OK)
        return fail (&st);
      field_int ("system_utc_us", s.system_utc_us);
      field_int ("mono_us", s.mono_us);
      end_record ();
      return 0;
    }
  if (argc >= 1 && (strcmp (argv[0], "resync") == 0 || strcmp (argv[0], "config-update") == 0))
    {
      HsClockReference ref = { 0 };
      HsPortCode c;
      if (strcmp (argv[0], "config-update") == 0)
        {
          if (argc != 1)
            return usage ("time config-update: no options");
          c = hs_win32_w32time_config_update (NULL, &st);
        }
      else
        {
          int used = parse_clock_arg (argc, argv, 1, &ref);
          if (used < 0 || (used == 0 && argc != 1) || (used > 0 && argc != 1 + used))
            return usage ("time resync: expected --offset SECONDS or --ref T:O:M");
          c = hs_win32_resync (&ref, NULL, &st);
        }
      field ("result", hs_port_code_name (c));
      field ("detail", st.detail);
      end_record ();
      return c == HS_PORT_OK ? 0 : 1;
    }
  return usage ("time: expected \"status\", \"stamp\", \"config-update\" or \"resync\"");
}

int
cmd_elevated_action (int argc, char **argv)
{
  double off = 0;
  if (argc < 1 || (argc != 1 && !(argc == 3 && strcmp (argv[1], "--offset") == 0
                                  && parse_double (argv[2], &off))))
    return usage ("elevated-action: expected SPEC [--offset SECONDS]");
  if (!hs_win32_elevated_action_known (argv[0]))
    return usage ("elevated-action: unknown action (known: clock-fix[:TRUE_UTC_US:OFFSET_US:MONO_US])");
  int rc = hs_win32_run_elevated_action (argv[0], off);
  HsPortStatus st = { 0 };
  HsPortCode c = hs_win32_elevated_exit_status (rc, &st);
  field_int ("exit", rc);
  field ("result", hs_port_code_name (c));
  end_record ();
  return rc;
}

int
cmd_elevate (int argc, char **argv)
{
  HsClockReference ref = { 0 };
  uintptr_t owner = 0;
  if (argc < 1)
    return usage ("elevate: expected NAME [--offset SECONDS | --ref T:O:M] [--owner HWND]");
  for (int i = 1; i < argc; )
    {
      int used = parse_clock_arg (argc, argv, i, &ref);
      if (used < 0)
        return usage ("elevate: bad --offset or --ref");
      if (used > 0)
        {
          i += used;
          continue;
        }
      char *end = NULL;
      if (strcmp (argv[i], "--owner") == 0 && i + 1 < argc
          && (owner = (uintptr_t) strtoull (argv[i + 1], &end, 0), end && *end == '\0'))
        {
          i += 2;
          continue;
        }
      return usage ("elevate: expected NAME [--offset SECONDS | --ref T:O:M] [--owner HWND]");
    }
  int ec = -1;
  HsPortStatus st = { 0 };
  HsPortCode c = hs_win32_elevate (argv[0], ref.valid ? &ref : NULL, owner, &ec, NULL, &st);
  if (c == HS_PORT_BAD_INPUT && ec == -1)
    return usage ("elevate: unknown action (known: clock-fix)");
  field ("result", hs_port_code_name (c));
  field_int ("exit", ec);
  field ("detail", st.detail);
  end_record ();
  return c == HS_PORT_OK && ec == 0 ? 0 : 1;
}
