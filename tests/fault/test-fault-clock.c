/* test-fault-clock.c — the real clock probe (hs_clock_probe_measure_async)
 * against time sources that fail: DNS failure, every server dead, UDP
 * blocked with only HTTPS reachable, a server answering after the deadline,
 * and a server answering with a different time on each query.
 *
 * Also: a trust store that takes forever to load, an HTTPS server that
 * stalls mid-handshake, and a resolver that never answers.
 *
 * In every case the verdict arrives within the time bound (timeout_ms plus
 * BOUND_MARGIN_MS for scheduling on a busy CI box) and is never a wrong
 * offset: either no offset (ok = FALSE) or one that a real source gave.
 *
 * Erratic server: the probe takes ONE sample per SNTP server (the first
 * valid reply wins), so it cannot tell an erratic server from an honest one
 * that is wrong. What it guarantees, and what is tested: the offset it
 * reports is exactly the offset of one reply the server sent (± the round
 * trip), never an average or mix of several. Against a lone erratic server
 * the verdict is therefore that single sample; against an erratic server
 * next to an honest one, whichever answered first. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hs-clock-probe.h"
#include "hs-test-engine.h"
#include "hs-test-servers.h"

#define BOUND_MARGIN_MS 500
#define TIMEOUT_MS      2000

typedef struct {
  HsClockMeasurement *m;
  double              elapsed_ms;
} Run;

static void
measure (Run *run, const HsClockProbeOptions *options)
{
  GMainContext *ctx = g_main_context_new ();
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  g_main_context_push_thread_default (ctx);
  start = g_get_monotonic_time ();
  hs_clock_probe_measure_async (options, NULL, hs_test_store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (ctx, TRUE);
  run->elapsed_ms = (double) (g_get_monotonic_time () - start) / 1000.0;
  run->m = hs_clock_probe_measure_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run->m);
  g_object_unref (result);
  for (int i = 0; i < 50 && g_main_context_pending (ctx); i++)
    g_main_context_iteration (ctx, FALSE);
  g_main_context_pop_thread_default (ctx);
  g_main_context_unref (ctx);

  g_test_message ("ok=%d method=%s offset=%+.3f ±%.3f elapsed=%.0f ms", run->m->ok,
                  run->m->method ? run->m->method : "-", run->m->offset_seconds,
                  run->m->uncertainty_seconds, run->elapsed_ms);
  for (guint i = 0; i < run->m->attempts->len; i++)
    g_test_message ("  attempt: %s", (const char *) run->m->attempts->pdata[i]);
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->m, hs_clock_measurement_free);
}

static void
assert_within_bound (Run *run, guint timeout_ms)
{
  if (g_getenv ("HS_FAULT_NO_TIMING"))   /* diagnosis under slow tools only */
    return;
  g_assert_cmpfloat (run->elapsed_ms, <, timeout_ms + BOUND_MARGIN_MS);
}

static void
assert_no_offset (Run *run)
{
  g_assert_false (run->m->ok);
  g_assert_cmpuint (run->m->attempts->len, >, 0);
}

/* What every dead or silent source must come to: no offset, in time. */
static void
expect_no_offset (const HsClockProbeOptions *options)
{
  Run run = { 0 };

  measure (&run, options);
  assert_no_offset (&run);
  assert_within_bound (&run, options->timeout_ms);
  run_clear (&run);
}

/* ---- DNS failure: names that cannot resolve (RFC 6761 .invalid) ---- */
static void
test_dns_failure (void)
{
  const char *servers[] = { "ntp.handshake-test.invalid", "time.handshake-test.invalid:123", NULL };
  HsClockProbeOptions o = { .servers = (char **) servers,
                            .https_url = (char *) "https://time.handshake-test.invalid/",
                            .timeout_ms = TIMEOUT_MS };

  expect_no_offset (&o);
}

