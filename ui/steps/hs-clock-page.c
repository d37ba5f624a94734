/* hs-clock-page.c — step 1's page: how far off the clock is, whether
 * Windows sets it automatically, and the Date & time settings when the
 * time zone is what is wrong. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "hs-clock-page.h"
#include "hs-codes.h"
#include "hs-ui.h"

struct _HsClockPage
{
  HsStepPage parent_instance;
};

G_DEFINE_FINAL_TYPE (HsClockPage, hs_clock_page, HS_TYPE_STEP_PAGE)

static const HsStepAdvice advice[] = {
  { HS_CODE_CLOCK_FIX_DECLINED,
    N_("Windows asked for permission and it was not given, so the clock was not changed. "
       "Press the fix button again and choose Yes, or ask someone with an administrator account."), TRUE },
  { HS_CODE_CLOCK_FIX_FAILED,
    N_("The clock could not be set. Set it by hand with the steps below, "
       "or copy the report on the last page and send it to your IT support."), TRUE },
  { HS_CODE_CLOCK_DOMAIN,
    N_("Your organisation manages this computer’s clock. Please ask your IT support to check it; "
       "changing it yourself would be undone."), TRUE },
  { HS_CODE_CLOCK_UNREACHABLE,
    N_("Check that this computer is connected to the internet, then press “Check again”."), FALSE },
  { HS_CODE_CLOCK_MANAGED,
    N_("Your organisation sets this computer’s clock through a policy. Ask your IT support to correct it: "
       "a change made here would be undone."), TRUE },
  { HS_CODE_CLOCK_TIMEZONE_MANAGED,
    N_("Your organisation sets this computer’s time zone. Ask your IT support to correct it."), TRUE },
  { HS_CODE_CLOCK_FIX_NO_EFFECT,
    N_("Windows accepted the change, but measuring again shows the clock still off. Set the time by hand "
       "in the Date & time settings, or ask your IT support."), TRUE },
  { HS_CODE_CLOCK_FIX_PENDING,
    N_("Windows is bringing the clock right bit by bit. Press “Check again” in a few minutes."), FALSE },
  { HS_CODE_CLOCK_FIX_STALE,
    N_("The clock changed after it was measured, so to be safe nothing was changed. It has just been "
       "measured again: press the fix button once more."), TRUE },
  { NULL }
};

/* "4 minutes", "1 hour": one part of a duration, in the language's plural
 * form for that number. */
static char *
minutes_text (int n)
{
  /* TRANSLATORS: part of how far off the clock is, e.g. "4 minutes" in
     "Your clock is 4 minutes and 12 seconds ahead." */
  return g_strdup_printf (ngettext ("%d minute", "%d minutes", n), n);
}

static char *
seconds_text (int n)
{
  /* TRANSLATORS: part of how far off the clock is, e.g. "12 seconds" in
     "Your clock is 4 minutes and 12 seconds ahead." */
  return g_strdup_printf (ngettext ("%d second", "%d seconds", n), n);
}

static char *
two_parts (char *first, int n, char *(*second_text) (int))
{
  g_autofree char *a = first, *b = NULL;

  if (n == 0)
    return g_steal_pointer (&a);
  b = second_text (n);
  /* TRANSLATORS: a duration of two parts, e.g. "4 minutes" and "12 seconds"
     giving "4 minutes and 12 seconds". */
  return g_strdup_printf (C_("duration", "%s and %s"), a, b);
}

/* "Your clock is 4 minutes and 12 seconds ahead.": words, with each
 * language's plural forms; seconds under a minute and days have
 * sentences of their own. */
