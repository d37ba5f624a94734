/* hs-net-probe-gio.c — one endpoint measured with GIO, off Windows
 * (hs-net-probe.h).
 *
 * The stages run one after the other on the worker thread, each an
 * asynchronous GIO call driven by a private main context: the deadline
 * (a timeout source in that context) and the caller's Cancel both cancel
 * one GCancellable, and every call honours it at once. So a stage that is
 * still waiting at the deadline ends there, and is reported as the stage
 * that timed out.
 *
 *   proxy    GProxyResolver: the system's (libproxy: the environment and PAC;
 *            GNOME: the desktop's settings). When GIO has no resolver but the
 *            dummy one, the https_proxy/all_proxy/no_proxy environment
 *            variables, as libproxy would read them.
 *   dns      GResolver, for the proxy's name when there is a proxy (the proxy
 *            resolves the server's), else for the server's.
 *   connect  TCP to each address in turn until one answers.
 *   tunnel   HTTP CONNECT to an http:// proxy (written here, to report the
 *            proxy's own status line); GProxy for other kinds (socks).
 *   tls      GTlsClientConnection against the system's GTlsDatabase (or the
 *            given CA file), then the root the chain ends at: looked up in
 *            that database and compared with the public roots
 *            (hs-net-roots.h; the chain helpers: hs-net-chain.h).
 */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-net-chain.h"
#include "hs-net-probe.h"
#include "hs-net-roots.h"

#define MAX_PROXY_HEADER 16384

typedef struct {
  GMainContext    *context;      /* (owned) the worker's */
  GCancellable    *cancellable;  /* (owned) cancelled at the deadline or by the caller */
  gboolean         deadline_hit;
  GAsyncResult    *result;       /* (owned) (nullable) the last call's */
  HsNetStageFunc   on_stage;
  gpointer         stage_data;
  HsNetFacts      *f;
  const HsNetCheckOptions *options;
  gint64           started;
  gint64           stage_started;
  guint            timeout_ms;
  /* what the later stages need */
  char            *host;         /* the server's */
  guint16          port;
  char            *proxy_uri;    /* (nullable) */
  GSocketConnection *connection; /* (owned) (nullable) */
  GTlsCertificate *rejected;     /* (owned) (nullable) from accept-certificate */
  GTlsCertificateFlags rejected_errors;
} Probe;

/* ---- driving one asynchronous call at a time ---- */

static void
got_result (GObject *source, GAsyncResult *result, gpointer data)
{
  Probe *p = data;

  p->result = g_object_ref (result);
}

/* Waits for the call started with got_result; (transfer full). */
static GAsyncResult *
await (Probe *p)
{
  while (p->result == NULL)
    g_main_context_iteration (p->context, TRUE);
  return g_steal_pointer (&p->result);
}

static gboolean
on_deadline (gpointer data)
{
  Probe *p = data;

  p->deadline_hit = TRUE;
  g_cancellable_cancel (p->cancellable);
  return G_SOURCE_REMOVE;
}

static gint32
ms_since (gint64 since)
{
  return (gint32) ((g_get_monotonic_time () - since) / 1000);
}

static void
stage_begin (Probe *p, HsNetStage stage)
{
  p->f->stage = stage;
  p->stage_started = g_get_monotonic_time ();
  if (p->on_stage != NULL)
    p->on_stage (stage, p->stage_data);
}

/* Records why the probe stops. A cancelled call is a timeout when the
 * deadline cancelled it; the stage is the one that was running. */
