/* test-patterns.c — the plain-C credential classifier and its rule files. */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "hs-patterns.h"

static HsPatternSet defaults;

static void
expect (const char *target, HsCategory want)
{
  const char *reason = NULL;
  HsCategory got = hs_patterns_classify (&defaults, target, &reason);

  g_test_message ("%s", target);
  g_assert_cmpstr (hs_category_name (got), ==, hs_category_name (want));
  if (hs_patterns_match (&defaults, target) != NULL)
    {
      g_assert_nonnull (reason);
      g_assert_cmpstr (reason, !=, "");
    }
}

static void
test_article_patterns (void)
{
  expect ("MicrosoftAccount:user=x@y.com", HS_CATEGORY_REQUIRED);
  expect ("msteams_adalsso/adal_context_segments", HS_CATEGORY_REQUIRED);
  expect ("msteams_adalsso/adal_context_0", HS_CATEGORY_REQUIRED);
  expect ("something-msteams-else", HS_CATEGORY_REQUIRED);
  expect ("msteams", HS_CATEGORY_REQUIRED);
  expect ("LegacyGeneric:target=Microsoft_admed_abc", HS_CATEGORY_REQUIRED);
  expect ("Microsoft_admed", HS_CATEGORY_REQUIRED);
  expect ("LegacyGeneric:target=MicrosoftAccount:user=x@y.com", HS_CATEGORY_REQUIRED);
  expect ("MicrosoftOffice16_Data:ADAL:7c2f4a9e-0b1d-4e55-9a37-3f5c8d2e6b10", HS_CATEGORY_OPTIONAL);
  expect ("MicrosoftOffice15_Data:SSPI:x", HS_CATEGORY_OPTIONAL);
  expect ("MicrosoftAccount:target=SSO_POP_Device", HS_CATEGORY_KEEP);
  expect ("WindowsLive:target=virtualapp/didlogical", HS_CATEGORY_KEEP);
  expect ("git:https://dev.contoso.com", HS_CATEGORY_KEEP);
  expect ("TERMSRV/host", HS_CATEGORY_KEEP);
  expect ("", HS_CATEGORY_KEEP);
  g_assert_null (hs_patterns_match (&defaults, "TERMSRV/host"));
  g_assert_nonnull (hs_patterns_match (&defaults, "msteams_adalsso/adal_context_0"));
}

static void
test_case_insensitive (void)
{
  expect ("MICROSOFTACCOUNT:USER=X@Y.COM", HS_CATEGORY_REQUIRED);
  expect ("microsoftaccount:user=x@y.com", HS_CATEGORY_REQUIRED);
  expect ("MSTeams_ADALSSO/ADAL_CONTEXT_SEGMENTS", HS_CATEGORY_REQUIRED);
  expect ("microsoft_ADMED", HS_CATEGORY_REQUIRED);
  expect ("microsoftoffice16_data:adal:x", HS_CATEGORY_OPTIONAL);
  expect ("microsoftaccount:TARGET=sso_pop_device", HS_CATEGORY_KEEP);
  expect ("windowslive:target=VIRTUALAPP/DIDLOGICAL", HS_CATEGORY_KEEP);
  g_assert_true (hs_glob_match ("ABC", "abc"));
  g_assert_true (hs_glob_match ("a?c", "AXC"));
}

static void
test_glob (void)
{
  g_assert_true (hs_glob_match ("*", ""));
  g_assert_true (hs_glob_match ("*", "anything at all"));
  g_assert_true (hs_glob_match ("", ""));
  g_assert_false (hs_glob_match ("", "x"));
  g_assert_false (hs_glob_match ("?", ""));
  g_assert_true (hs_glob_match ("?", "x"));
  g_assert_false (hs_glob_match ("?", "xy"));
  g_assert_true (hs_glob_match ("??", "xy"));
  g_assert_true (hs_glob_match ("a*b*c", "abc"));
  g_assert_true (hs_glob_match ("a*b*c", "a--b--c"));
  g_assert_true (hs_glob_match ("a*b*c", "abcbc"));
  g_assert_false (hs_glob_match ("a*b*c", "a--b--"));
  g_assert_false (hs_glob_match ("a*b*c", "acb"));
  g_assert_false (hs_glob_match ("a*b*c", "abcd"));
  g_assert_true (hs_glob_match ("*c", "abc"));
  g_assert_false (hs_glob_match ("abc", "ab"));
  g_assert_false (hs_glob_match ("ab", "abc"));
  g_assert_true (hs_glob_match ("**", "x"));
  g_assert_true (hs_glob_match ("*?", "x"));
  g_assert_false (hs_glob_match ("*?", ""));
}

