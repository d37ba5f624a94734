/* handshake-cli — the four checks for remote shells and fleet tools, the
 * network check of the sign-in path (--network) and explain CODE
 * (hs-cli-network.c).
 *
 * Exit codes (stable, documented in README.md):
 *   0  nothing wrong (every step ok, fixed, restart pending or not applicable)
 *   1  a problem remains
 *   2  usage error (or a fix refused for want of --yes)
 *   3  could not check (some step unverified, none with a problem)
 * restore: 0 when every entry was put back or skipped on purpose (a newer
 * one kept, nothing to write without its password), 1 otherwise.
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#ifdef G_OS_UNIX
#include <unistd.h>
#else
#include <io.h>
#define isatty _isatty
#define fileno _fileno
#endif

#include "hs-cli-output.h"
#include "hs-codes.h"
#include "hs-engine.h"
#include "hs-cli-private.h"
#include "hs-host.h"
#include "hs-i18n.h"
#include "hs-practice.h"
#include "hs-report.h"
#ifdef G_OS_WIN32
#include <windows.h>
#include "hs-win32.h"
#endif

#define EXIT_OK HS_CLI_EXIT_OK
#define EXIT_PROBLEM HS_CLI_EXIT_PROBLEM
#define EXIT_USAGE HS_CLI_EXIT_USAGE
#define EXIT_UNVERIFIED HS_CLI_EXIT_UNVERIFIED

typedef HsCliCtx Ctx;

static char    *opt_practice;
static gboolean opt_practice_set;
static char   **opt_servers;
static char    *opt_https_url;
static char    *opt_https_ca;
static double   opt_timeout;
static int      opt_step;
static gboolean opt_json, opt_yes, opt_no_redact, opt_english;
static gboolean opt_allow_unrecoverable, opt_overwrite_newer;
static char    *opt_elevated_action;
static double   opt_offset;
static char    *opt_patterns;
static gboolean opt_network;
static char   **opt_signin_urls;
static char    *opt_public_roots;

static gboolean
parse_practice (const char *name, const char *value, gpointer data, GError **error)
{
  opt_practice_set = TRUE;
  g_free (opt_practice);
  opt_practice = g_strdup (value);
  return TRUE;
}

static const GOptionEntry common_entries[] = {
  { "practice", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, parse_practice,
    N_("Use a simulated computer (default scenario: all-broken)"), N_("SCENARIO") },
  { "time-server", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_servers,
    N_("Ask this NTP server (repeatable; replaces the defaults)"), N_("HOST[:PORT]") },
  { "https-time-url", 0, 0, G_OPTION_ARG_STRING, &opt_https_url,
    N_("Read the time from this HTTPS server's Date header when NTP fails"), N_("URL") },
  { "https-ca-file", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &opt_https_ca, NULL, NULL },
  { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &opt_timeout,
    N_("Give the clock measurement (default 3) and the network check (default 10) at most this long"),
    N_("SECONDS") },
  { "network", 0, 0, G_OPTION_ARG_NONE, &opt_network,
    N_("Check the network path to the sign-in servers (check: only that; report: as well)"), NULL },
  { "signin-url", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_signin_urls,
    N_("Check this https:// address instead of the sign-in and Teams services (repeatable)"),
    N_("URL") },
  { "public-roots", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &opt_public_roots, NULL, NULL },
  { "patterns", 0, 0, G_OPTION_ARG_FILENAME, &opt_patterns,
    N_("Credential rules file instead of the built-in rules"), N_("FILE") },
  { "step", 0, 0, G_OPTION_ARG_INT, &opt_step, N_("Only this step (1–4)"), N_("N") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print the report as JSON"), NULL },
  { "yes", 'y', 0, G_OPTION_ARG_NONE, &opt_yes, N_("Do not ask before changing anything"), NULL },
  /* TRANSLATORS: --allow-unrecoverable is an option of "fix"; do not translate it. */
  { "allow-unrecoverable", 0, 0, G_OPTION_ARG_NONE, &opt_allow_unrecoverable,
    N_("fix: also remove saved sign-ins that a backup cannot put back (Windows asks for their passwords again)"), NULL },
  { "overwrite-newer", 0, 0, G_OPTION_ARG_NONE, &opt_overwrite_newer,
    N_("restore: write over entries saved after the backup was made"), NULL },
  { "no-redact", 0, 0, G_OPTION_ARG_NONE, &opt_no_redact,
    N_("Show e-mail addresses and user names in the report"), NULL },
  { "english", 0, 0, G_OPTION_ARG_NONE, &opt_english, N_("Write the report in English"), NULL },
  { "elevated-action", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt_elevated_action, NULL, NULL },
  { "offset", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE, &opt_offset, NULL, NULL },
  { NULL }
};