static gboolean
fail (Probe *p, HsNetFailure kind, const GError *error, const char *fmt, ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (Probe *p, HsNetFailure kind, const GError *error, const char *fmt, ...)
{
  g_autofree char *what = NULL;
  va_list ap;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || p->deadline_hit)
    {
      if (p->deadline_hit)
        {
          p->f->failure = HS_NET_FAIL_TIMEOUT;
          g_snprintf (p->f->detail, sizeof p->f->detail, "no answer within %u ms (%s)",
                      p->timeout_ms, hs_net_stage_name (p->f->stage));
        }
      else
        {
          p->f->failure = HS_NET_FAIL_CANCELLED;
          g_strlcpy (p->f->detail, "cancelled", sizeof p->f->detail);
        }
      return FALSE;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    kind = HS_NET_FAIL_TIMEOUT;
  va_start (ap, fmt);
  what = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  p->f->failure = kind;
  g_snprintf (p->f->detail, sizeof p->f->detail, "%s%s%s", what, error ? ": " : "",
              error ? error->message : "");
  return FALSE;
}

/* ---- proxy ---- */

/* The environment, when GIO has no real resolver. */
static GProxyResolver *
environment_resolver (void)
{
  const char *names[] = { "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" };
  const char *proxy = NULL, *no_proxy;
  g_auto(GStrv) ignore = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (names) && (proxy == NULL || *proxy == '\0'); i++)
    proxy = g_getenv (names[i]);
  no_proxy = g_getenv ("no_proxy") ? g_getenv ("no_proxy") : g_getenv ("NO_PROXY");
  if (no_proxy != NULL)
    {
      ignore = g_strsplit (no_proxy, ",", -1);
      for (char **s = ignore; *s != NULL; s++)
        g_strstrip (*s);
    }
  return g_simple_proxy_resolver_new (proxy != NULL && *proxy ? proxy : NULL, ignore);
}

static GProxyResolver *
pick_resolver (Probe *p)
{
  GProxyResolver *def;
  const char *type;

  if (p->options->proxy_resolver != NULL)
    {
      g_strlcpy (p->f->proxy_source, "given", sizeof p->f->proxy_source);
      return g_object_ref (p->options->proxy_resolver);
    }
  def = g_proxy_resolver_get_default ();
  type = G_OBJECT_TYPE_NAME (def);
  if (g_strcmp0 (type, "GDummyProxyResolver") == 0)
    {
      g_strlcpy (p->f->proxy_source, "environment", sizeof p->f->proxy_source);
      return environment_resolver ();
    }
  g_strlcpy (p->f->proxy_source,
             g_strcmp0 (type, "GProxyResolverGnome") == 0 ? "GNOME settings"
             : g_strcmp0 (type, "GLibproxyResolver") == 0 ? "libproxy (environment, PAC)" : type,
             sizeof p->f->proxy_source);
  return g_object_ref (def);
}

/* The proxy as reported: no user name or password, ever. */
static void
record_proxy (Probe *p, const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  if (parsed == NULL)
    g_strlcpy (p->f->proxy, "(unparsable)", sizeof p->f->proxy);
  else
    g_snprintf (p->f->proxy, sizeof p->f->proxy, "%s://%s:%d", g_uri_get_scheme (parsed),
                g_uri_get_host (parsed) ? g_uri_get_host (parsed) : "",
                g_uri_get_port (parsed));
}

static gboolean
find_proxy (Probe *p, const char *url)
{
  g_autoptr(GProxyResolver) resolver = pick_resolver (p);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) proxies = NULL;

  stage_begin (p, HS_NET_STAGE_PROXY);
  g_proxy_resolver_lookup_async (resolver, url, p->cancellable, got_result, p);
  {
    g_autoptr(GAsyncResult) res = await (p);
    proxies = g_proxy_resolver_lookup_finish (resolver, res, &error);
  }
  p->f->proxy_ms = ms_since (p->stage_started);
  if (proxies == NULL)
    return fail (p, HS_NET_FAIL_PROXY, error, "the proxy settings could not be read");
  if (proxies[0] != NULL && !g_str_equal (proxies[0], "direct://"))
    {
      p->proxy_uri = g_strdup (proxies[0]);
      record_proxy (p, proxies[0]);
    }
  return TRUE;
}

/* ---- name resolution ---- */

