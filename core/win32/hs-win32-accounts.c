/* hs-win32-accounts.c — step 4: work/school and personal accounts Windows
 * knows, folded by e-mail (case-insensitive), sources merged. */
#include <windows.h>
#include <shlobj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"

/* lmjoin.h's DSREG_JOIN_INFO (Windows 10+); declared here because older
 * mingw headers lack it. Only the leading fields we read matter. */
typedef struct {
  int    joinType;                  /* 1 device join, 2 workplace join */
  const void *pJoinCertificate;
  LPWSTR pszDeviceId;
  LPWSTR pszIdpDomain;
  LPWSTR pszTenantId;
  LPWSTR pszJoinUserEmail;
  LPWSTR pszTenantDisplayName;
  LPWSTR pszMdmEnrollmentUrl;
  LPWSTR pszMdmTermsOfUseUrl;
  LPWSTR pszMdmComplianceUrl;
  LPWSTR pszUserSettingSyncUrl;
  void  *pUserInfo;
} HsDsregJoinInfo;

typedef HRESULT (WINAPI *NetGetAadJoinInformationFn) (LPCWSTR tenant, HsDsregJoinInfo **info);
typedef VOID (WINAPI *NetFreeAadJoinInformationFn) (HsDsregJoinInfo *info);

typedef struct {
  HsAccount *items;
  size_t n, cap;
} Acc;

static int
looks_like_email (const char *s)
{
  const char *at = s ? strchr (s, '@') : NULL;
  return at && at != s && strchr (at + 1, '.') && !strchr (at + 1, '@') && strlen (s) < 320;
}

static int
has_source (const char *list, const char *src)
{
  size_t sl = strlen (src);
  const char *p = list;
  while (p && *p)
    {
      const char *c = strchr (p, ',');
      size_t len = c ? (size_t) (c - p) : strlen (p);
      if (len == sl && strncmp (p, src, sl) == 0)
        return 1;
      p = c ? c + 1 : NULL;
    }
  return 0;
}

static void
acc_add (Acc *a, const char *email, HsAccountKind kind, const char *source)
{
  if (!looks_like_email (email))
    return;
  for (size_t i = 0; i < a->n; i++)
    if (_stricmp (a->items[i].email, email) == 0)
      {
        HsAccount *x = &a->items[i];
        if (x->kind == HS_ACCOUNT_UNKNOWN)
          x->kind = kind;
        if (!has_source (x->sources, source))
          {
            size_t n = strlen (x->sources) + strlen (source) + 2;
            char *s = malloc (n);
            if (s)
              {
                snprintf (s, n, "%s,%s", x->sources, source);
                free (x->sources);
                x->sources = s;
              }
          }
        return;
      }
  if (a->n == a->cap)
    {
      size_t nc = a->cap ? a->cap * 2 : 8;
      HsAccount *ni = realloc (a->items, nc * sizeof *ni);
      if (ni == NULL)
        return;
      a->items = ni;
      a->cap = nc;
    }
  HsAccount *x = &a->items[a->n];
  x->email = _strdup (email);
  x->sources = _strdup (source);
  x->kind = kind;
  x->join_record_only = 0;
  if (x->email && x->sources)
    a->n++;
  else
    {
      free (x->email);
      free (x->sources);
    }
}

static char *
reg_sz (HKEY key, const wchar_t *sub, const wchar_t *value)
{
  wchar_t buf[1024];
  DWORD size = sizeof buf - sizeof (wchar_t);
  if (RegGetValueW (key, sub, value, RRF_RT_REG_SZ, NULL, buf, &size) != ERROR_SUCCESS)
    return NULL;
  buf[1023] = 0;
  return hs_win32_utf8 (buf);
}

/* Calls fn for each subkey name of root\path; missing keys are no error. */
static void
each_subkey (HKEY root, const wchar_t *path, REGSAM extra,
             void (*fn) (HKEY parent, const wchar_t *name, Acc *a), Acc *a)
{
  HKEY k;
  if (RegOpenKeyExW (root, path, 0, KEY_READ | extra, &k) != ERROR_SUCCESS)
    return;
  for (DWORD i = 0; i < 10000; i++)
    {
      wchar_t name[256];
      DWORD nl = 256;
      LSTATUS r = RegEnumKeyExW (k, i, name, &nl, NULL, NULL, NULL, NULL);
      if (r == ERROR_NO_MORE_ITEMS)
        break;
      if (r != ERROR_SUCCESS)
        continue;
      fn (k, name, a);
    }
  RegCloseKey (k);
}

static void
on_aad_join (HKEY parent, const wchar_t *name, Acc *a)
{
  char *e = reg_sz (parent, name, L"UserEmail");
  acc_add (a, e, HS_ACCOUNT_WORK, "aad_join");
  free (e);
}

static void
on_workplace_join (HKEY parent, const wchar_t *name, Acc *a)
{
  char *e = reg_sz (parent, name, L"UserEmail");
  acc_add (a, e, HS_ACCOUNT_WORK, "workplace_join");
  free (e);
}

