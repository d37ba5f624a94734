/* hs-report.c — reports in JSON and text, redacted by default. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <jansson.h>

#include "hs-practice.h"
#include "hs-report-private.h"

#define EMAIL_RE "[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+"
/* User-profile folders name the user: C:\Users\jdoe\…, /home/jdoe/… */
#define PROFILE_RE "(?i)((?:[A-Z]:)?[\\\\/](?:Users|home|Documents and Settings)[\\\\/])([^\\\\/\\s]+)"

char *
hs_redact_email (const char *email)
{
  const char *at = email ? strchr (email, '@') : NULL;
  g_autofree char *first = NULL;

  if (at == NULL || at == email)
    return g_strdup ("***");
  first = g_utf8_substring (email, 0, 1);
  return g_strconcat (first, "***", at, NULL);
}

static gboolean
mask_email_cb (const GMatchInfo *info, GString *out, gpointer data)
{
  g_autofree char *m = g_match_info_fetch (info, 0);
  g_autofree char *masked = hs_redact_email (m);

  g_string_append (out, masked);
  return FALSE;
}

static gboolean
mask_profile_cb (const GMatchInfo *info, GString *out, gpointer data)
{
  g_autofree char *prefix = g_match_info_fetch (info, 1);
  g_autofree char *name = g_match_info_fetch (info, 2);
  g_autofree char *first = g_utf8_substring (name, 0, 1);

  g_string_append_printf (out, "%s%s***", prefix, first);
  return FALSE;
}

char *
hs_redact_text (const char *text)
{
  static GRegex *email_re, *profile_re;
  g_autofree char *step1 = NULL;
  const char *user = g_get_user_name ();
  char *out;

  if (text == NULL)
    return NULL;
  if (g_once_init_enter (&email_re))
    g_once_init_leave (&email_re, g_regex_new (EMAIL_RE, G_REGEX_OPTIMIZE, 0, NULL));
  if (g_once_init_enter (&profile_re))
    g_once_init_leave (&profile_re, g_regex_new (PROFILE_RE, G_REGEX_OPTIMIZE, 0, NULL));
  step1 = g_regex_replace_eval (email_re, text, -1, 0, 0, mask_email_cb, NULL, NULL);
  out = g_regex_replace_eval (profile_re, step1 ? step1 : text, -1, 0, 0, mask_profile_cb, NULL, NULL);
  /* The account name may appear elsewhere too (a DOMAIN\user value). */
  if (out != NULL && user != NULL && strlen (user) >= 3 && strstr (out, user) != NULL &&
      g_strcmp0 (user, "root") != 0)
    {
      g_autofree char *first = g_utf8_substring (user, 0, 1);
      g_autofree char *masked = g_strconcat (first, "***", NULL);
      g_auto(GStrv) parts = g_strsplit (out, user, -1);
      g_free (out);
      out = g_strjoinv (masked, parts);
    }
  return out;
}

char *
hs_redact_value (const char *value, HsSensitivity sensitivity)
{
  const char *sep;

  switch (sensitivity)
    {
    case HS_SENSITIVITY_PUBLIC:
      return g_strdup (value);
    case HS_SENSITIVITY_TEXT:
      return hs_redact_text (value);
    case HS_SENSITIVITY_PERSONAL:
      if (value == NULL || *value == '\0')
        return g_strdup (value);
      if (strchr (value, '@') != NULL)
        return hs_redact_email (value);
      sep = strrchr (value, '\\');
      {
        const char *name = sep ? sep + 1 : value;
        g_autofree char *first = g_utf8_substring (name, 0, 1);
        g_autofree char *domain = sep ? g_strndup (value, (gsize) (sep - value + 1)) : g_strdup ("");
        return g_strconcat (domain, first, "***", NULL);
      }
    }
  return g_strdup ("***");
}

const char *
hs_report_tr (const HsReportOptions *o, const char *msgid)
{
  return o->english ? msgid : g_dgettext (GETTEXT_PACKAGE, msgid);
}

