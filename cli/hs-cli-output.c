/* hs-cli-output.c — what handshake-cli prints: each step's verdict and
 * what became of each entry of a removal or restore, who should run it when
 * another account does, and the reports. */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "hs-cli-output.h"
#include "hs-codes.h"
#include "hs-report.h"

static char *
shown (const HsCliOutput *o, const char *value, HsSensitivity sensitivity)
{
  return o->redact ? hs_redact_value (value, sensitivity) : g_strdup (value);
}

/* Once, for every step another account could not check. */
void
hs_cli_print_wrong_user (const HsCliOutput *o, HsResult *r)
{
  g_autofree char *process = shown (o, hs_result_get_string (r, "process_user"), HS_SENSITIVITY_PERSONAL);
  g_autofree char *session = shown (o, hs_result_get_string (r, "session_user"), HS_SENSITIVITY_PERSONAL);

  g_print ("\n");
  /* TRANSLATORS: %1$s is the account Handshake runs as, %2$s the person signed in
   * to the computer (DOMAIN\user). */
  g_print (_("Handshake is running as %1$s, but the person signed in to this computer is %2$s. "
             "Steps 2 to 4 (saved sign-ins, the sign-in component, accounts) belong to %2$s: "
             "run handshake-cli as %2$s, in their session (for example from a task or script that runs "
             "as the signed-in user), not as another account or as administrator."),
           process, session);
  g_print ("\n");
}

/* What happened to each entry of a removal or a restore. */
void
hs_cli_print_entries (const HsCliOutput *o, HsResult *r, const char *kind)
{
  GPtrArray *items = hs_result_get_items (r);

  for (guint i = 0; i < items->len; i++)
    {
      const HsItem *item = g_ptr_array_index (items, i);
      const char *outcome = hs_item_get_string (item, "outcome");
      const char *reason = hs_item_get_string (item, "reason");
      g_autofree char *target = NULL;
      g_autofree char *failed = NULL;
      const char *text;

      if (!g_str_equal (item->kind, kind))
        continue;
      target = shown (o, hs_item_get_string (item, "target"), HS_SENSITIVITY_TEXT);
      if (g_strcmp0 (outcome, "deleted") == 0)
        text = _("removed");
      else if (g_strcmp0 (outcome, "restored") == 0)
        text = _("put back");
      else if (g_strcmp0 (outcome, "not_found") == 0)
        text = _("already gone");
      else if (g_strcmp0 (reason, "unrestorable") == 0)
        text = _("skipped: it cannot be put back once removed (--allow-unrecoverable removes it anyway; "
                 "Windows then asks for its password again)");
      else if (g_strcmp0 (reason, "newer_exists") == 0)
        text = _("skipped: a newer one was saved after the backup (--overwrite-newer writes over it)");
      else if (g_strcmp0 (reason, "exists_age_unknown") == 0)
        text = _("skipped: one exists and the backup does not say when it was made (--overwrite-newer writes over it)");
      else if (g_strcmp0 (reason, "no_secret") == 0)
        text = _("skipped: the backup holds no password for it (Windows never gave it out), so nothing was "
                 "written; signing in again saves it anew");
      else
        /* TRANSLATORS: %s is a stable error name such as "access_denied". */
        text = failed = g_strdup_printf (_("failed (%s)"), outcome);
      g_print ("    %s: %s\n", target, text);
    }
}

void
hs_cli_print_human (const HsCliOutput *o, HsEngine *engine)
{
  gboolean wrong_user_said = FALSE;

  for (int s = 1; s <= HS_N_STEPS; s++)
    {
      HsResult *r = hs_engine_get_result (engine, (HsStep) s);
      double offset;
      const char *reason, *fix_reason;

      if (r == NULL)
        continue;
      /* TRANSLATORS: "Step 1  problem  clock.skew", then the summary sentence. */
      g_print (_("Step %d  %-14s %s\n"), s, hs_status_name (hs_result_get_status (r)),
               hs_result_get_code (r));
      g_print ("        %s\n", hs_result_get_summary (r));
      if (hs_result_get_double (r, "offset_seconds", &offset))
        g_print (_("        offset %+.3f s (positive: this computer is ahead), from %s\n"),
                 offset, hs_result_get_string (r, "source"));
      if ((reason = hs_result_get_string (r, "reason")) != NULL)
        {
          g_autofree char *red = hs_redact_text (reason);
          g_print ("        %s\n", red);
        }
      if ((fix_reason = hs_result_get_string (r, "fix_reason")) != NULL)
        {
          g_autofree char *red = hs_redact_text (fix_reason);
          g_print ("        %s\n", red);
        }
      hs_cli_print_entries (o, r, "removal");
      if (g_str_equal (hs_result_get_code (r), HS_CODE_WRONG_USER) && !wrong_user_said)
        {
          hs_cli_print_wrong_user (o, r);
          wrong_user_said = TRUE;
        }
    }
}

/* Step 2's plan says which entries would go for good. */
void
hs_cli_plan_unrestorable (const HsCliOutput *o, GString *plan, HsResult *r)
{
  GPtrArray *items = hs_result_get_items (r);
  guint n = 0;

  for (guint i = 0; i < items->len; i++)
    {
      const HsItem *item = g_ptr_array_index (items, i);
      n += g_strcmp0 (item->kind, "credential") == 0 &&
           g_strcmp0 (hs_item_get_string (item, "category"), "required") == 0 &&
           g_strcmp0 (hs_item_get_string (item, "restorable"), "no") == 0;
    }
  if (n == 0)
    return;
  g_string_append (plan, "          ");
  if (o->allow_unrecoverable)
    g_string_append_printf (plan, ngettext ("%u of them cannot be put back once removed: Windows will ask for its password again.",
                                            "%u of them cannot be put back once removed: Windows will ask for their passwords again.", n), n);
  else
    g_string_append_printf (plan, ngettext ("%u of them cannot be put back once removed, so it is left alone "
                                            "(--allow-unrecoverable removes it too).",
                                            "%u of them cannot be put back once removed, so they are left alone "
                                            "(--allow-unrecoverable removes them too).", n), n);
  g_string_append_c (plan, '\n');
}

void
hs_cli_print_report (const HsCliOutput *o, HsEngine *engine, gboolean json)
{
  HsReportOptions ro = { o->redact, o->english };
  g_autofree char *text = json ? hs_report_to_json (engine, &ro) : hs_report_to_text (engine, &ro);

  fputs (text, stdout);
  if (json)
    fputc ('\n', stdout);
}
