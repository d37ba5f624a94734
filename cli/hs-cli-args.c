/* hs-cli-args.c — handshake-cli's options and arguments. A usage error is
 * one line naming what was wrong, found before anything runs: a step out of
 * range, a timeout that is not a plain number of seconds, a time source no
 * measurement could use, an argument too many. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "hs-cli-args.h"
#include "hs-clock-probe.h"
#include "hs-net-check.h"
#include "hs-step-table.h"

static HsCliArgs opt;
static char *opt_practice_value;
static char *opt_https_url;
static char *opt_https_ca;
static char *opt_elevated_action;
static char *opt_patterns;
static char *opt_public_roots;

static gboolean
parse_practice (const char *name, const char *value, gpointer data, GError **error)
{
  opt.practice = TRUE;
  g_free (opt_practice_value);
  /* "--practice" alone reaches here as "--practice=": the default. */
  opt_practice_value = (value != NULL && *value != '\0') ? g_strdup (value) : NULL;
  return TRUE;
}

static gboolean
parse_step (const char *name, const char *value, gpointer data, GError **error)
{
  gint64 n;

  if (!g_ascii_string_to_signed (value, 10, 1, HS_N_STEPS, &n, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* TRANSLATORS: a usage error: the option (--step), the value given, the
                      last step, e.g. --step “0”: choose a step from 1 to 4 */
                   _("%s “%s”: choose a step from 1 to %d"), name, value, HS_N_STEPS);
      return FALSE;
    }
  opt.step = (int) n;
  return TRUE;
}

/* Digits with at most one decimal point: no sign, exponent, hex, "nan" or
 * "inf", and nothing around it (strtod would take all of those). */
static gboolean
is_plain_decimal (const char *text)
{
  gboolean digit = FALSE, point = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digit = TRUE;
      else if (*p == '.' && !point)
        point = TRUE;
      else
        return FALSE;
    }
  return digit;
}

static gboolean
parse_timeout (const char *name, const char *value, gpointer data, GError **error)
{
  double t = is_plain_decimal (value) ? g_ascii_strtod (value, NULL) : NAN;

  if (!isfinite (t) || t < 0 || t > 120)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* TRANSLATORS: a usage error: the option (--timeout), then the value given. */
                   _("%s “%s”: give a number of seconds from 0 to 120"), name, value);
      return FALSE;
    }
  opt.timeout = t;
  return TRUE;
}

static const GOptionEntry entries[] = {
  { "practice", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, parse_practice,
    N_("Use a simulated computer (default scenario: all-broken)"), N_("SCENARIO") },
  { "time-server", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt.servers,
    N_("Ask this NTP server (repeatable; replaces the defaults)"), N_("HOST[:PORT]") },
  { "https-time-url", 0, 0, G_OPTION_ARG_STRING, &opt_https_url,
    N_("Read the time from this HTTPS server's Date header when NTP fails"), N_("URL") },
  { "https-ca-file", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &opt_https_ca, NULL, NULL },
  { "timeout", 0, 0, G_OPTION_ARG_CALLBACK, parse_timeout,
    N_("Give the clock measurement (default 3) and the network check (default 10) at most this long"),
    N_("SECONDS") },
  { "network", 0, 0, G_OPTION_ARG_NONE, &opt.network,
    N_("Check the network path to the sign-in servers (check: only that; report: as well)"), NULL },
  { "signin-url", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt.signin_urls,
    N_("Check this https:// address instead of the sign-in and Teams services (repeatable)"),
    N_("URL") },
  { "public-roots", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &opt_public_roots, NULL, NULL },
  { "patterns", 0, 0, G_OPTION_ARG_FILENAME, &opt_patterns,
    N_("Credential rules file instead of the built-in rules"), N_("FILE") },
  { "step", 0, 0, G_OPTION_ARG_CALLBACK, parse_step, N_("Only this step (1–4)"), N_("N") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt.json, N_("Print the report as JSON"), NULL },
  { "yes", 'y', 0, G_OPTION_ARG_NONE, &opt.yes, N_("Do not ask before changing anything"), NULL },
  /* TRANSLATORS: --allow-unrecoverable is an option of "fix"; do not translate it. */
  { "allow-unrecoverable", 0, 0, G_OPTION_ARG_NONE, &opt.allow_unrecoverable,
    N_("fix: also remove saved sign-ins that a backup cannot put back (Windows asks for their passwords again)"), NULL },
  { "overwrite-newer", 0, 0, G_OPTION_ARG_NONE, &opt.overwrite_newer,
    N_("restore: write over entries saved after the backup was made"), NULL },
  { "no-redact", 0, 0, G_OPTION_ARG_NONE, &opt.no_redact,
    N_("Show e-mail addresses and user names in the report"), NULL },
  { "english", 0, 0, G_OPTION_ARG_NONE, &opt.english, N_("Write the report in English"), NULL },
  /* TRANSLATORS: help for --version. */
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt.version, N_("Print the version and exit"), NULL },
  { "elevated-action", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt_elevated_action, NULL, NULL },
  { "offset", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE, &opt.offset, NULL, NULL },
  { NULL }
};

