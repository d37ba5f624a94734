/* hs-test-servers.c — what the test servers share: the registry that
 * stops them at exit, child processes under libfaketime, tools and files,
 * and raw SNTP. The servers themselves: hs-test-chrony.c, hs-test-nginx.c,
 * hs-test-responder.c. */
#include "hs-test-servers-private.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#ifdef HS_TEST_LINK_GNUTLS
#include <gnutls/gnutls.h>
#endif

#define NTP_UNIX_DELTA G_GINT64_CONSTANT (2208988800)

G_DEFINE_QUARK (hs-test-servers-error-quark, hs_test_servers_error)

/* ---- registry: whatever is running is stopped at exit ---- */

typedef struct {
  gpointer        server;
  GDestroyNotify  stop;
  HsTestDaemon   *daemon;   /* (nullable) */
} Running;

static GMutex registry_lock;
static GArray *registry;   /* (element-type Running) */

static void rm_rf (const char *path);

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

/* Not async-signal-safe, but the process is dying from an assertion anyway:
 * leave no server and no temporary directory behind. */
static void
abort_cleanup (int sig)
{
  signal (SIGABRT, SIG_DFL);
  for (guint i = 0; registry != NULL && i < registry->len; i++)
    {
      HsTestDaemon *daemon = g_array_index (registry, Running, i).daemon;

      if (daemon == NULL)
        continue;
      if (daemon->process != NULL && g_subprocess_get_identifier (daemon->process) != NULL)
        kill ((pid_t) g_ascii_strtoll (g_subprocess_get_identifier (daemon->process), NULL, 10), SIGKILL);
      rm_rf (daemon->dir);
    }
  raise (SIGABRT);
}

void
hs_test_registry_add (gpointer server, GDestroyNotify stop, HsTestDaemon *daemon)
{
  static gboolean atexit_done;
  Running r = { server, stop, daemon };

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

void
hs_test_registry_remove (gpointer server)
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
      r.stop (r.server);   /* removes it from the registry */
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

GSocket *
hs_test_tcp_listener_new (char **url_out)
{
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (listener, any, TRUE, NULL) && g_socket_listen (listener, NULL));
  bound = g_socket_get_local_address (listener, NULL);
  *url_out = g_strdup_printf ("https://127.0.0.1:%u/",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  return g_steal_pointer (&listener);
}

char *
hs_test_find_tool (const char *name, GError **error)
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

char *
hs_test_find_libfaketime (GError **error)
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
gboolean
hs_test_setup_faketime (GSubprocessLauncher *launcher, const char *offset, gint64 *seconds, GError **error)
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
  lib = hs_test_find_libfaketime (error);
  if (lib == NULL)
    return FALSE;
  value = g_strdup_printf ("%+" G_GINT64_FORMAT, *seconds);
  g_subprocess_launcher_setenv (launcher, "LD_PRELOAD", lib, TRUE);
  g_subprocess_launcher_setenv (launcher, "FAKETIME", value, TRUE);
  g_subprocess_launcher_setenv (launcher, "FAKETIME_DONT_FAKE_MONOTONIC", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "FAKETIME_DONT_RESET", "1", TRUE);
  return TRUE;
}

GSubprocessLauncher *
hs_test_new_launcher (const char *log_path)
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

char *
hs_test_read_log_tail (const char *path)
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

void
hs_test_daemon_clear (HsTestDaemon *daemon)
{
  stop_process (&daemon->process);
  rm_rf (daemon->dir);
  g_clear_pointer (&daemon->dir, g_free);
  g_clear_pointer (&daemon->log, g_free);
}

/* Runs a tool to completion under an optional faketime offset. */
gboolean
hs_test_run_tool (const char * const *argv, const char *faketime_offset, GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *output = NULL;
  gint64 seconds;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_child_setup (launcher, child_dies_with_parent, NULL, NULL);
  if (!hs_test_setup_faketime (launcher, faketime_offset, &seconds, error))
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

gboolean
hs_test_write_file (const char *dir, const char *name, const char *contents, char **path_out,
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

guint64
hs_test_ntp_now (void)
{
  gint64 usec = g_get_real_time ();
  guint64 secs = (guint64) (usec / G_USEC_PER_SEC + NTP_UNIX_DELTA);
  guint64 frac = ((guint64) (usec % G_USEC_PER_SEC) << 32) / G_USEC_PER_SEC;

  return ((secs & 0xffffffffu) << 32) | frac;
}

guint64
hs_test_get_u64 (const guint8 *p)
{
  guint64 v = 0;

  for (int i = 0; i < 8; i++)
    v = (v << 8) | p[i];
  return v;
}

void
hs_test_put_u64 (guint8 *p, guint64 v)
{
  for (int i = 7; i >= 0; i--, v >>= 8)
    p[i] = v & 0xff;
}

double
hs_test_ntp_diff (guint64 a, guint64 b)
{
  return (double) (gint64) (a - b) / 4294967296.0;
}

