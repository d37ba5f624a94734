/* hs-win32-cert.c — judging a server's certificate with CryptoAPI
 * (hs-win32-net.h).
 *
 * The request lets WinHTTP pass unknown issuers, wrong names, wrong usage
 * and bad dates, and judges the certificate here instead:
 * CertGetCertificateChain (default engine = the Windows store, or an engine
 * whose exclusive root is the given CA file) and the SSL chain policy for
 * the name. That is one verdict for both trust sources, and it can tell
 * "only the validity dates are wrong" (a skewed clock's view of a good
 * certificate) from everything else, which WinHTTP's own check cannot
 * without a second connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32-net.h"

#define CA_FILE_MAX (1024 * 1024)

/* ---- trust: the Windows store or a CA file -------------------------------- */

/* Loads every certificate of a PEM file into a memory store. */
HsPortCode
hs_win32_cert_load_ca_file (const char *path, HCERTSTORE *out, HsPortStatus *st)
{
  static const char begin[] = "-----BEGIN CERTIFICATE-----";
  static const char end[] = "-----END CERTIFICATE-----";
  wchar_t *wpath = hs_win32_wide (path);
  HANDLE f;
  LARGE_INTEGER size;
  char *text = NULL;
  DWORD got = 0;
  HCERTSTORE store = NULL;
  size_t n_certs = 0;
  HsPortCode code = HS_PORT_OK;

  *out = NULL;
  if (wpath == NULL)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "CA file name is not valid UTF-8");
      return HS_PORT_BAD_INPUT;
    }
  f = CreateFileW (wpath, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                   FILE_ATTRIBUTE_NORMAL, NULL);
  free (wpath);
  if (f == INVALID_HANDLE_VALUE)
    {
      DWORD err = GetLastError ();

      hs_port_status_set (st, HS_PORT_IO, err, "cannot open the CA file %s (error %lu)", path,
                          (unsigned long) err);
      return HS_PORT_IO;
    }
  if (!GetFileSizeEx (f, &size) || size.QuadPart <= 0 || size.QuadPart > CA_FILE_MAX)
    {
      CloseHandle (f);
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "CA file %s is empty or larger than %d bytes",
                          path, CA_FILE_MAX);
      return HS_PORT_BAD_INPUT;
    }
  text = malloc ((size_t) size.QuadPart + 1);
  if (text == NULL || !ReadFile (f, text, (DWORD) size.QuadPart, &got, NULL)
      || got != (DWORD) size.QuadPart)
    {
      DWORD err = GetLastError ();

      CloseHandle (f);
      free (text);
      hs_port_status_set (st, HS_PORT_IO, err, "cannot read the CA file %s (error %lu)", path,
                          (unsigned long) err);
      return HS_PORT_IO;
    }
  CloseHandle (f);
  text[got] = '\0';

  store = CertOpenStore (CERT_STORE_PROV_MEMORY, 0, 0, CERT_STORE_CREATE_NEW_FLAG, NULL);
  if (store == NULL)
    {
      free (text);
      return hs_win32_status_from_error (st, GetLastError (), "CertOpenStore");
    }
  for (char *p = strstr (text, begin); p != NULL; p = strstr (p, begin))
    {
      char *e = strstr (p, end);
      BYTE *der;
      DWORD der_len = 0;

      if (e == NULL)
        break;
      e += sizeof end - 1;
      if (!CryptStringToBinaryA (p, (DWORD) (e - p), CRYPT_STRING_BASE64HEADER, NULL, &der_len,
                                 NULL, NULL)
          || (der = malloc (der_len)) == NULL)
        {
          code = HS_PORT_BAD_INPUT;
          break;
        }
      if (!CryptStringToBinaryA (p, (DWORD) (e - p), CRYPT_STRING_BASE64HEADER, der, &der_len,
                                 NULL, NULL)
          || !CertAddEncodedCertificateToStore (store, X509_ASN_ENCODING, der, der_len,
                                                CERT_STORE_ADD_USE_EXISTING, NULL))
        {
          free (der);
          code = HS_PORT_BAD_INPUT;
          break;
        }
      free (der);
      n_certs++;
      p = e;
    }
  free (text);
  if (code == HS_PORT_OK && n_certs == 0)
    code = HS_PORT_BAD_INPUT;
  if (code != HS_PORT_OK)
    {
      CertCloseStore (store, 0);
      hs_port_status_set (st, code, 0, "CA file %s: %s", path,
                          n_certs == 0 ? "no PEM certificate in it" : "a certificate is damaged");
      return code;
    }
  *out = store;
  return HS_PORT_OK;
}