/* jansson refuses text that is not UTF-8 (json_string() returns NULL); what
 * the OS hands over is converted, not trusted, so it is made valid first. */
json_t *
hs_report_json_text (const char *s)
{
  g_autofree char *valid = NULL;

  if (s == NULL)
    return json_null ();
  if (!g_utf8_validate (s, -1, NULL))
    s = valid = g_utf8_make_valid (s, -1);
  return json_string (s);
}

/* Offsets are meaningful to the millisecond; more digits are noise from the
 * arithmetic ("252.40000000000001"). */
static double
round_for_report (const char *key, double v)
{
  if (g_str_has_suffix (key, "offset_seconds") && isfinite (v))
    return round (v * 1000.0) / 1000.0;
  return v;
}

static json_t *
finding_value (const HsFinding *f, const HsReportOptions *o)
{
  if (g_variant_is_of_type (f->value, G_VARIANT_TYPE_STRING))
    {
      const char *s = g_variant_get_string (f->value, NULL);
      g_autofree char *v = o->redact ? hs_redact_value (s, f->sensitivity) : g_strdup (s);
      return hs_report_json_text (v);
    }
  if (g_variant_is_of_type (f->value, G_VARIANT_TYPE_INT64))
    return json_integer (g_variant_get_int64 (f->value));
  if (g_variant_is_of_type (f->value, G_VARIANT_TYPE_DOUBLE))
    {
      double v = g_variant_get_double (f->value);
      /* JSON has no NaN or infinity; jansson refuses them. */
      return isfinite (v) ? json_real (round_for_report (f->key, v)) : json_null ();
    }
  if (g_variant_is_of_type (f->value, G_VARIANT_TYPE_BOOLEAN))
    return json_boolean (g_variant_get_boolean (f->value));
  return json_null ();
}

void
hs_report_add_findings (json_t *obj, GPtrArray *findings, const HsReportOptions *o)
{
  for (guint i = 0; i < findings->len; i++)
    {
      const HsFinding *f = g_ptr_array_index (findings, i);
      json_object_set_new (obj, f->key, finding_value (f, o));
    }
}

static json_t *
step_json (HsStep step, HsResult *r, const HsReportOptions *o)
{
  json_t *s = json_object ();
  json_t *findings = json_object ();
  GPtrArray *items;
  g_autoptr(GPtrArray) kinds = g_ptr_array_new ();

  json_object_set_new (s, "number", json_integer (step));
  json_object_set_new (s, "id", json_string (hs_step_id (step)));
  json_object_set_new (s, "status", json_string (hs_status_name (hs_result_get_status (r))));
  json_object_set_new (s, "code", json_string (hs_result_get_code (r)));
  json_object_set_new (s, "summary", hs_report_json_text (o->english ? hs_result_get_summary_en (r)
                                                           : hs_result_get_summary (r)));
  json_object_set_new (s, "fix", json_string (hs_fix_kind_name (hs_result_get_fix (r))));
  hs_report_add_findings (findings, hs_result_get_findings (r), o);
  /* Listed things go under the plural of their kind: "credentials": […]. */
  items = hs_result_get_items (r);
  for (guint i = 0; i < items->len; i++)
    {
      const HsItem *item = g_ptr_array_index (items, i);
      if (!g_ptr_array_find_with_equal_func (kinds, item->kind, g_str_equal, NULL))
        g_ptr_array_add (kinds, item->kind);
    }
  for (guint k = 0; k < kinds->len; k++)
    {
      g_autofree char *plural = g_strconcat (g_ptr_array_index (kinds, k), "s", NULL);
      json_t *list = json_array ();

      for (guint i = 0; i < items->len; i++)
        {
          const HsItem *item = g_ptr_array_index (items, i);
          json_t *entry;

          if (!g_str_equal (item->kind, g_ptr_array_index (kinds, k)))
            continue;
          entry = json_object ();
          hs_report_add_findings (entry, item->findings, o);
          json_array_append_new (list, entry);
        }
      json_object_set_new (findings, plural, list);
    }
  json_object_set_new (s, "findings", findings);
  return s;
}

