/* hs-win32-probe.c — console probe over core/win32 (see README.md).
 * Output: one record per line, tab-separated key=value fields; tab, newline,
 * carriage return and backslash in values are escaped as \t \n \r \\.
 * Exit codes: 0 ok, 1 operation failed, 2 usage error. */
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <math.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-patterns.h"
#include "hs-win32.h"
#include "hs-win32-probe.h"

static const char usage_text[] =
  "usage: hs-win32-probe COMMAND ...\n"
  "  creds list [--patterns FILE]\n"
  "  creds delete --backup DIR [--patterns FILE] [--target T]... [--allow-unrestorable]\n"
  "  creds restore FILE [--overwrite-newer]\n"
  "  accounts list\n"
  "  user context\n"
  "  time status\n"
  "  time stamp\n"
  "  time config-update\n"
  "  time resync [--offset SECONDS | --ref TRUE_UTC_US:OFFSET_US:MONO_US]\n"
  "  broker status\n"
  "  broker reregister FAMILY\n"
  "  run (powershell|w32tm) [--timeout MS] [--] ARG...\n"
  "  elevated-action SPEC [--offset SECONDS]\n"
  "  elevate NAME [--offset SECONDS | --ref T:O:M] [--owner HWND]\n"
  "  shell open-settings URI\n"
  "  shell restart-teams [--grace MS]\n"
  "  https-date URL [--ca FILE] [--timeout MS]\n"
  "  net-check URL [--ca FILE] [--public-roots FILE] [--timeout MS]\n";

int
usage (const char *why)
{
  if (why)
    fprintf (stderr, "hs-win32-probe: %s\n", why);
  fputs (usage_text, stderr);
  return 2;
}

void
put_value (const char *v)
{
  if (v == NULL)
    return;
  for (const char *p = v; *p; p++)
    switch (*p)
      {
      case '\t': fputs ("\\t", stdout); break;
      case '\n': fputs ("\\n", stdout); break;
      case '\r': fputs ("\\r", stdout); break;
      case '\\': fputs ("\\\\", stdout); break;
      default: fputc (*p, stdout); break;
      }
}

int first_field = 1;

void
field (const char *key, const char *value)
{
  if (!first_field)
    fputc ('\t', stdout);
  first_field = 0;
  fputs (key, stdout);
  fputc ('=', stdout);
  put_value (value);
}

void
field_n (const char *key, const char *value, size_t n)
{
  char *c = malloc (n + 1);
  if (c == NULL)
    return;
  memcpy (c, value, n);
  c[n] = '\0';
  field (key, c);
  free (c);
}

void
field_int (const char *key, long long v)
{
  char b[32];
  snprintf (b, sizeof b, "%lld", v);
  field (key, b);
}

void
end_record (void)
{
  fputc ('\n', stdout);
  first_field = 1;
}

const char *
tri (HsTri t)
{
  return t == HS_TRI_YES ? "yes" : t == HS_TRI_NO ? "no" : "unknown";
}

int
fail (const HsPortStatus *st)
{
  first_field = 1;
  field ("error", hs_port_code_name (st->code));
  field_int ("os_error", st->os_error);
  field ("detail", st->detail);
  end_record ();
  return 1;
}

int
load_patterns (const char *file, HsPatternSet *set)
{
  char err[256];
  if (file == NULL)
    return hs_patterns_load_default (set) == 0;
  if (hs_patterns_load_file (file, set, err, sizeof err) != 0)
    {
      fprintf (stderr, "hs-win32-probe: %s\n", err);
      return 0;
    }
  return 1;
}

int
parse_double (const char *s, double *out)
{
  char *end;
  double d = strtod (s, &end);
  if (end == s || *end || !isfinite (d))
    return 0;
  *out = d;
  return 1;
}

/* ---- the rest --------------------------------------------------------------- */

static int
cmd_accounts (int argc, char **argv)
{
  if (argc != 1 || strcmp (argv[0], "list") != 0)
    return usage ("accounts: expected \"list\"");
  HsAccountList list = { 0 };
  HsPortStatus st = { 0 };
  if (hs_win32_list_accounts (&list, &st) != HS_PORT_OK)
    return fail (&st);
  for (size_t i = 0; i < list.n_items; i++)
    {
      field ("email", list.items[i].email);
      field ("kind", hs_account_kind_name (list.items[i].kind));
      field ("sources", list.items[i].sources);
      field ("join_record_only", list.items[i].join_record_only ? "yes" : "no");
      field ("settings_page", hs_account_settings_page (list.items[i].kind));
      end_record ();
    }
  hs_port_accounts_free (&list);
  return 0;
}