static void
test_glob_pathological (void)
{
  gsize n = 100000;
  char *text = g_malloc (n + 2);
  gint64 start;
  double elapsed;

  memset (text, 'a', n);
  text[n] = '\0';
  start = g_get_monotonic_time ();
  for (int i = 0; i < 20; i++)
    {
      g_assert_false (hs_glob_match ("*a*a*a*a*a*b", text));
      g_assert_false (hs_glob_match ("*a*a*a*a*a*a*a*a*a*a*a*a*b*", text));
    }
  text[n] = 'b';
  text[n + 1] = '\0';
  g_assert_true (hs_glob_match ("*a*a*a*a*a*b", text));
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("41 matches over %" G_GSIZE_FORMAT " bytes: %.3f s", n, elapsed);
  g_assert_cmpfloat (elapsed, <, 2.0);
  g_free (text);
}

static void
expect_parse_error (const char *text, gsize len, const char *want)
{
  HsPatternSet set = { 0 };
  char err[256] = "";

  g_test_message ("parse %s", want);
  g_assert_cmpint (hs_patterns_parse (text, len, &set, err, sizeof err), ==, -1);
  if (strstr (err, want) == NULL)
    g_error ("error \"%s\" does not contain \"%s\"", err, want);
  hs_patterns_free (&set);
}

static void
test_parse_errors (void)
{
  const char bad_cat[] = "# rules\nrequired msteams* Teams\nrequird *x* typo\n";
  const char no_pattern[] = "keep a* A\nrequired   \n";
  const char nul[] = "required a* A\nkeep b\0c B\n";
  HsPatternSet set = { 0 };
  char err[256] = "";

  expect_parse_error (bad_cat, strlen (bad_cat), "line 3: unknown category");
  expect_parse_error (no_pattern, strlen (no_pattern), "line 2: category without a pattern");
  expect_parse_error (nul, sizeof nul - 1, "line 2: contains a NUL byte");
  expect_parse_error ("", 0, "no rules");
  expect_parse_error ("# only a comment\n\n   \n", 21, "no rules");

  /* A valid set: order kept, line numbers right, first match wins. */
  {
    const char ok[] = "# c\n\nkeep   Special*   kept\r\nrequired  *  everything else  \n";
    const HsPatternRule *rule;
    g_assert_cmpint (hs_patterns_parse (ok, strlen (ok), &set, err, sizeof err), ==, 0);
    g_assert_cmpuint (set.n_rules, ==, 2);
    g_assert_cmpint (set.rules[0].category, ==, HS_CATEGORY_KEEP);
    g_assert_cmpstr (set.rules[0].pattern, ==, "Special*");
    g_assert_cmpstr (set.rules[0].reason, ==, "kept");
    g_assert_cmpuint (set.rules[0].line, ==, 3);
    g_assert_cmpuint (set.rules[1].line, ==, 4);
    g_assert_cmpstr (set.rules[1].reason, ==, "everything else");
    rule = hs_patterns_match (&set, "specialthing");
    g_assert_nonnull (rule);
    g_assert_cmpuint (rule->line, ==, 3);
    g_assert_cmpint (hs_patterns_classify (&set, "other", NULL), ==, HS_CATEGORY_REQUIRED);
    hs_patterns_free (&set);
  }
}

