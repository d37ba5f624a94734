/* test-report.c — redaction and the JSON / text reports. */
#include <math.h>
#include <string.h>
#include <glib.h>
#include <jansson.h>
#include <glib/gstdio.h>

#include "hs-codes.h"
#include "hs-engine.h"
#include "hs-report.h"
#include "hs-test-engine.h"

static char *tmpdir;

/* all-broken, check_all, then the fix of step 2. */
static HsEngine *
prepared_engine (const char *scenario)
{
  HsEngine *e = hs_test_engine_for (scenario);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(HsResult) fixed = NULL;
  g_autoptr(GError) error = NULL;

  hs_test_check_all (e);
  hs_engine_fix_step_async (e, HS_STEP_CREDENTIALS, NULL, NULL, hs_test_store_result_cb, &slot);
  res = hs_test_wait_for (&slot, "fix step 2");
  fixed = hs_engine_fix_step_finish (e, res, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_result_get_code (fixed), ==, HS_CODE_CREDS_REMOVED);
  return e;
}

static void
assert_contains_ci (const char *haystack, const char *needle, gboolean want)
{
  g_autofree char *h = g_ascii_strdown (haystack, -1);
  g_autofree char *n = g_ascii_strdown (needle, -1);
  gboolean found = strstr (h, n) != NULL;

  if (found != want)
    g_error ("report %s \"%s\"", want ? "lacks" : "contains", needle);
}

/* ---- redaction ---- */

static void
test_redact_email (void)
{
  g_autofree char *a = hs_redact_email ("jane.doe@contoso.com");
  g_autofree char *b = hs_redact_email ("Jane.Doe@Contoso.com");
  g_assert_cmpstr (a, ==, "j***@contoso.com");
  g_assert_nonnull (b);
  g_assert_null (strstr (b, "ane"));
  g_assert_nonnull (strstr (b, "@Contoso.com") ? b : strstr (b, "@contoso.com"));
}

static void
test_redact_text (void)
{
  g_autofree char *s = hs_redact_text ("Signed in as jane.doe@contoso.com and jane.d@outlook.com, also sam@x.org.");
  g_autofree char *win = hs_redact_text ("C:\\Users\\jdoe\\AppData\\Local\\Handshake");
  g_autofree char *nix = hs_redact_text ("/home/jdoe/x");
  g_autofree char *plain = hs_redact_text ("nothing personal here");

  g_test_message ("%s | %s | %s", s, win, nix);
  g_assert_null (strstr (s, "jane.doe"));
  g_assert_null (strstr (s, "jane.d@"));
  g_assert_null (strstr (s, "sam@"));
  g_assert_nonnull (strstr (s, "j***@contoso.com"));
  g_assert_nonnull (strstr (s, "j***@outlook.com"));
  g_assert_nonnull (strstr (s, "s***@x.org"));
  g_assert_true (g_str_has_prefix (s, "Signed in as "));
  g_assert_cmpstr (win, ==, "C:\\Users\\j***\\AppData\\Local\\Handshake");
  g_assert_cmpstr (nix, ==, "/home/j***/x");
  g_assert_cmpstr (plain, ==, "nothing personal here");
}

static void
test_redact_value (void)
{
  g_autofree char *dom = hs_redact_value ("CONTOSO\\jdoe", HS_SENSITIVITY_PERSONAL);
  g_autofree char *mail = hs_redact_value ("jane.doe@contoso.com", HS_SENSITIVITY_PERSONAL);
  g_autofree char *pub = hs_redact_value ("jane.doe@contoso.com", HS_SENSITIVITY_PUBLIC);
  g_autofree char *text = hs_redact_value ("user jane.doe@contoso.com here", HS_SENSITIVITY_TEXT);

  g_assert_cmpstr (dom, ==, "CONTOSO\\j***");
  g_assert_cmpstr (mail, ==, "j***@contoso.com");
  g_assert_cmpstr (pub, ==, "jane.doe@contoso.com");
  g_assert_cmpstr (text, ==, "user j***@contoso.com here");
}

/* ---- reports ---- */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)

static json_t *
parse (const char *json)
{
  json_error_t error;
  json_t *root = json_loads (json, JSON_REJECT_DUPLICATES, &error);

  if (root == NULL)
    g_error ("report is not JSON: %s at line %d", error.text, error.line);
  g_assert_true (json_is_object (root));
  return root;
}

