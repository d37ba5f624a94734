/* handshake-cli — the four checks for remote shells and fleet tools, the
 * network check of the sign-in path (--network) and explain CODE
 * (hs-cli-network.c). Exit codes: hs-cli-args.h and README.md. */

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

#include "hs-cli-args.h"
#include "hs-cli-output.h"
#include "hs-cli-private.h"
#include "hs-cli-shell.h"
#include "hs-codes.h"
#include "hs-engine.h"
#include "hs-host.h"
#include "hs-i18n.h"
#include "hs-practice.h"
#include "hs-report.h"
#ifdef G_OS_WIN32
#include <windows.h>
#include "hs-win32.h"
#endif

typedef HsCliCtx Ctx;

static const HsCliArgs *opt;

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
        return HS_EXIT_PROBLEM;
    }
  return unverified ? HS_EXIT_UNVERIFIED : HS_EXIT_OK;
}

static void
check_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Ctx *ctx = user_data;

  if (opt->step == 0)
    hs_engine_check_all_finish (HS_ENGINE (source), res, &ctx->error);
  else
    ctx->result = hs_engine_check_step_finish (HS_ENGINE (source), res, &ctx->error);
  g_main_loop_quit (ctx->loop);
}

static void
run_checks (Ctx *ctx)
{
  if (opt->step == 0)
    hs_engine_check_all_async (ctx->engine, NULL, check_done_cb, ctx);
  else
    hs_engine_check_step_async (ctx->engine, (HsStep) opt->step, NULL, check_done_cb, ctx);
  g_main_loop_run (ctx->loop);
  g_clear_object (&ctx->result);
}

/* How to print, as the options say. */
static HsCliOutput
output (void)
{
  HsCliOutput o = { !opt->no_redact, opt->english, opt->allow_unrecoverable };

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

/* Where this run's backup went, and the line that undoes the removal. */
static void
print_backup (HsEngine *engine, const char *before)
{
  const char *backup = hs_engine_get_last_backup (engine);
  g_autofree char *undo = NULL;

  if (backup == NULL || g_strcmp0 (backup, before) == 0)
    return;
  undo = hs_cli_restore_line (opt, backup);
  /* TRANSLATORS: %s is the path of the backup file. */
  g_print (_("Backup of the removed sign-in entries: %s\n"), backup);
  /* TRANSLATORS: followed by a command line to copy, on its own line. */
  g_print ("%s\n  %s\n", _("To put them back, run:"), undo);
}

static int
cmd_fix (Ctx *ctx)
{
  HsCliOutput out = output ();
  g_autofree char *backup_before = g_strdup (hs_engine_get_last_backup (ctx->engine));
  GString *plan = g_string_new (NULL);
  GArray *todo = g_array_new (FALSE, FALSE, sizeof (int));

  run_checks (ctx);
  if (ctx->error)
    {
      g_printerr ("%s\n", ctx->error->message);
      return HS_EXIT_UNVERIFIED;
    }
  for (int s = 1; s <= HS_N_STEPS; s++)
    {
      HsResult *r = hs_engine_get_result (ctx->engine, (HsStep) s);
      HsFixKind fix;
      if (r == NULL || (opt->step && s != opt->step))
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
          /* what of it a backup cannot put back (saved sign-ins only) */
          hs_cli_plan_unrestorable (&out, plan, r);
        }
      else if (hs_step_guide (s, r) != NULL)
        {
          /* stdout carries nothing but the JSON object with --json. */
          if (opt->json)
            g_printerr (_("Step %d needs you: %s\n"), s, hs_step_guide (s, r));
          else
            g_print (_("Step %d needs you: %s\n"), s, hs_step_guide (s, r));
        }
    }

  if (todo->len > 0)
    {
      g_autofree char *heading = g_strdup_printf ("%s\n%s", _("Handshake will:"), plan->str);
      if (!opt->yes && !isatty (fileno (stdin)))
        {
          g_printerr ("%s", heading);
          g_printerr ("%s\n", _("Refusing to change anything without a terminal to ask; run again with --yes."));
          g_array_unref (todo);
          g_string_free (plan, TRUE);
          return HS_EXIT_USAGE;
        }
      if (!opt->yes && !confirm (heading))
        {
          g_print ("%s\n", _("Nothing was changed."));
          g_array_unref (todo);
          g_string_free (plan, TRUE);
          return exit_code_for (ctx->engine, opt->step);
        }
    }
  for (guint i = 0; i < todo->len; i++)
    {
      int s = g_array_index (todo, int, i);
      HsFixOptions options = { NULL, NULL, opt->allow_unrecoverable };

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
  if (opt->json)
    hs_cli_print_report (&out, ctx->engine, TRUE);
  else
    {
      hs_cli_print_human (&out, ctx->engine);
      print_backup (ctx->engine, backup_before);
    }
  return exit_code_for (ctx->engine, opt->step);
}

static void
restore_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Ctx *ctx = user_data;

  ctx->result = hs_engine_restore_finish (HS_ENGINE (source), res, &ctx->error);
  g_main_loop_quit (ctx->loop);
}

/* A restore that did not put the backup back is an error: its reason goes
 * to stderr, stdout carries only the JSON report when one was asked for.
 * Skipped on purpose is no failure: nothing newer was lost, nothing was
 * written without its password. */
