/* hs-report.c — reports in JSON and text, redacted by default. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "hs-practice.h"
#include "hs-report.h"

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

static const char *
tr (const HsReportOptions *o, const char *msgid)
{
  return o->english ? msgid : g_dgettext (GETTEXT_PACKAGE, msgid);
}

static void
add_value (JsonBuilder *b, const HsFinding *f, const HsReportOptions *o)
{
  if (g_variant_is_of_type (f->value, G_VARIANT_TYPE_STRING))
    {
      const char *s = g_variant_get_string (f->value, NULL);
      g_autofree char *v = o->redact ? hs_redact_value (s, f->sensitivity) : g_strdup (s);
      json_builder_add_string_value (b, v);
    }
  else if (g_variant_is_of_type (f->value, G_VARIANT_TYPE_INT64))
    json_builder_add_int_value (b, g_variant_get_int64 (f->value));
  else if (g_variant_is_of_type (f->value, G_VARIANT_TYPE_DOUBLE))
    json_builder_add_double_value (b, g_variant_get_double (f->value));
  else if (g_variant_is_of_type (f->value, G_VARIANT_TYPE_BOOLEAN))
    json_builder_add_boolean_value (b, g_variant_get_boolean (f->value));
  else
    json_builder_add_null_value (b);
}

static void
add_findings (JsonBuilder *b, GPtrArray *findings, const HsReportOptions *o)
{
  for (guint i = 0; i < findings->len; i++)
    {
      const HsFinding *f = g_ptr_array_index (findings, i);
      json_builder_set_member_name (b, f->key);
      add_value (b, f, o);
    }
}

static void
add_step (JsonBuilder *b, HsStep step, HsResult *r, const HsReportOptions *o)
{
  GPtrArray *items;
  g_autoptr(GPtrArray) kinds = g_ptr_array_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "number");
  json_builder_add_int_value (b, step);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, hs_step_id (step));
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, hs_status_name (hs_result_get_status (r)));
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, hs_result_get_code (r));
  json_builder_set_member_name (b, "summary");
  json_builder_add_string_value (b, o->english ? hs_result_get_summary_en (r) : hs_result_get_summary (r));
  json_builder_set_member_name (b, "fix");
  json_builder_add_string_value (b, hs_fix_kind_name (hs_result_get_fix (r)));
  json_builder_set_member_name (b, "findings");
  json_builder_begin_object (b);
  add_findings (b, hs_result_get_findings (r), o);
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
      json_builder_set_member_name (b, plural);
      json_builder_begin_array (b);
      for (guint i = 0; i < items->len; i++)
        {
          const HsItem *item = g_ptr_array_index (items, i);
          if (!g_str_equal (item->kind, g_ptr_array_index (kinds, k)))
            continue;
          json_builder_begin_object (b);
          add_findings (b, item->findings, o);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
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
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_s = g_date_time_format_iso8601 (now);
  g_autofree char *os = platform_os ();
  GPtrArray *actions = hs_engine_get_actions (engine);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "schema");
  json_builder_add_string_value (b, HS_REPORT_SCHEMA);
  json_builder_set_member_name (b, "app");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "handshake");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "platform");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, pf->name);
  json_builder_set_member_name (b, "os");
  json_builder_add_string_value (b, os);
  if (pf->simulated)
    {
      json_builder_set_member_name (b, "scenario");
      json_builder_add_string_value (b, hs_practice_platform_get_scenario (pf));
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "practice");
  json_builder_add_boolean_value (b, pf->simulated != 0);
  json_builder_set_member_name (b, "generated");
  json_builder_add_string_value (b, now_s);
  json_builder_set_member_name (b, "redacted");
  json_builder_add_boolean_value (b, o->redact);
  json_builder_set_member_name (b, "steps");
  json_builder_begin_array (b);
  /* Only the steps that were checked: "--step 1" reports one step. */
  for (int s = HS_STEP_CLOCK; s <= HS_STEP_ACCOUNTS; s++)
    if (hs_engine_get_result (engine, (HsStep) s) != NULL)
      add_step (b, (HsStep) s, hs_engine_get_result (engine, (HsStep) s), o);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "actions");
  json_builder_begin_array (b);
  for (guint i = 0; i < actions->len; i++)
    {
      const HsAction *a = g_ptr_array_index (actions, i);
      g_autofree char *t = g_date_time_format_iso8601 (a->time);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "time");
      json_builder_add_string_value (b, t);
      json_builder_set_member_name (b, "step");
      json_builder_add_int_value (b, a->step);
      json_builder_set_member_name (b, "action");
      json_builder_add_string_value (b, a->action);
      json_builder_set_member_name (b, "outcome");
      json_builder_add_string_value (b, a->outcome);
      if (a->detail != NULL && *a->detail != '\0')
        {
          g_autofree char *d = o->redact ? hs_redact_value (a->detail, a->detail_sensitivity)
                                         : g_strdup (a->detail);
          json_builder_set_member_name (b, "detail");
          json_builder_add_string_value (b, d);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

static void
append_value (GString *out, const HsFinding *f, const HsReportOptions *o)
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

  g_string_append_printf (out, "Handshake %s — %s\n", PACKAGE_VERSION, tr (o, N_("sign-in check report")));
  g_string_append_printf (out, "%s: %s (%s)%s%s\n", tr (o, N_("Platform")), pf->name, os,
                          pf->simulated ? " — " : "",
                          pf->simulated ? tr (o, N_("practice mode: a simulated computer")) : "");
  if (pf->simulated)
    g_string_append_printf (out, "%s: %s\n", tr (o, N_("Scenario")), hs_practice_platform_get_scenario (pf));
  g_string_append_printf (out, "%s: %s\n", tr (o, N_("Generated")), now_s);
  if (!o->redact)
    g_string_append_printf (out, "%s\n", tr (o, N_("Not redacted: contains e-mail addresses and user names.")));

  for (int s = HS_STEP_CLOCK; s <= HS_STEP_ACCOUNTS; s++)
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
          append_value (out, f, o);
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
              append_value (out, f, o);
            }
          g_string_append_c (out, '\n');
        }
    }

  g_string_append_printf (out, "\n%s:\n", tr (o, N_("Actions")));
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