static int
exit_code_for (HsEngine *engine, int only_step)
{
  gboolean unverified = FALSE;

  for (int s = 1; s <= HS_N_STEPS; s++)
    {
      HsResult *r = hs_engine_get_result (engine, (HsStep) s);
      if (only_step != 0 && s != only_step)
        continue;
      if (r == NULL || hs_result_get_status (r) == HS_STATUS_UNVERIFIED)
        unverified = TRUE;
      else if (hs_result_get_status (r) == HS_STATUS_PROBLEM)
        return EXIT_PROBLEM;
    }
  return unverified ? EXIT_UNVERIFIED : EXIT_OK;
}

static void
check_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Ctx *ctx = user_data;

  if (opt_step == 0)
    hs_engine_check_all_finish (HS_ENGINE (source), res, &ctx->error);
  else
    ctx->result = hs_engine_check_step_finish (HS_ENGINE (source), res, &ctx->error);
  g_main_loop_quit (ctx->loop);
}

static void
run_checks (Ctx *ctx)
{
  if (opt_step == 0)
    hs_engine_check_all_async (ctx->engine, NULL, check_done_cb, ctx);
  else
    hs_engine_check_step_async (ctx->engine, (HsStep) opt_step, NULL, check_done_cb, ctx);
  g_main_loop_run (ctx->loop);
  g_clear_object (&ctx->result);
}

/* How to print, as the options say. */
static HsCliOutput
output (void)
{
  HsCliOutput o = { !opt_no_redact, opt_english, opt_allow_unrecoverable };

  return o;
}

static gboolean
confirm (const char *plan)
{
  char answer[16] = "";

  g_print ("%s", plan);
  /* TRANSLATORS: the answer that means yes must be the first letter of the word in brackets. */
  g_print ("%s ", _("Go ahead? [y/N]"));
  fflush (stdout);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  return answer[0] == 'y' || answer[0] == 'Y' || g_str_has_prefix (answer, _("y"));
}

static void
fix_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Ctx *ctx = user_data;

  ctx->result = hs_engine_fix_step_finish (HS_ENGINE (source), res, &ctx->error);
  g_main_loop_quit (ctx->loop);
}

static int
cmd_fix (Ctx *ctx)
{
  HsCliOutput out = output ();
  GString *plan = g_string_new (NULL);
  GArray *todo = g_array_new (FALSE, FALSE, sizeof (int));

  run_checks (ctx);
  if (ctx->error)
    {
      g_printerr ("%s\n", ctx->error->message);
      return EXIT_UNVERIFIED;
    }
  for (int s = 1; s <= HS_N_STEPS; s++)
    {
      HsResult *r = hs_engine_get_result (ctx->engine, (HsStep) s);
      HsFixKind fix;
      if (r == NULL || (opt_step && s != opt_step))
        continue;
      fix = hs_result_get_fix (r);
      if (hs_result_get_status (r) == HS_STATUS_OK || hs_result_get_status (r) == HS_STATUS_NOT_APPLICABLE)
        continue;
      if (fix == HS_FIX_AUTOMATIC || fix == HS_FIX_AUTOMATIC_ADMIN)
        {
          g_autofree char *line = hs_step_describe_fix (s, r);

          g_array_append_val (todo, s);
          if (line != NULL)
            g_string_append (plan, line);
          if (s == HS_STEP_CREDENTIALS)
            hs_cli_plan_unrestorable (&out, plan, r);
        }
      else if (hs_step_guide (s, r) != NULL)
        {
          /* stdout carries nothing but the JSON object with --json. */
          if (opt_json)
            g_printerr (_("Step %d needs you: %s\n"), s, hs_step_guide (s, r));
          else
            g_print (_("Step %d needs you: %s\n"), s, hs_step_guide (s, r));
        }
    }

  if (todo->len > 0)
    {
      g_autofree char *heading = g_strdup_printf ("%s\n%s", _("Handshake will:"), plan->str);
      if (!opt_yes && !isatty (fileno (stdin)))
        {
          g_printerr ("%s", heading);
          g_printerr ("%s\n", _("Refusing to change anything without a terminal to ask; run again with --yes."));
          g_array_unref (todo);
          g_string_free (plan, TRUE);
          return EXIT_USAGE;
        }
      if (!opt_yes && !confirm (heading))
        {
          g_print ("%s\n", _("Nothing was changed."));
          g_array_unref (todo);
          g_string_free (plan, TRUE);
          return exit_code_for (ctx->engine, opt_step);
        }
    }
  for (guint i = 0; i < todo->len; i++)
    {
      int s = g_array_index (todo, int, i);
      HsFixOptions options = { NULL, NULL, opt_allow_unrecoverable };

      hs_engine_fix_step_async (ctx->engine, (HsStep) s, &options, NULL, fix_done_cb, ctx);
      g_main_loop_run (ctx->loop);
      if (ctx->error)
        {
          g_printerr (_("Step %d: %s\n"), s, ctx->error->message);
          g_clear_error (&ctx->error);
        }
      g_clear_object (&ctx->result);
    }
  g_array_unref (todo);
  g_string_free (plan, TRUE);
  if (opt_json)
    hs_cli_print_report (&out, ctx->engine, TRUE);
  else
    hs_cli_print_human (&out, ctx->engine);
  return exit_code_for (ctx->engine, opt_step);
}

