/* hs-test-nginx.c — nginx as an HTTPS server on 127.0.0.1 with a test CA
 * and a server certificate of the kind asked for, both made by openssl at
 * test time under libfaketime. */
#include "hs-test-servers-private.h"

/* ---- nginx ---- */

struct _HsTestNginx {
  HsTestDaemon daemon;   /* first: the registry's view of it */
  char        *url;
  char        *ca_file;
  guint16      port;
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

  if (!hs_test_write_file (dir, "server.ext",
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
    if (!hs_test_run_tool (argv, "-3y", error))
      return FALSE;
  }
  {
    const char *argv[] = {
      openssl, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1", NULL
    };
    if (!hs_test_run_tool (argv, NULL, error))
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
    if (!hs_test_run_tool (argv, leaf_shift, error))
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

  nginx_bin = hs_test_find_tool ("nginx", error);
  if (nginx_bin == NULL)
    return NULL;
  openssl = hs_test_find_tool ("openssl", error);
  if (openssl == NULL)
    return NULL;
  /* Certificates are made under faketime: fail early if it is missing. */
  {
    g_autofree char *lib = hs_test_find_libfaketime (error);
    if (lib == NULL)
      return NULL;
  }

  nginx = g_new0 (HsTestNginx, 1);
  hs_test_registry_add (nginx, (GDestroyNotify) hs_test_nginx_stop, &nginx->daemon);
  nginx->daemon.dir = g_dir_make_tmp ("hs-nginx-XXXXXX", error);
  if (nginx->daemon.dir == NULL)
    return NULL;
  nginx->port = hs_test_free_tcp_port ();
  nginx->url = g_strdup_printf ("https://127.0.0.1:%u/", nginx->port);
  nginx->ca_file = g_build_filename (nginx->daemon.dir, "ca.pem", NULL);
  nginx->daemon.log = g_build_filename (nginx->daemon.dir, "error.log", NULL);

  if (!make_certificates (openssl, nginx->daemon.dir, cert, error))
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
                            nginx->daemon.dir, nginx->port);
  if (!hs_test_write_file (nginx->daemon.dir, "nginx.conf", config, &config_path, error))
    return NULL;

  launcher = hs_test_new_launcher (nginx->daemon.log);
  if (!hs_test_setup_faketime (launcher, faketime_offset, &shift, error))
    return NULL;
  nginx->daemon.process = g_subprocess_launcher_spawn (launcher, error, nginx_bin, "-p", nginx->daemon.dir,
                                                "-e", nginx->daemon.log, "-c", config_path, NULL);
  if (nginx->daemon.process == NULL)
    return NULL;

  until = g_get_monotonic_time () + START_TIMEOUT_USEC;
  while (!ready && g_get_monotonic_time () < until)
    {
      if (g_subprocess_get_identifier (nginx->daemon.process) == NULL)
        break;
      ready = tcp_accepts (nginx->port);
      if (!ready)
        g_usleep (50000);
    }
  if (!ready)
    {
      g_autofree char *tail = hs_test_read_log_tail (nginx->daemon.log);
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
  hs_test_registry_remove (nginx);
  hs_test_daemon_clear (&nginx->daemon);
  g_free (nginx->url);
  g_free (nginx->ca_file);
  g_free (nginx);
}

