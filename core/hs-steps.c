/* hs-steps.c — verdicts: pure code over the facts a platform returned. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "hs-codes.h"
#include "hs-steps.h"

void
hs_action_sink_add (HsActionSink *sink, HsStep step, const char *action,
                    const char *outcome, HsSensitivity detail_sensitivity,
                    const char *detail_fmt, ...)
{
  HsAction *a;
  va_list ap;

  if (sink == NULL || sink->actions == NULL)
    return;
  a = g_new0 (HsAction, 1);
  a->time = g_date_time_new_now_utc ();
  a->step = step;
  a->action = g_strdup (action);
  a->outcome = g_strdup (outcome);
  if (detail_fmt != NULL)
    {
      va_start (ap, detail_fmt);
      a->detail = g_strdup_vprintf (detail_fmt, ap);
      va_end (ap);
    }
  a->detail_sensitivity = detail_sensitivity;
  g_ptr_array_add (sink->actions, a);
}

void
hs_action_free (HsAction *action)
{
  if (action == NULL)
    return;
  g_date_time_unref (action->time);
  g_free (action->action);
  g_free (action->outcome);
  g_free (action->detail);
  g_free (action);
}

static const char *
tri_name (HsTri t)
{
  return t == HS_TRI_YES ? "yes" : t == HS_TRI_NO ? "no" : "unknown";
}

static void
add_port_failure_findings (HsResult *r, HsPortCode code, const HsPortStatus *status)
{
  hs_result_add_string (r, "error", hs_port_code_name (code), HS_SENSITIVITY_PUBLIC);
  if (status != NULL && status->os_error != 0)
    hs_result_add_int (r, "os_error", status->os_error);
  if (status != NULL && status->detail[0] != '\0')
    hs_result_add_string (r, "reason", status->detail, HS_SENSITIVITY_TEXT);
}

HsResult *
hs_result_new_port_failure (HsStep step, HsPortCode code, const HsPortStatus *status)
{
  static const char *na_codes[] = { NULL, NULL, HS_CODE_CREDS_NOT_APPLICABLE,
                                    HS_CODE_BROKER_NOT_APPLICABLE, HS_CODE_ACCOUNTS_NOT_APPLICABLE };
  static const char *unverified_codes[] = { NULL, HS_CODE_CLOCK_UNREACHABLE,
                                            HS_CODE_CREDS_ACCESS_DENIED, HS_CODE_BROKER_UNVERIFIED,
                                            HS_CODE_ACCOUNTS_UNVERIFIED };
  HsResult *r;

  if (code == HS_PORT_CANCELLED)
    r = hs_result_new (step, HS_STATUS_UNVERIFIED, HS_CODE_CANCELLED, HS_FIX_NONE,
                       N_("The check was stopped before it finished."));
  else if (code == HS_PORT_UNSUPPORTED && step != HS_STEP_CLOCK)
    r = hs_result_new (step, HS_STATUS_NOT_APPLICABLE, na_codes[step], HS_FIX_NONE,
                       N_("This step only applies to Windows."));
  else if (step == HS_STEP_CREDENTIALS && code != HS_PORT_ACCESS_DENIED)
    r = hs_result_new (step, HS_STATUS_UNVERIFIED, HS_CODE_INTERNAL, HS_FIX_NONE,
                       N_("Handshake could not read the saved sign-in details."));
  else
    r = hs_result_new (step, HS_STATUS_UNVERIFIED, unverified_codes[step], HS_FIX_NONE,
                       step == HS_STEP_CLOCK ? N_("No time source could be reached, so the clock could not be checked.")
                       : step == HS_STEP_CREDENTIALS ? N_("Windows did not allow Handshake to read the saved sign-in details.")
                       : step == HS_STEP_BROKER ? N_("Handshake could not tell whether the sign-in component is registered.")
                       : N_("Handshake could not read the accounts on this computer."));
  add_port_failure_findings (r, code, status);
  return r;
}

/* ---- Step 1 ------------------------------------------------------------ */