/* An engine that trusts exactly the certificates of @roots. hExclusiveRoot
 * came with Windows 7, dwExclusiveFlags with Windows 8: the whole structure
 * first, then the Windows 7 layout, which is also all Wine 8 knows (it
 * refuses the larger size with E_INVALIDARG). */
HsPortCode
hs_win32_cert_exclusive_engine (HCERTSTORE roots, HCERTCHAINENGINE *out, HsPortStatus *st)
{
  static const DWORD sizes[] = {
    sizeof (CERT_CHAIN_ENGINE_CONFIG),
    offsetof (CERT_CHAIN_ENGINE_CONFIG, dwExclusiveFlags),
  };
  CERT_CHAIN_ENGINE_CONFIG config;
  DWORD err = 0;

  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
    {
      memset (&config, 0, sizeof config);
      config.cbSize = sizes[i];
      config.hExclusiveRoot = roots;
      if (CertCreateCertificateChainEngine (&config, out))
        return HS_PORT_OK;
      err = GetLastError ();
      if (err != (DWORD) E_INVALIDARG && err != ERROR_INVALID_PARAMETER)
        break;
    }
  hs_port_status_set (st, HS_PORT_FAILED, err,
                      "cannot make a chain engine that trusts only the CA file (error 0x%08lx)",
                      (unsigned long) err);
  return HS_PORT_FAILED;
}

HsPortCode
hs_win32_trust_from_ca_file (const char *path, HsWin32Trust *trust, HsPortStatus *st)
{
  HsPortCode code;

  memset (trust, 0, sizeof *trust);
  code = hs_win32_cert_load_ca_file (path, &trust->ca_store, st);
  if (code == HS_PORT_OK)
    code = hs_win32_cert_exclusive_engine (trust->ca_store, &trust->engine, st);
  if (code != HS_PORT_OK)
    hs_win32_trust_clear (trust);
  return code;
}

void
hs_win32_trust_clear (HsWin32Trust *trust)
{
  if (trust->engine != NULL)
    CertFreeCertificateChainEngine (trust->engine);
  if (trust->ca_store != NULL)
    CertCloseStore (trust->ca_store, 0);
  memset (trust, 0, sizeof *trust);
}

/* ---- the verdict ---------------------------------------------------------- */

