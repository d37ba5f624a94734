/* hs-test-servers.c — chronyd, nginx and a bad SNTP responder on 127.0.0.1. */
#include "hs-test-servers.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#ifdef HS_TEST_LINK_GNUTLS
#include <gnutls/gnutls.h>
#endif

#define NTP_UNIX_DELTA G_GINT64_CONSTANT (2208988800)
#define START_TIMEOUT_USEC (10 * G_USEC_PER_SEC)

G_DEFINE_QUARK (hs-test-servers-error-quark, hs_test_servers_error)

/* ---- registry: whatever is running is stopped at exit ---- */

typedef enum { KIND_CHRONY, KIND_NGINX, KIND_RESPONDER } ServerKind;

typedef struct {
  ServerKind kind;
  gpointer   server;
} Running;

static GMutex registry_lock;
static GArray *registry;   /* (element-type Running) */

static void abort_cleanup (int sig);

#ifdef HS_TEST_LINK_GNUTLS
/* GnuTLS as a start-up dependency of the test program, not only dlopen()ed
 * later with glib-networking: its thread-locals then live in static TLS.
 * clang 14's LeakSanitizer misreads dynamically allocated TLS blocks (it
 * takes ASan's chunk header for glibc's) and crashes at exit when a GIO
 * pool thread that ran a TLS handshake is still alive. */
static const char *
gnutls_linked_version (void)
{
  return gnutls_check_version (NULL);
}
#else
static const char *
gnutls_linked_version (void)
{
  return "not linked";
}
#endif

static void
registry_add (ServerKind kind, gpointer server)
{
  static gboolean atexit_done;
  Running r = { kind, server };

  g_mutex_lock (&registry_lock);
  if (registry == NULL)
    registry = g_array_new (FALSE, FALSE, sizeof (Running));
  g_array_append_val (registry, r);
  if (!atexit_done)
    {
      atexit_done = TRUE;
      g_debug ("GnuTLS at start-up: %s", gnutls_linked_version ());
      atexit (hs_test_servers_stop_all);
      /* A failed g_assert aborts: atexit and teardowns never run. */
      signal (SIGABRT, abort_cleanup);
    }
  g_mutex_unlock (&registry_lock);
}

static void
registry_remove (gpointer server)
{
  g_mutex_lock (&registry_lock);
  for (guint i = 0; registry != NULL && i < registry->len; i++)
    {
      if (g_array_index (registry, Running, i).server == server)
        {
          g_array_remove_index_fast (registry, i);
          break;
        }
    }
  g_mutex_unlock (&registry_lock);
}

