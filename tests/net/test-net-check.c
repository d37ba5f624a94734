/* test-net-check.c — the network check of the sign-in path (core/net)
 * measuring for real, against servers on 127.0.0.1 only: nginx with a
 * test CA (tests/clock/hs-test-servers.h), a port nobody listens on, a
 * listener that accepts TCP and never speaks, a proxy that refuses CONNECT,
 * and a name that cannot resolve (.invalid, RFC 6761). Time bounds are
 * asserted with slack. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "hs-codes.h"
#include "hs-net-check.h"
#include "hs-test-proxy.h"
#include "hs-test-servers.h"

/* Slack for a loaded machine (or a sanitizer) on top of a bound. */
#define MARGIN_MS 1500

typedef struct {
  HsNetCheck *check;
  GError     *error;
  gboolean    done;
  GArray     *stages;      /* HsNetStage of endpoint 0, in order */
  gint64      elapsed_ms;
} Run;

static void
on_progress (guint index, const char *url, HsNetStage stage, gpointer data)
{
  Run *run = data;

  g_assert_false (run->done);   /* never after the callback */
  if (index == 0)
    g_array_append_val (run->stages, stage);
}

static void
on_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Run *run = data;

  run->check = hs_net_check_run_finish (res, &run->error);
  run->done = TRUE;
}

/* Runs a check to completion on a private main context. */
static void
run_check (Run *run, const HsNetCheckOptions *options, GCancellable *cancellable,
           guint cancel_after_ms)
{
  GMainContext *ctx = g_main_context_new ();
  gint64 t0;

  memset (run, 0, sizeof *run);
  run->stages = g_array_new (FALSE, FALSE, sizeof (HsNetStage));
  g_main_context_push_thread_default (ctx);
  t0 = g_get_monotonic_time ();
  hs_net_check_run_async (options, NULL, on_progress, run, cancellable, on_done, run);
  while (!run->done)
    {
      if (cancellable != NULL && !g_cancellable_is_cancelled (cancellable)
          && g_get_monotonic_time () - t0 >= (gint64) cancel_after_ms * 1000)
        g_cancellable_cancel (cancellable);
      g_main_context_iteration (ctx, cancellable == NULL);
    }
  run->elapsed_ms = (g_get_monotonic_time () - t0) / 1000;
  /* Progress queued before the end is dropped, not delivered late. */
  while (g_main_context_pending (ctx))
    g_main_context_iteration (ctx, FALSE);
  g_main_context_pop_thread_default (ctx);
  g_main_context_unref (ctx);
  g_assert_no_error (run->error);
  g_assert_nonnull (run->check);
}

static void
run_clear (Run *run)
{
  g_clear_object (&run->check);
  g_array_unref (run->stages);
}

static HsResult *
endpoint (Run *run, guint i)
{
  GPtrArray *e = hs_net_check_get_endpoints (run->check);

  g_assert_cmpuint (i, <, e->len);
  return g_ptr_array_index (e, i);
}

static void
log_result (Run *run, HsResult *r)
{
  g_test_message ("%s: %s %s in %" G_GINT64_FORMAT " ms; stage %s; reason: %s",
                  hs_result_get_string (r, "url"), hs_status_name (hs_result_get_status (r)),
                  hs_result_get_code (r), run->elapsed_ms, hs_result_get_string (r, "stage"),
                  hs_result_get_string (r, "reason"));
}

/* One check of one endpoint, to completion: its verdict, logged. */
static HsResult *
check_one (Run *run, const HsNetCheckOptions *options)
{
  HsResult *r;

  run_check (run, options, NULL, 0);
  r = endpoint (run, 0);
  log_result (run, r);
  return r;
}

static gint64
finding_int (HsResult *r, const char *key)
{
  gint64 v = -1;

  g_assert_true (hs_result_get_int (r, key, &v));
  return v;
}