static gboolean
resolve (Probe *p, GList **addresses, guint16 *port)
{
  g_autoptr(GUri) proxy = p->proxy_uri ? g_uri_parse (p->proxy_uri, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *name = proxy ? g_uri_get_host (proxy) : p->host;
  GInetAddress *literal;
  g_autoptr(GError) error = NULL;

  if (p->proxy_uri != NULL && (proxy == NULL || name == NULL || g_uri_get_port (proxy) <= 0))
    return fail (p, HS_NET_FAIL_PROXY, NULL, "the proxy setting is not usable: %s", p->f->proxy);
  *port = proxy ? (guint16) g_uri_get_port (proxy) : p->port;
  stage_begin (p, HS_NET_STAGE_DNS);
  g_strlcpy (p->f->resolved_name, name, sizeof p->f->resolved_name);
  literal = g_inet_address_new_from_string (name);
  if (literal != NULL)
    *addresses = g_list_prepend (NULL, literal);
  else
    {
      GResolver *resolver = g_resolver_get_default ();
      g_autoptr(GAsyncResult) res = NULL;

      g_resolver_lookup_by_name_async (resolver, name, p->cancellable, got_result, p);
      res = await (p);
      *addresses = g_resolver_lookup_by_name_finish (resolver, res, &error);
      g_object_unref (resolver);
    }
  p->f->dns_ms = ms_since (p->stage_started);
  if (*addresses == NULL)
    return fail (p, proxy ? HS_NET_FAIL_PROXY : HS_NET_FAIL_DNS, error,
                 proxy ? "the proxy's name %s could not be resolved" : "%s could not be resolved",
                 name);
  for (GList *l = *addresses; l != NULL && p->f->n_addresses < HS_NET_MAX_ADDRESSES; l = l->next)
    {
      g_autofree char *text = g_inet_address_to_string (l->data);
      g_strlcpy (p->f->addresses[p->f->n_addresses++], text, sizeof p->f->addresses[0]);
    }
  return TRUE;
}

/* ---- TCP ---- */

static gboolean
connect_tcp (Probe *p, GList *addresses, guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) last = NULL;

  /* The proxy, if any, is this probe's business: never GIO's own. */
  g_socket_client_set_enable_proxy (client, FALSE);
  stage_begin (p, HS_NET_STAGE_CONNECT);
  for (GList *l = addresses; l != NULL && p->connection == NULL; l = l->next)
    {
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (l->data, port);
      g_autoptr(GAsyncResult) res = NULL;

      g_clear_error (&last);
      g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), p->cancellable,
                                     got_result, p);
      res = await (p);
      p->connection = g_socket_client_connect_finish (client, res, &last);
      if (p->connection != NULL)
        {
          g_autofree char *text = g_inet_address_to_string (l->data);
          g_snprintf (p->f->connected_to, sizeof p->f->connected_to,
                      g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV6 ? "[%s]:%u" : "%s:%u",
                      text, port);
        }
      if (g_error_matches (last, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        break;
    }
  p->f->connect_ms = ms_since (p->stage_started);
  if (p->connection == NULL)
    return fail (p, p->proxy_uri ? HS_NET_FAIL_PROXY : HS_NET_FAIL_CONNECT, last,
                 p->proxy_uri ? "the proxy %s:%u could not be reached" : "could not connect to %s:%u",
                 p->f->resolved_name, port);
  return TRUE;
}

/* ---- the proxy tunnel ---- */

