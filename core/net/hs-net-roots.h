/* hs-net-roots.h — which trusted roots count as public, off Windows.
 *
 * A Debian system trusts the roots of its ca-certificates package (copies of
 * Mozilla's list, /usr/share/ca-certificates/mozilla) plus whatever was added
 * on the computer (/usr/local/share/ca-certificates, an administrator's
 * bundle): the latter is what an HTTPS-inspecting proxy needs. A root is
 * "public" when it is, byte for byte, one of the public set. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _HsNetRoots HsNetRoots;

/* The set at @path: a PEM file, or a directory of PEM files (*.crt, *.pem;
 * not recursive). Loaded once per path and kept for the process (transfer
 * none); NULL with @error when nothing could be read from it. Any thread. */
const HsNetRoots *hs_net_roots_get      (const char *path, GError **error);
gboolean          hs_net_roots_contains (const HsNetRoots *roots, GTlsCertificate *cert);
guint             hs_net_roots_size     (const HsNetRoots *roots);

G_END_DECLS
