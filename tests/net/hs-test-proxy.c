/* hs-test-proxy.c — a CONNECT-refusing HTTP proxy for tests (hs-test-proxy.h). */
#include "hs-test-proxy.h"

#include <string.h>

struct _HsTestProxy {
  GSocket      *listener;
  GCancellable *cancellable;
  GThread      *thread;
  char         *url;
  guint         status;
  GMutex        lock;
  GString      *log;
};

static void
answer (HsTestProxy *proxy, GSocket *client)
{
  char buf[4096];
  GString *head = g_string_new (NULL);
  g_autofree char *reply = NULL;

  g_socket_set_timeout (client, 5);
  while (strstr (head->str, "\r\n\r\n") == NULL && head->len < 16384)
    {
      gssize got = g_socket_receive (client, buf, sizeof buf, proxy->cancellable, NULL);
      if (got <= 0)
        break;
      g_string_append_len (head, buf, got);
    }
  g_mutex_lock (&proxy->lock);
  g_string_append_len (proxy->log, head->str, (gssize) strcspn (head->str, "\r\n"));
  g_string_append_c (proxy->log, '\n');
  g_mutex_unlock (&proxy->lock);
  reply = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                           proxy->status, proxy->status == 407 ? "Proxy Authentication Required"
                                                               : "Forbidden");
  g_socket_send (client, reply, strlen (reply), NULL, NULL);
  g_socket_close (client, NULL);
  g_string_free (head, TRUE);
}

static gpointer
serve (gpointer data)
{
  HsTestProxy *proxy = data;

  for (;;)
    {
      g_autoptr(GSocket) client = g_socket_accept (proxy->listener, proxy->cancellable, NULL);
      if (client == NULL)
        return NULL;
      answer (proxy, client);
    }
}

HsTestProxy *
hs_test_proxy_start (guint status, GError **error)
{
  HsTestProxy *proxy = g_new0 (HsTestProxy, 1);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  proxy->status = status ? status : 403;
  proxy->log = g_string_new (NULL);
  g_mutex_init (&proxy->lock);
  proxy->cancellable = g_cancellable_new ();
  proxy->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, error);
  if (proxy->listener == NULL || !g_socket_bind (proxy->listener, any, TRUE, error)
      || !g_socket_listen (proxy->listener, error))
    {
      hs_test_proxy_stop (proxy);
      return NULL;
    }
  bound = g_socket_get_local_address (proxy->listener, NULL);
  proxy->url = g_strdup_printf ("http://127.0.0.1:%u",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  proxy->thread = g_thread_new ("hs-test-proxy", serve, proxy);
  return proxy;
}

const char *
hs_test_proxy_get_url (HsTestProxy *proxy)
{
  return proxy->url;
}

char *
hs_test_proxy_get_log (HsTestProxy *proxy)
{
  char *copy;

  g_mutex_lock (&proxy->lock);
  copy = g_strdup (proxy->log->str);
  g_mutex_unlock (&proxy->lock);
  return copy;
}

void
hs_test_proxy_stop (HsTestProxy *proxy)
{
  if (proxy == NULL)
    return;
  g_cancellable_cancel (proxy->cancellable);
  if (proxy->thread != NULL)
    g_thread_join (proxy->thread);
  if (proxy->listener != NULL)
    g_socket_close (proxy->listener, NULL);
  g_clear_object (&proxy->listener);
  g_clear_object (&proxy->cancellable);
  g_string_free (proxy->log, TRUE);
  g_mutex_clear (&proxy->lock);
  g_free (proxy->url);
  g_free (proxy);
}