static gboolean
http_connect (Probe *p)
{
  GIOStream *stream = G_IO_STREAM (p->connection);
  g_autofree char *request = g_strdup_printf ("CONNECT %s:%u HTTP/1.1\r\nHost: %s:%u\r\n"
                                              "User-Agent: Handshake-netcheck/1\r\n\r\n",
                                              p->host, p->port, p->host, p->port);
  g_autoptr(GByteArray) head = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), request,
                                   strlen (request), G_PRIORITY_DEFAULT, p->cancellable,
                                   got_result, p);
  {
    g_autoptr(GAsyncResult) res = await (p);
    if (!g_output_stream_write_all_finish (g_io_stream_get_output_stream (stream), res, NULL, &error))
      return fail (p, HS_NET_FAIL_PROXY, error, "the proxy took no request");
  }
  /* The proxy sends nothing after its answer until the client speaks, so
   * reading up to the blank line never swallows the server's bytes. */
  while (head->len < MAX_PROXY_HEADER
         && (head->len == 0
             || g_strstr_len ((const char *) head->data, head->len, "\r\n\r\n") == NULL))
    {
      guint8 buf[1024];
      g_autoptr(GAsyncResult) res = NULL;
      gssize got;

      g_input_stream_read_async (g_io_stream_get_input_stream (stream), buf, sizeof buf,
                                 G_PRIORITY_DEFAULT, p->cancellable, got_result, p);
      res = await (p);
      got = g_input_stream_read_finish (g_io_stream_get_input_stream (stream), res, &error);
      if (got <= 0)
        return fail (p, HS_NET_FAIL_PROXY, error, "the proxy closed the connection instead of "
                     "answering CONNECT");
      g_byte_array_append (head, buf, (guint) got);
    }
  g_byte_array_append (head, (const guint8 *) "", 1);
  if (sscanf ((const char *) head->data, "HTTP/1.%*d %d", &status) != 1)
    return fail (p, HS_NET_FAIL_PROXY, NULL, "the proxy's answer to CONNECT is not HTTP");
  p->f->tunnel_status = status;
  if (status == 407)
    return fail (p, HS_NET_FAIL_PROXY, NULL, "the proxy asks for credentials (HTTP 407); "
                 "Handshake never sends any");
  if (status < 200 || status > 299)
    {
      g_autofree char *line = g_strndup ((const char *) head->data,
                                         strcspn ((const char *) head->data, "\r\n"));
      g_autofree char *valid = g_utf8_make_valid (line, -1);
      return fail (p, HS_NET_FAIL_PROXY, NULL, "the proxy refused to connect to %s:%u (%s)",
                   p->host, p->port, valid);
    }
  return TRUE;
}

static gboolean
tunnel (Probe *p)
{
  g_autoptr(GUri) uri = g_uri_parse (p->proxy_uri, G_URI_FLAGS_NONE, NULL);
  const char *scheme = g_uri_get_scheme (uri);
  gboolean ok;

  stage_begin (p, HS_NET_STAGE_TUNNEL);
  if (g_strcmp0 (scheme, "http") == 0)
    ok = http_connect (p);
  else
    {
      g_autoptr(GProxy) proxy = g_proxy_get_default_for_protocol (scheme);
      g_autoptr(GSocketAddress) peer = g_socket_connection_get_remote_address (p->connection, NULL);
      g_autoptr(GProxyAddress) target = NULL;
      g_autoptr(GIOStream) stream = NULL;
      g_autoptr(GError) error = NULL;

      if (proxy == NULL || peer == NULL)
        return fail (p, HS_NET_FAIL_PROXY, NULL, "proxies of kind %s are not supported", scheme);
      target = G_PROXY_ADDRESS (g_proxy_address_new (
          g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (peer)),
          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (peer)), scheme, p->host, p->port,
          NULL, NULL));
      g_proxy_connect_async (proxy, G_IO_STREAM (p->connection), target, p->cancellable,
                             got_result, p);
      {
        g_autoptr(GAsyncResult) res = await (p);
        stream = g_proxy_connect_finish (proxy, res, &error);
      }
      ok = stream != NULL || fail (p, HS_NET_FAIL_PROXY, error, "the proxy refused the connection");
      /* GIO's proxies hand back the connection itself or a wrapper of it. */
      if (stream != NULL && G_IS_SOCKET_CONNECTION (stream))
        g_set_object (&p->connection, G_SOCKET_CONNECTION (stream));
    }
  p->f->tunnel_ms = ms_since (p->stage_started);
  return ok;
}