static const char *
str_member (json_t *obj, const char *key)
{
  json_t *v = json_object_get (obj, key);

  g_assert_true (json_is_string (v));
  return json_string_value (v);
}

static json_int_t
int_member (json_t *obj, const char *key)
{
  json_t *v = json_object_get (obj, key);

  g_assert_true (json_is_integer (v));
  return json_integer_value (v);
}

static void
test_report_json (void)
{
  g_autoptr(HsEngine) e = prepared_engine ("all-broken");
  HsReportOptions o = { TRUE, FALSE };
  g_autofree char *json = hs_report_to_json (e, &o);
  g_autoptr(json_t) root = parse (json);
  const char *ids[] = { "clock", "credentials", "broker", "accounts" };
  const char *fixes[] = { "none", "automatic", "automatic_admin", "guided" };
  const char *statuses[] = { "ok", "warning", "problem", "fixed", "needs_restart", "unverified", "not_applicable" };
  json_t *steps, *actions, *f1;

  g_assert_cmpstr (str_member (root, "schema"), ==, HS_REPORT_SCHEMA);
  g_assert_cmpstr (HS_REPORT_SCHEMA, ==, "handshake-report/1");
  g_assert_true (json_is_object (json_object_get (root, "app")));
  g_assert_cmpstr (str_member (json_object_get (root, "app"), "version"), ==, PACKAGE_VERSION_STR);
  g_assert_true (json_is_true (json_object_get (root, "practice")));

  steps = json_object_get (root, "steps");
  g_assert_true (json_is_array (steps));
  g_assert_cmpuint (json_array_size (steps), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      json_t *s = json_array_get (steps, i);
      const char *status = str_member (s, "status");
      const char *fix = str_member (s, "fix");
      gboolean ok_status = FALSE, ok_fix = FALSE;

      g_assert_cmpint (int_member (s, "number"), ==, i + 1);
      g_assert_cmpstr (str_member (s, "id"), ==, ids[i]);
      for (gsize k = 0; k < G_N_ELEMENTS (statuses); k++)
        ok_status |= g_strcmp0 (status, statuses[k]) == 0;
      for (gsize k = 0; k < G_N_ELEMENTS (fixes); k++)
        ok_fix |= g_strcmp0 (fix, fixes[k]) == 0;
      g_assert_true (ok_status);
      g_assert_true (ok_fix);
      g_assert_true (hs_code_is_known (str_member (s, "code")));
      g_assert_cmpstr (str_member (s, "summary"), !=, "");
      g_assert_true (json_is_object (json_object_get (s, "findings")));
    }
  g_assert_cmpstr (str_member (json_array_get (steps, 0), "code"), ==, "clock.skew");
  g_assert_cmpstr (str_member (json_array_get (steps, 1), "code"), ==, "creds.removed");
  g_assert_cmpstr (str_member (json_array_get (steps, 1), "status"), ==, "fixed");

  f1 = json_object_get (json_array_get (steps, 0), "findings");
  g_assert_true (json_is_real (json_object_get (f1, "offset_seconds")));
  g_assert_cmpfloat_with_epsilon (json_real_value (json_object_get (f1, "offset_seconds")), 252.4, 1e-6);
  /* Offsets are given to the millisecond, not to the last bit of a double. */
  g_assert_nonnull (strstr (json, "\"offset_seconds\": 252.4,"));
  g_assert_true (json_is_string (json_object_get (f1, "source")));
  g_assert_true (json_is_real (json_object_get (f1, "uncertainty_seconds")));
  g_assert_cmpfloat (json_real_value (json_object_get (f1, "uncertainty_seconds")), >=, 0);

  actions = json_object_get (root, "actions");
  g_assert_true (json_is_array (actions));
  g_assert_cmpuint (json_array_size (actions), >, 0);
  for (guint i = 0; i < json_array_size (actions); i++)
    {
      json_t *a = json_array_get (actions, i);
      g_assert_nonnull (str_member (a, "time"));
      g_assert_cmpint (int_member (a, "step"), >=, 1);
      g_assert_cmpint (int_member (a, "step"), <=, 4);
      g_assert_nonnull (str_member (a, "action"));
      g_assert_nonnull (str_member (a, "outcome"));
    }
}