static void
restore_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Ctx *ctx = user_data;

  ctx->result = hs_engine_restore_finish (HS_ENGINE (source), res, &ctx->error);
  g_main_loop_quit (ctx->loop);
}

static int
cmd_restore (Ctx *ctx, const char *path)
{
  HsCliOutput out = output ();
  const char *code;
  int rc;

  hs_engine_restore_full_async (ctx->engine, path, opt_overwrite_newer ? HS_RESTORE_OVERWRITE_NEWER : 0,
                                NULL, restore_done_cb, ctx);
  g_main_loop_run (ctx->loop);
  if (ctx->error)
    {
      g_printerr ("%s\n", ctx->error->message);
      return EXIT_PROBLEM;
    }
  /* Skipped on purpose is no failure: nothing newer was lost, nothing was
   * written without its password. */
  code = hs_result_get_code (ctx->result);
  rc = g_str_equal (code, HS_CODE_CREDS_RESTORED) || g_str_equal (code, HS_CODE_CREDS_RESTORE_PARTIAL)
       ? EXIT_OK : EXIT_PROBLEM;
  if (opt_json)
    hs_cli_print_report (&out, ctx->engine, TRUE);
  else
    {
      const char *why = hs_result_get_string (ctx->result, "fix_reason");
      g_autofree char *red = why ? hs_redact_text (why) : NULL;
      g_print ("%s\n", hs_result_get_summary (ctx->result));
      hs_cli_print_entries (&out, ctx->result, "restoration");
      if (red)
        g_print ("%s\n", red);
      if (g_str_equal (code, HS_CODE_WRONG_USER))
        hs_cli_print_wrong_user (&out, ctx->result);
    }
  g_clear_object (&ctx->result);
  return rc;
}

static int
usage_error (GOptionContext *oc, const char *message)
{
  g_autofree char *help = g_option_context_get_help (oc, TRUE, NULL);

  g_printerr ("handshake-cli: %s\n\n%s", message, help);
  return EXIT_USAGE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) oc = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  HsClockProbeOptions clock = { 0 };
  HsPlatform *platform;
  HsNetCheckOptions net = { 0 };
  const char *command;
  gboolean one_arg;
  Ctx ctx = { 0 };
  HsCliOutput out;
  int rc;

  hs_i18n_init ();

#ifdef G_OS_WIN32
  args = g_win32_get_command_line ();
#else
  args = g_strdupv (argv);