void
hs_test_servers_stop_all (void)
{
  for (;;)
    {
      Running r;

      g_mutex_lock (&registry_lock);
      if (registry == NULL || registry->len == 0)
        {
          g_mutex_unlock (&registry_lock);
          return;
        }
      r = g_array_index (registry, Running, registry->len - 1);
      g_mutex_unlock (&registry_lock);

      switch (r.kind)
        {
        case KIND_CHRONY:
          hs_test_chrony_stop (r.server);
          break;
        case KIND_NGINX:
          hs_test_nginx_stop (r.server);
          break;
        case KIND_RESPONDER:
          hs_test_bad_responder_stop (r.server);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

/* ---- small utilities ---- */

gboolean
hs_test_parse_offset (const char *offset, gint64 *seconds)
{
  const char *p = offset;
  gint64 sign = 1, unit = 1;
  guint64 value;
  char *end = NULL;

  *seconds = 0;
  if (offset == NULL || *offset == '\0')
    return TRUE;
  if (*p == '+' || *p == '-')
    sign = *p++ == '-' ? -1 : 1;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  value = g_ascii_strtoull (p, &end, 10);
  switch (*end)
    {
    case '\0': case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'y': unit = 365 * 86400; break;
    default: return FALSE;
    }
  if (*end != '\0' && end[1] != '\0')
    return FALSE;
  *seconds = sign * (gint64) value * unit;
  return TRUE;
}

static guint16
free_port (GSocketType type)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, type, G_SOCKET_PROTOCOL_DEFAULT, NULL);
  g_assert_nonnull (socket);
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  g_assert_nonnull (bound);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

guint16
hs_test_free_udp_port (void)
{
  return free_port (G_SOCKET_TYPE_DATAGRAM);
}

guint16
hs_test_free_tcp_port (void)
{
  return free_port (G_SOCKET_TYPE_STREAM);
}

static char *
find_tool (const char *name, GError **error)
{
  static const char * const dirs[] = { "/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin" };
  char *path = g_find_program_in_path (name);

  for (gsize i = 0; path == NULL && i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *candidate = g_build_filename (dirs[i], name, NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
        path = g_steal_pointer (&candidate);
    }
  if (path == NULL)
    g_set_error (error, HS_TEST_SERVERS_ERROR, HS_TEST_SERVERS_ERROR_MISSING_TOOL,
                 "%s not found: this test needs it (Debian: apt-get install chrony nginx-light "
                 "faketime openssl)", name);
  return path;
}

static char *
find_libfaketime (GError **error)
{
  static const char * const roots[] = { "/usr/lib", "/usr/lib64", "/usr/local/lib", "/lib" };
  const char *env = g_getenv ("HS_LIBFAKETIME");

  if (env != NULL && g_file_test (env, G_FILE_TEST_EXISTS))
    return g_strdup (env);
  for (gsize i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      g_autofree char *direct = g_build_filename (roots[i], "faketime", "libfaketime.so.1", NULL);
      g_autoptr(GDir) dir = NULL;
      const char *name;

      if (g_file_test (direct, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&direct);
      dir = g_dir_open (roots[i], 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *multiarch = g_build_filename (roots[i], name, "faketime",
                                                         "libfaketime.so.1", NULL);

          if (g_file_test (multiarch, G_FILE_TEST_EXISTS))
            return g_steal_pointer (&multiarch);
        }
    }
  g_set_error (error, HS_TEST_SERVERS_ERROR, HS_TEST_SERVERS_ERROR_MISSING_TOOL,
               "libfaketime.so.1 not found: this test needs it (Debian: apt-get install "
               "faketime; or set HS_LIBFAKETIME)");
  return NULL;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
child_dies_with_parent (gpointer data)
{
  /* Runs between fork and exec: an aborted test must not leak servers. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Adds LD_PRELOAD=libfaketime with a relative offset to @launcher. */
static gboolean
setup_faketime (GSubprocessLauncher *launcher, const char *offset, gint64 *seconds, GError **error)
{
  g_autofree char *lib = NULL;
  g_autofree char *value = NULL;

  if (!hs_test_parse_offset (offset, seconds))
    {
      g_set_error (error, HS_TEST_SERVERS_ERROR, HS_TEST_SERVERS_ERROR_FAILED,
                   "invalid faketime offset “%s” (expected e.g. -5m, +2h, -300)", offset);
      return FALSE;
    }
  if (*seconds == 0)
    return TRUE;
  lib = find_libfaketime (error);
  if (lib == NULL)
    return FALSE;
  value = g_strdup_printf ("%+" G_GINT64_FORMAT, *seconds);
  g_subprocess_launcher_setenv (launcher, "LD_PRELOAD", lib, TRUE);
  g_subprocess_launcher_setenv (launcher, "FAKETIME", value, TRUE);
  g_subprocess_launcher_setenv (launcher, "FAKETIME_DONT_FAKE_MONOTONIC", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "FAKETIME_DONT_RESET", "1", TRUE);
  return TRUE;
}

static GSubprocessLauncher *
new_launcher (const char *log_path)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);

  g_subprocess_launcher_set_child_setup (launcher, child_dies_with_parent, NULL, NULL);
  if (log_path != NULL)
    {
      g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
      g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
    }
  return launcher;
}

static char *
read_log_tail (const char *path)
{
  g_autofree char *text = NULL;
  gsize len = 0;

  if (path == NULL || !g_file_get_contents (path, &text, &len, NULL))
    return g_strdup ("(no log)");
  if (len > 1500)
    return g_strdup (text + len - 1500);
  return g_steal_pointer (&text);
}

static void
stop_process (GSubprocess **process)
{
  if (*process == NULL)
    return;
  if (g_subprocess_get_identifier (*process) != NULL)
    {
      gint64 until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

      g_subprocess_send_signal (*process, SIGTERM);
      while (g_subprocess_get_identifier (*process) != NULL && g_get_monotonic_time () < until)
        g_usleep (10000);
      if (g_subprocess_get_identifier (*process) != NULL)
        g_subprocess_force_exit (*process);
      g_subprocess_wait (*process, NULL, NULL);
    }
  g_clear_object (process);
}

/* Runs a tool to completion under an optional faketime offset. */
static gboolean
run_tool (const char * const *argv, const char *faketime_offset, GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *output = NULL;
  gint64 seconds;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_child_setup (launcher, child_dies_with_parent, NULL, NULL);
  if (!setup_faketime (launcher, faketime_offset, &seconds, error))
    return FALSE;
  process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (process == NULL)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, error))
    return FALSE;
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_set_error (error, HS_TEST_SERVERS_ERROR, HS_TEST_SERVERS_ERROR_FAILED,
                   "%s failed: %s", argv[0], output ? output : "");
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_file (const char *dir, const char *name, const char *contents, char **path_out,
            GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (!g_file_set_contents (path, contents, -1, error))
    return FALSE;
  if (path_out)
    *path_out = g_steal_pointer (&path);
  return TRUE;
}

/* ---- raw SNTP, kept independent of libhandshake ---- */

static guint64
ntp_now (void)
{
  gint64 usec = g_get_real_time ();
  guint64 secs = (guint64) (usec / G_USEC_PER_SEC + NTP_UNIX_DELTA);
  guint64 frac = ((guint64) (usec % G_USEC_PER_SEC) << 32) / G_USEC_PER_SEC;

  return ((secs & 0xffffffffu) << 32) | frac;
}

static guint64
get_u64 (const guint8 *p)
{
  guint64 v = 0;

  for (int i = 0; i < 8; i++)
    v = (v << 8) | p[i];
  return v;
}

static void
put_u64 (guint8 *p, guint64 v)
{
  for (int i = 7; i >= 0; i--, v >>= 8)
    p[i] = v & 0xff;
}

static double
ntp_diff (guint64 a, guint64 b)
{
  return (double) (gint64) (a - b) / 4294967296.0;
}

/* One SNTP exchange; *theta is the server's offset from us (server − local). */
static gboolean
sntp_query_once (guint16 port, double *theta)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) remote = g_inet_socket_address_new (loopback, port);
  guint8 packet[48] = { 0x23 };
  guint8 reply[128];
  guint64 t1, t4;
  gssize n;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  if (socket == NULL || !g_socket_connect (socket, remote, NULL, NULL))
    return FALSE;
  g_socket_set_timeout (socket, 1);
  t1 = ntp_now ();
  put_u64 (packet + 40, t1);
  if (g_socket_send (socket, (const char *) packet, sizeof packet, NULL, NULL) != sizeof packet)
    return FALSE;
  n = g_socket_receive (socket, (char *) reply, sizeof reply, NULL, NULL);
  t4 = ntp_now ();
  if (n < 48 || (reply[0] & 7) != 4 || reply[1] == 0 || reply[1] > 15 || (reply[0] >> 6) == 3
      || get_u64 (reply + 24) != t1)
    return FALSE;
  *theta = (ntp_diff (get_u64 (reply + 32), t1) + ntp_diff (get_u64 (reply + 40), t4)) / 2;
  return TRUE;
}

/* ---- chronyd ---- */

struct _HsTestChrony {
  char        *dir;
  char        *log;
  char        *server;
  guint16      port;
  GSubprocess *process;
};

HsTestChrony *
hs_test_chrony_start (const char *faketime_offset, GError **error)
{
  g_autoptr(HsTestChrony) chrony = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *chronyd = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  gint64 shift, until;
  double theta = 0;
  gboolean answered = FALSE;

  chronyd = find_tool ("chronyd", error);
  if (chronyd == NULL)
    return NULL;

  chrony = g_new0 (HsTestChrony, 1);
  registry_add (KIND_CHRONY, chrony);
  chrony->dir = g_dir_make_tmp ("hs-chrony-XXXXXX", error);
  if (chrony->dir == NULL)
    return NULL;
  chrony->port = hs_test_free_udp_port ();
  chrony->server = g_strdup_printf ("127.0.0.1:%u", chrony->port);
  chrony->log = g_build_filename (chrony->dir, "chronyd.log", NULL);

  /* No refclocks, no pools: "local" makes it serve its own (faked) clock. */
  config = g_strdup_printf ("port %u\n"
                            "bindaddress 127.0.0.1\n"
                            "allow 127.0.0.1\n"
                            "local stratum 1\n"
                            "cmdport 0\n"
                            "bindcmdaddress %s/chronyd.sock\n"
                            "pidfile %s/chronyd.pid\n"
                            "driftfile %s/chronyd.drift\n",
                            chrony->port, chrony->dir, chrony->dir, chrony->dir);
  if (!write_file (chrony->dir, "chrony.conf", config, &config_path, error))
    return NULL;

  launcher = new_launcher (chrony->log);
  if (!setup_faketime (launcher, faketime_offset, &shift, error))
    return NULL;
  /* -x: never touch the system clock; -d: foreground, log to stderr;
   * -u root: no privilege drop to a user CI may not have. */
  chrony->process = g_subprocess_launcher_spawn (launcher, error, chronyd, "-x", "-d",
                                                 "-u", "root", "-f", config_path, NULL);
  if (chrony->process == NULL)
    return NULL;

  until = g_get_monotonic_time () + START_TIMEOUT_USEC;
  while (!answered && g_get_monotonic_time () < until)
    {
      if (g_subprocess_get_identifier (chrony->process) == NULL)
        break;
      answered = sntp_query_once (chrony->port, &theta);
      if (!answered)
        g_usleep (50000);
    }
  if (!answered)
    {
      g_autofree char *tail = read_log_tail (chrony->log);
      g_set_error (error, HS_TEST_SERVERS_ERROR, HS_TEST_SERVERS_ERROR_FAILED,
                   "chronyd on %s did not answer SNTP: %s", chrony->server, tail);
      return NULL;
    }
  if (ABS (theta - (double) shift) > 2.0)
    {
      g_set_error (error, HS_TEST_SERVERS_ERROR, HS_TEST_SERVERS_ERROR_FAILED,
                   "chronyd answers %+.3f s from our clock, expected %+" G_GINT64_FORMAT
                   " s: libfaketime is not effective", theta, shift);
      return NULL;
    }
  return g_steal_pointer (&chrony);
}

guint16
hs_test_chrony_get_port (HsTestChrony *chrony)
{
  return chrony->port;
}

const char *
hs_test_chrony_get_server (HsTestChrony *chrony)
{
  return chrony->server;
}

void
hs_test_chrony_stop (HsTestChrony *chrony)
{
  if (chrony == NULL)
    return;
  registry_remove (chrony);
  stop_process (&chrony->process);
  rm_rf (chrony->dir);
  g_free (chrony->dir);
  g_free (chrony->log);
  g_free (chrony->server);
  g_free (chrony);
}

/* ---- nginx ---- */

struct _HsTestNginx {
  char        *dir;
  char        *log;
  char        *url;
  char        *ca_file;
  guint16      port;
  GSubprocess *process;
};

static gboolean
make_certificates (const char *openssl, const char *dir, HsTestCertKind kind, GError **error)
{
  g_autofree char *ca_key = g_build_filename (dir, "ca.key", NULL);
  g_autofree char *ca_pem = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "server.key", NULL);
  g_autofree char *csr = g_build_filename (dir, "server.csr", NULL);
  g_autofree char *pem = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *ext = NULL;
  const char *leaf_shift = NULL;
  const char *leaf_days = "30";

  if (!write_file (dir, "server.ext",
                   "basicConstraints = CA:FALSE\n"
                   "keyUsage = digitalSignature, keyEncipherment\n"
                   "extendedKeyUsage = serverAuth\n"
                   "subjectAltName = IP:127.0.0.1, DNS:localhost\n",
                   &ext, error))
    return FALSE;

  /* The CA spans the leaf's validity in every case, so only the leaf's
   * own dates can be wrong. */
  {
    const char *argv[] = {
      openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-keyout", ca_key, "-out", ca_pem, "-days", "3650", "-subj",
      "/CN=Handshake Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
      "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL
    };
    if (!run_tool (argv, "-3y", error))
      return FALSE;
  }
  {
    const char *argv[] = {
      openssl, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1", NULL
    };
    if (!run_tool (argv, NULL, error))
      return FALSE;
  }
  switch (kind)
    {
    case HS_TEST_CERT_VALID:
      leaf_shift = "-1d";
      break;
    case HS_TEST_CERT_EXPIRED:
      leaf_shift = "-2y";
      break;
    case HS_TEST_CERT_NOT_YET_VALID:
      leaf_shift = "+2y";
      break;
    default:
      g_assert_not_reached ();
    }
  {
    const char *argv[] = {
      openssl, "x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key,
      "-CAcreateserial", "-out", pem, "-days", leaf_days, "-extfile", ext, NULL
    };
    if (!run_tool (argv, leaf_shift, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
tcp_accepts (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_timeout (client, 1);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return connection != NULL;
}

HsTestNginx *
hs_test_nginx_start (const char *faketime_offset, HsTestCertKind cert, GError **error)
{
  g_autoptr(HsTestNginx) nginx = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *nginx_bin = NULL;
  g_autofree char *openssl = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  gint64 shift, until;
  gboolean ready = FALSE;

  nginx_bin = find_tool ("nginx", error);
  if (nginx_bin == NULL)
    return NULL;
  openssl = find_tool ("openssl", error);
  if (openssl == NULL)
    return NULL;
  /* Certificates are made under faketime: fail early if it is missing. */
  {
    g_autofree char *lib = find_libfaketime (error);
    if (lib == NULL)
      return NULL;
  }

  nginx = g_new0 (HsTestNginx, 1);
  registry_add (KIND_NGINX, nginx);
  nginx->dir = g_dir_make_tmp ("hs-nginx-XXXXXX", error);
  if (nginx->dir == NULL)
    return NULL;
  nginx->port = hs_test_free_tcp_port ();
  nginx->url = g_strdup_printf ("https://127.0.0.1:%u/", nginx->port);
  nginx->ca_file = g_build_filename (nginx->dir, "ca.pem", NULL);
  nginx->log = g_build_filename (nginx->dir, "error.log", NULL);

  if (!make_certificates (openssl, nginx->dir, cert, error))
    return NULL;

  config = g_strdup_printf ("daemon off;\n"
                            "master_process off;\n"
                            "worker_processes 1;\n"
                            "pid %1$s/nginx.pid;\n"
                            "error_log %1$s/error.log warn;\n"
                            "events { worker_connections 64; }\n"
                            "http {\n"
                            "  access_log off;\n"
                            "  client_body_temp_path %1$s/client_body;\n"
                            "  proxy_temp_path %1$s/proxy;\n"
                            "  fastcgi_temp_path %1$s/fastcgi;\n"
                            "  uwsgi_temp_path %1$s/uwsgi;\n"
                            "  scgi_temp_path %1$s/scgi;\n"
                            "  server {\n"
                            "    listen 127.0.0.1:%2$u ssl;\n"
                            "    server_name localhost;\n"
                            "    ssl_certificate %1$s/server.pem;\n"
                            "    ssl_certificate_key %1$s/server.key;\n"
                            "    location / { return 200 \"handshake test\\n\"; }\n"
                            "  }\n"
                            "}\n",
                            nginx->dir, nginx->port);
  if (!write_file (nginx->dir, "nginx.conf", config, &config_path, error))
    return NULL;

  launcher = new_launcher (nginx->log);
  if (!setup_faketime (launcher, faketime_offset, &shift, error))
    return NULL;
  nginx->process = g_subprocess_launcher_spawn (launcher, error, nginx_bin, "-p", nginx->dir,
                                                "-e", nginx->log, "-c", config_path, NULL);
  if (nginx->process == NULL)
    return NULL;

  until = g_get_monotonic_time () + START_TIMEOUT_USEC;
  while (!ready && g_get_monotonic_time () < until)
    {
      if (g_subprocess_get_identifier (nginx->process) == NULL)
        break;
      ready = tcp_accepts (nginx->port);
      if (!ready)
        g_usleep (50000);
    }
  if (!ready)
    {
      g_autofree char *tail = read_log_tail (nginx->log);
      g_set_error (error, HS_TEST_SERVERS_ERROR, HS_TEST_SERVERS_ERROR_FAILED,
                   "nginx on %s did not start: %s", nginx->url, tail);
      return NULL;
    }
  return g_steal_pointer (&nginx);
}

const char *
hs_test_nginx_get_url (HsTestNginx *nginx)
{
  return nginx->url;
}

const char *
hs_test_nginx_get_ca_file (HsTestNginx *nginx)
{
  return nginx->ca_file;
}

guint16
hs_test_nginx_get_port (HsTestNginx *nginx)
{
  return nginx->port;
}

void
hs_test_nginx_stop (HsTestNginx *nginx)
{
  if (nginx == NULL)
    return;
  registry_remove (nginx);
  stop_process (&nginx->process);
  rm_rf (nginx->dir);
  g_free (nginx->dir);
  g_free (nginx->log);
  g_free (nginx->url);
  g_free (nginx->ca_file);
  g_free (nginx);
}

/* Not async-signal-safe, but the process is dying from an assertion anyway:
 * leave no server and no temporary directory behind. */
static void
abort_cleanup (int sig)
{
  signal (SIGABRT, SIG_DFL);
  for (guint i = 0; registry != NULL && i < registry->len; i++)
    {
      Running *r = &g_array_index (registry, Running, i);
      GSubprocess *process = NULL;
      const char *dir = NULL;

      if (r->kind == KIND_CHRONY)
        process = ((HsTestChrony *) r->server)->process, dir = ((HsTestChrony *) r->server)->dir;
      else if (r->kind == KIND_NGINX)
        process = ((HsTestNginx *) r->server)->process, dir = ((HsTestNginx *) r->server)->dir;
      if (process != NULL && g_subprocess_get_identifier (process) != NULL)
        kill ((pid_t) g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10), SIGKILL);
      rm_rf (dir);
    }
  raise (SIGABRT);
}

/* ---- bad responder ---- */

struct _HsTestBadResponder {
  HsTestReplyKind kind;
  GSocket        *socket;
  GCancellable   *cancellable;
  GThread        *thread;
  char           *server;
  guint16         port;
  gint            count;   /* atomic */
  gint            delay_ms;   /* atomic; HS_TEST_REPLY_DELAYED */
};

double
hs_test_erratic_shift (guint n)
{
  /* -10 min, +1 h 10 min, -2 h 10 min, +3 h 10 min, -4 h 10 min, +10 min, … */
  double s = 600.0 + 3600.0 * (n % 5);
  return (n % 2) ? s : -s;
}

void
hs_test_bad_responder_set_delay_ms (HsTestBadResponder *responder, guint ms)
{
  g_atomic_int_set (&responder->delay_ms, (gint) ms);
}

static gssize
craft_reply (HsTestReplyKind kind, const guint8 *request, guint8 *reply, guint n)
{
  guint64 now = ntp_now ();
  if (kind == HS_TEST_REPLY_ERRATIC)
    now += (guint64) (gint64) (hs_test_erratic_shift (n) * 4294967296.0);
  guint8 leap = 0, mode = 4, stratum = 1;
  const char *refid = "LOCL";
  guint64 originate = get_u64 (request + 40);
  guint64 transmit = now;

  switch (kind)
    {
    case HS_TEST_REPLY_SPOOFED:
      originate ^= G_GUINT64_CONSTANT (0x0000123400005678);
      break;
    case HS_TEST_REPLY_UNSYNCHRONISED:
      leap = 3;
      break;
    case HS_TEST_REPLY_KOD_RATE:
      stratum = 0, leap = 3, refid = "RATE";
      break;
    case HS_TEST_REPLY_KOD_DENY:
      stratum = 0, leap = 3, refid = "DENY";
      break;
    case HS_TEST_REPLY_KOD_RSTR:
      stratum = 0, leap = 3, refid = "RSTR";
      break;
    case HS_TEST_REPLY_MODE_CLIENT:
      mode = 3;
      break;
    case HS_TEST_REPLY_MODE_BROADCAST:
      mode = 5;
      break;
    case HS_TEST_REPLY_ZERO_TRANSMIT:
      transmit = 0;
      break;
    case HS_TEST_REPLY_BAD_STRATUM:
      stratum = 16;
      break;
    default:
      break;
    }

  memset (reply, 0, 48);
  reply[0] = (guint8) ((leap << 6) | (4 << 3) | mode);
  reply[1] = stratum;
  reply[2] = 4;                    /* poll */
  reply[3] = (guint8) -20;         /* precision ≈ 1 µs */
  reply[11] = 0x10;                /* root dispersion ≈ 0.24 ms */
  memcpy (reply + 12, refid, 4);
  put_u64 (reply + 16, now);       /* reference */
  put_u64 (reply + 24, originate);
  put_u64 (reply + 32, now);       /* receive */
  put_u64 (reply + 40, transmit);
  return kind == HS_TEST_REPLY_TRUNCATED ? 20 : 48;
}

static gpointer
responder_thread (gpointer data)
{
  HsTestBadResponder *r = data;

  for (;;)
    {
      g_autoptr(GSocketAddress) from = NULL;
      g_autoptr(GError) error = NULL;
      guint8 request[512], reply[48];
      gssize n, len;

      n = g_socket_receive_from (r->socket, &from, (char *) request, sizeof request,
                                 r->cancellable, &error);
      if (n < 0)
        {
          if (g_cancellable_is_cancelled (r->cancellable))
            break;
          continue;
        }
      guint index = (guint) g_atomic_int_add (&r->count, 1);
      if (n < 48 || r->kind == HS_TEST_REPLY_SILENT)
        continue;
      if (r->kind == HS_TEST_REPLY_DELAYED)
        {
          /* hold the reply, but stop promptly when the responder stops */
          for (gint waited = 0; waited < g_atomic_int_get (&r->delay_ms); waited += 10)
            {
              if (g_cancellable_is_cancelled (r->cancellable))
                return NULL;
              g_usleep (10 * 1000);
            }
        }
      len = craft_reply (r->kind, request, reply, index);
      g_socket_send_to (r->socket, from, (const char *) reply, len, NULL, NULL);
    }
  return NULL;
}

HsTestBadResponder *
hs_test_bad_responder_start (HsTestReplyKind kind, GError **error)
{
  g_autoptr(HsTestBadResponder) r = g_new0 (HsTestBadResponder, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  r->kind = kind;
  r->delay_ms = 5000;
  r->cancellable = g_cancellable_new ();
  r->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
                            error);
  if (r->socket == NULL || !g_socket_bind (r->socket, any, FALSE, error))
    return NULL;
  bound = g_socket_get_local_address (r->socket, error);
  if (bound == NULL)
    return NULL;
  r->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  r->server = g_strdup_printf ("127.0.0.1:%u", r->port);
  r->thread = g_thread_new ("hs-bad-responder", responder_thread, r);
  registry_add (KIND_RESPONDER, r);
  return g_steal_pointer (&r);
}

guint16
hs_test_bad_responder_get_port (HsTestBadResponder *responder)
{
  return responder->port;
}

const char *
hs_test_bad_responder_get_server (HsTestBadResponder *responder)
{
  return responder->server;
}

guint
hs_test_bad_responder_get_count (HsTestBadResponder *responder)
{
  return (guint) g_atomic_int_get (&responder->count);
}

void
hs_test_bad_responder_stop (HsTestBadResponder *responder)
{
  if (responder == NULL)
    return;
  registry_remove (responder);
  g_cancellable_cancel (responder->cancellable);
  if (responder->thread != NULL)
    g_thread_join (responder->thread);
  if (responder->socket != NULL)
    g_socket_close (responder->socket, NULL);
  g_clear_object (&responder->socket);
  g_clear_object (&responder->cancellable);
  g_free (responder->server);
  g_free (responder);
}