static int
cmd_broker (int argc, char **argv)
{
  HsPortStatus st = { 0 };
  if (argc == 1 && strcmp (argv[0], "status") == 0)
    {
      static const char *const fams[] = { HS_BROKER_FAMILY, HS_CXH_FAMILY };
      int rc = 0;
      for (size_t i = 0; i < 2; i++)
        {
          HsPackageState ps;
          HsPortCode c = hs_win32_package_state (fams[i], &ps, NULL, &st);
          field ("package", fams[i]);
          field ("registered", tri (ps.registered));
          field ("manifest", tri (ps.manifest_present));
          field ("method", hs_lookup_method_name (ps.method));
          field ("manifest_path", ps.manifest_path);
          field ("status_ok", tri (ps.status_ok));
          field ("status", ps.status_text);
          if (c != HS_PORT_OK)
            {
              field ("error", hs_port_code_name (c));
              field ("detail", st.detail);
              rc = 1;
            }
          end_record ();
        }
      return rc;
    }
  if (argc == 2 && strcmp (argv[0], "reregister") == 0)
    {
      HsPortCode c = hs_win32_reregister_package (argv[1], NULL, &st);
      field ("result", hs_port_code_name (c));
      field ("detail", st.detail);
      end_record ();
      return c == HS_PORT_OK ? 0 : c == HS_PORT_BAD_INPUT ? 2 : 1;
    }
  return usage ("broker: expected \"status\" or \"reregister FAMILY\"");
}

static int
cmd_run (int argc, char **argv)
{
  if (argc < 1)
    return usage ("run: missing program");
  HsWin32Program prog;
  if (strcmp (argv[0], "powershell") == 0)
    prog = HS_WIN32_PROG_POWERSHELL;
  else if (strcmp (argv[0], "w32tm") == 0)
    prog = HS_WIN32_PROG_W32TM;
  else
    return usage ("run: PROGRAM must be powershell or w32tm");
  uint32_t timeout = 60000;
  int i = 1;
  for (; i < argc; i++)
    {
      if (strcmp (argv[i], "--timeout") == 0 && i + 1 < argc)
        {
          char *end;
          unsigned long t = strtoul (argv[++i], &end, 10);
          if (*end || t == 0 || t > 3600000)
            return usage ("run: bad --timeout");
          timeout = (uint32_t) t;
        }
      else if (strcmp (argv[i], "--") == 0)
        {
          i++;
          break;
        }
      else
        break;
    }
  HsWin32ProcResult res;
  HsPortStatus st = { 0 };
  HsPortCode c = hs_win32_run (prog, (const char *const *) argv + i, (size_t) (argc - i), timeout,
                               NULL, &res, &st);
  if (c != HS_PORT_OK)
    {
      hs_win32_proc_result_clear (&res);
      return fail (&st);
    }
  field_int ("exit", res.exit_code);
  field_n ("stdout", res.out, res.out_len);
  field_n ("stderr", res.err, res.err_len);
  field_int ("stdout_bytes", (long long) res.out_raw_len);
  field_int ("stderr_bytes", (long long) res.err_raw_len);
  if (res.out_decoded || res.err_decoded)
    field ("decoded", "oem");
  if (res.out_truncated || res.err_truncated)
    field ("truncated", "yes");
  end_record ();
  hs_win32_proc_result_clear (&res);
  return 0;
}

static int
cmd_shell (int argc, char **argv)
{
  HsTeamsRestart tr = { 0 };
  HsPortStatus st = { 0 };
  HsPortCode c;
  if (argc == 2 && strcmp (argv[0], "open-settings") == 0)
    c = hs_win32_open_settings (argv[1], &st);
  else if (argc >= 1 && strcmp (argv[0], "restart-teams") == 0)
    {
      if (argc == 3 && strcmp (argv[1], "--grace") == 0)
        {
          char *end = NULL;
          errno = 0;
          unsigned long ms = strtoul (argv[2], &end, 10);
          if (argv[2][0] < '0' || argv[2][0] > '9' || *end != '\0' || errno != 0 || ms > 600000)
            return usage ("shell restart-teams: bad --grace (milliseconds, 0-600000)");
          hs_win32_set_teams_grace_ms ((uint32_t) ms);
        }
      else if (argc != 1)
        return usage ("shell restart-teams: unknown option");
      c = hs_win32_restart_teams (&tr, NULL, &st);
    }
  else
    return usage ("shell: expected open-settings URI or restart-teams");
  field ("result", hs_port_code_name (c));
  if (argv[0][0] == 'r')
    {
      field_int ("found", tr.found);
      field_int ("other_sessions", tr.other_sessions);
      field_int ("closed", tr.closed);
      field_int ("hidden_then_ended", tr.hidden_then_ended);
      field_int ("killed", tr.killed);
      field_int ("survived", tr.survived);
      field_int ("relaunched", tr.relaunched);
    }
  field ("detail", st.detail);
  end_record ();
  return c == HS_PORT_OK ? 0 : 1;
}

