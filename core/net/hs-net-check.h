/* hs-net-check.h — the network check of the sign-in path (issue 14).
 *
 * Not a fifth step: the wizard mirrors the four published causes of
 * 0xCAA20003. This check is for when they are all fine and Teams still
 * shows a network code (0xCAA70004, 0xCAA70007, 0xCAA82EE2, 0xCAA82EE7):
 * for each endpoint (an https:// URL; by default Microsoft's sign-in
 * service and the Teams service) it reports, separately and with the time
 * each took, the proxy the system settings name, name resolution, the TCP
 * connection (to the proxy when there is one, then CONNECT through it), the
 * TLS handshake, and where the certificate chain ends: a public root, or a
 * root installed on this computer (the mark of HTTPS inspection). Each
 * endpoint gets one net.* verdict (hs-codes.h, hs-net-verdict.h).
 *
 * How it measures: GIO off Windows (hs-net-probe-gio.c: GProxyResolver,
 * GResolver, GSocketClient, GTlsClientConnection and the system's
 * GTlsDatabase), WinHTTP and CryptoAPI on Windows (hs_win32_net_check,
 * hs-net-probe-win32.c). A platform that simulates the machine (practice
 * mode) supplies the facts itself and nothing is sent.
 *
 * The work runs on worker threads; callbacks and progress arrive in the
 * caller's thread-default main context. The whole check is bounded by
 * timeout_ms: the result arrives by then (plus a small grace) whatever the
 * network or the workers do.
 */
#pragma once

#include <gio/gio.h>

#include "hs-net-facts.h"
#include "hs-platform.h"
#include "hs-result.h"

G_BEGIN_DECLS

#define HS_NET_DEFAULT_TIMEOUT_MS 10000
#define HS_NET_MAX_ENDPOINTS      8
#define HS_NET_SIGNIN_URL         "https://login.microsoftonline.com/"
#define HS_NET_TEAMS_URL          "https://teams.microsoft.com/"
/* Debian's copies of Mozilla's root certificates: the roots a Debian system
 * ships. Anything else it trusts was added on this computer. */
#define HS_NET_DEFAULT_PUBLIC_ROOTS "/usr/share/ca-certificates/mozilla"

typedef struct {
  /* https:// URLs; NULL or empty: HS_NET_SIGNIN_URL and HS_NET_TEAMS_URL. */
  char           **urls;
  /* Bound on the whole check; 0: HS_NET_DEFAULT_TIMEOUT_MS. */
  guint            timeout_ms;
  /* PEM file of CAs to trust instead of the system's (tests); NULL: the
   * system's trust store. */
  char            *ca_file;
  /* The certificates that count as public roots: a PEM file, or a directory
   * of them. NULL: the distribution's (HS_NET_DEFAULT_PUBLIC_ROOTS), on
   * Windows the Microsoft Root Program. Tests point it at their CA to make
   * it "public"; by default a test CA is "installed locally". */
  char            *public_roots;
  /* Test seam, off Windows: the proxy resolver to ask instead of the
   * system's (owned by the copy). */
  GProxyResolver  *proxy_resolver;
} HsNetCheckOptions;

HsNetCheckOptions *hs_net_check_options_copy (const HsNetCheckOptions *options);
void               hs_net_check_options_free (HsNetCheckOptions *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsNetCheckOptions, hs_net_check_options_free)

/* TRUE for an https:// URL with a host and no user name or password; else
 * FALSE with an English message naming the URL. */
gboolean           hs_net_url_is_valid (const char *url, GError **error);

/* Progress of endpoint @index (its URL), in the caller's context. */
typedef void (*HsNetProgressFunc) (guint index, const char *url, HsNetStage stage,
                                   gpointer user_data);

#define HS_TYPE_NET_CHECK (hs_net_check_get_type ())
G_DECLARE_FINAL_TYPE (HsNetCheck, hs_net_check, HS, NET_CHECK, GObject)

/* The verdicts, one HsResult per endpoint in the order asked
 * (element-type HsResult) (transfer none). */
GPtrArray  *hs_net_check_get_endpoints  (HsNetCheck *self);
/* PROBLEM when an endpoint has a problem; else UNVERIFIED when one could not
 * be checked; else OK. */
HsStatus    hs_net_check_get_status     (HsNetCheck *self);
/* The code of the first endpoint with that status. */
const char *hs_net_check_get_code       (HsNetCheck *self);
gboolean    hs_net_check_get_simulated  (HsNetCheck *self);
guint       hs_net_check_get_timeout_ms (HsNetCheck *self);
gint64      hs_net_check_get_elapsed_ms (HsNetCheck *self);

/* Checks every endpoint at once. @platform (unowned, only read before this
 * returns) may simulate the facts. @progress (may be NULL) is called for
 * each stage begun, never after @callback. Never fails for network reasons
 * (the verdicts say what went wrong); a cancelled check completes with the
 * endpoints still running marked net.unverified. Fails only for invalid
 * options (G_IO_ERROR_INVALID_ARGUMENT). */
void        hs_net_check_run_async      (const HsNetCheckOptions *options,
                                         HsPlatform *platform,
                                         HsNetProgressFunc progress,
                                         gpointer progress_data,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
HsNetCheck *hs_net_check_run_finish     (GAsyncResult *result, GError **error);

G_END_DECLS
