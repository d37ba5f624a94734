/* hs-messages.c — words for statuses and codes every step shares. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-codes.h"
#include "hs-messages.h"

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

static gboolean
has_suffix (const char *code, const char *suffix)
{
  return code != NULL && g_str_has_suffix (code, suffix);
}

const char *
hs_ui_common_advice (const char *code, gboolean *failure)
{
  gboolean fix_failed = has_suffix (code, ".fix_failed") || has_suffix (code, ".backup_failed");

  *failure = fix_failed || has_suffix (code, ".access_denied") || has_suffix (code, ".fix_declined") ||
             g_strcmp0 (code, HS_CODE_INTERNAL) == 0;
  if (code == NULL)
    return NULL;
  if (g_str_equal (code, HS_CODE_CANCELLED))
    return _("The check was stopped. Press “Check again” when you are ready.");
  if (g_str_equal (code, HS_CODE_WRONG_USER))
    {
      *failure = TRUE;
      return _("Handshake runs as another account than the person signed in to this computer. "
               "Close it and start it again as that person, without “Run as administrator”.");
    }
  if (g_str_equal (code, HS_CODE_INTERNAL))
    return _("Something unexpected went wrong. Try again; if it happens again, "
             "send the report to your IT support.");
  if (has_suffix (code, ".fix_declined"))
    return _("The change was not allowed, so nothing was changed. Try again and allow it when Windows asks.");
  if (has_suffix (code, ".access_denied"))
    return _("Windows refused access. Follow the steps below by hand, or ask your IT support.");
  if (fix_failed)
    return _("The fix did not work. Try again, or follow the steps below by hand.");
  return NULL;
}

char *
hs_ui_wrong_user_text (HsResult *r)
{
  const char *process = hs_result_get_string (r, "process_user");
  const char *session = hs_result_get_string (r, "session_user");
  gboolean failure;

  if (process == NULL || session == NULL || *process == '\0' || *session == '\0')
    return g_strdup (hs_ui_common_advice (HS_CODE_WRONG_USER, &failure));
  /* TRANSLATORS: %1$s is the account Handshake runs as (e.g. an
   * administrator's), %2$s the person signed in to this computer, both
   * DOMAIN\user. "Run as administrator" is the Windows menu item. */
  return g_strdup_printf (_("Handshake is running as %1$s, but the person signed in to this computer is %2$s. "
                            "Saved sign-ins, the sign-in helper and the accounts belong to %2$s: close Handshake "
                            "and start it again as %2$s, without “Run as administrator”."),
                          process, session);
}
