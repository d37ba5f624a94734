/* test-cli-net.c — handshake-cli check --network as staff run it, against
 * servers on 127.0.0.1 only: exit codes, the report's "network" member,
 * --signin-url, --timeout, and the proxy taken from the environment. */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>

#include <sys/wait.h>

#include "hs-test-proxy.h"
#include "hs-test-servers.h"

#define MARGIN_MS 2500

static const char *cli;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)

typedef struct {
  int      rc;
  gint64   ms;
  json_t  *root;       /* (owned) */
  json_t  *endpoint;   /* the first endpoint */
  char    *err;
} Run;

static const char *jstr (json_t *o, const char *k) { return json_string_value (json_object_get (o, k)); }
static json_t *findings (Run *r) { return json_object_get (r->endpoint, "findings"); }

/* handshake-cli check --network --json ARGS…, with an environment of its
 * own: no proxy unless @proxy. */
static void
run_cli (Run *r, const char *proxy, const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  json_error_t jerr;
  int status = 0;
  gint64 t0;

  g_ptr_array_add (argv, (char *) cli);
  g_ptr_array_add (argv, "check");
  g_ptr_array_add (argv, "--network");
  g_ptr_array_add (argv, "--json");
  for (const char * const *a = args; *a != NULL; a++)
    g_ptr_array_add (argv, (char *) *a);
  g_ptr_array_add (argv, NULL);
  env = g_environ_setenv (env, "https_proxy", proxy ? proxy : "", TRUE);
  env = g_environ_setenv (env, "no_proxy", proxy ? "" : "127.0.0.1,localhost", TRUE);
  env = g_environ_unsetenv (env, "HTTPS_PROXY");
  env = g_environ_unsetenv (env, "NO_PROXY");
  env = g_environ_unsetenv (env, "all_proxy");

  memset (r, 0, sizeof *r);
  t0 = g_get_monotonic_time ();
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &r->err, &status, &error));
  g_assert_no_error (error);
  r->ms = (g_get_monotonic_time () - t0) / 1000;
  g_assert_true (WIFEXITED (status));
  r->rc = WEXITSTATUS (status);
  g_test_message ("exit %d in %" G_GINT64_FORMAT " ms; stderr: %s", r->rc, r->ms, r->err);
  r->root = json_loads (out, 0, &jerr);
  if (r->root == NULL)
    g_error ("not JSON (%s): %s", jerr.text, out);
  r->endpoint = json_array_get (json_object_get (json_object_get (r->root, "network"), "endpoints"), 0);
  g_assert_nonnull (r->endpoint);
  g_test_message ("endpoint: %s %s — %s", jstr (r->endpoint, "url"), jstr (r->endpoint, "code"),
                  jstr (findings (r), "reason"));
}

static void
run_clear (Run *r)
{
  json_decref (r->root);
  g_free (r->err);
}

static void
test_inspected_and_public (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestNginx) nginx = hs_test_nginx_start (NULL, HS_TEST_CERT_VALID, &error);
  g_autofree char *url = NULL, *ca = NULL, *roots = NULL;
  Run r;

  g_assert_no_error (error);
  url = g_strdup_printf ("--signin-url=%s", hs_test_nginx_get_url (nginx));
  ca = g_strdup_printf ("--https-ca-file=%s", hs_test_nginx_get_ca_file (nginx));
  roots = g_strdup_printf ("--public-roots=%s", hs_test_nginx_get_ca_file (nginx));

  /* Trusted, but not a root the distribution ships: inspection. */
  run_cli (&r, NULL, (const char *[]) { url, ca, NULL });
  g_assert_cmpint (r.rc, ==, 1);
  g_assert_cmpstr (jstr (r.endpoint, "code"), ==, "net.inspected");
  g_assert_cmpstr (jstr (r.endpoint, "teams_code"), ==, "0xCAA70004");
  g_assert_nonnull (strstr (jstr (findings (&r), "root_name"), "Handshake Test CA"));
  g_assert_cmpstr (jstr (json_object_get (r.root, "network"), "status"), ==, "problem");
  g_assert_true (json_is_false (json_object_get (json_object_get (r.root, "network"), "simulated")));
  run_clear (&r);

  /* The same CA listed as public (the test seam): all good, exit 0. */
  run_cli (&r, NULL, (const char *[]) { url, ca, roots, NULL });
  g_assert_cmpint (r.rc, ==, 0);
  g_assert_cmpstr (jstr (r.endpoint, "code"), ==, "net.ok");
  g_assert_true (json_is_null (json_object_get (r.endpoint, "teams_code")));
  g_assert_cmpstr (jstr (findings (&r), "root"), ==, "public");
  g_assert_true (json_integer_value (json_object_get (findings (&r), "tls_ms")) >= 0);
  run_clear (&r);
}