/* "--practice" takes its value only with "=" (README): a word after it is
 * an argument, and is remembered so that a stray one can be explained. */
static char *
take_bare_practice (char **args)
{
  char *after = NULL;

  for (guint i = 1; args[i] != NULL && !g_str_equal (args[i], "--"); i++)
    if (g_str_equal (args[i], "--practice"))
      {
        g_free (args[i]);
        args[i] = g_strdup ("--practice=");
        if (after == NULL && args[i + 1] != NULL && args[i + 1][0] != '-')
          after = g_strdup (args[i + 1]);
      }
  return after;
}

static char *
unexpected (const char *arg, const char *after_practice)
{
  if (g_strcmp0 (arg, after_practice) == 0)
    /* TRANSLATORS: %s (twice) is the word given after --practice, e.g. "healthy". */
    return g_strdup_printf (_("unexpected argument “%s” (to choose a scenario, write --practice=%s)"),
                            arg, arg);
  /* TRANSLATORS: %s is an argument the command does not take. */
  return g_strdup_printf (_("unexpected argument “%s”"), arg);
}

static char *
check_sources (void)
{
  for (char **s = opt.servers; s != NULL && *s != NULL; s++)
    if (!hs_clock_server_is_valid (*s))
      /* TRANSLATORS: --time-server, then the value given. Keep HOST, PORT and IPv6 as they are. */
      return g_strdup_printf (_("%s “%s”: not a time server (HOST, HOST:PORT or [IPv6]:PORT, port 1–65535)"),
                              "--time-server", *s);
  if (opt_https_url != NULL && *opt_https_url != '\0' && !hs_clock_https_url_is_valid (opt_https_url))
    /* TRANSLATORS: --https-time-url, then the value given. */
    return g_strdup_printf (_("%s “%s”: not an https:// address (an empty value turns this fallback off)"),
                            "--https-time-url", opt_https_url);
  for (char **u = opt.signin_urls; u != NULL && *u != NULL; u++)
    if (!hs_net_url_is_valid (*u, NULL))
      /* TRANSLATORS: %s is what the user gave; keep "--signin-url" and "https://". */
      return g_strdup_printf (_("--signin-url needs an https:// URL with a host: %s"), *u);
  if (opt.signin_urls != NULL && g_strv_length (opt.signin_urls) > HS_NET_MAX_ENDPOINTS)
    return g_strdup (_("too many --signin-url options"));
  return NULL;
}