/* ---- every server dead: closed UDP ports, HTTPS port closed ---- */
static void
test_all_dead (void)
{
  g_autofree char *s1 = g_strdup_printf ("127.0.0.1:%u", hs_test_free_udp_port ());
  g_autofree char *s2 = g_strdup_printf ("127.0.0.1:%u", hs_test_free_udp_port ());
  g_autofree char *s3 = g_strdup_printf ("127.0.0.1:%u", hs_test_free_udp_port ());
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/", hs_test_free_tcp_port ());
  const char *servers[] = { s1, s2, s3, NULL };
  HsClockProbeOptions o = { .servers = (char **) servers, .https_url = url,
                            .timeout_ms = TIMEOUT_MS };

  expect_no_offset (&o);
}

/* ---- UDP blocked (requests vanish), only HTTPS reachable ---- */
static void
test_udp_blocked_https_ok (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestBadResponder) blackhole = hs_test_bad_responder_start (HS_TEST_REPLY_SILENT, &error);
  g_assert_no_error (error);
  g_autoptr(HsTestNginx) nginx = hs_test_nginx_start (NULL, HS_TEST_CERT_VALID, &error);
  g_assert_no_error (error);
  const char *servers[] = { hs_test_bad_responder_get_server (blackhole), NULL };
  HsClockProbeOptions o = { .servers = (char **) servers,
                            .https_url = (char *) hs_test_nginx_get_url (nginx),
                            .https_ca_file = (char *) hs_test_nginx_get_ca_file (nginx),
                            .timeout_ms = TIMEOUT_MS };
  Run run = { 0 };

  measure (&run, &o);
  g_assert_true (run.m->ok);
  g_assert_cmpstr (run.m->method, ==, "https-date");
  /* HTTP Date has whole seconds: the real offset (0) lies within ±1.5 s */
  g_assert_cmpfloat (fabs (run.m->offset_seconds), <, 1.5);
  g_assert_cmpfloat (run.m->uncertainty_seconds, >=, 0.5);
  g_assert_cmpuint (hs_test_bad_responder_get_count (blackhole), >, 0);
  assert_within_bound (&run, TIMEOUT_MS);
  run_clear (&run);
}

/* ---- SNTP blackholed, HTTPS port accepts TCP but never speaks TLS ---- */
static void
test_https_mute (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestBadResponder) blackhole = hs_test_bad_responder_start (HS_TEST_REPLY_SILENT, &error);
  g_assert_no_error (error);
  g_autofree char *url = NULL;
  g_autoptr(GSocket) listener = hs_test_tcp_listener_new (&url);
  const char *servers[] = { hs_test_bad_responder_get_server (blackhole), NULL };
  HsClockProbeOptions o = { .servers = (char **) servers, .https_url = url,
                            .timeout_ms = TIMEOUT_MS };

  expect_no_offset (&o);
}

/* ---- a server answering only after the deadline ---- */
static void
test_late_answer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestBadResponder) late = hs_test_bad_responder_start (HS_TEST_REPLY_DELAYED, &error);
  g_assert_no_error (error);
  hs_test_bad_responder_set_delay_ms (late, TIMEOUT_MS + 1000);
  const char *servers[] = { hs_test_bad_responder_get_server (late), NULL };
  HsClockProbeOptions o = { .servers = (char **) servers, .https_url = (char *) "",
                            .timeout_ms = TIMEOUT_MS };
  Run run = { 0 };

  measure (&run, &o);
  assert_no_offset (&run);
  assert_within_bound (&run, TIMEOUT_MS);
  g_assert_cmpuint (hs_test_bad_responder_get_count (late), >, 0);
  run_clear (&run);
}