static void
test_dns_within_timeout (void)
{
  Run r;

  run_cli (&r, NULL, (const char *[]) { "--signin-url", "https://unresolvable.invalid/",
                                        "--timeout", "3", NULL });
  g_assert_cmpint (r.rc, ==, 1);
  g_assert_cmpstr (jstr (r.endpoint, "code"), ==, "net.dns");
  g_assert_cmpstr (jstr (r.endpoint, "teams_code"), ==, "0xCAA82EE7");
  g_assert_cmpint (r.ms, <, 3000 + MARGIN_MS);
  g_assert_cmpint (json_integer_value (json_object_get (json_object_get (r.root, "network"),
                                                        "timeout_ms")), ==, 3000);
  run_clear (&r);
}

static void
test_refused (void)
{
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/", hs_test_free_tcp_port ());
  Run r;

  run_cli (&r, NULL, (const char *[]) { "--signin-url", url, NULL });
  g_assert_cmpint (r.rc, ==, 1);
  g_assert_cmpstr (jstr (r.endpoint, "code"), ==, "net.connect");
  g_assert_cmpstr (jstr (r.endpoint, "teams_code"), ==, "0xCAA70007");
  run_clear (&r);
}

static void
test_stall_timeout (void)
{
  g_autofree char *url = NULL;
  g_autoptr(GSocket) listener = hs_test_tcp_listener_new (&url);
  Run r;

  run_cli (&r, NULL, (const char *[]) { "--signin-url", url, "--timeout", "2", NULL });
  g_assert_cmpint (r.rc, ==, 1);
  g_assert_cmpstr (jstr (r.endpoint, "code"), ==, "net.timeout");
  g_assert_cmpstr (jstr (r.endpoint, "teams_code"), ==, "0xCAA82EE2");
  g_assert_cmpstr (jstr (findings (&r), "stage"), ==, "tls");
  g_assert_cmpint (r.ms, >=, 1900);
  g_assert_cmpint (r.ms, <, 2000 + MARGIN_MS);
  run_clear (&r);
}

static void
test_proxy_from_environment (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestProxy) proxy = hs_test_proxy_start (403, &error);
  g_autofree char *seen = NULL;
  Run r;

  g_assert_no_error (error);
  /* The proxy comes from the system's settings: here, https_proxy. */
  run_cli (&r, hs_test_proxy_get_url (proxy),
           (const char *[]) { "--signin-url", "https://login.example.test/", NULL });
  g_assert_cmpint (r.rc, ==, 1);
  g_assert_cmpstr (jstr (r.endpoint, "code"), ==, "net.proxy");
  g_assert_cmpstr (jstr (r.endpoint, "teams_code"), ==, "0xCAA70004");
  g_assert_cmpstr (jstr (findings (&r), "proxy"), ==, hs_test_proxy_get_url (proxy));
  g_assert_cmpint (json_integer_value (json_object_get (findings (&r), "tunnel_status")), ==, 403);
  seen = hs_test_proxy_get_log (proxy);
  g_assert_cmpstr (seen, ==, "CONNECT login.example.test:443 HTTP/1.1\n");
  run_clear (&r);
}

static void
test_nothing_checked (void)
{
  g_autofree char *junk = NULL;
  g_autofree char *ca = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GSocket) listener = hs_test_tcp_listener_new (&url);
  Run r;

  /* No trust store to judge by: nothing could be checked, exit 3. */
  g_assert_true (g_file_open_tmp ("hs-not-pem-XXXXXX", &junk, &error) >= 0);
  g_assert_true (g_file_set_contents (junk, "not a certificate\n", -1, &error));
  ca = g_strdup_printf ("--https-ca-file=%s", junk);
  run_cli (&r, NULL, (const char *[]) { "--signin-url", url, ca, "--timeout", "3", NULL });
  g_assert_cmpint (r.rc, ==, 3);
  g_assert_cmpstr (jstr (r.endpoint, "code"), ==, "net.unverified");
  g_assert_cmpstr (jstr (r.endpoint, "status"), ==, "unverified");
  g_assert_cmpstr (jstr (json_object_get (r.root, "network"), "status"), ==, "unverified");
  g_unlink (junk);
  run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cli = g_getenv ("HANDSHAKE_CLI");
  g_assert_nonnull (cli);
  g_test_add_func ("/cli/network/inspected-then-public", test_inspected_and_public);
  g_test_add_func ("/cli/network/dns", test_dns_within_timeout);
  g_test_add_func ("/cli/network/refused", test_refused);
  g_test_add_func ("/cli/network/stall", test_stall_timeout);
  g_test_add_func ("/cli/network/proxy-from-environment", test_proxy_from_environment);
  g_test_add_func ("/cli/network/nothing-checked", test_nothing_checked);
  return g_test_run ();
}
