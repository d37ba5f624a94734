/* hs-net-chain.c — where a server's certificate chain ends, in words. */
#include "config.h"

#include "hs-net-chain.h"

#define MAX_CHAIN 10   /* issuers looked up at the most: no loop runs forever */

GTlsCertificate *
hs_net_chain_root (GTlsDatabase *db, GTlsCertificate *leaf)
{
  GTlsCertificate *top = leaf, *issuer;

  while ((issuer = g_tls_certificate_get_issuer (top)) != NULL)
    top = issuer;
  g_object_ref (top);
  for (int i = 0; db != NULL && i < MAX_CHAIN; i++)
    {
      issuer = g_tls_database_lookup_certificate_issuer (db, top, NULL,
                                                         G_TLS_DATABASE_LOOKUP_NONE, NULL, NULL);
      if (issuer == NULL)
        break;
      if (g_tls_certificate_is_same (issuer, top))
        {
          g_object_unref (issuer);
          break;
        }
      g_object_unref (top);
      top = issuer;
    }
  return top;
}

char *
hs_net_chain_top_issuer_name (GTlsCertificate *leaf)
{
  GTlsCertificate *top = leaf;

  while (g_tls_certificate_get_issuer (top) != NULL)
    top = g_tls_certificate_get_issuer (top);
  return g_tls_certificate_get_issuer_name (top);
}

void
hs_net_chain_describe_flags (GTlsCertificateFlags flags, char *buf, gsize n)
{
  static const struct { GTlsCertificateFlags flag; const char *text; } names[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, "issuer not trusted" },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, "not valid for this name" },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, "not yet valid" },
    { G_TLS_CERTIFICATE_EXPIRED, "expired" },
    { G_TLS_CERTIFICATE_REVOKED, "revoked" },
    { G_TLS_CERTIFICATE_INSECURE, "insecure algorithm" },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, "invalid" },
  };

  buf[0] = '\0';
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (flags & names[i].flag)
      {
        if (buf[0] != '\0')
          g_strlcat (buf, ", ", n);
        g_strlcat (buf, names[i].text, n);
      }
}

const char *
hs_net_chain_protocol_name (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_TLS_1_0: return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1: return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2: return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3: return "TLS 1.3";
    default: return "";
    }
}