/* ---- a server answering just inside the deadline still counts ---- */
static void
test_slow_but_in_time (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestBadResponder) slow = hs_test_bad_responder_start (HS_TEST_REPLY_DELAYED, &error);
  g_assert_no_error (error);
  hs_test_bad_responder_set_delay_ms (slow, 300);
  const char *servers[] = { hs_test_bad_responder_get_server (slow), NULL };
  HsClockProbeOptions o = { .servers = (char **) servers, .https_url = (char *) "",
                            .timeout_ms = TIMEOUT_MS };
  Run run = { 0 };

  measure (&run, &o);
  assert_within_bound (&run, TIMEOUT_MS);
  if (run.m->ok)
    {
      /* the reply was stamped when sent, after the hold: the offset of a
       * delayed-but-honest server stays within half the round trip */
      g_assert_cmpfloat (fabs (run.m->offset_seconds), <=, run.m->delay_seconds / 2 + 0.05);
    }
  else
    g_test_message ("a 300 ms reply was not accepted (probe per-query timeout shorter)");
  run_clear (&run);
}

/* ---- a server with a different time on every query ---- */
static void
assert_single_sample (Run *run, HsTestBadResponder *erratic)
{
  guint sent = hs_test_bad_responder_get_count (erratic);
  gboolean matches = FALSE;

  if (!run->m->ok)
    return;   /* no offset is an acceptable verdict */
  g_assert_cmpstr (run->m->method, ==, "sntp");
  /* the server's time is true time + shift: this computer is behind by shift */
  for (guint n = 0; n < sent; n++)
    if (fabs (run->m->offset_seconds + hs_test_erratic_shift (n)) <= run->m->uncertainty_seconds + 0.05)
      matches = TRUE;
  if (!matches)
    g_error ("offset %+.3f s is not the offset of any single reply (%u sent)",
             run->m->offset_seconds, sent);
}

static void
test_erratic (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestBadResponder) erratic = hs_test_bad_responder_start (HS_TEST_REPLY_ERRATIC, &error);
  g_assert_no_error (error);
  const char *servers[] = { hs_test_bad_responder_get_server (erratic), NULL };
  HsClockProbeOptions o = { .servers = (char **) servers, .https_url = (char *) "",
                            .timeout_ms = TIMEOUT_MS };

  /* several measurements in a row: each sees another time */
  for (int i = 0; i < 4; i++)
    {
      Run run = { 0 };
      measure (&run, &o);
      assert_within_bound (&run, TIMEOUT_MS);
      assert_single_sample (&run, erratic);
      run_clear (&run);
    }
}

/* ---- the trust store takes forever to load ----
 *
 * The first TLS connection of a process parses the whole trust store; on a
 * starved CPU under ASan that once took seconds on the probe's own thread
 * (8.8 s for a 2 s bound). Here the CA file is a FIFO whose writer holds
 * back for HOLD_MS: loading it blocks for as long as the writer wants,
 * whatever the machine's speed, so the probe can only keep its bound if
 * no TLS set-up runs on the calling thread. */
#define HOLD_MS 6000

typedef struct {
  char     *path;
  gint      reader_seen;   /* atomic: someone opened the FIFO to read it */
  gint      release;       /* atomic: write and close now */
} StalledFile;

static gpointer
stalled_file_writer (gpointer data)
{
  StalledFile *sf = data;
  gint64 until = g_get_monotonic_time () + HOLD_MS * 1000;
  int fd = -1;

  /* O_NONBLOCK: opening fails (ENXIO) until a reader has the FIFO open. */
  while (fd < 0 && g_get_monotonic_time () < until && !g_atomic_int_get (&sf->release))
    {
      fd = open (sf->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (fd < 0)
        g_usleep (5000);
    }
  if (fd < 0)
    return NULL;
  g_atomic_int_set (&sf->reader_seen, 1);
  while (g_get_monotonic_time () < until && !g_atomic_int_get (&sf->release))
    g_usleep (5000);
  close (fd);   /* the reader sees an empty file */
  return NULL;
}

static void
test_trust_store_stalls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestBadResponder) blackhole = hs_test_bad_responder_start (HS_TEST_REPLY_SILENT, &error);
  g_assert_no_error (error);
  g_autofree char *dir = g_dir_make_tmp ("hs-fault-ca-XXXXXX", &error);
  g_assert_no_error (error);
  StalledFile sf = { g_build_filename (dir, "ca.pem", NULL), 0, 0 };
  g_assert_cmpint (mkfifo (sf.path, 0600), ==, 0);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/", hs_test_free_tcp_port ());
  const char *servers[] = { hs_test_bad_responder_get_server (blackhole), NULL };
  HsClockProbeOptions o = { .servers = (char **) servers, .https_url = url,
                            .https_ca_file = sf.path, .timeout_ms = TIMEOUT_MS };
  GThread *writer = g_thread_new ("stalled-ca", stalled_file_writer, &sf);
  Run run = { 0 };

  measure (&run, &o);
  g_atomic_int_set (&sf.release, 1);
  g_thread_join (writer);
  g_assert_true (g_atomic_int_get (&sf.reader_seen));   /* the stall really happened */
  assert_no_offset (&run);
  assert_within_bound (&run, TIMEOUT_MS);
  run_clear (&run);
  g_unlink (sf.path);
  g_rmdir (dir);
  g_free (sf.path);
}