void
hs_win32_cert_describe_chain_errors (DWORD errors, char *buf, size_t n)
{
  static const struct { DWORD bit; const char *text; } names[] = {
    { CERT_TRUST_IS_UNTRUSTED_ROOT, "unknown issuer (root not trusted)" },
    { CERT_TRUST_IS_PARTIAL_CHAIN, "unknown issuer (chain incomplete)" },
    { CERT_TRUST_IS_REVOKED, "revoked" },
    { CERT_TRUST_IS_NOT_SIGNATURE_VALID, "bad signature" },
    { CERT_TRUST_IS_NOT_VALID_FOR_USAGE, "not valid for server authentication" },
    { CERT_TRUST_IS_CYCLIC, "cyclic chain" },
    { CERT_TRUST_INVALID_EXTENSION, "invalid extension" },
    { CERT_TRUST_INVALID_BASIC_CONSTRAINTS, "invalid basic constraints" },
    { CERT_TRUST_INVALID_NAME_CONSTRAINTS, "name constraints violated" },
    { CERT_TRUST_HAS_NOT_SUPPORTED_NAME_CONSTRAINT, "name constraints violated" },
    { CERT_TRUST_HAS_NOT_DEFINED_NAME_CONSTRAINT, "name constraints violated" },
    { CERT_TRUST_HAS_NOT_PERMITTED_NAME_CONSTRAINT, "name constraints violated" },
    { CERT_TRUST_HAS_EXCLUDED_NAME_CONSTRAINT, "name constraints violated" },
    { CERT_TRUST_INVALID_POLICY_CONSTRAINTS, "policy constraints violated" },
    { CERT_TRUST_REVOCATION_STATUS_UNKNOWN, "revocation status unknown" },
    { CERT_TRUST_IS_OFFLINE_REVOCATION, "revocation status unknown" },
    { CERT_TRUST_IS_EXPLICIT_DISTRUST, "explicitly distrusted" },
  };
  size_t used = 0;
  DWORD described = 0;

  buf[0] = '\0';
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    {
      if (!(errors & names[i].bit))
        continue;
      described |= names[i].bit;
      if (strstr (buf, names[i].text) == NULL && used + 2 < n)
        used += (size_t) snprintf (buf + used, n - used, "%s%s", used ? ", " : "",
                                   names[i].text);
      if (used >= n)
        used = n - 1;
    }
  if ((errors & ~described) && used + 2 < n)
    snprintf (buf + used, n - used, "%schain error 0x%08lx", used ? ", " : "",
              (unsigned long) (errors & ~described));
}

int
hs_win32_cert_chain (const HsWin32Trust *trust, PCCERT_CONTEXT cert,
                     PCCERT_CHAIN_CONTEXT *chain, char *why, size_t n_why)
{
  static LPSTR server_auth[] = { (LPSTR) szOID_PKIX_KP_SERVER_AUTH };
  CERT_CHAIN_PARA para;

  *chain = NULL;
  memset (&para, 0, sizeof para);
  para.cbSize = sizeof para;
  para.RequestedUsage.dwType = USAGE_MATCH_TYPE_AND;
  para.RequestedUsage.Usage.cUsageIdentifier = 1;
  para.RequestedUsage.Usage.rgpszUsageIdentifier = server_auth;
  /* The server's intermediates come with the certificate's store. */
  if (!CertGetCertificateChain (trust->engine, cert, NULL, cert->hCertStore, &para, 0, NULL,
                                chain))
    {
      snprintf (why, n_why, "TLS certificate rejected (cannot build its chain, error %lu)",
                (unsigned long) GetLastError ());
      *chain = NULL;
      return 0;
    }
  return 1;
}

PCCERT_CONTEXT
hs_win32_cert_chain_root (PCCERT_CHAIN_CONTEXT chain)
{
  PCERT_SIMPLE_CHAIN simple;

  if (chain == NULL || chain->cChain == 0 || chain->rgpChain[0]->cElement == 0)
    return NULL;
  simple = chain->rgpChain[0];
  return simple->rgpElement[simple->cElement - 1]->pCertContext;
}