static void
on_identitycrl (HKEY parent, const wchar_t *name, Acc *a)
{
  char *e = hs_win32_utf8 (name);
  acc_add (a, e, HS_ACCOUNT_PERSONAL, "identitycrl");
  free (e);
}

static void
on_office (HKEY parent, const wchar_t *name, Acc *a)
{
  char *e = reg_sz (parent, name, L"EmailAddress");
  if (!looks_like_email (e))
    {
      free (e);
      e = reg_sz (parent, name, L"SignInName");
    }
  char *prov = reg_sz (parent, name, L"ProviderId");
  HsAccountKind kind = HS_ACCOUNT_UNKNOWN;
  if (prov && (_stricmp (prov, "AD") == 0 || _stricmp (prov, "OrgId") == 0))
    kind = HS_ACCOUNT_WORK;
  else if (prov && _stricmp (prov, "LiveId") == 0)
    kind = HS_ACCOUNT_PERSONAL;
  acc_add (a, e, kind, "office");
  free (e);
  free (prov);
}

static void
scan_tbacct (Acc *a)
{
  wchar_t *base = NULL;
  if (FAILED (SHGetKnownFolderPath (&FOLDERID_LocalAppData, KF_FLAG_DEFAULT, NULL, &base)))
    return;
  static const wchar_t tail[] =
    L"\\Packages\\Microsoft.AAD.BrokerPlugin_cw5n1h2txyewy\\AC\\TokenBroker\\Accounts\\";
  size_t bl = wcslen (base);
  wchar_t *dir = malloc ((bl + wcslen (tail) + 300) * sizeof (wchar_t));
  if (dir == NULL)
    {
      CoTaskMemFree (base);
      return;
    }
  wcscpy (dir, base);
  wcscat (dir, tail);
  CoTaskMemFree (base);
  size_t dl = wcslen (dir);
  wcscat (dir, L"*.tbacct");
  WIN32_FIND_DATAW fd;
  HANDLE f = FindFirstFileW (dir, &fd);
  if (f == INVALID_HANDLE_VALUE)
    {
      free (dir);
      return;
    }
  do
    {
      if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY || wcslen (fd.cFileName) > 260)
        continue;
      wcscpy (dir + dl, fd.cFileName);
      HANDLE h = CreateFileW (dir, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              OPEN_EXISTING, 0, NULL);
      if (h == INVALID_HANDLE_VALUE)
        continue;
      unsigned char *buf = malloc (256 * 1024);
      DWORD got = 0;
      if (buf && ReadFile (h, buf, 256 * 1024, &got, NULL))
        {
          char *e = hs_win32_scan_email (buf, got);
          acc_add (a, e, HS_ACCOUNT_WORK, "tbacct");
          free (e);
        }
      free (buf);
      CloseHandle (h);
    }
  while (FindNextFileW (f, &fd));
  FindClose (f);
  free (dir);
}

static void
aad_api (Acc *a)
{
  HMODULE m = LoadLibraryExW (L"netapi32.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (m == NULL)
    return;
  NetGetAadJoinInformationFn get =
    (NetGetAadJoinInformationFn) (void *) GetProcAddress (m, "NetGetAadJoinInformation");
  NetFreeAadJoinInformationFn fr =
    (NetFreeAadJoinInformationFn) (void *) GetProcAddress (m, "NetFreeAadJoinInformation");
  HsDsregJoinInfo *info = NULL;
  if (get && fr && SUCCEEDED (get (NULL, &info)) && info)
    {
      char *e = hs_win32_utf8 (info->pszJoinUserEmail);
      acc_add (a, e, HS_ACCOUNT_WORK, info->joinType == 2 ? "workplace_join" : "aad_join");
      free (e);
      fr (info);
    }
  FreeLibrary (m);
}

HsPortCode
hs_win32_list_accounts (HsAccountList *out, HsPortStatus *st)
{
  Acc a = { 0 };
  aad_api (&a);
  each_subkey (HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Control\\CloudDomainJoin\\JoinInfo",
               KEY_WOW64_64KEY, on_aad_join, &a);
  each_subkey (HKEY_CURRENT_USER,
               L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\WorkplaceJoin\\JoinInfo", 0,
               on_workplace_join, &a);
  each_subkey (HKEY_CURRENT_USER, L"Software\\Microsoft\\IdentityCRL\\StoredIdentities", 0,
               on_identitycrl, &a);
  each_subkey (HKEY_CURRENT_USER, L"Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities",
               0, on_office, &a);
  scan_tbacct (&a);
  /* the e-mail of a device join record is the account that joined the
   * device (often IT's): alone it does not show a signed-in account */
  for (size_t i = 0; i < a.n; i++)
    a.items[i].join_record_only = strcmp (a.items[i].sources, "aad_join") == 0;
  out->items = a.items;
  out->n_items = a.n;
  hs_port_status_set (st, HS_PORT_OK, 0, "%lu accounts", (unsigned long) a.n);
  return HS_PORT_OK;
}