/* ---- HTTPS server that accepts, starts its answer and stalls mid-handshake ---- */
typedef struct {
  GSocket      *listener;
  GCancellable *stop;
  gint          accepted;   /* atomic */
} StallServer;

static gpointer
stall_server_thread (gpointer data)
{
  StallServer *ss = data;
  /* A TLS handshake record header announcing 256 bytes of ServerHello,
   * and only its first two bytes. */
  static const guint8 partial[] = { 0x16, 0x03, 0x03, 0x01, 0x00, 0x02, 0x00 };
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      GSocket *client = g_socket_accept (ss->listener, ss->stop, &error);
      char hello[4096];

      if (client == NULL)
        break;
      g_atomic_int_inc (&ss->accepted);
      g_socket_set_timeout (client, 2);
      (void) g_socket_receive (client, hello, sizeof hello, ss->stop, NULL);
      (void) g_socket_send (client, (const char *) partial, sizeof partial, ss->stop, NULL);
      g_ptr_array_add (held, client);   /* open, silent, until the test ends */
    }
  return NULL;
}

static void
test_https_stalls_mid_handshake (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestBadResponder) blackhole = hs_test_bad_responder_start (HS_TEST_REPLY_SILENT, &error);
  g_assert_no_error (error);
  g_autofree char *url = NULL;
  StallServer ss = { hs_test_tcp_listener_new (&url), g_cancellable_new (), 0 };
  const char *servers[] = { hs_test_bad_responder_get_server (blackhole), NULL };
  HsClockProbeOptions o = { .servers = (char **) servers, .https_url = url,
                            .timeout_ms = TIMEOUT_MS };
  GThread *server = g_thread_new ("stall-server", stall_server_thread, &ss);
  Run run = { 0 };

  measure (&run, &o);
  g_cancellable_cancel (ss.stop);
  g_thread_join (server);
  g_assert_cmpint (g_atomic_int_get (&ss.accepted), >=, 1);
  assert_no_offset (&run);
  assert_within_bound (&run, TIMEOUT_MS);
  run_clear (&run);
  g_object_unref (ss.listener);
  g_object_unref (ss.stop);
}

/* ---- a resolver that never answers (a blackholed DNS server) ----
 *
 * Installed as GIO's default resolver, so both the SNTP names and the
 * HTTPS host go through it. Lookups end only when cancelled; a synchronous
 * lookup would block for 30 s, so one on the calling thread breaks the
 * bound. */
typedef struct { GResolver parent; } HsBlackholeResolver;
typedef struct { GResolverClass parent_class; } HsBlackholeResolverClass;

static GType hs_blackhole_resolver_get_type (void);
G_DEFINE_TYPE (HsBlackholeResolver, hs_blackhole_resolver, G_TYPE_RESOLVER)

static gint blackhole_lookups;   /* atomic */

static gboolean
blackhole_on_cancelled (GCancellable *cancellable, gpointer data)
{
  g_task_return_error_if_cancelled (G_TASK (data));
  return G_SOURCE_REMOVE;
}