static void
test_load_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hs-patterns-XXXXXX", &error);
  g_autofree char *bad = NULL;
  g_autofree char *missing = NULL;
  HsPatternSet set = { 0 };
  char err[512] = "";

  g_assert_no_error (error);
  bad = g_build_filename (dir, "bad-rules.txt", NULL);
  g_assert_true (g_file_set_contents (bad, "keep a* A\nkeep b* B\nmaybe c* C\n", -1, &error));
  g_assert_cmpint (hs_patterns_load_file (bad, &set, err, sizeof err), ==, -1);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, bad));
  g_assert_nonnull (strstr (err, "line 3: unknown category"));
  hs_patterns_free (&set);

  missing = g_build_filename (dir, "absent.txt", NULL);
  g_assert_cmpint (hs_patterns_load_file (missing, &set, err, sizeof err), ==, -1);
  g_assert_nonnull (strstr (err, missing));
  hs_patterns_free (&set);

  g_assert_true (g_file_set_contents (bad, "optional Foo* foo things\n", -1, &error));
  g_assert_cmpint (hs_patterns_load_file (bad, &set, err, sizeof err), ==, 0);
  g_assert_cmpint (hs_patterns_classify (&set, "foobar", NULL), ==, HS_CATEGORY_OPTIONAL);
  g_assert_cmpint (hs_patterns_classify (&set, "msteams", NULL), ==, HS_CATEGORY_KEEP);
  hs_patterns_free (&set);

  g_unlink (bad);
  g_rmdir (dir);
}

static void
test_shipped_file (void)
{
  g_autofree char *path = g_build_filename (SOURCE_ROOT, "data", "credential-patterns.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  HsPatternSet set = { 0 };
  char err[512] = "";

  g_assert_true (g_file_get_contents (path, &text, &len, &error));
  g_assert_no_error (error);
  /* The embedded text is the file, byte for byte. */
  g_assert_cmpuint (strlen (hs_patterns_default_text), ==, len);
  g_assert_cmpmem (hs_patterns_default_text, strlen (hs_patterns_default_text), text, len);

  g_assert_cmpint (hs_patterns_load_file (path, &set, err, sizeof err), ==, 0);
  g_assert_cmpuint (set.n_rules, ==, defaults.n_rules);
  g_assert_cmpuint (set.n_rules, >=, 5);
  for (size_t i = 0; i < set.n_rules; i++)
    {
      g_assert_cmpint (set.rules[i].category, ==, defaults.rules[i].category);
      g_assert_cmpstr (set.rules[i].pattern, ==, defaults.rules[i].pattern);
      g_assert_cmpstr (set.rules[i].reason, ==, defaults.rules[i].reason);
      g_assert_cmpuint (set.rules[i].line, ==, defaults.rules[i].line);
    }
  hs_patterns_free (&set);
}

static void
test_category_names (void)
{
  HsCategory c;
  g_assert_cmpstr (hs_category_name (HS_CATEGORY_REQUIRED), ==, "required");
  g_assert_cmpstr (hs_category_name (HS_CATEGORY_OPTIONAL), ==, "optional");
  g_assert_cmpstr (hs_category_name (HS_CATEGORY_KEEP), ==, "keep");
  g_assert_cmpint (hs_category_from_name ("optional", &c), ==, 0);
  g_assert_cmpint (c, ==, HS_CATEGORY_OPTIONAL);
  g_assert_cmpint (hs_category_from_name ("bogus", &c), !=, 0);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (hs_patterns_load_default (&defaults), ==, 0);
  g_test_add_func ("/patterns/article", test_article_patterns);
  g_test_add_func ("/patterns/case-insensitive", test_case_insensitive);
  g_test_add_func ("/patterns/glob", test_glob);
  g_test_add_func ("/patterns/glob-pathological", test_glob_pathological);
  g_test_add_func ("/patterns/parse-errors", test_parse_errors);
  g_test_add_func ("/patterns/load-file", test_load_file);
  g_test_add_func ("/patterns/shipped-file", test_shipped_file);
  g_test_add_func ("/patterns/category-names", test_category_names);
  rc = g_test_run ();
  hs_patterns_free (&defaults);
  return rc;
}
