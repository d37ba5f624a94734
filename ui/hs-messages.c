#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "hs-codes.h"
#include "hs-messages.h"

const char *
hs_ui_step_name (HsStep step)
{
  switch (step)
    {
    /* TRANSLATORS: short name of step 1 in the step list at the top. */
    case HS_STEP_CLOCK: return _("Clock");
    /* TRANSLATORS: short name of step 2: sign-in details Windows keeps in Credential Manager. */
    case HS_STEP_CREDENTIALS: return _("Saved sign-ins");
    /* TRANSLATORS: short name of step 3: the Windows component that handles work sign-ins. */
    case HS_STEP_BROKER: return _("Sign-in helper");
    /* TRANSLATORS: short name of step 4: accounts signed in to Windows. */
    case HS_STEP_ACCOUNTS: return _("Accounts");
    default: break;
    }
  g_return_val_if_reached ("");
}

const char *
hs_ui_step_number_label (HsStep step)
{
  switch (step)
    {
    case HS_STEP_CLOCK: return _("Step 1");
    case HS_STEP_CREDENTIALS: return _("Step 2");
    case HS_STEP_BROKER: return _("Step 3");
    case HS_STEP_ACCOUNTS: return _("Step 4");
    default: break;
    }
  g_return_val_if_reached ("");
}

const char *
hs_ui_step_title (HsStep step)
{
  switch (step)
    {
    case HS_STEP_CLOCK: return _("Step 1: The clock");
    case HS_STEP_CREDENTIALS: return _("Step 2: Saved sign-ins");
    case HS_STEP_BROKER: return _("Step 3: The sign-in helper");
    case HS_STEP_ACCOUNTS: return _("Step 4: Accounts on this computer");
    default: break;
    }
  g_return_val_if_reached ("");
}

const char *
hs_ui_step_intro (HsStep step)
{
  switch (step)
    {
    case HS_STEP_CLOCK:
      return _("Microsoft refuses a sign-in when the computer’s clock is more than a minute or two off.");
    case HS_STEP_CREDENTIALS:
      return _("Windows keeps Teams sign-in details. An old copy can block a fresh sign-in.");
    case HS_STEP_BROKER:
      return _("A part of Windows handles work and school sign-ins for Teams. It must be set up for you.");
    case HS_STEP_ACCOUNTS:
      return _("When several accounts are signed in to Windows, Teams may pick the wrong one.");
    default: break;
    }
  g_return_val_if_reached ("");
}

const char *
hs_ui_step_manual (HsStep step)
{
  switch (step)
    {
    case HS_STEP_CLOCK:
      /* TRANSLATORS: keep the names in quotes and after "Settings" exactly as your Windows shows them. */
      return _("1. Open Settings > Time & language > Date & time.\n"
               "2. Switch “Set time automatically” off and on again.\n"
               "3. Check that the time zone is yours.\n"
               "4. Under “Synchronize your clock”, press “Sync now”.\n"
               "5. Close Teams completely and open it again.");
    case HS_STEP_CREDENTIALS:
      /* TRANSLATORS: keep the names of Windows windows and entries as your Windows shows them. */
      return _("1. Search the Start menu for Credential Manager and open it.\n"
               "2. Choose Windows Credentials.\n"
               "3. Find entries whose name contains “msteams”, “MicrosoftAccount:user=” or “Microsoft_adme”.\n"
               "4. Open each one with its arrow and choose Remove.\n"
               "5. Close Teams completely, open it again and sign in.");
    case HS_STEP_BROKER:
      /* TRANSLATORS: "Windows PowerShell" is the name Windows shows; do not translate the command. */
      return _("1. Right-click the Start button and open Windows PowerShell (not as administrator).\n"
               "2. Paste this command and press Enter:\n"
               "Add-AppxPackage -Register \"$env:SystemRoot\\SystemApps\\Microsoft.AAD.BrokerPlugin_cw5n1h2txyewy\\AppxManifest.xml\" -DisableDevelopmentMode -ForceApplicationShutdown\n"
               "3. Restart the computer.");
    case HS_STEP_ACCOUNTS:
      /* TRANSLATORS: keep the names of Windows settings as your Windows shows them. */
      return _("1. Open Settings > Accounts > Email & accounts.\n"
               "2. Look for your work address listed twice, or accounts you do not use for Teams.\n"
               "3. Select the extra one, then choose Manage or Remove and sign it out. A “Work or school account” you need for Teams stays.\n"
               "4. Open Teams and sign in with your work account only.");
    default: break;
    }
  g_return_val_if_reached ("");
}