/* ---- TLS and the root ---- */

static gboolean
on_accept_certificate (GTlsConnection *conn, GTlsCertificate *cert, GTlsCertificateFlags errors,
                       gpointer data)
{
  Probe *p = data;

  g_set_object (&p->rejected, cert);
  p->rejected_errors = errors;
  return FALSE;   /* a connection that is not trusted goes no further */
}

/* @root: the trusted root the chain ends at; NULL for a chain that was not
 * trusted, which ends where the server's list ends: then the issuer of its
 * last certificate is the name to report (an inspecting proxy's own CA). */
static void
record_names (Probe *p, GTlsCertificate *leaf, GTlsCertificate *root)
{
  g_autofree char *issuer = g_tls_certificate_get_issuer_name (leaf);
  g_autofree char *top_name = NULL;

  if (issuer != NULL)
    g_strlcpy (p->f->server_issuer, issuer, sizeof p->f->server_issuer);
  if (root != NULL)
    top_name = g_tls_certificate_get_subject_name (root);
  else
    top_name = hs_net_chain_top_issuer_name (leaf);
  if (top_name != NULL)
    g_strlcpy (p->f->root_name, top_name, sizeof p->f->root_name);
}

static void
judge_root (Probe *p, GTlsDatabase *db, GTlsCertificate *leaf)
{
  const char *path = p->options->public_roots ? p->options->public_roots
                                              : HS_NET_DEFAULT_PUBLIC_ROOTS;
  g_autoptr(GTlsCertificate) root = hs_net_chain_root (db, leaf);
  g_autoptr(GError) error = NULL;
  const HsNetRoots *roots = hs_net_roots_get (path, &error);

  record_names (p, leaf, root);
  if (roots == NULL)
    p->f->root = HS_NET_ROOT_UNKNOWN;   /* nothing to tell public from local by */
  else
    p->f->root = hs_net_roots_contains (roots, root) ? HS_NET_ROOT_PUBLIC : HS_NET_ROOT_LOCAL;
}

static GTlsDatabase *
trust_database (Probe *p, GError **error)
{
  if (p->options->ca_file != NULL && *p->options->ca_file != '\0')
    return g_tls_file_database_new (p->options->ca_file, error);
  return g_tls_backend_get_default_database (g_tls_backend_get_default ());
}

static gboolean
handshake (Probe *p)
{
  g_autoptr(GSocketConnectable) identity = g_network_address_new (p->host, p->port);
  g_autoptr(GTlsDatabase) db = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  stage_begin (p, HS_NET_STAGE_TLS);
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    return fail (p, HS_NET_FAIL_INTERNAL, NULL, "no TLS support (is glib-networking installed?)");
  db = trust_database (p, &error);
  if (db == NULL)
    return fail (p, HS_NET_FAIL_INTERNAL, error, "no trust store");
  tls = g_tls_client_connection_new (G_IO_STREAM (p->connection), identity, &error);
  if (tls == NULL)
    return fail (p, HS_NET_FAIL_INTERNAL, error, "cannot start TLS");
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), db);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (on_accept_certificate), p);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, p->cancellable,
                                    got_result, p);
  {
    g_autoptr(GAsyncResult) res = await (p);
    ok = g_tls_connection_handshake_finish (G_TLS_CONNECTION (tls), res, &error);
  }
  p->f->tls_ms = ms_since (p->stage_started);
  if (!ok)
    {
      if (p->rejected != NULL && !p->deadline_hit)
        {
          char why[128];

          hs_net_chain_describe_flags (p->rejected_errors, why, sizeof why);
          record_names (p, p->rejected, NULL);
          p->f->root = HS_NET_ROOT_UNTRUSTED;
          return fail (p, HS_NET_FAIL_TLS, NULL, "certificate not accepted (%s)", why);
        }
      return fail (p, HS_NET_FAIL_TLS, error, "the TLS handshake failed");
    }
  g_strlcpy (p->f->tls_version,
             hs_net_chain_protocol_name (g_tls_connection_get_protocol_version (G_TLS_CONNECTION (tls))),
             sizeof p->f->tls_version);
  judge_root (p, db, g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (tls)));
  return TRUE;
}