static void
blackhole_lookup_async (GResolver *resolver, const char *hostname, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_atomic_int_inc (&blackhole_lookups);
  if (cancellable == NULL)
    {
      /* Nothing could ever end the wait: fail rather than leak. */
      g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                               "blackhole: lookup without a cancellable");
      return;
    }
  GSource *source = g_cancellable_source_new (cancellable);
  g_task_attach_source (task, source, (GSourceFunc) (GCallback) blackhole_on_cancelled);
  g_source_unref (source);
}

static void
blackhole_lookup_flags_async (GResolver *resolver, const char *hostname, GResolverNameLookupFlags flags,
                              GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  blackhole_lookup_async (resolver, hostname, cancellable, callback, user_data);
}

static GList *
blackhole_lookup_finish (GResolver *resolver, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
blackhole_lookup_sync (GResolver *resolver, const char *hostname, GCancellable *cancellable,
                       GError **error)
{
  gint64 until = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_atomic_int_inc (&blackhole_lookups);
  while (!g_cancellable_is_cancelled (cancellable) && g_get_monotonic_time () < until)
    g_usleep (10000);
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE, "blackhole: no answer");
  return NULL;
}

static GList *
blackhole_lookup_flags_sync (GResolver *resolver, const char *hostname, GResolverNameLookupFlags flags,
                             GCancellable *cancellable, GError **error)
{
  return blackhole_lookup_sync (resolver, hostname, cancellable, error);
}

static void
hs_blackhole_resolver_class_init (HsBlackholeResolverClass *klass)
{
  GResolverClass *rc = G_RESOLVER_CLASS (klass);

  rc->lookup_by_name = blackhole_lookup_sync;
  rc->lookup_by_name_async = blackhole_lookup_async;
  rc->lookup_by_name_finish = blackhole_lookup_finish;
  rc->lookup_by_name_with_flags = blackhole_lookup_flags_sync;
  rc->lookup_by_name_with_flags_async = blackhole_lookup_flags_async;
  rc->lookup_by_name_with_flags_finish = blackhole_lookup_finish;
}

static void
hs_blackhole_resolver_init (HsBlackholeResolver *self)
{
}

static void
test_dns_blackhole (void)
{
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GResolver) blackhole = g_object_new (hs_blackhole_resolver_get_type (), NULL);
  const char *servers[] = { "ntp.blackhole.test", "time.blackhole.test:123", NULL };
  HsClockProbeOptions o = { .servers = (char **) servers,
                            .https_url = (char *) "https://time.blackhole.test/",
                            .timeout_ms = TIMEOUT_MS };
  Run run = { 0 };

  g_atomic_int_set (&blackhole_lookups, 0);
  g_resolver_set_default (blackhole);
  measure (&run, &o);
  g_resolver_set_default (previous);
  /* both SNTP names, and the HTTPS host once the fallback started */
  g_assert_cmpint (g_atomic_int_get (&blackhole_lookups), >=, 3);
  assert_no_offset (&run);
  assert_within_bound (&run, TIMEOUT_MS);
  run_clear (&run);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fault/clock/dns-failure", test_dns_failure);
  g_test_add_func ("/fault/clock/all-dead", test_all_dead);
  g_test_add_func ("/fault/clock/udp-blocked-https-ok", test_udp_blocked_https_ok);
  g_test_add_func ("/fault/clock/https-mute", test_https_mute);
  g_test_add_func ("/fault/clock/late-answer", test_late_answer);
  g_test_add_func ("/fault/clock/slow-but-in-time", test_slow_but_in_time);
  g_test_add_func ("/fault/clock/erratic", test_erratic);
  g_test_add_func ("/fault/clock/trust-store-stalls", test_trust_store_stalls);
  g_test_add_func ("/fault/clock/https-stalls-mid-handshake", test_https_stalls_mid_handshake);
  g_test_add_func ("/fault/clock/dns-blackhole", test_dns_blackhole);
  return g_test_run ();
}