#endif
  oc = g_option_context_new (_("COMMAND — check | fix | report | restore BACKUP | explain CODE"));
  g_option_context_set_translation_domain (oc, GETTEXT_PACKAGE);
  g_option_context_set_summary (oc, _("Checks and fixes the causes of the Teams sign-in error 0xCAA20003."));
  g_option_context_set_description (oc,
    _("Exit codes: 0 nothing wrong, 1 a problem remains, 2 usage error, 3 could not check."));
  g_option_context_add_main_entries (oc, common_entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (oc, &args, &error))
    return usage_error (oc, error->message);

  if (opt_elevated_action != NULL)
    {
#ifdef G_OS_WIN32
      /* The elevated helper: one named action from a fixed list, nothing else. */
      return hs_win32_run_elevated_action (opt_elevated_action, opt_offset);
#else
      return usage_error (oc, _("--elevated-action exists only on Windows"));
#endif
    }

  command = args[1];
  if (command == NULL)
    return usage_error (oc, _("no command given"));
  if (!g_str_equal (command, "check") && !g_str_equal (command, "fix") &&
      !g_str_equal (command, "report") && !g_str_equal (command, "restore") &&
      !g_str_equal (command, "explain"))
    return usage_error (oc, _("unknown command"));
  one_arg = g_str_equal (command, "restore") || g_str_equal (command, "explain");
  if ((one_arg && (args[2] == NULL || args[3] != NULL)) || (!one_arg && args[2] != NULL))
    return usage_error (oc, _("wrong number of arguments"));
  if (opt_allow_unrecoverable && !g_str_equal (command, "fix"))
    return usage_error (oc, _("--allow-unrecoverable goes with fix"));
  if (opt_overwrite_newer && !g_str_equal (command, "restore"))
    return usage_error (oc, _("--overwrite-newer goes with restore"));
  if (opt_step < 0 || opt_step > 4)
    return usage_error (oc, _("--step must be 1, 2, 3 or 4"));
  if (opt_timeout < 0 || opt_timeout > 120)
    return usage_error (oc, _("--timeout must be between 0 and 120 seconds"));
  if (opt_network && opt_step != 0 && g_str_equal (command, "check"))
    return usage_error (oc, _("check --network checks the network only: leave out --step"));
  if (!hs_cli_check_urls (opt_signin_urls))
    return EXIT_USAGE;

  if (opt_practice_set)
    {
      platform = hs_practice_platform_new (opt_practice, &error);
      if (platform == NULL)
        {
          g_printerr ("handshake-cli: %s\n", error->message);
          return EXIT_USAGE;
        }
    }
  else
    platform = hs_platform_new_native ();

  clock.servers = opt_servers;
  clock.https_url = opt_https_url;
  clock.https_ca_file = opt_https_ca;
  clock.timeout_ms = (guint) (opt_timeout * 1000.0);
  ctx.loop = g_main_loop_new (NULL, FALSE);
  ctx.engine = hs_engine_new (platform, &clock);
  out = output ();
  net.urls = opt_signin_urls;
  net.timeout_ms = clock.timeout_ms;
  net.ca_file = opt_https_ca;
  net.public_roots = opt_public_roots;
  hs_engine_set_network_options (ctx.engine, &net);
  if (opt_patterns != NULL && !hs_engine_load_patterns (ctx.engine, opt_patterns, &error))
    {
      g_printerr ("handshake-cli: %s\n", error->message);
      rc = EXIT_USAGE;
      goto out;
    }

  if (g_str_equal (command, "check") && opt_network)
    {
      hs_cli_run_network (&ctx);
      if (opt_json)
        hs_cli_print_report (&out, ctx.engine, TRUE);
      else
        hs_cli_print_network (ctx.engine);
      rc = hs_cli_network_exit_code (ctx.engine);
    }
  else if (g_str_equal (command, "check"))
    {
      run_checks (&ctx);
      if (opt_json)
        hs_cli_print_report (&out, ctx.engine, TRUE);
      else
        hs_cli_print_human (&out, ctx.engine);
      rc = exit_code_for (ctx.engine, opt_step);
    }
  else if (g_str_equal (command, "report"))
    {
      run_checks (&ctx);
      rc = exit_code_for (ctx.engine, opt_step);
      if (opt_network)
        {
          int net_rc = (hs_cli_run_network (&ctx), hs_cli_network_exit_code (ctx.engine));
          /* A problem anywhere wins, then "could not check". */
          rc = rc == EXIT_PROBLEM || net_rc == EXIT_PROBLEM ? EXIT_PROBLEM : MAX (rc, net_rc);
        }
      hs_cli_print_report (&out, ctx.engine, opt_json);
    }
  else if (g_str_equal (command, "explain"))
    rc = hs_cli_explain (&ctx, &out, args[2], opt_json);
  else if (g_str_equal (command, "fix"))
    rc = cmd_fix (&ctx);
  else
    rc = cmd_restore (&ctx, args[2]);

  if (ctx.error != NULL)
    {
      g_printerr ("handshake-cli: %s\n", ctx.error->message);
      g_clear_error (&ctx.error);
    }
out:
  g_object_unref (ctx.engine);
  g_main_loop_unref (ctx.loop);
  return rc;
}