static int
cmd_restore (Ctx *ctx, const char *path)
{
  HsCliOutput out = output ();
  const char *code, *why;
  g_autofree char *red = NULL;
  gboolean restored;

  hs_engine_restore_full_async (ctx->engine, path, opt->overwrite_newer ? HS_RESTORE_OVERWRITE_NEWER : 0,
                                NULL, restore_done_cb, ctx);
  g_main_loop_run (ctx->loop);
  if (ctx->error)
    {
      /* TRANSLATORS: %s is the backup file given, then the reason. */
      g_printerr (_("handshake-cli: could not restore “%s”: %s\n"), path, ctx->error->message);
      g_clear_error (&ctx->error);
      return HS_EXIT_RESTORE_FAILED;
    }
  code = hs_result_get_code (ctx->result);
  restored = g_str_equal (code, HS_CODE_CREDS_RESTORED) || g_str_equal (code, HS_CODE_CREDS_RESTORE_PARTIAL);
  why = hs_result_get_string (ctx->result, "fix_reason");
  red = why ? hs_redact_text (why) : NULL;
  if (opt->json)
    hs_cli_print_report (&out, ctx->engine, TRUE);
  else if (restored)
    {
      g_print ("%s\n", hs_result_get_summary (ctx->result));
      hs_cli_print_entries (&out, ctx->result, "restoration");
      if (red)
        g_print ("%s\n", red);
    }
  if (!restored)
    {
      if (!opt->json)
        g_printerr ("%s\n", hs_result_get_summary (ctx->result));
      g_printerr ("%s\n", red ? red : path);
      if (g_str_equal (code, HS_CODE_WRONG_USER))
        hs_cli_print_wrong_user (&out, ctx->result);
    }
  g_clear_object (&ctx->result);
  return restored ? HS_EXIT_OK : HS_EXIT_RESTORE_FAILED;
}

static HsPlatform *
platform_new (void)
{
  g_autoptr(GError) error = NULL;
  HsPlatform *platform;

  if (!opt->practice)
    return hs_platform_new_native ();
  platform = hs_practice_platform_new (opt->scenario, &error);
  if (platform == NULL)
    hs_cli_usage_error (error->message);
  return platform;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  g_autofree char *message = NULL;
  HsClockProbeOptions clock = { 0 };
  HsPlatform *platform;
  HsNetCheckOptions net = { 0 };
  Ctx ctx = { 0 };
  HsCliOutput out;
  int rc;

  hs_i18n_init ();

#ifdef G_OS_WIN32
  args = g_win32_get_command_line ();
#else
  args = g_strdupv (argv);
#endif
  if ((opt = hs_cli_args_parse (&args, &message)) == NULL)
    return hs_cli_usage_error (message);
  if (opt->version)
    {
      g_print ("handshake-cli %s\n", PACKAGE_VERSION);
      return HS_EXIT_OK;
    }
#ifdef G_OS_WIN32
  /* The elevated helper: one named action from a fixed list, nothing else. */
  if (opt->elevated_action != NULL)
    return hs_win32_run_elevated_action (opt->elevated_action, opt->offset);
#endif

  if ((platform = platform_new ()) == NULL)
    return HS_EXIT_USAGE;
  clock.servers = opt->servers;
  clock.https_url = (char *) opt->https_url;
  clock.https_ca_file = (char *) opt->https_ca;
  clock.timeout_ms = (guint) (opt->timeout * 1000.0);
  ctx.loop = g_main_loop_new (NULL, FALSE);
  ctx.engine = hs_engine_new (platform, &clock);
  out = output ();
  net.urls = opt->signin_urls;
  net.timeout_ms = clock.timeout_ms;
  net.ca_file = (char *) opt->https_ca;
  net.public_roots = (char *) opt->public_roots;
  hs_engine_set_network_options (ctx.engine, &net);
  if (opt->patterns != NULL && !hs_engine_load_patterns (ctx.engine, opt->patterns, &error))
    {
      rc = hs_cli_usage_error (error->message);
      goto out;
    }

  if (g_str_equal (opt->command, "check") && opt->network)
    {
      hs_cli_run_network (&ctx);
      if (opt->json)
        hs_cli_print_report (&out, ctx.engine, TRUE);
      else
        hs_cli_print_network (ctx.engine);
      rc = hs_cli_network_exit_code (ctx.engine);
    }
  else if (g_str_equal (opt->command, "check"))
    {
      run_checks (&ctx);
      if (opt->json)
        hs_cli_print_report (&out, ctx.engine, TRUE);
      else
        hs_cli_print_human (&out, ctx.engine);
      rc = exit_code_for (ctx.engine, opt->step);
    }
  else if (g_str_equal (opt->command, "report"))
    {
      run_checks (&ctx);
      rc = exit_code_for (ctx.engine, opt->step);
      if (opt->network)
        {
          int net_rc = (hs_cli_run_network (&ctx), hs_cli_network_exit_code (ctx.engine));
          /* A problem anywhere wins, then "could not check". */
          rc = rc == HS_EXIT_PROBLEM || net_rc == HS_EXIT_PROBLEM ? HS_EXIT_PROBLEM : MAX (rc, net_rc);
        }
      hs_cli_print_report (&out, ctx.engine, opt->json);
    }
  else if (g_str_equal (opt->command, "explain"))
    rc = hs_cli_explain (&ctx, &out, opt->code, opt->json);
  else if (g_str_equal (opt->command, "fix"))
    rc = cmd_fix (&ctx);
  else
    rc = cmd_restore (&ctx, opt->backup);

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