char *
hs_clock_page_format_offset (double offset_seconds)
{
  double mag = fabs (offset_seconds);
  gboolean ahead = offset_seconds > 0;
  g_autofree char *duration = NULL;

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
  if (mag < 2 * 86400.0)
    {
      int total = (int) round (mag < 3600.0 ? mag : mag / 60.0);

      if (mag < 3600.0)
        duration = two_parts (minutes_text (total / 60), total % 60, seconds_text);
      else
        /* TRANSLATORS: part of how far off the clock is, e.g. "2 hours" in
           "Your clock is 2 hours and 5 minutes behind." */
        duration = two_parts (g_strdup_printf (ngettext ("%d hour", "%d hours", total / 60), total / 60),
                              total % 60, minutes_text);
      return g_strdup_printf (ahead
                              /* TRANSLATORS: %s is a duration, e.g. "4 minutes and 12 seconds". */
                              ? _("Your clock is %s ahead.")
                              /* TRANSLATORS: %s is a duration, e.g. "4 minutes and 12 seconds". */
                              : _("Your clock is %s behind."), duration);
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

static const char *
service_state_text (const char *state)
{
  if (g_strcmp0 (state, "running") == 0)
    return _("Running");
  if (g_strcmp0 (state, "stopped") == 0)
    return _("Stopped");
  if (g_strcmp0 (state, "missing") == 0)
    return _("Missing");
  return _("Unknown");
}

/* What Group Policy or an MDM says about the clock and the time zone. */
static void
clock_page_policy_rows (HsStepPage *self, HsResult *r)
{
  const char *server = hs_result_get_string (r, "policy_ntp_server");
  const char *zone = hs_result_get_string (r, "policy_time_zone");
  GtkWidget *row;

  if (g_strcmp0 (hs_result_get_string (r, "policy_time_source"), "yes") == 0)
    {
      g_autofree char *sub = NULL;

      if (server != NULL)
        /* TRANSLATORS: %s is a time server (or list of servers) set by policy. */
        sub = g_strdup_printf (_("Time server: %s"), server);
      /* TRANSLATORS: a row: a policy of the user's organisation sets where the clock takes its time from. */
      row = hs_step_page_row_new (_("Time source set by your organisation"), sub);
      /* TRANSLATORS: short status word: the setting is managed by the organisation. */
      hs_step_page_row_add_suffix (row, _("Managed"), NULL);
      hs_step_page_add_finding (self, row);
    }
  if (zone != NULL)
    {
      row = hs_step_page_row_new (_("Time zone set by your organisation"), zone);
      hs_step_page_row_add_suffix (row, _("Managed"), NULL);
      hs_step_page_add_finding (self, row);
    }
  else if (g_strcmp0 (hs_result_get_string (r, "policy_tz_auto_blocked"), "yes") == 0)
    hs_step_page_add_finding (self,
                              hs_step_page_row_new (_("Setting the time zone automatically is turned off by your organisation"),
                                                    _("Pick the time zone by hand if it is wrong.")));
}

static void
clock_page_build_rows (HsStepPage *self, HsResult *r)
{
  double offset;
  gboolean auto_time;
  gint64 zone;
  const char *service = hs_result_get_string (r, "service");

  if (hs_result_get_double (r, "offset_seconds", &offset))
    {
      g_autofree char *text = hs_clock_page_format_offset (offset);
      const char *source = hs_result_get_string (r, "source");
      g_autofree char *sub = NULL;
      GtkWidget *row;

      if (source != NULL && *source != '\0')
        /* TRANSLATORS: %s is a time server name such as time.windows.com. */
        sub = g_strdup_printf (_("Compared with %s"), source);
      row = hs_step_page_row_new (text, sub);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("preferences-system-time-symbolic"));
      hs_step_page_add_finding (self, row);
    }
  if (hs_result_get_int (r, "zone_error_minutes", &zone) && zone != 0)
    hs_step_page_add_finding (self, hs_step_page_row_new (_("The difference is a whole number of hours, which usually means the time zone is wrong."), NULL));
  if (hs_result_get_bool (r, "auto_time", &auto_time))
    {
      GtkWidget *row = hs_step_page_row_new (_("Set time automatically"), NULL);
      hs_step_page_row_add_suffix (row, auto_time ? _("On") : _("Off"), auto_time ? NULL : "warning");
      hs_step_page_add_finding (self, row);
    }
  clock_page_policy_rows (self, r);
  if (service != NULL)
    {
      /* TRANSLATORS: the Windows service that keeps the clock right. */
      GtkWidget *row = hs_step_page_row_new (_("Windows Time service"), NULL);
      hs_step_page_row_add_suffix (row, service_state_text (service),
                           g_strcmp0 (service, "running") == 0 ? NULL : "warning");
      hs_step_page_add_finding (self, row);
    }
}

static void
clock_page_describe_fix (HsStepPage *self, HsResult *r, HsStepPageFix *fix)
{
  const char *code = r ? hs_result_get_code (r) : NULL;

  fix->fix_label = _("_Fix the clock");
  if (g_strcmp0 (code, HS_CODE_CLOCK_TIMEZONE) == 0)
    {
      fix->settings_label = _("Open Date & _time settings");
      fix->settings_uri = "ms-settings:dateandtime";
      fix->note = g_strcmp0 (hs_result_get_string (r, "policy_tz_auto_blocked"), "yes") == 0
                  ? _("Choose your time zone there yourself (your organisation has turned off setting it "
                      "automatically), then come back: Handshake checks again.")
                  : _("Choose your time zone there, then come back: Handshake checks again.");
    }
  else if (g_strcmp0 (code, HS_CODE_CLOCK_FIX_NO_EFFECT) == 0)
    {
      fix->settings_label = _("Open Date & _time settings");
      fix->settings_uri = "ms-settings:dateandtime";
      fix->note = _("Set the time by hand there, then come back: Handshake checks again.");
    }
}

static void
hs_clock_page_class_init (HsClockPageClass *klass)
{
  HsStepPageClass *page_class = HS_STEP_PAGE_CLASS (klass);

  page_class->step = HS_STEP_CLOCK;
  /* TRANSLATORS: short name of step 1 in the step list at the top. */
  page_class->short_name = N_("Clock");
  page_class->advice = advice;
  page_class->build_rows = clock_page_build_rows;
  page_class->describe_fix = clock_page_describe_fix;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               HS_UI_RESOURCE_PATH "hs-clock-page.ui");
}

static void
hs_clock_page_init (HsClockPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