static char *
check_arguments (char **args, const char *after_practice)
{
  static const char * const commands[] = { "check", "fix", "report", "restore", "explain", NULL };
  guint n = g_strv_length (args);

  if (opt_elevated_action != NULL)
    {
#ifdef G_OS_WIN32
      return NULL;   /* the elevated helper takes no command */
#else
      return g_strdup (_("--elevated-action exists only on Windows"));
#endif
    }
  if (n < 2)
    /* TRANSLATORS: a usage error; keep the command names as they are. */
    return g_strdup (_("no command given (check, fix, report, restore or explain)"));
  if (!g_strv_contains (commands, args[1]))
    {
      if (g_strcmp0 (args[1], after_practice) == 0)
        return unexpected (args[1], after_practice);
      /* TRANSLATORS: a usage error: %s is what was given instead of a command;
         keep the command names as they are. */
      return g_strdup_printf (_("unknown command “%s” (check, fix, report, restore or explain)"), args[1]);
    }
  if (g_str_equal (args[1], "restore"))
    {
      if (n < 3)
        /* TRANSLATORS: a usage error; keep "restore" as it is (the command). */
        return g_strdup (_("restore needs the backup file to put back"));
      if (n > 3)
        return unexpected (args[3], after_practice);
    }
  else if (g_str_equal (args[1], "explain"))
    {
      if (n < 3)
        /* TRANSLATORS: a usage error; keep "explain" as it is (the command). */
        return g_strdup (_("explain needs the code Teams shows, such as 0xCAA20003"));
      if (n > 3)
        return unexpected (args[3], after_practice);
    }
  else if (n > 2)
    return unexpected (args[2], after_practice);
  if (opt.network && opt.step != 0 && g_str_equal (args[1], "check"))
    return g_strdup (_("check --network checks the network only: leave out --step"));
  if (opt.allow_unrecoverable && !g_str_equal (args[1], "fix"))
    return g_strdup (_("--allow-unrecoverable goes with fix"));
  if (opt.overwrite_newer && !g_str_equal (args[1], "restore"))
    return g_strdup (_("--overwrite-newer goes with restore"));
  return check_sources ();
}

const HsCliArgs *
hs_cli_args_parse (char ***args, char **message)
{
  g_autoptr(GOptionContext) oc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after_practice = take_bare_practice (*args);

  oc = g_option_context_new (_("COMMAND — check | fix | report | restore BACKUP | explain CODE"));
  g_option_context_set_translation_domain (oc, GETTEXT_PACKAGE);
  g_option_context_set_summary (oc, _("Checks and fixes the causes of the Teams sign-in error 0xCAA20003."));
  g_option_context_set_description (oc,
    /* TRANSLATORS: the end of --help: what each exit code of the program means. */
    _("Exit codes: 0 nothing wrong, 1 a problem remains, 2 usage error, 3 could not check, "
      "4 a backup could not be put back."));
  g_option_context_add_main_entries (oc, entries, GETTEXT_PACKAGE);
  *message = NULL;
  if (!g_option_context_parse_strv (oc, args, &error))
    {
      *message = g_strdup (error->message);
      return NULL;
    }
  opt.program = (*args)[0];
  opt.scenario = opt_practice_value;
  opt.https_url = opt_https_url;
  opt.https_ca = opt_https_ca;
  opt.elevated_action = opt_elevated_action;
  opt.patterns = opt_patterns;
  opt.public_roots = opt_public_roots;
  if (opt.version)
    return &opt;
  if ((*message = check_arguments (*args, after_practice)) != NULL)
    return NULL;
  if (opt_elevated_action == NULL)
    {
      opt.command = (*args)[1];
      if (g_str_equal (opt.command, "restore"))
        opt.backup = (*args)[2];
      else if (g_str_equal (opt.command, "explain"))
        opt.code = (*args)[2];
    }
  return &opt;
}

int
hs_cli_usage_error (const char *message)
{
  g_printerr ("handshake-cli: %s\n", message);
  /* TRANSLATORS: keep “handshake-cli --help” as it is. */
  g_printerr ("%s\n", _("Try “handshake-cli --help” for more information."));
  return HS_EXIT_USAGE;
}
