/* hs-test-proxy.h — an HTTP proxy on 127.0.0.1 that refuses every CONNECT
 * with a chosen status (403 by default), on a thread of its own so that a
 * test may block (g_spawn_sync) while it answers. Records the request lines. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _HsTestProxy HsTestProxy;

HsTestProxy *hs_test_proxy_start     (guint status, GError **error);
/* "http://127.0.0.1:PORT" */
const char  *hs_test_proxy_get_url   (HsTestProxy *proxy);
/* The first line of each request so far ("CONNECT host:443 HTTP/1.1"),
 * newline-separated. (transfer full) */
char        *hs_test_proxy_get_log   (HsTestProxy *proxy);
void         hs_test_proxy_stop      (HsTestProxy *proxy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTestProxy, hs_test_proxy_stop)

G_END_DECLS