int
hs_win32_cert_judge_chain (const HsWin32Trust *trust, PCCERT_CHAIN_CONTEXT chain,
                           const wchar_t *host, int *dates_only, char *why, size_t n_why)
{
  const DWORD date_bits = CERT_TRUST_IS_NOT_TIME_VALID | CERT_TRUST_IS_NOT_TIME_NESTED
                          | CERT_TRUST_CTL_IS_NOT_TIME_VALID;
  DWORD errors = chain->TrustStatus.dwErrorStatus;
  PCCERT_CONTEXT top;

  *dates_only = 0;
  if (errors & ~date_bits)
    {
      char what[160];

      hs_win32_cert_describe_chain_errors (errors & ~date_bits, what, sizeof what);
      snprintf (why, n_why, "TLS certificate rejected (%s%s)", what,
                (errors & date_bits) ? ", and its dates are invalid" : "");
      return 0;
    }
  if (trust->ca_store != NULL && (top = hs_win32_cert_chain_root (chain)) != NULL)
    {
      /* Belt and braces: with an exclusive root the chain can only end at
       * one of the given CAs; say so plainly if it does not. */
      PCCERT_CONTEXT found = CertFindCertificateInStore (trust->ca_store, X509_ASN_ENCODING, 0,
                                                         CERT_FIND_EXISTING, top, NULL);
      if (found == NULL)
        {
          snprintf (why, n_why, "TLS certificate rejected (unknown issuer: not the given CA)");
          return 0;
        }
      CertFreeCertificateContext (found);
    }

  /* The name. Trust and dates were judged above: the policy is asked to
   * leave them alone so that what it reports is about the name. */
  {
    SSL_EXTRA_CERT_CHAIN_POLICY_PARA ssl;
    CERT_CHAIN_POLICY_PARA policy;
    CERT_CHAIN_POLICY_STATUS status;

    memset (&ssl, 0, sizeof ssl);
    ssl.cbSize = sizeof ssl;
    ssl.dwAuthType = AUTHTYPE_SERVER;
    ssl.fdwChecks = SECURITY_FLAG_IGNORE_UNKNOWN_CA | SECURITY_FLAG_IGNORE_CERT_DATE_INVALID;
    ssl.pwszServerName = (wchar_t *) host;
    memset (&policy, 0, sizeof policy);
    policy.cbSize = sizeof policy;
    policy.dwFlags = CERT_CHAIN_POLICY_IGNORE_ALL_NOT_TIME_VALID_FLAGS
                     | CERT_CHAIN_POLICY_ALLOW_UNKNOWN_CA_FLAG;
    policy.pvExtraPolicyPara = &ssl;
    memset (&status, 0, sizeof status);
    status.cbSize = sizeof status;
    if (!CertVerifyCertificateChainPolicy (CERT_CHAIN_POLICY_SSL, chain, &policy, &status))
      {
        snprintf (why, n_why, "TLS certificate rejected (SSL policy check failed, error %lu)",
                  (unsigned long) GetLastError ());
        return 0;
      }
    if (status.dwError == (DWORD) CERT_E_CN_NO_MATCH)
      {
        snprintf (why, n_why, "TLS certificate rejected (name mismatch: not valid for this host)");
        return 0;
      }
    if (status.dwError != 0)
      {
        snprintf (why, n_why, "TLS certificate rejected (SSL policy error 0x%08lx)",
                  (unsigned long) status.dwError);
        return 0;
      }
  }
  *dates_only = (errors & date_bits) != 0;
  return 1;
}

/* Runs in a WinHTTP thread during a request: it only reads @trust. */
int
hs_win32_cert_judge (const HsWin32Trust *trust, PCCERT_CONTEXT cert, const wchar_t *host,
                     int *dates_only, char *why, size_t n_why)
{
  PCCERT_CHAIN_CONTEXT chain;
  int ok;

  *dates_only = 0;
  if (!hs_win32_cert_chain (trust, cert, &chain, why, n_why))
    return 0;
  ok = hs_win32_cert_judge_chain (trust, chain, host, dates_only, why, n_why);
  CertFreeCertificateChain (chain);
  return ok;
}

/* ---- where the chain ends ------------------------------------------------- */

static void
cert_name (PCCERT_CONTEXT cert, DWORD flags, char *buf, size_t n)
{
  wchar_t w[256];
  char *utf8;

  if (cert == NULL
      || CertGetNameStringW (cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, flags, NULL, w, 256) <= 1)
    return;
  utf8 = hs_win32_utf8 (w);
  if (utf8 != NULL)
    snprintf (buf, n, "%s", utf8);
  free (utf8);
}

/* What the Microsoft Root Program check (CERT_CHAIN_POLICY_SSL_F12, Windows
 * 10 and updated 8.1/7) says of the chain: weak crypto, or a third-party
 * root out of compliance with the program. It says nothing of roots outside
 * the program (enterprise roots), so it cannot tell local from public on
 * its own; see hs_win32_cert_describe. */