gboolean
hs_clock_auto_time_on (const HsTimeSettings *s)
{
  return g_ascii_strcasecmp (s->sync_type, "NTP") == 0 ||
         g_ascii_strcasecmp (s->sync_type, "NT5DS") == 0 ||
         g_ascii_strcasecmp (s->sync_type, "AllSync") == 0;
}

int
hs_clock_zone_error_minutes (double offset)
{
  double mag = fabs (offset);
  double quarters = round (mag / HS_CLOCK_ZONE_QUANTUM);
  double remainder = fabs (mag - quarters * HS_CLOCK_ZONE_QUANTUM);

  /* Zones run from UTC−12 to UTC+14: beyond 26 h it is not a zone error. */
  if (mag < HS_CLOCK_ZONE_MIN_SECONDS - HS_CLOCK_ZONE_REMAINDER || quarters < 2 ||
      quarters > 26 * 4 || remainder > HS_CLOCK_ZONE_REMAINDER)
    return 0;
  return (int) (quarters * 15) * (offset < 0 ? -1 : 1);
}

static void
add_time_settings (HsResult *r, const HsClockFacts *f)
{
  const HsTimeSettings *s = &f->settings;

  if (f->settings_code != HS_PORT_OK)
    {
      hs_result_add_string (r, "settings", hs_port_code_name (f->settings_code), HS_SENSITIVITY_PUBLIC);
      return;
    }
  hs_result_add_bool (r, "auto_time", hs_clock_auto_time_on (s));
  hs_result_add_string (r, "sync_type", s->sync_type[0] ? s->sync_type : "unknown", HS_SENSITIVITY_PUBLIC);
  hs_result_add_string (r, "ntp_server", s->ntp_server, HS_SENSITIVITY_PUBLIC);
  hs_result_add_string (r, "service", hs_service_state_name (s->service_state), HS_SENSITIVITY_PUBLIC);
  hs_result_add_string (r, "service_start", hs_service_start_name (s->service_start), HS_SENSITIVITY_PUBLIC);
  hs_result_add_string (r, "tz_auto", tri_name (s->tz_auto), HS_SENSITIVITY_PUBLIC);
  hs_result_add_string (r, "domain_member", tri_name (s->domain_member), HS_SENSITIVITY_PUBLIC);
}

HsResult *
hs_clock_verdict (const HsClockFacts *f)
{
  HsResult *r;
  double mag = fabs (f->offset_seconds);
  gboolean windows = f->settings_code == HS_PORT_OK;
  gboolean auto_on = windows && hs_clock_auto_time_on (&f->settings);
  gboolean domain = windows && f->settings.domain_member == HS_TRI_YES;
  /* Off Windows Handshake measures but cannot change anything. */
  HsFixKind resync_fix = windows ? HS_FIX_AUTOMATIC_ADMIN : HS_FIX_NONE;
  int zone_minutes = f->measured ? hs_clock_zone_error_minutes (f->offset_seconds) : 0;

  if (!f->measured)
    {
      r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_UNVERIFIED, HS_CODE_CLOCK_UNREACHABLE, HS_FIX_NONE,
                         N_("No time source could be reached, so the clock could not be checked."));
      hs_result_add_string (r, "reason", "no time source answered", HS_SENSITIVITY_PUBLIC);
    }
  else if (zone_minutes != 0)
    r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_PROBLEM, HS_CODE_CLOCK_TIMEZONE, HS_FIX_GUIDED,
                       N_("The clock is off by whole hours: the time zone is probably wrong."));
  else if (mag >= HS_CLOCK_PROBLEM_SECONDS && domain && f->after_fix)
    r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_PROBLEM, HS_CODE_CLOCK_DOMAIN, HS_FIX_GUIDED,
                       N_("Your organisation sets this computer's clock, and it is still wrong: contact your IT support."));
  else if (mag >= HS_CLOCK_PROBLEM_SECONDS)
    r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_PROBLEM, HS_CODE_CLOCK_SKEW, resync_fix,
                       N_("The clock is off by more than two minutes, enough to block sign-in."));
  else if (mag >= HS_CLOCK_WARN_SECONDS)
    r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_WARNING, HS_CODE_CLOCK_DRIFT, resync_fix,
                       N_("The clock is slightly off. It is not blocking sign-in yet, but it should be corrected."));
  else if (windows && !auto_on)
    r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_WARNING, HS_CODE_CLOCK_AUTO_OFF, HS_FIX_AUTOMATIC_ADMIN,
                       N_("The clock is right, but it is not set automatically, so it can drift again."));
  else
    r = hs_result_new (HS_STEP_CLOCK, HS_STATUS_OK, HS_CODE_CLOCK_OK, HS_FIX_NONE,
                       N_("The clock is right."));

  if (f->measured)
    {
      hs_result_add_double (r, "offset_seconds", f->offset_seconds);
      hs_result_add_double (r, "uncertainty_seconds", f->uncertainty_seconds);
      hs_result_add_string (r, "source", f->source, HS_SENSITIVITY_PUBLIC);
      hs_result_add_string (r, "method", f->method, HS_SENSITIVITY_PUBLIC);
      if (f->tls_dates_invalid)
        hs_result_add_bool (r, "tls_dates_invalid", TRUE);
      if (zone_minutes != 0)
        hs_result_add_int (r, "zone_error_minutes", zone_minutes);
    }
  add_time_settings (r, f);
  if (f->attempts != NULL)
    for (guint i = 0; i < f->attempts->len; i++)
      hs_item_add_string (hs_result_add_item (r, "attempt"), "line",
                          g_ptr_array_index (f->attempts, i), HS_SENSITIVITY_PUBLIC);
  return r;
}