const char *
hs_ui_status_icon (HsStatus status)
{
  switch (status)
    {
    case HS_STATUS_OK: return "emblem-ok-symbolic";
    case HS_STATUS_WARNING: return "dialog-warning-symbolic";
    case HS_STATUS_PROBLEM: return "dialog-error-symbolic";
    case HS_STATUS_FIXED: return "emblem-default-symbolic";
    case HS_STATUS_NEEDS_RESTART: return "system-reboot-symbolic";
    case HS_STATUS_UNVERIFIED: return "dialog-question-symbolic";
    case HS_STATUS_NOT_APPLICABLE: return "action-unavailable-symbolic";
    default: break;
    }
  return "dialog-question-symbolic";
}

const char *
hs_ui_status_label (HsStatus status)
{
  switch (status)
    {
    /* TRANSLATORS: status of a step: nothing wrong was found. */
    case HS_STATUS_OK: return _("OK");
    /* TRANSLATORS: status of a step: something may cause trouble. */
    case HS_STATUS_WARNING: return _("Worth a look");
    /* TRANSLATORS: status of a step: this blocks the Teams sign-in. */
    case HS_STATUS_PROBLEM: return _("Problem found");
    /* TRANSLATORS: status of a step: the wizard repaired it. */
    case HS_STATUS_FIXED: return _("Fixed");
    /* TRANSLATORS: status of a step: repaired, takes effect after a restart. */
    case HS_STATUS_NEEDS_RESTART: return _("Restart needed");
    /* TRANSLATORS: status of a step: the check could not finish. */
    case HS_STATUS_UNVERIFIED: return _("Could not check");
    /* TRANSLATORS: status of a step: it does not apply to this computer. */
    case HS_STATUS_NOT_APPLICABLE: return _("Does not apply");
    default: break;
    }
  return "";
}

const char *
hs_ui_status_style (HsStatus status)
{
  switch (status)
    {
    case HS_STATUS_OK:
    case HS_STATUS_FIXED: return "success";
    case HS_STATUS_WARNING:
    case HS_STATUS_NEEDS_RESTART: return "warning";
    case HS_STATUS_PROBLEM: return "error";
    default: break;
    }
  return "dim-label";
}

gboolean
hs_ui_status_is_done (HsStatus status)
{
  return hs_status_is_good (status) || status == HS_STATUS_NEEDS_RESTART;
}

