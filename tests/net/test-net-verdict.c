/* test-net-verdict.c — pure code of issue 14: the verdict of the network
 * check from facts, the net.* codes and their Teams codes, and the table of
 * Teams status codes (data/teams-codes.xml) with the forms people type. */
#include "config.h"

#include <string.h>

#include "hs-codes.h"
#include "hs-net-check.h"
#include "hs-net-verdict.h"
#include "hs-teams-codes.h"

typedef struct {
  HsNetFailure  failure;
  HsNetRootKind root;
  const char   *code;
  HsStatus      status;
  const char   *teams;     /* NULL: none documented */
} Case;

static void
test_verdicts (void)
{
  static const Case cases[] = {
    { HS_NET_FAIL_NONE, HS_NET_ROOT_PUBLIC, HS_CODE_NET_OK, HS_STATUS_OK, NULL },
    { HS_NET_FAIL_NONE, HS_NET_ROOT_UNKNOWN, HS_CODE_NET_OK, HS_STATUS_OK, NULL },
    { HS_NET_FAIL_NONE, HS_NET_ROOT_LOCAL, HS_CODE_NET_INSPECTED, HS_STATUS_PROBLEM, "0xCAA70004" },
    { HS_NET_FAIL_DNS, HS_NET_ROOT_UNKNOWN, HS_CODE_NET_DNS, HS_STATUS_PROBLEM, "0xCAA82EE7" },
    { HS_NET_FAIL_PROXY, HS_NET_ROOT_UNKNOWN, HS_CODE_NET_PROXY, HS_STATUS_PROBLEM, "0xCAA70004" },
    { HS_NET_FAIL_CONNECT, HS_NET_ROOT_UNKNOWN, HS_CODE_NET_CONNECT, HS_STATUS_PROBLEM, "0xCAA70007" },
    { HS_NET_FAIL_TIMEOUT, HS_NET_ROOT_UNKNOWN, HS_CODE_NET_TIMEOUT, HS_STATUS_PROBLEM, "0xCAA82EE2" },
    { HS_NET_FAIL_TLS, HS_NET_ROOT_UNTRUSTED, HS_CODE_NET_TLS, HS_STATUS_PROBLEM, NULL },
    { HS_NET_FAIL_CANCELLED, HS_NET_ROOT_UNKNOWN, HS_CODE_NET_UNVERIFIED, HS_STATUS_UNVERIFIED, NULL },
    { HS_NET_FAIL_INTERNAL, HS_NET_ROOT_UNKNOWN, HS_CODE_NET_UNVERIFIED, HS_STATUS_UNVERIFIED, NULL },
    /* A failure wins over whatever was seen of the certificate. */
    { HS_NET_FAIL_TIMEOUT, HS_NET_ROOT_LOCAL, HS_CODE_NET_TIMEOUT, HS_STATUS_PROBLEM, "0xCAA82EE2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HsNetFacts f;
      g_autoptr(HsResult) r = NULL;

      hs_net_facts_init (&f);
      f.failure = cases[i].failure;
      f.root = cases[i].root;
      f.stage = cases[i].failure == HS_NET_FAIL_NONE ? HS_NET_STAGE_DONE : HS_NET_STAGE_TLS;
      r = hs_net_verdict ("https://login.microsoftonline.com/", &f, FALSE);
      g_assert_cmpstr (hs_result_get_code (r), ==, cases[i].code);
      g_assert_cmpint (hs_result_get_status (r), ==, cases[i].status);
      g_assert_true (hs_code_is_known (hs_result_get_code (r)));
      g_assert_cmpstr (hs_code_teams_status (cases[i].code), ==, cases[i].teams);
      g_assert_cmpstr (hs_result_get_string (r, "teams_code"), ==, cases[i].teams ? cases[i].teams : "");
      g_assert_cmpstr (hs_result_get_summary_en (r), !=, "");
      g_assert_cmpint (hs_result_get_step (r), ==, 0);
    }
}

static void
test_findings (void)
{
  HsNetFacts f;
  g_autoptr(HsResult) r = NULL;
  gint64 v;
  gboolean b;

  hs_net_facts_init (&f);
  f.stage = HS_NET_STAGE_DONE;
  f.root = HS_NET_ROOT_LOCAL;
  g_strlcpy (f.root_name, "CN=Contoso Inspection CA", sizeof f.root_name);
  g_strlcpy (f.proxy, "http://proxy.contoso.com:8080", sizeof f.proxy);
  g_strlcpy (f.addresses[0], "192.0.2.8", sizeof f.addresses[0]);
  g_strlcpy (f.addresses[1], "192.0.2.9", sizeof f.addresses[1]);
  f.n_addresses = 2;
  f.dns_ms = 12;
  f.tls_ms = 80;
  /* Not UTF-8 from the OS: made valid, never refused. */
  g_strlcpy (f.server_issuer, "Bad \xff name", sizeof f.server_issuer);
  r = hs_net_verdict ("https://teams.microsoft.com:8443/x", &f, TRUE);
  g_assert_cmpstr (hs_result_get_code (r), ==, HS_CODE_NET_INSPECTED);
  g_assert_cmpstr (hs_result_get_string (r, "name"), ==, "teams");
  g_assert_cmpstr (hs_result_get_string (r, "host"), ==, "teams.microsoft.com");
  g_assert_true (hs_result_get_int (r, "port", &v) && v == 8443);
  g_assert_cmpstr (hs_result_get_string (r, "root_name"), ==, "CN=Contoso Inspection CA");
  g_assert_cmpstr (hs_result_get_string (r, "root"), ==, "local");
  g_assert_cmpstr (hs_result_get_string (r, "addresses"), ==, "192.0.2.8, 192.0.2.9");
  g_assert_cmpstr (hs_result_get_string (r, "proxy"), ==, "http://proxy.contoso.com:8080");
  g_assert_true (g_utf8_validate (hs_result_get_string (r, "server_issuer"), -1, NULL));
  g_assert_true (hs_result_get_int (r, "dns_ms", &v) && v == 12);
  /* A stage not reached has no time at all, not -1. */
  g_assert_false (hs_result_get_int (r, "connect_ms", &v));
  g_assert_true (hs_result_get_bool (r, "simulated", &b) && b);
  g_assert_cmpstr (hs_net_endpoint_name ("https://LOGIN.microsoftonline.com/"), ==, "signin");
  g_assert_cmpstr (hs_net_endpoint_name ("https://example.test/"), ==, "");
}

/* ---- Teams status codes ---- */

static void
test_code_forms (void)
{
  static const struct { const char *in, *out; } good[] = {
    { "caa82ee2", "0xCAA82EE2" },
    { "0xCAA20003", "0xCAA20003" },
    { " 0xcaa20004 ", "0xCAA20004" },
    { "0XcAa70004", "0xCAA70004" },
    { "\t80070005\n", "0x80070005" },
  };
  static const char * const bad[] = {
    "", "   ", "hello", "0x", "CAA2000", "0xCAA200033", "0xGAA20003", "CAA 20003",
    "0x0xCAA20003", "-0xCAA20003", "0xCAA20003!", "caa20003 caa20004",
  };
  char out[11];

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (hs_teams_code_parse (good[i].in, out, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, good[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      HsTeamsCode info;

      g_assert_false (hs_teams_code_parse (bad[i], out, &error));
      g_assert_error (error, HS_TEAMS_CODE_ERROR, HS_TEAMS_CODE_ERROR_INVALID);
      g_assert_false (hs_teams_code_explain (bad[i], &info, NULL));
    }
  g_assert_false (hs_teams_code_parse (NULL, out, NULL));
}

static void
test_code_table (void)
{
  static const struct { const char *in; HsTeamsNext next; const char *network; } microsoft[] = {
    { "0xCAA20003", HS_TEAMS_NEXT_STEPS, NULL },
    { "0xCAA20004", HS_TEAMS_NEXT_IT, NULL },
    { "0xCAA70004", HS_TEAMS_NEXT_NETWORK, "net.proxy net.inspected" },
    { "0xCAA70007", HS_TEAMS_NEXT_NETWORK, "net.connect" },
    { "0xCAA82EE2", HS_TEAMS_NEXT_NETWORK, "net.timeout" },
    { "0xCAA82EE7", HS_TEAMS_NEXT_NETWORK, "net.dns" },
  };
  HsTeamsCode info;

  g_assert_cmpuint (hs_teams_codes_count (), ==, 8);
  for (guint i = 0; i < G_N_ELEMENTS (microsoft); i++)
    {
      g_auto(GStrv) codes = NULL;

      g_assert_true (hs_teams_code_explain (microsoft[i].in, &info, NULL));
      g_assert_true (info.known);
      g_assert_false (info.family);
      g_assert_true (info.confirmed);
      g_assert_cmpint (info.next, ==, microsoft[i].next);
      g_assert_cmpstr (info.network, ==, microsoft[i].network);
      g_assert_true (g_str_has_prefix (info.source_url, "https://support.microsoft.com/"));
      g_assert_nonnull (strstr (info.source_title, "Why am I having trouble signing in"));
      g_assert_nonnull (info.meaning);
      g_assert_nonnull (info.advice);
      /* Data and code agree: each verdict named gives back this code. */
      codes = info.network ? g_strsplit (info.network, " ", -1) : g_new0 (char *, 1);
      for (char **c = codes; *c != NULL; c++)
        {
          g_assert_true (hs_code_is_known (*c));
          g_assert_cmpstr (hs_code_teams_status (*c), ==, info.code);
        }
    }
  /* Whitespace in the data file folds as xgettext folds it. */
  g_assert_true (hs_teams_code_explain ("0xCAA70007", &info, NULL));
  g_assert_cmpstr (info.meaning, ==, "The connection was interrupted.");

  /* Families: a network code Microsoft does not list. */
  g_assert_true (hs_teams_code_explain ("0xcaa7000a", &info, NULL));
  g_assert_true (info.known && info.family && info.confirmed);
  g_assert_cmpint (info.next, ==, HS_TEAMS_NEXT_NETWORK);
  g_assert_nonnull (strstr (info.source_url, "microsoft-authentication-library-for-dotnet/issues/3786"));
  g_assert_true (hs_teams_code_explain ("CAA8FFFF", &info, NULL));
  g_assert_true (info.known && info.family);
  g_assert_false (info.confirmed);

  /* Unknown but well-formed: the IT admin's advice. */
  g_assert_true (hs_teams_code_explain ("0xCAA90018", &info, NULL));
  g_assert_false (info.known);
  g_assert_cmpint (info.next, ==, HS_TEAMS_NEXT_IT);
  g_assert_null (info.source_url);
  g_assert_cmpstr (info.code, ==, "0xCAA90018");
  g_assert_nonnull (strstr (hs_teams_code_advice (&info, TRUE), "IT admin"));
  g_assert_cmpstr (hs_teams_code_meaning (&info, TRUE), ==, "Handshake does not know this code.");
  g_assert_cmpstr (hs_teams_next_name (HS_TEAMS_NEXT_NETWORK), ==, "network");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/verdict/codes", test_verdicts);
  g_test_add_func ("/net/verdict/findings", test_findings);
  g_test_add_func ("/teams-codes/forms", test_code_forms);
  g_test_add_func ("/teams-codes/table", test_code_table);
  return g_test_run ();
}