/* ---- Step 2 ------------------------------------------------------------ */

char *
hs_credential_ref (guint32 type, const char *target)
{
  return g_strdup_printf ("%u:%s", type, target);
}

gboolean
hs_credential_ref_parse (const char *ref, guint32 *type, const char **target)
{
  char *end = NULL;
  guint64 t;

  if (ref == NULL || !g_ascii_isdigit (ref[0]))
    return FALSE;
  t = g_ascii_strtoull (ref, &end, 10);
  if (end == NULL || *end != ':' || t == 0 || t > G_MAXUINT32 || end[1] == '\0')
    return FALSE;
  *type = (guint32) t;
  *target = end + 1;
  return TRUE;
}

HsResult *
hs_credentials_verdict (HsPortCode code, const HsPortStatus *status,
                        const HsCredentialList *list, const HsPatternSet *patterns)
{
  guint n_required = 0, n_optional = 0, n_keep = 0;
  HsResult *r;

  if (code != HS_PORT_OK)
    return hs_result_new_port_failure (HS_STEP_CREDENTIALS, code, status);

  for (gsize i = 0; i < list->n_items; i++)
    {
      HsCategory cat = hs_patterns_classify (patterns, list->items[i].target, NULL);
      n_required += cat == HS_CATEGORY_REQUIRED;
      n_optional += cat == HS_CATEGORY_OPTIONAL;
      n_keep += cat == HS_CATEGORY_KEEP;
    }

  if (n_required > 0)
    r = hs_result_new (HS_STEP_CREDENTIALS, HS_STATUS_PROBLEM, HS_CODE_CREDS_STALE, HS_FIX_AUTOMATIC,
                       N_("Windows holds saved Teams sign-in details that may be stale."));
  else if (n_optional > 0)
    r = hs_result_new (HS_STEP_CREDENTIALS, HS_STATUS_OK, HS_CODE_CREDS_OFFICE_ONLY, HS_FIX_AUTOMATIC,
                       N_("No saved Teams sign-in details were found; only Office ones, which can stay."));
  else
    r = hs_result_new (HS_STEP_CREDENTIALS, HS_STATUS_OK, HS_CODE_CREDS_OK, HS_FIX_NONE,
                       N_("No saved Teams sign-in details were found."));

  hs_result_add_int (r, "required_count", n_required);
  hs_result_add_int (r, "optional_count", n_optional);
  hs_result_add_int (r, "other_count", n_keep);

  for (gsize i = 0; i < list->n_items; i++)
    {
      const HsCredential *c = &list->items[i];
      const char *reason = NULL;
      HsCategory cat = hs_patterns_classify (patterns, c->target, &reason);
      g_autofree char *ref = NULL;
      HsItem *item;

      if (cat == HS_CATEGORY_KEEP)
        continue;
      ref = hs_credential_ref (c->type, c->target);
      item = hs_result_add_item (r, "credential");
      hs_item_add_string (item, "ref", ref, HS_SENSITIVITY_TEXT);
      hs_item_add_string (item, "target", c->target, HS_SENSITIVITY_TEXT);
      hs_item_add_string (item, "type", hs_cred_type_name (c->type), HS_SENSITIVITY_PUBLIC);
      hs_item_add_string (item, "category", hs_category_name (cat), HS_SENSITIVITY_PUBLIC);
      hs_item_add_string (item, "reason", reason, HS_SENSITIVITY_PUBLIC);
      if (c->user != NULL && c->user[0] != '\0')
        hs_item_add_string (item, "user", c->user, HS_SENSITIVITY_PERSONAL);
      hs_item_add_string (item, "persist", hs_cred_persist_name (c->persist), HS_SENSITIVITY_PUBLIC);
      if (c->last_written_unix > 0)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (c->last_written_unix);
          g_autofree char *iso = dt ? g_date_time_format_iso8601 (dt) : NULL;
          if (iso != NULL)
            hs_item_add_string (item, "last_written", iso, HS_SENSITIVITY_PUBLIC);
        }
    }
  return r;
}