static char *
platform_os (void)
{
#ifdef G_OS_WIN32
  return g_strdup ("windows");
#else
  g_autofree char *id = g_get_os_info (G_OS_INFO_KEY_ID);
  return g_strdup (id ? id : "unknown");
#endif
}


char *
hs_report_to_json (HsEngine *engine, const HsReportOptions *options)
{
  HsReportOptions defaults = { TRUE, FALSE };
  const HsReportOptions *o = options ? options : &defaults;
  const HsPlatform *pf = hs_engine_get_platform (engine);
  g_autoptr(json_t) root = json_object ();
  json_t *app = json_object ();
  json_t *platform = json_object ();
  json_t *steps = json_array ();
  json_t *log = json_array ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_s = g_date_time_format_iso8601 (now);
  g_autofree char *os = platform_os ();
  GPtrArray *actions = hs_engine_get_actions (engine);
  char *dumped;
  char *out;

  json_object_set_new (root, "schema", json_string (HS_REPORT_SCHEMA));
  json_object_set_new (app, "name", json_string ("handshake"));
  json_object_set_new (app, "version", json_string (PACKAGE_VERSION));
  json_object_set_new (root, "app", app);
  json_object_set_new (platform, "name", hs_report_json_text (pf->name));
  json_object_set_new (platform, "os", hs_report_json_text (os));
  if (pf->simulated)
    json_object_set_new (platform, "scenario", hs_report_json_text (hs_practice_platform_get_scenario (pf)));
  json_object_set_new (root, "platform", platform);
  json_object_set_new (root, "practice", json_boolean (pf->simulated != 0));
  json_object_set_new (root, "generated", json_string (now_s));
  json_object_set_new (root, "redacted", json_boolean (o->redact));
  /* Only the steps that were checked: "--step 1" reports one step. */
  for (int s = 1; s <= HS_N_STEPS; s++)
    if (hs_engine_get_result (engine, (HsStep) s) != NULL)
      json_array_append_new (steps, step_json ((HsStep) s, hs_engine_get_result (engine, (HsStep) s), o));
  json_object_set_new (root, "steps", steps);
  for (guint i = 0; i < actions->len; i++)
    {
      const HsAction *a = g_ptr_array_index (actions, i);
      g_autofree char *t = g_date_time_format_iso8601 (a->time);
      json_t *entry = json_object ();

      json_object_set_new (entry, "time", json_string (t));
      json_object_set_new (entry, "step", json_integer (a->step));
      json_object_set_new (entry, "action", hs_report_json_text (a->action));
      json_object_set_new (entry, "outcome", hs_report_json_text (a->outcome));
      if (a->detail != NULL && *a->detail != '\0')
        {
          g_autofree char *d = o->redact ? hs_redact_value (a->detail, a->detail_sensitivity)
                                         : g_strdup (a->detail);
          json_object_set_new (entry, "detail", hs_report_json_text (d));
        }
      json_array_append_new (log, entry);
    }
  json_object_set_new (root, "actions", log);
  hs_report_network_json (root, engine, o);

  /* Fifteen significant digits: every figure we report is far coarser. */
  dumped = json_dumps (root, JSON_INDENT (2) | JSON_REAL_PRECISION (15));
  g_return_val_if_fail (dumped != NULL, NULL);
  /* Callers free with g_free(), which need not be jansson's free(). */
  out = g_strdup (dumped);
  free (dumped);
  return out;
}