/* ---- the endpoint ---- */

void
hs_net_probe_prepare (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      GType types[] = {
        G_TYPE_SOCKET_CLIENT, G_TYPE_SOCKET_CONNECTION, G_TYPE_TCP_CONNECTION, G_TYPE_SOCKET,
        G_TYPE_INET_SOCKET_ADDRESS, G_TYPE_INET_ADDRESS, G_TYPE_NETWORK_ADDRESS,
        G_TYPE_PROXY_ADDRESS, G_TYPE_SIMPLE_PROXY_RESOLVER, G_TYPE_CANCELLABLE, G_TYPE_TASK,
      };

      for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
        g_type_class_unref (g_type_class_ref (types[i]));
      g_type_ensure (G_TYPE_TLS_CLIENT_CONNECTION);
      g_type_ensure (G_TYPE_TLS_FILE_DATABASE);
      /* The modules: loaded here, once, rather than in two workers at once. */
      (void) g_proxy_resolver_get_default ();
      (void) g_tls_backend_get_default ();
      g_object_unref (g_resolver_get_default ());
      g_once_init_leave (&done, 1);
    }
}

/* Any thread: the caller's Cancel. */
static void
cancel_other (GCancellable *caller, gpointer other)
{
  g_cancellable_cancel (other);
}

void
hs_net_probe_endpoint (const char *url, const HsNetCheckOptions *options, gint64 deadline_mono,
                       GCancellable *cancellable, HsNetStageFunc on_stage, gpointer data,
                       HsNetFacts *f)
{
  Probe p = { 0 };
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  gint64 left = deadline_mono - g_get_monotonic_time ();
  GSource *deadline;
  gulong cancel_id;
  GList *addresses = NULL;
  guint16 port = 0;

  p.context = g_main_context_new ();
  p.cancellable = g_cancellable_new ();
  p.on_stage = on_stage;
  p.stage_data = data;
  p.f = f;
  p.options = options;
  p.started = g_get_monotonic_time ();
  p.timeout_ms = options->timeout_ms;
  p.host = g_strdup (uri ? g_uri_get_host (uri) : NULL);
  p.port = (guint16) (uri && g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443);
  g_main_context_push_thread_default (p.context);
  deadline = g_timeout_source_new (left > 0 ? (guint) ((left + 999) / 1000) : 0);
  g_source_set_callback (deadline, on_deadline, &p, NULL);
  g_source_attach (deadline, p.context);
  cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_other), p.cancellable, NULL);

  if (p.host == NULL)
    fail (&p, HS_NET_FAIL_INTERNAL, NULL, "not a URL: %s", url);
  else if (find_proxy (&p, url) && resolve (&p, &addresses, &port)
           && connect_tcp (&p, addresses, port) && (p.proxy_uri == NULL || tunnel (&p))
           && handshake (&p))
    f->stage = HS_NET_STAGE_DONE;
  f->total_ms = ms_since (p.started);

  g_cancellable_disconnect (cancellable, cancel_id);
  g_cancellable_cancel (p.cancellable);
  g_list_free_full (addresses, g_object_unref);
  g_clear_object (&p.connection);
  g_clear_object (&p.rejected);
  g_source_destroy (deadline);
  g_source_unref (deadline);
  /* Let what the cancel started finish while the context is ours. */
  while (g_main_context_pending (p.context))
    g_main_context_iteration (p.context, FALSE);
  g_main_context_pop_thread_default (p.context);
  g_main_context_unref (p.context);
  g_object_unref (p.cancellable);
  g_free (p.host);
  g_free (p.proxy_uri);
}