/* ---- Step 3 ------------------------------------------------------------ */

HsResult *
hs_broker_verdict (HsPortCode code, const HsPortStatus *status,
                   const HsPackageState *states, gsize n_states)
{
  gboolean unknown = FALSE, missing = FALSE, unregistered = FALSE;
  HsResult *r;

  if (code != HS_PORT_OK)
    return hs_result_new_port_failure (HS_STEP_BROKER, code, status);

  for (gsize i = 0; i < n_states; i++)
    {
      if (states[i].registered == HS_TRI_UNKNOWN)
        unknown = TRUE;
      else if (states[i].registered == HS_TRI_NO)
        {
          unregistered = TRUE;
          if (states[i].manifest_present != HS_TRI_YES)
            missing = TRUE;
        }
    }

  if (unregistered && missing)
    r = hs_result_new (HS_STEP_BROKER, HS_STATUS_PROBLEM, HS_CODE_BROKER_MANIFEST_MISSING, HS_FIX_GUIDED,
                       N_("The Windows sign-in component is missing from this computer and needs a Windows repair."));
  else if (unregistered)
    r = hs_result_new (HS_STEP_BROKER, HS_STATUS_PROBLEM, HS_CODE_BROKER_UNREGISTERED, HS_FIX_AUTOMATIC,
                       N_("The Windows sign-in component that Teams relies on is not registered for you."));
  else if (unknown)
    r = hs_result_new (HS_STEP_BROKER, HS_STATUS_UNVERIFIED, HS_CODE_BROKER_UNVERIFIED, HS_FIX_NONE,
                       N_("Handshake could not tell whether the sign-in component is registered."));
  else
    r = hs_result_new (HS_STEP_BROKER, HS_STATUS_OK, HS_CODE_BROKER_OK, HS_FIX_NONE,
                       N_("The Windows sign-in component is registered."));

  for (gsize i = 0; i < n_states; i++)
    {
      HsItem *item = hs_result_add_item (r, "package");
      hs_item_add_string (item, "family", states[i].family, HS_SENSITIVITY_PUBLIC);
      hs_item_add_string (item, "registered", tri_name (states[i].registered), HS_SENSITIVITY_PUBLIC);
      hs_item_add_string (item, "manifest", tri_name (states[i].manifest_present), HS_SENSITIVITY_PUBLIC);
      if (states[i].manifest_path[0] != '\0')
        hs_item_add_string (item, "manifest_path", states[i].manifest_path, HS_SENSITIVITY_TEXT);
      hs_item_add_string (item, "method", hs_lookup_method_name (states[i].method), HS_SENSITIVITY_PUBLIC);
    }
  return r;
}

