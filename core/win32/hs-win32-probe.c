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

static const char usage_text[] =
  "usage: hs-win32-probe COMMAND ...\n"
  "  creds list [--patterns FILE]\n"
  "  creds delete --backup DIR [--patterns FILE] [--target T]...\n"
  "  creds restore FILE\n"
  "  accounts list\n"
  "  time status\n"
  "  time resync [--offset SECONDS]\n"
  "  broker status\n"
  "  broker reregister FAMILY\n"
  "  run (powershell|w32tm) [--timeout MS] [--] ARG...\n"
  "  elevated-action NAME [--offset SECONDS]\n"
  "  elevate NAME [--offset SECONDS]\n"
  "  shell open-settings URI\n"
  "  shell restart-teams [--grace MS]\n"
  "  https-date URL [--ca FILE] [--timeout MS]\n";

static int
usage (const char *why)
{
  if (why)
    fprintf (stderr, "hs-win32-probe: %s\n", why);
  fputs (usage_text, stderr);
  return 2;
}

static void
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

static int first_field = 1;

static void
field (const char *key, const char *value)
{
  if (!first_field)
    fputc ('\t', stdout);
  first_field = 0;
  fputs (key, stdout);
  fputc ('=', stdout);
  put_value (value);
}

static void
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

static void
field_int (const char *key, long long v)
{
  char b[32];
  snprintf (b, sizeof b, "%lld", v);
  field (key, b);
}

static void
end_record (void)
{
  fputc ('\n', stdout);
  first_field = 1;
}

static const char *
tri (HsTri t)
{
  return t == HS_TRI_YES ? "yes" : t == HS_TRI_NO ? "no" : "unknown";
}

static int
fail (const HsPortStatus *st)
{
  first_field = 1;
  field ("error", hs_port_code_name (st->code));
  field_int ("os_error", st->os_error);
  field ("detail", st->detail);
  end_record ();
  return 1;
}

static int
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

static int
parse_double (const char *s, double *out)
{
  char *end;
  double d = strtod (s, &end);
  if (end == s || *end || !isfinite (d))
    return 0;
  *out = d;
  return 1;
}

/* ---- creds ---------------------------------------------------------------- */

static int
cmd_creds (int argc, char **argv)
{
  if (argc < 1)
    return usage ("creds: missing subcommand");
  const char *sub = argv[0];
  const char *patterns = NULL, *backup = NULL;
  const char **targets = calloc ((size_t) argc + 1, sizeof *targets);
  size_t n_targets = 0;
  HsPortStatus st = { 0 };

  if (strcmp (sub, "restore") == 0)
    {
      free (targets);
      if (argc != 2)
        return usage ("creds restore: expected FILE");
      size_t n = 0;
      HsPortCode c = hs_win32_restore_credentials (argv[1], &n, &st);
      if (c != HS_PORT_OK)
        {
          if (n > 0)
            {
              field_int ("restored", (long long) n);
              end_record ();
            }
          return fail (&st);
        }
      field_int ("restored", (long long) n);
      end_record ();
      return 0;
    }
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--patterns") == 0 && i + 1 < argc)
        patterns = argv[++i];
      else if (strcmp (sub, "delete") == 0 && strcmp (argv[i], "--backup") == 0 && i + 1 < argc)
        backup = argv[++i];
      else if (strcmp (sub, "delete") == 0 && strcmp (argv[i], "--target") == 0 && i + 1 < argc)
        targets[n_targets++] = argv[++i];
      else
        {
          free (targets);
          return usage ("creds: unknown option");
        }
    }
  if (strcmp (sub, "list") != 0 && strcmp (sub, "delete") != 0)
    {
      free (targets);
      return usage ("creds: unknown subcommand");
    }
  if (strcmp (sub, "delete") == 0 && backup == NULL)
    {
      free (targets);
      return usage ("creds delete: --backup DIR is required");
    }
  HsPatternSet set = { 0 };
  if (!load_patterns (patterns, &set))
    {
      free (targets);
      return 1;
    }
  HsCredentialList list = { 0 };
  if (hs_win32_list_credentials (&list, &st) != HS_PORT_OK)
    {
      hs_patterns_free (&set);
      free (targets);
      return fail (&st);
    }
  int rc = 0;
  if (strcmp (sub, "list") == 0)
    {
      for (size_t i = 0; i < list.n_items; i++)
        {
          const HsCredential *c = &list.items[i];
          field ("target", c->target);
          field ("type", hs_cred_type_name (c->type));
          field ("category", hs_category_name (hs_patterns_classify (&set, c->target, NULL)));
          field ("user", c->user);
          field ("persist", hs_cred_persist_name (c->persist));
          field_int ("last_written", c->last_written_unix);
          field_int ("blob_size", c->blob_size);
          end_record ();
        }
    }
  else
    {
      HsCredentialRef *refs = calloc (list.n_items + n_targets + 1, sizeof *refs);
      size_t n = 0;
      for (size_t i = 0; i < list.n_items; i++)
        {
          const HsCredential *c = &list.items[i];
          int chosen = 0;
          if (n_targets == 0)
            chosen = hs_patterns_classify (&set, c->target, NULL) == HS_CATEGORY_REQUIRED;
          else
            for (size_t k = 0; k < n_targets; k++)
              if (strcmp (targets[k], c->target) == 0)
                chosen = 1;
          if (chosen)
            {
              refs[n].target = c->target;
              refs[n].type = c->type;
              n++;
            }
        }
      /* named targets that are not in the listing: still asked for (they
       * report not_found), so a caller sees every name it gave */
      for (size_t k = 0; k < n_targets; k++)
        {
          int seen = 0;
          for (size_t i = 0; i < n; i++)
            if (strcmp (refs[i].target, targets[k]) == 0)
              seen = 1;
          if (!seen)
            {
              refs[n].target = targets[k];
              refs[n].type = 1;
              n++;
            }
        }
      HsCredentialOutcome *out = calloc (n + 1, sizeof *out);
      char *path = NULL;
      HsPortCode c = hs_win32_delete_credentials (refs, n, backup, &path, out, NULL, &st);
      if (c == HS_PORT_IO || c == HS_PORT_BAD_INPUT)
        rc = fail (&st);
      else
        {
          field ("backup", path);
          end_record ();
          for (size_t i = 0; i < n; i++)
            {
              field ("target", refs[i].target);
              field ("type", hs_cred_type_name (refs[i].type));
              if (out[i].code == HS_PORT_OK)
                field ("result", "deleted");
              else if (out[i].code == HS_PORT_NOT_FOUND)
                field ("result", "not_found");
              else
                {
                  char b[64];
                  snprintf (b, sizeof b, "error:%s:%lu", hs_port_code_name (out[i].code),
                            (unsigned long) out[i].os_error);
                  field ("result", b);
                }
              end_record ();
            }
          rc = c == HS_PORT_OK ? 0 : 1;
        }
      free (path);
      free (out);
      free (refs);
    }
  hs_port_credentials_free (&list);
  hs_patterns_free (&set);
  free (targets);
  return rc;
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
      end_record ();
    }
  hs_port_accounts_free (&list);
  return 0;
}