static void
test_dns (void)
{
  char *urls[] = { "https://unresolvable.invalid/", NULL };
  HsNetCheckOptions o = { .urls = urls, .timeout_ms = 5000 };
  Run run;
  HsResult *r;

  r = check_one (&run, &o);
  g_assert_cmpstr (hs_result_get_code (r), ==, HS_CODE_NET_DNS);
  g_assert_cmpint (hs_result_get_status (r), ==, HS_STATUS_PROBLEM);
  g_assert_cmpstr (hs_result_get_string (r, "teams_code"), ==, "0xCAA82EE7");
  g_assert_cmpstr (hs_result_get_string (r, "stage"), ==, "dns");
  g_assert_cmpstr (hs_result_get_string (r, "resolved_name"), ==, "unresolvable.invalid");
  g_assert_cmpstr (hs_result_get_string (r, "proxy"), ==, "direct");
  g_assert_cmpint (finding_int (r, "dns_ms"), >=, 0);
  g_assert_false (hs_result_get_int (r, "connect_ms", &(gint64) { 0 }));
  g_assert_cmpint (run.elapsed_ms, <, 5000 + MARGIN_MS);
  g_assert_cmpint (hs_net_check_get_status (run.check), ==, HS_STATUS_PROBLEM);
  g_assert_cmpstr (hs_net_check_get_code (run.check), ==, HS_CODE_NET_DNS);
  run_clear (&run);
}

static void
test_refused (void)
{
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/", hs_test_free_tcp_port ());
  char *urls[] = { url, NULL };
  HsNetCheckOptions o = { .urls = urls, .timeout_ms = 5000 };
  Run run;
  HsResult *r;

  r = check_one (&run, &o);
  g_assert_cmpstr (hs_result_get_code (r), ==, HS_CODE_NET_CONNECT);
  g_assert_cmpstr (hs_result_get_string (r, "teams_code"), ==, "0xCAA70007");
  g_assert_cmpstr (hs_result_get_string (r, "stage"), ==, "connect");
  g_assert_cmpstr (hs_result_get_string (r, "addresses"), ==, "127.0.0.1");
  g_assert_nonnull (strstr (hs_result_get_string (r, "reason"), "could not connect to 127.0.0.1"));
  /* A refusal is an answer: no reason to wait for the deadline. */
  g_assert_cmpint (run.elapsed_ms, <, 2000);
  run_clear (&run);
}