static void
root_program (PCCERT_CHAIN_CONTEXT chain, char *buf, size_t n)
{
  SSL_F12_EXTRA_CERT_CHAIN_POLICY_STATUS f12;
  CERT_CHAIN_POLICY_PARA para;
  CERT_CHAIN_POLICY_STATUS status;
  char *text;

  memset (&f12, 0, sizeof f12);
  memset (&para, 0, sizeof para);
  memset (&status, 0, sizeof status);
  f12.cbSize = sizeof f12;
  para.cbSize = sizeof para;
  status.cbSize = sizeof status;
  status.pvExtraPolicyStatus = &f12;
  if (!CertVerifyCertificateChainPolicy (CERT_CHAIN_POLICY_SSL_F12, chain, &para, &status))
    {
      snprintf (buf, n, "unavailable (error %lu)", (unsigned long) GetLastError ());
      return;
    }
  if (f12.dwErrorLevel == CERT_CHAIN_POLICY_SSL_F12_SUCCESS_LEVEL)
    {
      snprintf (buf, n, "no objection");
      return;
    }
  f12.wszErrorText[SSL_F12_ERROR_TEXT_LENGTH - 1] = L'\0';
  text = hs_win32_utf8 (f12.wszErrorText);
  snprintf (buf, n, "%s: %s%s%s",
            f12.dwErrorLevel == CERT_CHAIN_POLICY_SSL_F12_ERROR_LEVEL ? "error" : "warning",
            f12.dwErrorCategory == CERT_CHAIN_POLICY_SSL_F12_ROOT_PROGRAM_CATEGORY
            ? "root program" : f12.dwErrorCategory == CERT_CHAIN_POLICY_SSL_F12_WEAK_CRYPTO_CATEGORY
            ? "weak crypto" : "other", text && *text ? ", " : "", text ? text : "");
  free (text);
}

void
hs_win32_cert_describe (PCCERT_CHAIN_CONTEXT chain, int trusted, HCERTSTORE public_roots,
                        HsWin32Trace *t)
{
  PCCERT_CONTEXT leaf, root = hs_win32_cert_chain_root (chain);

  if (root == NULL)
    return;
  leaf = chain->rgpChain[0]->rgpElement[0]->pCertContext;
  cert_name (leaf, CERT_NAME_ISSUER_FLAG, t->server_issuer, sizeof t->server_issuer);
  if (!trusted)
    {
      /* An untrusted chain ends where it could be built: its last
       * certificate's issuer is the name to report (an inspecting proxy's
       * own CA that this computer does not have). */
      t->root = HS_NET_ROOT_UNTRUSTED;
      cert_name (root, CERT_NAME_ISSUER_FLAG, t->root_name, sizeof t->root_name);
      return;
    }
  cert_name (root, 0, t->root_name, sizeof t->root_name);
  root_program (chain, t->root_program, sizeof t->root_program);
  if (public_roots != NULL)
    {
      PCCERT_CONTEXT found = CertFindCertificateInStore (public_roots, X509_ASN_ENCODING, 0,
                                                         CERT_FIND_EXISTING, root, NULL);

      t->root = found != NULL ? HS_NET_ROOT_PUBLIC : HS_NET_ROOT_LOCAL;
      if (found != NULL)
        CertFreeCertificateContext (found);
    }
  else
    {
      /* Roots delivered by the Microsoft Root Program (the AuthRoot list that
       * Windows updates itself) carry this property; a root added by hand,
       * by Group Policy or by a security product does not (Chromium's
       * known_roots_win.cc relies on the same). */
      BYTE hash[32];
      DWORD size = sizeof hash;

      t->root = CertGetCertificateContextProperty (root, CERT_AUTH_ROOT_SHA256_HASH_PROP_ID,
                                                   hash, &size) && size == sizeof hash
                ? HS_NET_ROOT_PUBLIC : HS_NET_ROOT_LOCAL;
    }
}
