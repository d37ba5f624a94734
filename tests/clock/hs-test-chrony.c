/* hs-test-chrony.c — chronyd as an NTP server on 127.0.0.1, its clock
 * shifted by libfaketime, never touching the system clock. */
#include "hs-test-servers-private.h"

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
  t1 = hs_test_ntp_now ();
  hs_test_put_u64 (packet + 40, t1);
  if (g_socket_send (socket, (const char *) packet, sizeof packet, NULL, NULL) != sizeof packet)
    return FALSE;
  n = g_socket_receive (socket, (char *) reply, sizeof reply, NULL, NULL);
  t4 = hs_test_ntp_now ();
  if (n < 48 || (reply[0] & 7) != 4 || reply[1] == 0 || reply[1] > 15 || (reply[0] >> 6) == 3
      || hs_test_get_u64 (reply + 24) != t1)
    return FALSE;
  *theta = (hs_test_ntp_diff (hs_test_get_u64 (reply + 32), t1) + hs_test_ntp_diff (hs_test_get_u64 (reply + 40), t4)) / 2;
  return TRUE;
}

/* ---- chronyd ---- */

struct _HsTestChrony {
  HsTestDaemon daemon;   /* first: the registry's view of it */
  char        *server;
  guint16      port;
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

  chronyd = hs_test_find_tool ("chronyd", error);
  if (chronyd == NULL)
    return NULL;

  chrony = g_new0 (HsTestChrony, 1);
  hs_test_registry_add (chrony, (GDestroyNotify) hs_test_chrony_stop, &chrony->daemon);
  chrony->daemon.dir = g_dir_make_tmp ("hs-chrony-XXXXXX", error);
  if (chrony->daemon.dir == NULL)
    return NULL;
  chrony->port = hs_test_free_udp_port ();
  chrony->server = g_strdup_printf ("127.0.0.1:%u", chrony->port);
  chrony->daemon.log = g_build_filename (chrony->daemon.dir, "chronyd.log", NULL);

  /* No refclocks, no pools: "local" makes it serve its own (faked) clock. */
  config = g_strdup_printf ("port %u\n"
                            "bindaddress 127.0.0.1\n"
                            "allow 127.0.0.1\n"
                            "local stratum 1\n"
                            "cmdport 0\n"
                            "bindcmdaddress %s/chronyd.sock\n"
                            "pidfile %s/chronyd.pid\n"
                            "driftfile %s/chronyd.drift\n",
                            chrony->port, chrony->daemon.dir, chrony->daemon.dir, chrony->daemon.dir);
  if (!hs_test_write_file (chrony->daemon.dir, "chrony.conf", config, &config_path, error))
    return NULL;

  launcher = hs_test_new_launcher (chrony->daemon.log);
  if (!hs_test_setup_faketime (launcher, faketime_offset, &shift, error))
    return NULL;
  /* -x: never touch the system clock; -d: foreground, log to stderr;
   * -u root: no privilege drop to a user CI may not have. */
  chrony->daemon.process = g_subprocess_launcher_spawn (launcher, error, chronyd, "-x", "-d",
                                                 "-u", "root", "-f", config_path, NULL);
  if (chrony->daemon.process == NULL)
    return NULL;

  until = g_get_monotonic_time () + START_TIMEOUT_USEC;
  while (!answered && g_get_monotonic_time () < until)
    {
      if (g_subprocess_get_identifier (chrony->daemon.process) == NULL)
        break;
      answered = sntp_query_once (chrony->port, &theta);
      if (!answered)
        g_usleep (50000);
    }
  if (!answered)
    {
      g_autofree char *tail = hs_test_read_log_tail (chrony->daemon.log);
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
  hs_test_registry_remove (chrony);
  hs_test_daemon_clear (&chrony->daemon);
  g_free (chrony->server);
  g_free (chrony);
}