/* ---- Step 4 ------------------------------------------------------------ */

static gboolean
sources_mix_kinds (const char *sources)
{
  g_auto(GStrv) parts = g_strsplit (sources ? sources : "", ",", -1);
  gboolean personal = FALSE, work = FALSE;

  for (char **p = parts; *p != NULL; p++)
    {
      if (g_str_equal (*p, "identitycrl") || g_str_equal (*p, "office_msa"))
        personal = TRUE;
      else if (**p != '\0' && !g_str_equal (*p, "office"))
        work = TRUE;
    }
  return personal && work;
}

HsResult *
hs_accounts_verdict (HsPortCode code, const HsPortStatus *status,
                     const HsAccountList *list, const char *work_account)
{
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GHashTable) dup = NULL;
  guint n_work = 0, n_personal = 0;
  gboolean duplicate = FALSE;
  HsResult *r;

  if (code != HS_PORT_OK)
    return hs_result_new_port_failure (HS_STEP_ACCOUNTS, code, status);

  /* The same address seen twice (or as both work and personal) is what
   * confuses the account bridge; platforms fold by address, so both the
   * raw duplicates and folded mixed sources count. */
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  dup = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (gsize i = 0; i < list->n_items; i++)
    {
      const HsAccount *a = &list->items[i];
      char *key = g_utf8_casefold (a->email ? a->email : "", -1);

      n_work += a->kind == HS_ACCOUNT_WORK;
      n_personal += a->kind == HS_ACCOUNT_PERSONAL;
      if (g_hash_table_contains (seen, key) || sources_mix_kinds (a->sources))
        {
          duplicate = TRUE;
          g_hash_table_add (dup, g_strdup (key));
        }
      g_hash_table_add (seen, key);
    }

  if (duplicate)
    r = hs_result_new (HS_STEP_ACCOUNTS, HS_STATUS_PROBLEM, HS_CODE_ACCOUNTS_DUPLICATE, HS_FIX_GUIDED,
                       N_("The same account is signed in to Windows more than once."));
  else if (n_work > 1 || (n_work >= 1 && n_personal >= 1))
    r = hs_result_new (HS_STEP_ACCOUNTS, HS_STATUS_WARNING, HS_CODE_ACCOUNTS_SEVERAL, HS_FIX_GUIDED,
                       N_("Several accounts are signed in to Windows, which can confuse Teams."));
  else if (n_work == 0)
    r = hs_result_new (HS_STEP_ACCOUNTS, HS_STATUS_WARNING, HS_CODE_ACCOUNTS_NO_WORK, HS_FIX_GUIDED,
                       N_("No work or school account is signed in to Windows."));
  else
    r = hs_result_new (HS_STEP_ACCOUNTS, HS_STATUS_OK, HS_CODE_ACCOUNTS_OK, HS_FIX_NONE,
                       N_("Only one work account is signed in to Windows."));

  hs_result_add_int (r, "work_count", n_work);
  hs_result_add_int (r, "personal_count", n_personal);
  for (gsize i = 0; i < list->n_items; i++)
    {
      const HsAccount *a = &list->items[i];
      g_autofree char *key = g_utf8_casefold (a->email ? a->email : "", -1);
      gboolean is_choice = work_account != NULL &&
                           g_ascii_strcasecmp (work_account, a->email ? a->email : "") == 0;
      HsItem *item = hs_result_add_item (r, "account");

      hs_item_add_string (item, "email", a->email, HS_SENSITIVITY_PERSONAL);
      hs_item_add_string (item, "kind", hs_account_kind_name (a->kind), HS_SENSITIVITY_PUBLIC);
      hs_item_add_string (item, "sources", a->sources, HS_SENSITIVITY_PUBLIC);
      hs_item_add_bool (item, "duplicate", g_hash_table_contains (dup, key));
      if (work_account != NULL)
        {
          hs_item_add_bool (item, "teams_account", is_choice);
          /* Everything but the Teams account is a candidate for removal. */
          hs_item_add_bool (item, "remove_suggested", !is_choice);
        }
    }
  return r;
}
