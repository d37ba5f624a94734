/* hs-net-chain.h — where a server's certificate chain ends, in words.
 *
 * Small pure helpers of the GIO probe (hs-net-probe-gio.c): the root a
 * trust database completes a chain with, the name to report for a chain
 * that was not trusted, and GIO's TLS facts in the English of a report. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The certificate @leaf's chain ends at: the top of what the server sent,
 * then its issuers from @db (nullable) until one issues itself (transfer
 * full). */
GTlsCertificate *hs_net_chain_root            (GTlsDatabase *db, GTlsCertificate *leaf);
/* The issuer named by the top of what the server sent (newly allocated;
 * NULL when it names none): for a chain that was not trusted, the CA the
 * server claims, such as an inspecting proxy's own. */
char            *hs_net_chain_top_issuer_name (GTlsCertificate *leaf);
/* @flags as "issuer not trusted, expired", into @buf of @n bytes. */
void             hs_net_chain_describe_flags  (GTlsCertificateFlags flags, char *buf, gsize n);
/* "TLS 1.2", "TLS 1.3", …; "" for a version GIO does not name. */
const char      *hs_net_chain_protocol_name   (GTlsProtocolVersion version);

G_END_DECLS