const char *
hs_ui_account_source_label (const char *id)
{
  static const struct { const char *id; const char *label; } map[] = {
    /* TRANSLATORS: where Windows keeps an account: the computer itself is
     * joined to the user's organisation (Microsoft Entra / Azure AD join). */
    { "aad_join",       N_("joined to your organisation") },
    /* TRANSLATORS: Settings > Accounts > Access work or school (use the
     * wording of the Windows Settings page in your language). */
    { "workplace_join", N_("added under Access work or school") },
    /* TRANSLATORS: the Windows component that hands out sign-ins to apps. */
    { "tbacct",         N_("Windows sign-in broker") },
    /* TRANSLATORS: a personal Microsoft account used to sign in to Windows. */
    { "identitycrl",    N_("Microsoft account on Windows") },
    /* TRANSLATORS: Microsoft Office (product name). */
    { "office",         N_("Office") },
    { "office_msa",     N_("Office") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (id, map[i].id) == 0)
      return _(map[i].label);
  return id;
}

char *
hs_ui_account_sources_text (const char *sources)
{
  g_auto(GStrv) ids = g_strsplit (sources ? sources : "", ",", -1);
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  for (char **id = ids; *id != NULL; id++)
    {
      const char *label;

      g_strstrip (*id);
      if (**id == '\0')
        continue;
      label = hs_ui_account_source_label (*id);
      /* office and office_msa read the same: say it once. */
      if (g_ptr_array_find_with_equal_func (seen, label, g_str_equal, NULL))
        continue;
      g_ptr_array_add (seen, (gpointer) label);
      if (out->len > 0)
        /* TRANSLATORS: between the items of a list, e.g. "Office, Windows sign-in broker". */
        g_string_append (out, C_("list separator", ", "));
      g_string_append (out, label);
    }
  return g_string_free (out, FALSE);
}

char *
hs_ui_format_offset (double offset_seconds)
{
  double mag = fabs (offset_seconds);
  gboolean ahead = offset_seconds > 0;

  if (mag < 1.0)
    return g_strdup (_("Your clock shows the right time."));
  if (mag < 60.0)
    {
      int s = (int) round (mag);
      return g_strdup_printf (ahead
                              /* TRANSLATORS: %d is a number of seconds. */
                              ? ngettext ("Your clock is %d second ahead.", "Your clock is %d seconds ahead.", s)
                              : ngettext ("Your clock is %d second behind.", "Your clock is %d seconds behind.", s),
                              s);
    }
  if (mag < 3600.0)
    {
      int total = (int) round (mag);
      /* TRANSLATORS: %d min %d s: minutes and seconds, e.g. "Your clock is 4 min 12 s ahead." */
      return g_strdup_printf (ahead ? _("Your clock is %d min %d s ahead.")
                                    : _("Your clock is %d min %d s behind."),
                              total / 60, total % 60);
    }
  if (mag < 2 * 86400.0)
    {
      int total = (int) round (mag / 60.0);
      /* TRANSLATORS: %d h %d min: hours and minutes. */
      return g_strdup_printf (ahead ? _("Your clock is %d h %d min ahead.")
                                    : _("Your clock is %d h %d min behind."),
                              total / 60, total % 60);
    }
  else
    {
      int days = (int) round (mag / 86400.0);
      return g_strdup_printf (ahead
                              ? ngettext ("Your clock is %d day ahead.", "Your clock is %d days ahead.", days)
                              : ngettext ("Your clock is %d day behind.", "Your clock is %d days behind.", days),
                              days);
    }
}

static gboolean
has_suffix (const char *code, const char *suffix)
{
  return code != NULL && g_str_has_suffix (code, suffix);
}

gboolean
hs_ui_code_is_failure (const char *code)
{
  return has_suffix (code, ".fix_failed") || has_suffix (code, ".access_denied") ||
         has_suffix (code, ".backup_failed") || has_suffix (code, ".fix_declined") ||
         g_strcmp0 (code, HS_CODE_BROKER_MANIFEST_MISSING) == 0 ||
         g_strcmp0 (code, HS_CODE_CLOCK_DOMAIN) == 0 ||
         g_strcmp0 (code, HS_CODE_INTERNAL) == 0;
}

const char *
hs_ui_failure_advice (const char *code)
{
  if (code == NULL)
    return NULL;
  if (g_str_equal (code, HS_CODE_CLOCK_FIX_DECLINED))
    return _("Windows asked for permission and it was not given, so the clock was not changed. "
             "Press the fix button again and choose Yes, or ask someone with an administrator account.");
  if (g_str_equal (code, HS_CODE_CLOCK_FIX_FAILED))
    return _("The clock could not be set. Set it by hand with the steps below, "
             "or copy the report on the last page and send it to your IT support.");
  if (g_str_equal (code, HS_CODE_CLOCK_DOMAIN))
    return _("Your organisation manages this computer’s clock. Please ask your IT support to check it; "
             "changing it yourself would be undone.");
  if (g_str_equal (code, HS_CODE_CREDS_ACCESS_DENIED))
    return _("Windows did not let Handshake read or remove the saved sign-ins. "
             "Remove them by hand with the steps below, or ask your IT support.");
  if (g_str_equal (code, HS_CODE_CREDS_BACKUP_FAILED))
    return _("The backup could not be written, so nothing was removed. "
             "Make sure the disk is not full, then try again.");
  if (g_str_equal (code, HS_CODE_CREDS_FIX_FAILED))
    return _("Some saved sign-ins could not be removed. A backup was kept. "
             "Try again, or remove the rest by hand with the steps below.");
  if (g_str_equal (code, HS_CODE_BROKER_FIX_FAILED))
    return _("The sign-in helper could not be set up again. Restart the computer and try once more; "
             "if it still fails, send the report to your IT support.");
  if (g_str_equal (code, HS_CODE_BROKER_MANIFEST_MISSING))
    return _("A Windows file this repair needs is missing. Windows itself needs repairing: "
             "please contact your IT support and mention the code below.");
  if (g_str_equal (code, HS_CODE_CLOCK_UNREACHABLE))
    return _("Check that this computer is connected to the internet, then press “Check again”.");
  if (g_str_equal (code, HS_CODE_BROKER_UNVERIFIED) || g_str_equal (code, HS_CODE_ACCOUNTS_UNVERIFIED))
    return _("Press “Check again”. If this keeps happening, follow the steps by hand below.");
  if (g_str_equal (code, HS_CODE_CANCELLED))
    return _("The check was stopped. Press “Check again” when you are ready.");
  if (g_str_equal (code, HS_CODE_INTERNAL))
    return _("Something unexpected went wrong. Try again; if it happens again, "
             "send the report to your IT support.");
  if (has_suffix (code, ".fix_declined"))
    return _("The change was not allowed, so nothing was changed. Try again and allow it when Windows asks.");
  if (has_suffix (code, ".access_denied"))
    return _("Windows refused access. Follow the steps below by hand, or ask your IT support.");
  if (has_suffix (code, ".fix_failed") || has_suffix (code, ".backup_failed"))
    return _("The fix did not work. Try again, or follow the steps below by hand.");
  return NULL;
}