static void
test_stall (void)
{
  g_autofree char *url = NULL;
  g_autoptr(GSocket) listener = hs_test_tcp_listener_new (&url);
  char *urls[] = { url, NULL };
  HsNetCheckOptions o = { .urls = urls, .timeout_ms = 2000 };
  HsNetStage expected[] = { HS_NET_STAGE_PROXY, HS_NET_STAGE_DNS, HS_NET_STAGE_CONNECT,
                            HS_NET_STAGE_TLS };
  Run run;
  HsResult *r;

  /* The kernel completes the TCP handshake; TLS never starts. */
  r = check_one (&run, &o);
  g_assert_cmpstr (hs_result_get_code (r), ==, HS_CODE_NET_TIMEOUT);
  g_assert_cmpstr (hs_result_get_string (r, "teams_code"), ==, "0xCAA82EE2");
  g_assert_cmpstr (hs_result_get_string (r, "stage"), ==, "tls");
  g_assert_cmpint (finding_int (r, "connect_ms"), >=, 0);
  g_assert_cmpint (run.elapsed_ms, >=, 1900);
  g_assert_cmpint (run.elapsed_ms, <, 2000 + MARGIN_MS);
  /* Live progress: every stage begun, in order, before the verdict. */
  g_assert_cmpuint (run.stages->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (g_array_index (run.stages, HsNetStage, i), ==, expected[i]);
  run_clear (&run);
}

static void
test_cancel (void)
{
  g_autofree char *url = NULL;
  g_autoptr(GSocket) listener = hs_test_tcp_listener_new (&url);
  char *urls[] = { url, NULL };
  HsNetCheckOptions o = { .urls = urls, .timeout_ms = 20000 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Run run;
  HsResult *r;

  run_check (&run, &o, cancellable, 300);
  r = endpoint (&run, 0);
  log_result (&run, r);
  g_assert_cmpstr (hs_result_get_code (r), ==, HS_CODE_NET_UNVERIFIED);
  g_assert_cmpint (hs_result_get_status (r), ==, HS_STATUS_UNVERIFIED);
  g_assert_cmpstr (hs_result_get_string (r, "reason"), ==, "cancelled");
  g_assert_cmpint (run.elapsed_ms, >=, 250);
  g_assert_cmpint (run.elapsed_ms, <, 300 + MARGIN_MS);
  g_assert_cmpint (hs_net_check_get_status (run.check), ==, HS_STATUS_UNVERIFIED);
  run_clear (&run);
}

/* nginx with a test CA. Trusted through ca_file; public or not depending
 * on public_roots. */
static void
check_nginx (const char *public_roots, const char *expected_code, HsNetRootKind root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestNginx) nginx = hs_test_nginx_start (NULL, HS_TEST_CERT_VALID, &error);
  char *urls[] = { NULL, NULL };
  HsNetCheckOptions o = { .urls = urls, .timeout_ms = 8000 };
  Run run;
  HsResult *r;

  g_assert_no_error (error);
  urls[0] = (char *) hs_test_nginx_get_url (nginx);
  o.ca_file = (char *) hs_test_nginx_get_ca_file (nginx);
  o.public_roots = (char *) public_roots;
  r = check_one (&run, &o);
  g_assert_cmpstr (hs_result_get_code (r), ==, expected_code);
  g_assert_cmpstr (hs_result_get_string (r, "stage"), ==, "done");
  g_assert_cmpstr (hs_result_get_string (r, "root"), ==, hs_net_root_name (root));
  /* The root the chain ends at, by name: the test CA nginx's certificate
   * is signed by (tests/clock/hs-test-nginx.c). */
  g_assert_nonnull (strstr (hs_result_get_string (r, "root_name"), "Handshake Test CA"));
  g_assert_nonnull (strstr (hs_result_get_string (r, "server_issuer"), "Handshake Test CA"));
  g_assert_cmpint (finding_int (r, "tls_ms"), >=, 0);
  g_assert_cmpint (finding_int (r, "total_ms"), >=, finding_int (r, "tls_ms"));
  g_assert_nonnull (strstr (hs_result_get_string (r, "tls_version"), "TLS 1."));
  g_assert_cmpint (run.elapsed_ms, <, 8000);
  run_clear (&run);
}

static void
test_inspected (void)
{
  /* Trusted (the CA file) but not one of the distribution's public roots:
   * what a locally installed inspection CA looks like. */
  check_nginx (NULL, HS_CODE_NET_INSPECTED, HS_NET_ROOT_LOCAL);
}

static void
test_inspected_given_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestNginx) other = hs_test_nginx_start (NULL, HS_TEST_CERT_VALID, &error);

  g_assert_no_error (error);
  /* A list of public roots given (a PEM file: another test CA, each nginx
   * makes its own) without the server's CA: still installed locally. */
  check_nginx (hs_test_nginx_get_ca_file (other), HS_CODE_NET_INSPECTED, HS_NET_ROOT_LOCAL);
}