void
hs_report_append_value (GString *out, const HsFinding *f, const HsReportOptions *o)
{
  if (g_variant_is_of_type (f->value, G_VARIANT_TYPE_STRING))
    {
      const char *s = g_variant_get_string (f->value, NULL);
      g_autofree char *v = o->redact ? hs_redact_value (s, f->sensitivity) : g_strdup (s);
      g_string_append (out, v);
    }
  else if (g_variant_is_of_type (f->value, G_VARIANT_TYPE_DOUBLE))
    g_string_append_printf (out, "%.3f", g_variant_get_double (f->value));
  else if (g_variant_is_of_type (f->value, G_VARIANT_TYPE_INT64))
    g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (f->value));
  else if (g_variant_is_of_type (f->value, G_VARIANT_TYPE_BOOLEAN))
    g_string_append (out, g_variant_get_boolean (f->value) ? "yes" : "no");
}

char *
hs_report_to_text (HsEngine *engine, const HsReportOptions *options)
{
  HsReportOptions defaults = { TRUE, FALSE };
  const HsReportOptions *o = options ? options : &defaults;
  const HsPlatform *pf = hs_engine_get_platform (engine);
  GString *out = g_string_new (NULL);
  GPtrArray *actions = hs_engine_get_actions (engine);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_s = g_date_time_format_iso8601 (now);
  g_autofree char *os = platform_os ();

  g_string_append_printf (out, "Handshake %s — %s\n", PACKAGE_VERSION, hs_report_tr (o, N_("sign-in check report")));
  g_string_append_printf (out, "%s: %s (%s)%s%s\n", hs_report_tr (o, N_("Platform")), pf->name, os,
                          pf->simulated ? " — " : "",
                          pf->simulated ? hs_report_tr (o, N_("practice mode: a simulated computer")) : "");
  if (pf->simulated)
    g_string_append_printf (out, "%s: %s\n", hs_report_tr (o, N_("Scenario")), hs_practice_platform_get_scenario (pf));
  g_string_append_printf (out, "%s: %s\n", hs_report_tr (o, N_("Generated")), now_s);
  if (!o->redact)
    g_string_append_printf (out, "%s\n", hs_report_tr (o, N_("Not redacted: contains e-mail addresses and user names.")));

  for (int s = 1; s <= HS_N_STEPS; s++)
    {
      HsResult *r = hs_engine_get_result (engine, (HsStep) s);
      GPtrArray *findings, *items;

      if (r == NULL)
        continue;
      g_string_append_c (out, '\n');
      g_string_append_printf (out, "[%d] %s: %s (%s)\n    %s\n", s, hs_step_id ((HsStep) s),
                              hs_status_name (hs_result_get_status (r)), hs_result_get_code (r),
                              o->english ? hs_result_get_summary_en (r) : hs_result_get_summary (r));
      findings = hs_result_get_findings (r);
      for (guint i = 0; i < findings->len; i++)
        {
          const HsFinding *f = g_ptr_array_index (findings, i);
          g_string_append_printf (out, "    %s: ", f->key);
          hs_report_append_value (out, f, o);
          g_string_append_c (out, '\n');
        }
      items = hs_result_get_items (r);
      for (guint i = 0; i < items->len; i++)
        {
          const HsItem *item = g_ptr_array_index (items, i);
          g_string_append_printf (out, "    - %s:", item->kind);
          for (guint j = 0; j < item->findings->len; j++)
            {
              const HsFinding *f = g_ptr_array_index (item->findings, j);
              g_string_append_printf (out, " %s=", f->key);
              hs_report_append_value (out, f, o);
            }
          g_string_append_c (out, '\n');
        }
    }

  hs_report_network_text (out, engine, o);
  g_string_append_printf (out, "\n%s:\n", hs_report_tr (o, N_("Actions")));
  for (guint i = 0; i < actions->len; i++)
    {
      const HsAction *a = g_ptr_array_index (actions, i);
      g_autofree char *t = g_date_time_format_iso8601 (a->time);
      g_autofree char *d = a->detail == NULL ? NULL
                           : o->redact ? hs_redact_value (a->detail, a->detail_sensitivity)
                                       : g_strdup (a->detail);
      g_string_append_printf (out, "  %s  step %d  %s: %s%s%s\n", t, a->step, a->action, a->outcome,
                              d && *d ? " — " : "", d && *d ? d : "");
    }
  return g_string_free (out, FALSE);
}