int
parse_timeout_ms (const char *s, uint32_t *out)
{
  char *end = NULL;
  unsigned long t;

  errno = 0;
  t = strtoul (s, &end, 10);
  if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || t == 0 || t > 600000)
    return 0;
  *out = (uint32_t) t;
  return 1;
}

static int
cmd_https_date (int argc, char **argv)
{
  const char *url = NULL, *ca = NULL;
  uint32_t timeout = 10000;

  for (int i = 0; i < argc; i++)
    {
      if (strcmp (argv[i], "--ca") == 0 && i + 1 < argc)
        ca = argv[++i];
      else if (strcmp (argv[i], "--timeout") == 0 && i + 1 < argc)
        {
          if (!parse_timeout_ms (argv[++i], &timeout))
            return usage ("https-date: bad --timeout (milliseconds, 1-600000)");
        }
      else if (argv[i][0] != '-' && url == NULL)
        url = argv[i];
      else
        return usage ("https-date: unknown option");
    }
  if (url == NULL)
    return usage ("https-date: expected URL");

  HsHttpsDate d;
  HsPortStatus st = { 0 };
  HsPortCode c = hs_win32_https_date (url, ca, timeout, NULL, &d, &st);
  if (c != HS_PORT_OK)
    {
      field ("error", hs_port_code_name (st.code));
      field_int ("os_error", st.os_error);
      field ("detail", st.detail);
      field_int ("elapsed_ms", d.elapsed_ms);
      end_record ();
      return 1;
    }
  field_int ("answered", d.answered);
  field_int ("date_unix", d.date_unix);
  field ("date", d.date);
  field_int ("send_usec", d.send_usec);
  field_int ("recv_usec", d.recv_usec);
  field_int ("tls_dates_only", d.tls_dates_only);
  field_int ("http_status", d.http_status);
  field_int ("elapsed_ms", d.elapsed_ms);
  end_record ();
  return 0;
}

static int
cmd_user (int argc, char **argv)
{
  if (argc != 1 || strcmp (argv[0], "context") != 0)
    return usage ("user: expected \"context\"");
  HsUserContext u;
  HsPortStatus st = { 0 };
  if (hs_win32_user_context (&u, &st) != HS_PORT_OK)
    return fail (&st);
  field ("process_user", u.process_user);
  field ("session_user", u.session_user);
  field_int ("session_id", u.session_id);
  field ("same_user", tri (u.same_user));
  end_record ();
  return 0;
}

int wmain (int argc, wchar_t **argv);

int
wmain (int argc, wchar_t **wargv)
{
  _setmode (_fileno (stdout), _O_BINARY);
  _setmode (_fileno (stderr), _O_BINARY);
  char **argv = calloc ((size_t) argc + 1, sizeof *argv);
  for (int i = 0; i < argc; i++)
    {
      argv[i] = hs_win32_utf8 (wargv[i]);
      if (argv[i] == NULL)
        return usage ("arguments must be valid Unicode");
    }
  if (argc < 2)
    return usage (NULL);
  const char *cmd = argv[1];
  int rc;
  if (strcmp (cmd, "creds") == 0)
    rc = cmd_creds (argc - 2, argv + 2);
  else if (strcmp (cmd, "accounts") == 0)
    rc = cmd_accounts (argc - 2, argv + 2);
  else if (strcmp (cmd, "user") == 0)
    rc = cmd_user (argc - 2, argv + 2);
  else if (strcmp (cmd, "time") == 0)
    rc = cmd_time (argc - 2, argv + 2);
  else if (strcmp (cmd, "broker") == 0)
    rc = cmd_broker (argc - 2, argv + 2);
  else if (strcmp (cmd, "run") == 0)
    rc = cmd_run (argc - 2, argv + 2);
  else if (strcmp (cmd, "elevated-action") == 0)
    rc = cmd_elevated_action (argc - 2, argv + 2);
  else if (strcmp (cmd, "elevate") == 0)
    rc = cmd_elevate (argc - 2, argv + 2);
  else if (strcmp (cmd, "shell") == 0)
    rc = cmd_shell (argc - 2, argv + 2);
  else if (strcmp (cmd, "https-date") == 0)
    rc = cmd_https_date (argc - 2, argv + 2);
  else if (strcmp (cmd, "net-check") == 0)
    rc = cmd_net_check (argc - 2, argv + 2);
  else if (strcmp (cmd, "--help") == 0 || strcmp (cmd, "-h") == 0)
    {
      fputs (usage_text, stdout);
      rc = 0;
    }
  else
    rc = usage ("unknown command");
  fflush (stdout);
  for (int i = 0; i < argc; i++)
    free (argv[i]);
  free (argv);
  return rc;
}