static void
test_public_same_ca (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestNginx) nginx = hs_test_nginx_start (NULL, HS_TEST_CERT_VALID, &error);
  g_autofree char *roots_dir = g_dir_make_tmp ("hs-public-roots-XXXXXX", &error);
  g_autofree char *roots = NULL;
  g_autofree char *pem = NULL;
  char *urls[] = { NULL, NULL };
  HsNetCheckOptions o = { .urls = urls, .timeout_ms = 8000 };
  Run run;
  HsResult *r;

  g_assert_no_error (error);
  /* A directory of public roots holding this nginx's CA: a good server
   * whose chain ends in a public root. */
  g_assert_true (g_file_get_contents (hs_test_nginx_get_ca_file (nginx), &pem, NULL, &error));
  roots = g_build_filename (roots_dir, "test-ca.crt", NULL);
  g_assert_true (g_file_set_contents (roots, pem, -1, &error));
  urls[0] = (char *) hs_test_nginx_get_url (nginx);
  o.ca_file = (char *) hs_test_nginx_get_ca_file (nginx);
  o.public_roots = roots_dir;
  r = check_one (&run, &o);
  g_assert_cmpstr (hs_result_get_code (r), ==, HS_CODE_NET_OK);
  g_assert_cmpint (hs_result_get_status (r), ==, HS_STATUS_OK);
  g_assert_cmpstr (hs_result_get_string (r, "root"), ==, "public");
  g_assert_cmpstr (hs_result_get_string (r, "teams_code"), ==, "");
  g_assert_cmpint (hs_net_check_get_status (run.check), ==, HS_STATUS_OK);
  g_unlink (roots);
  g_rmdir (roots_dir);
  run_clear (&run);
}

static void
test_untrusted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestNginx) nginx = hs_test_nginx_start (NULL, HS_TEST_CERT_VALID, &error);
  g_autoptr(HsTestNginx) other = hs_test_nginx_start (NULL, HS_TEST_CERT_VALID, &error);
  char *urls[] = { NULL, NULL };
  HsNetCheckOptions o = { .urls = urls, .timeout_ms = 8000 };
  Run run;
  HsResult *r;

  g_assert_no_error (error);
  /* Trusting another CA than the one that signed the server's certificate. */
  urls[0] = (char *) hs_test_nginx_get_url (nginx);
  o.ca_file = (char *) hs_test_nginx_get_ca_file (other);
  r = check_one (&run, &o);
  g_assert_cmpstr (hs_result_get_code (r), ==, HS_CODE_NET_TLS);
  g_assert_cmpstr (hs_result_get_string (r, "root"), ==, "untrusted");
  g_assert_nonnull (strstr (hs_result_get_string (r, "reason"), "issuer not trusted"));
  g_assert_nonnull (strstr (hs_result_get_string (r, "root_name"), "Handshake Test CA"));
  run_clear (&run);
}

static void
test_proxy_refuses (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestProxy) proxy = hs_test_proxy_start (403, &error);
  g_autoptr(GProxyResolver) resolver = NULL;
  g_autofree char *seen = NULL;
  char *urls[] = { "https://login.example.test/", NULL };
  HsNetCheckOptions o = { .urls = urls, .timeout_ms = 5000 };
  Run run;
  HsResult *r;

  g_assert_no_error (error);
  resolver = g_simple_proxy_resolver_new (hs_test_proxy_get_url (proxy), NULL);
  o.proxy_resolver = resolver;
  r = check_one (&run, &o);
  g_assert_cmpstr (hs_result_get_code (r), ==, HS_CODE_NET_PROXY);
  g_assert_cmpstr (hs_result_get_string (r, "teams_code"), ==, "0xCAA70004");
  g_assert_cmpstr (hs_result_get_string (r, "stage"), ==, "tunnel");
  g_assert_cmpstr (hs_result_get_string (r, "proxy"), ==, hs_test_proxy_get_url (proxy));
  /* The name resolved is the proxy's: the server's is the proxy's business. */
  g_assert_cmpstr (hs_result_get_string (r, "resolved_name"), ==, "127.0.0.1");
  g_assert_cmpint (finding_int (r, "tunnel_status"), ==, 403);
  g_assert_nonnull (strstr (hs_result_get_string (r, "reason"), "403 Forbidden"));
  seen = hs_test_proxy_get_log (proxy);
  g_assert_cmpstr (seen, ==, "CONNECT login.example.test:443 HTTP/1.1\n");
  g_assert_cmpint (run.elapsed_ms, <, 2000);
  run_clear (&run);
}