static int
cmd_time (int argc, char **argv)
{
  HsPortStatus st = { 0 };
  if (argc == 1 && strcmp (argv[0], "status") == 0)
    {
      HsTimeSettings t;
      if (hs_win32_time_settings (&t, &st) != HS_PORT_OK)
        return fail (&st);
      field ("type", t.sync_type);
      field ("ntp_server", t.ntp_server);
      field ("service", hs_service_state_name (t.service_state));
      field ("start", hs_service_start_name (t.service_start));
      field ("tz_auto", tri (t.tz_auto));
      field ("domain_member", tri (t.domain_member));
      field ("elevated", tri (t.elevated));
      end_record ();
      return 0;
    }
  if (argc >= 1 && strcmp (argv[0], "resync") == 0)
    {
      double off = 0;
      int known = 0;
      if (argc == 3 && strcmp (argv[1], "--offset") == 0)
        {
          if (!parse_double (argv[2], &off))
            return usage ("time resync: bad offset");
          known = 1;
        }
      else if (argc != 1)
        return usage ("time resync: unknown option");
      HsPortCode c = hs_win32_resync (off, known, NULL, &st);
      field ("result", hs_port_code_name (c));
      field ("detail", st.detail);
      end_record ();
      return c == HS_PORT_OK ? 0 : 1;
    }
  return usage ("time: expected \"status\" or \"resync\"");
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
  field_int ("stdout_bytes", (long long) res.out_len);
  field_int ("stderr_bytes", (long long) res.err_len);
  if (res.out_truncated || res.err_truncated)
    field ("truncated", "yes");
  end_record ();
  hs_win32_proc_result_clear (&res);
  return 0;
}

static int
parse_action_args (int argc, char **argv, double *off)
{
  *off = 0;
  if (argc == 1)
    return 1;
  if (argc == 3 && strcmp (argv[1], "--offset") == 0)
    return parse_double (argv[2], off);
  return 0;
}

static int
cmd_elevated_action (int argc, char **argv)
{
  double off;
  if (argc < 1 || !parse_action_args (argc, argv, &off))
    return usage ("elevated-action: expected NAME [--offset SECONDS]");
  if (!hs_win32_elevated_action_known (argv[0]))
    return usage ("elevated-action: unknown action (known: clock-fix)");
  int rc = hs_win32_run_elevated_action (argv[0], off);
  field_int ("exit", rc);
  end_record ();
  return rc;
}

static int
cmd_elevate (int argc, char **argv)
{
  double off;
  if (argc < 1 || !parse_action_args (argc, argv, &off))
    return usage ("elevate: expected NAME [--offset SECONDS]");
  int ec = -1;
  HsPortStatus st = { 0 };
  HsPortCode c = hs_win32_elevate (argv[0], off, &ec, NULL, &st);
  if (c == HS_PORT_BAD_INPUT)
    return usage ("elevate: unknown action (known: clock-fix)");
  field ("result", hs_port_code_name (c));
  field_int ("exit", ec);
  field ("detail", st.detail);
  end_record ();
  return c == HS_PORT_OK && ec == 0 ? 0 : 1;
}

static int
cmd_shell (int argc, char **argv)
{
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
      c = hs_win32_restart_teams (NULL, &st);
    }
  else
    return usage ("shell: expected open-settings URI or restart-teams");
  field ("result", hs_port_code_name (c));
  field ("detail", st.detail);
  end_record ();
  return c == HS_PORT_OK ? 0 : 1;
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
          char *end = NULL;
          errno = 0;
          unsigned long t = strtoul (argv[++i], &end, 10);
          if (argv[i][0] < '0' || argv[i][0] > '9' || *end != '\0' || errno != 0
              || t == 0 || t > 600000)
            return usage ("https-date: bad --timeout (milliseconds, 1-600000)");
          timeout = (uint32_t) t;
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