static void
test_report_redacted (void)
{
  g_autoptr(HsEngine) e = prepared_engine ("all-broken");
  HsReportOptions o = { TRUE, FALSE };
  g_autofree char *json = hs_report_to_json (e, &o);
  g_autofree char *text = hs_report_to_text (e, &o);
  const char *reports[] = { json, text };

  for (int i = 0; i < 2; i++)
    {
      assert_contains_ci (reports[i], "jane.doe@contoso.com", FALSE);
      assert_contains_ci (reports[i], "Jane.Doe", FALSE);
      assert_contains_ci (reports[i], "jane.d@outlook.com", FALSE);
      assert_contains_ci (reports[i], "j***@contoso.com", TRUE);
    }
}

static void
test_report_unredacted (void)
{
  g_autoptr(HsEngine) e = prepared_engine ("all-broken");
  HsReportOptions o = { FALSE, FALSE };
  g_autofree char *json = hs_report_to_json (e, &o);
  g_autofree char *text = hs_report_to_text (e, &o);

  g_assert_nonnull (strstr (json, "jane.doe@contoso.com"));
  g_assert_nonnull (strstr (json, "jane.d@outlook.com"));
  g_assert_nonnull (strstr (text, "jane.doe@contoso.com"));
}

static void
test_report_no_secret (void)
{
  g_autofree char *src = g_build_filename (SOURCE_ROOT, "data", "scenarios", "all-broken.ini", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "planted.ini", NULL);
  g_autofree char *orig = NULL;
  g_autofree char *all = NULL;
  g_autoptr(HsEngine) e = NULL;

  g_assert_true (g_file_get_contents (src, &orig, NULL, NULL));
  all = g_strconcat (orig,
                     "\n[credential planted]\ntarget=msteams_planted/token\ntype=generic\n"
                     "user=jane.doe@contoso.com\nsecret=S3cr3t-Planted-Value\n"
                     "\n[credential planted-kept]\ntarget=TERMSRV/planted\ntype=generic\n"
                     "secret=S3cr3t-Planted-Value\n", NULL);
  g_assert_true (g_file_set_contents (path, all, -1, NULL));
  e = prepared_engine (path);
  for (int redact = 0; redact <= 1; redact++)
    {
      HsReportOptions o = { redact, FALSE };
      g_autofree char *json = hs_report_to_json (e, &o);
      g_autofree char *text = hs_report_to_text (e, &o);
      g_autofree char *b64 = g_base64_encode ((const guchar *) "S3cr3t-Planted-Value", 20);

      assert_contains_ci (json, "S3cr3t-Planted-Value", FALSE);
      assert_contains_ci (text, "S3cr3t-Planted-Value", FALSE);
      g_assert_null (strstr (json, b64));
      g_assert_null (strstr (text, b64));
      /* The planted credential itself is reported (it was required and removed). */
      g_assert_nonnull (strstr (json, "msteams_planted/token"));
    }
}

static void
test_report_english (void)
{
  g_autoptr(HsEngine) e = prepared_engine ("all-broken");
  HsReportOptions o = { TRUE, TRUE };
  g_autofree char *json = hs_report_to_json (e, &o);
  g_autoptr(json_t) root = parse (json);
  json_t *steps = json_object_get (root, "steps");
  g_autofree char *text = hs_report_to_text (e, &o);

  for (guint i = 0; i < 4; i++)
    {
      HsResult *r = hs_engine_get_result (e, i + 1);
      g_assert_nonnull (r);
      g_assert_cmpstr (str_member (json_array_get (steps, i), "summary"),
                       ==, hs_result_get_summary_en (r));
      g_assert_nonnull (strstr (text, hs_result_get_summary_en (r)));
    }
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("hs-report-XXXXXX", NULL);
  g_test_add_func ("/report/redact/email", test_redact_email);
  g_test_add_func ("/report/redact/text", test_redact_text);
  g_test_add_func ("/report/redact/value", test_redact_value);
  g_test_add_func ("/report/json", test_report_json);
  g_test_add_func ("/report/redacted", test_report_redacted);
  g_test_add_func ("/report/unredacted", test_report_unredacted);
  g_test_add_func ("/report/no-secret", test_report_no_secret);
  g_test_add_func ("/report/english", test_report_english);
  rc = g_test_run ();
  {
    g_autofree char *p = g_build_filename (tmpdir, "planted.ini", NULL);
    g_remove (p);
    g_rmdir (tmpdir);
  }
  g_free (tmpdir);
  return rc;
}