static void
test_proxy_down (void)
{
  g_autofree char *proxy_url = g_strdup_printf ("http://127.0.0.1:%u", hs_test_free_tcp_port ());
  g_autoptr(GProxyResolver) resolver = g_simple_proxy_resolver_new (proxy_url, NULL);
  char *urls[] = { "https://login.example.test/", NULL };
  HsNetCheckOptions o = { .urls = urls, .timeout_ms = 5000, .proxy_resolver = resolver };
  Run run;
  HsResult *r;

  /* A proxy that is set but not there: the proxy's fault, not the server's. */
  r = check_one (&run, &o);
  g_assert_cmpstr (hs_result_get_code (r), ==, HS_CODE_NET_PROXY);
  g_assert_cmpstr (hs_result_get_string (r, "stage"), ==, "connect");
  run_clear (&run);
}

static void
test_several (void)
{
  g_autofree char *refused = g_strdup_printf ("https://127.0.0.1:%u/", hs_test_free_tcp_port ());
  char *urls[] = { "https://unresolvable.invalid/", refused, NULL };
  HsNetCheckOptions o = { .urls = urls, .timeout_ms = 4000 };
  Run run;

  /* One verdict per endpoint, in the order asked; the first problem leads. */
  run_check (&run, &o, NULL, 0);
  g_assert_cmpuint (hs_net_check_get_endpoints (run.check)->len, ==, 2);
  g_assert_cmpstr (hs_result_get_code (endpoint (&run, 0)), ==, HS_CODE_NET_DNS);
  g_assert_cmpstr (hs_result_get_code (endpoint (&run, 1)), ==, HS_CODE_NET_CONNECT);
  g_assert_cmpstr (hs_net_check_get_code (run.check), ==, HS_CODE_NET_DNS);
  g_assert_cmpuint (hs_net_check_get_timeout_ms (run.check), ==, 4000);
  run_clear (&run);
}

static void
test_bad_url (void)
{
  char *urls[] = { "http://login.microsoftonline.com/", NULL };
  HsNetCheckOptions o = { .urls = urls };
  g_autoptr(GError) error = NULL;

  g_assert_false (hs_net_url_is_valid ("http://x/", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (hs_net_url_is_valid ("https://user:pw@x/", NULL));
  g_assert_false (hs_net_url_is_valid ("https:///nohost", NULL));
  g_assert_true (hs_net_url_is_valid ("https://login.microsoftonline.com/", NULL));
  {
    GMainContext *ctx = g_main_context_new ();
    Run run = { 0 };

    g_main_context_push_thread_default (ctx);
    hs_net_check_run_async (&o, NULL, NULL, NULL, NULL, on_done, &run);
    while (!run.done)
      g_main_context_iteration (ctx, TRUE);
    g_main_context_pop_thread_default (ctx);
    g_main_context_unref (ctx);
    g_assert_null (run.check);
    g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&run.error);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/check/dns", test_dns);
  g_test_add_func ("/net/check/refused", test_refused);
  g_test_add_func ("/net/check/stall", test_stall);
  g_test_add_func ("/net/check/cancel", test_cancel);
  g_test_add_func ("/net/check/inspected", test_inspected);
  g_test_add_func ("/net/check/inspected-given-list", test_inspected_given_list);
  g_test_add_func ("/net/check/public", test_public_same_ca);
  g_test_add_func ("/net/check/untrusted", test_untrusted);
  g_test_add_func ("/net/check/proxy-refuses", test_proxy_refuses);
  g_test_add_func ("/net/check/proxy-down", test_proxy_down);
  g_test_add_func ("/net/check/several", test_several);
  g_test_add_func ("/net/check/bad-url", test_bad_url);
  return g_test_run ();
}
