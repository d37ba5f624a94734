/* hs-wine-tool.c — helper for the Wine suites: plants credentials and
 * accounts, snapshots the vault byte for byte, looks at processes, runs the
 * probe in a decoy environment, and holds the unit tests of core/win32.
 *
 *   plant-creds N MANIFEST     N credentials; MANIFEST gets "category\ttype\ttarget"
 *   snapshot FILE              every credential: target, type, then hex of
 *                              user, comment, alias, persist, blob, attributes
 *   plant-accounts             registry keys and .tbacct files (see accounts test)
 *   plant-domain TARGET USER SECRET  one CRED_TYPE_DOMAIN_PASSWORD credential
 *   exists TARGET generic|domain     exit 0 when it is in the vault, 3 when not
 *   alive PID...               prints live pids; exit 1 if any is alive
 *   find-procs NAME            prints pids of processes named NAME; exit 1 if any
 *   spawn PATH [ARG]           starts PATH detached and prints its pid
 *   decoy-exec DIR PROG ARG... runs PROG with PATH, SystemRoot, windir pointing at DIR
 *   unit                       unit tests of quoting, parsing, scanning, and
 *                              of issue 11 over seams (hs-wine-unit11.c)
 *   restart-teams-foreign PID... restart Teams with those pids in another session
 *   elevate-com                the COM apartment and owner window of the UAC call
 *   https-cancel URL MS        hs_win32_https_date (30 s budget) with a cancel
 *                              that trips after MS ms; prints code, elapsed
 */
#include <windows.h>
#include <wincred.h>
#include <wincrypt.h>
#include <shellapi.h>
#include <shlobj.h>
#include <tlhelp32.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"
#include "hs-wine-tool.h"

char *
u8 (const wchar_t *w)
{
  char *s = hs_win32_utf8 (w);
  return s ? s : _strdup ("");
}

/* ---- credentials ---------------------------------------------------------- */

static int
write_cred (FILE *manifest, const wchar_t *target, DWORD type, const wchar_t *user,
            const wchar_t *comment, DWORD persist, const char *category, unsigned seed)
{
  unsigned char blob[64];
  DWORD blob_len = 8 + seed % 40;
  for (DWORD i = 0; i < blob_len; i++)
    blob[i] = (unsigned char) (seed * 31 + i * 7);
  CREDENTIALW c;
  memset (&c, 0, sizeof c);
  c.Type = type;
  c.TargetName = (LPWSTR) target;
  c.UserName = (LPWSTR) user;
  c.Comment = (LPWSTR) comment;
  c.Persist = persist;
  c.CredentialBlob = blob;
  c.CredentialBlobSize = blob_len;
  if (!CredWriteW (&c, 0))
    {
      char *t = u8 (target);
      fprintf (stderr, "CredWriteW(%s) failed: %lu\n", t, GetLastError ());
      free (t);
      return 0;
    }
  char *t = u8 (target);
  fprintf (manifest, "%s\t%s\t%s\n", category, type == CRED_TYPE_GENERIC ? "generic"
           : "domain_password", t);
  free (t);
  return 1;
}

static int
plant_creds (int n, const wchar_t *manifest_path)
{
  FILE *m = _wfopen (manifest_path, L"wb");
  if (m == NULL)
    return 1;
  /* the fixed, named ones first */
  struct { const wchar_t *t; DWORD type; const wchar_t *user; const char *cat; } fixed[] = {
    { L"msteams_adalsso/adal_context_segments", 1, L"", "required" },
    { L"msteams_adalsso/adal_context_3", 1, L"", "required" },
    { L"MicrosoftAccount:user=a@b.com", 1, L"a@b.com", "required" },
    { L"MicrosoftOffice16_Data:ADAL:0c3a1f", 1, L"x@contoso.com", "optional" },
    { L"MicrosoftOffice16_Data:ADALWAM:3f2504e0-4f89-11d3-9a0c-0305e82c3301", 1, L"", "optional" },
    { L"MicrosoftAccount:target=SSO_POP_Device", 1, L"02abcdef", "keep" },
    { L"WindowsLive:target=virtualapp/didlogical", 1, L"02abcdef", "keep" },
    { L"git:https://example.com", 1, L"dev", "keep" },
    { L"TERMSRV/host", CRED_TYPE_DOMAIN_PASSWORD, L"HOST\\admin", "keep" },
    { L"msteams_\x30c6\x30b9\x30c8", 1, L"\x00fc", "required" },
    { L"Z\x00fcrich-app", 1, L"\x00fc" L"ser", "keep" },
  };
  int written = 0;
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] && written < n; i++)
    written += write_cred (m, fixed[i].t, fixed[i].type, fixed[i].user, NULL, CRED_PERSIST_LOCAL_MACHINE,
                           fixed[i].cat, (unsigned) i);
  for (int i = 0; written < n; i++)
    {
      wchar_t t[256], user[64], comment[64];
      const char *cat;
      DWORD type = CRED_TYPE_GENERIC;
      DWORD persist = (i % 3 == 0) ? CRED_PERSIST_ENTERPRISE : CRED_PERSIST_LOCAL_MACHINE;
      _snwprintf (user, 64, L"user%d@example.com", i);
      _snwprintf (comment, 64, L"comment %d \x00e9", i);
      switch (i % 10)
        {
        case 0: _snwprintf (t, 256, L"msteams_adalsso/adal_context_%d", i + 10); cat = "required"; break;
        case 1: _snwprintf (t, 256, L"MicrosoftAccount:user=u%d@outlook.com", i); cat = "required"; break;
        case 2: _snwprintf (t, 256, L"MicrosoftOffice16_Data:ADAL:%08x", i); cat = "optional"; break;
        case 3: _snwprintf (t, 256, L"MicrosoftOffice16_Data:ADALWAM:%08x-0000", i); cat = "optional"; break;
        case 4: _snwprintf (t, 256, L"MicrosoftAccount:target=SSO_POP_Device_%d", i); cat = "keep"; break;
        case 5: _snwprintf (t, 256, L"WindowsLive:target=virtualapp/didlogical/%d", i); cat = "keep"; break;
        case 6: _snwprintf (t, 256, L"git:https://example.com/repo%d", i); cat = "keep"; break;
        case 7: _snwprintf (t, 256, L"TERMSRV/host%d", i); cat = "keep"; type = CRED_TYPE_DOMAIN_PASSWORD; break;
        case 8: _snwprintf (t, 256, L"msteams_\x30c6\x30b9\x30c8_%d", i); cat = "required"; break;
        default: _snwprintf (t, 256, L"app-\x00fc-%d", i); cat = "keep"; break;
        }
      t[255] = 0;
      written += write_cred (m, t, type, (i % 7 == 0 && type == CRED_TYPE_GENERIC) ? NULL : user, (i % 5 == 0) ? NULL : comment,
                             persist, cat, (unsigned) i + 100);
    }
  fclose (m);
  printf ("planted %d credentials\n", written);
  return written == n ? 0 : 1;
}

static void
hex (FILE *f, const void *p, size_t n)
{
  const unsigned char *b = p;
  if (p == NULL)
    {
      fputs ("-", f);
      return;
    }
  fputc ('x', f);
  for (size_t i = 0; i < n; i++)
    fprintf (f, "%02x", b[i]);
}

static void
hex_w (FILE *f, const wchar_t *s)
{
  hex (f, s, s ? wcslen (s) * 2 : 0);
}

static int
snapshot (const wchar_t *path)
{
  FILE *f = _wfopen (path, L"wb");
  if (f == NULL)
    return 1;
  DWORD count = 0;
  PCREDENTIALW *all = NULL;
  if (!CredEnumerateW (NULL, 0, &count, &all))
    count = 0;
  for (DWORD i = 0; i < count; i++)
    {
      PCREDENTIALW c = NULL;
      if (!CredReadW (all[i]->TargetName, all[i]->Type, 0, &c))
        {
          fprintf (stderr, "CredReadW failed %lu\n", GetLastError ());
          fclose (f);
          return 1;
        }
      char *t = u8 (c->TargetName);
      fprintf (f, "%s\t%lu\t", t, (unsigned long) c->Type);
      free (t);
      hex_w (f, c->UserName);
      fputc ('\t', f);
      hex_w (f, c->Comment);
      fputc ('\t', f);
      hex_w (f, c->TargetAlias);
      fprintf (f, "\t%lu\t%lu\t", (unsigned long) c->Persist, (unsigned long) c->Flags);
      hex (f, c->CredentialBlob, c->CredentialBlobSize);
      fprintf (f, "\t%lu", (unsigned long) c->AttributeCount);
      for (DWORD a = 0; a < c->AttributeCount; a++)
        {
          fputc ('\t', f);
          hex_w (f, c->Attributes[a].Keyword);
          fputc (':', f);
          hex (f, c->Attributes[a].Value, c->Attributes[a].ValueSize);
        }
      fputc ('\n', f);
      CredFree (c);
    }
  if (all)
    CredFree (all);
  fclose (f);
  printf ("snapshot of %lu credentials\n", (unsigned long) count);
  return 0;
}

/* ---- accounts ------------------------------------------------------------- */

static void
set_sz (HKEY root, const wchar_t *key, const wchar_t *name, const wchar_t *value)
{
  HKEY k;
  if (RegCreateKeyExW (root, key, 0, NULL, 0, KEY_WRITE | KEY_WOW64_64KEY, NULL, &k, NULL)
      != ERROR_SUCCESS)
    {
      fprintf (stderr, "RegCreateKeyExW failed\n");
      return;
    }
  if (name)
    RegSetValueExW (k, name, 0, REG_SZ, (const BYTE *) value,
                    (DWORD) ((wcslen (value) + 1) * sizeof (wchar_t)));
  RegCloseKey (k);
}

static int
plant_accounts (void)
{
  set_sz (HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Control\\CloudDomainJoin\\JoinInfo\\ABCDEF0123", L"UserEmail", L"alice@contoso.com");
  set_sz (HKEY_CURRENT_USER, L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\WorkplaceJoin\\JoinInfo\\99887766", L"UserEmail", L"Alice@Contoso.com");
  set_sz (HKEY_CURRENT_USER, L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\WorkplaceJoin\\JoinInfo\\11223344", L"UserEmail", L"bob@fabrikam.com");
  set_sz (HKEY_CURRENT_USER, L"Software\\Microsoft\\IdentityCRL\\StoredIdentities\\carol@outlook.com", NULL, NULL);
  set_sz (HKEY_CURRENT_USER, L"Software\\Microsoft\\IdentityCRL\\StoredIdentities\\not-an-email", NULL, NULL);
  set_sz (HKEY_CURRENT_USER, L"Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\id1_AD", L"EmailAddress", L"ALICE@contoso.com");
  set_sz (HKEY_CURRENT_USER, L"Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\id1_AD", L"ProviderId", L"AD");
  set_sz (HKEY_CURRENT_USER, L"Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\id2_LiveId", L"EmailAddress", L"Carol@Outlook.com");
  set_sz (HKEY_CURRENT_USER, L"Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\id2_LiveId", L"ProviderId", L"LiveId");
  set_sz (HKEY_CURRENT_USER, L"Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\id3", L"SignInName", L"dave@tailspin.com");
  set_sz (HKEY_CURRENT_USER, L"Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\id3", L"ProviderId", L"OrgId");

  wchar_t *base = NULL;
  if (FAILED (SHGetKnownFolderPath (&FOLDERID_LocalAppData, 0, NULL, &base)))
    return 1;
  wchar_t dir[MAX_PATH * 2];
  _snwprintf (dir, MAX_PATH * 2, L"%s\\Packages\\Microsoft.AAD.BrokerPlugin_cw5n1h2txyewy\\AC\\TokenBroker\\Accounts", base);
  CoTaskMemFree (base);
  SHCreateDirectoryExW (NULL, dir, NULL);
  struct { const wchar_t *name; const wchar_t *content; } files[] = {
    { L"a1b2.tbacct", L"{\"TBDataStoreObject\":{\"Header\":{\"ObjectType\":\"Account\"},\"ObjectData\":{\"SystemDefinedProperties\":{\"UPN\":{\"Type\":\"String\",\"Value\":\"erin@northwind.com\"}}}}}" },
    { L"c3d4.tbacct", L"{\"ObjectData\":{\"Email\":\"bob@FABRIKAM.com\",\"Tenant\":\"x\"}}" },
    { L"e5f6.tbacct", L"{\"ObjectData\":{\"nothing\":\"here\"}}" },
  };
  for (size_t i = 0; i < 3; i++)
    {
      wchar_t p[MAX_PATH * 2 + 32];
      _snwprintf (p, MAX_PATH * 2 + 32, L"%s\\%s", dir, files[i].name);
      HANDLE h = CreateFileW (p, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
      if (h == INVALID_HANDLE_VALUE)
        return 1;
      DWORD w;
      static const unsigned char bom[2] = { 0xff, 0xfe };
      WriteFile (h, bom, 2, &w, NULL);
      WriteFile (h, files[i].content, (DWORD) (wcslen (files[i].content) * 2), &w, NULL);
      CloseHandle (h);
    }
  printf ("accounts planted\n");
  return 0;
}

/* ---- processes ------------------------------------------------------------ */

static int
alive (int argc, wchar_t **argv)
{
  int any = 0;
  for (int i = 0; i < argc; i++)
    {
      DWORD pid = (DWORD) wcstoul (argv[i], NULL, 10);
      HANDLE h = OpenProcess (PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, FALSE, pid);
      if (h)
        {
          DWORD ec = 0;
          if (GetExitCodeProcess (h, &ec) && ec == STILL_ACTIVE)
            {
              printf ("alive %lu\n", (unsigned long) pid);
              any = 1;
            }
          CloseHandle (h);
        }
    }
  return any;
}

static int
find_procs (const wchar_t *name)
{
  int any = 0;
  HANDLE snap = CreateToolhelp32Snapshot (TH32CS_SNAPPROCESS, 0);
  PROCESSENTRY32W pe;
  pe.dwSize = sizeof pe;
  for (BOOL ok = Process32FirstW (snap, &pe); ok; ok = Process32NextW (snap, &pe))
    if (_wcsicmp (pe.szExeFile, name) == 0)
      {
        printf ("running %lu\n", (unsigned long) pe.th32ProcessID);
        any = 1;
      }
  CloseHandle (snap);
  return any;
}

static int
spawn (const wchar_t *path, const wchar_t *arg)
{
  wchar_t cmd[2048];
  _snwprintf (cmd, 2048, L"\"%s\" %s", path, arg ? arg : L"");
  cmd[2047] = 0;
  STARTUPINFOW si = { sizeof si };
  PROCESS_INFORMATION pi;
  if (!CreateProcessW (path, cmd, NULL, NULL, FALSE, DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP
                       | CREATE_BREAKAWAY_FROM_JOB, NULL, NULL, &si, &pi)
      && !CreateProcessW (path, cmd, NULL, NULL, FALSE, DETACHED_PROCESS, NULL, NULL, &si, &pi))
    {
      fprintf (stderr, "CreateProcessW failed %lu\n", GetLastError ());
      return 1;
    }
  printf ("%lu\n", (unsigned long) pi.dwProcessId);
  CloseHandle (pi.hThread);
  CloseHandle (pi.hProcess);
  return 0;
}

static int
decoy_exec (const wchar_t *dir, int argc, wchar_t **argv)
{
  wchar_t path[4096];
  wchar_t old[3000];
  DWORD n = GetEnvironmentVariableW (L"PATH", old, 3000);
  if (n == 0 || n >= 3000)
    old[0] = 0;
  _snwprintf (path, 4096, L"%s;%s\\WindowsPowerShell\\v1.0;%s", dir, dir, old);
  path[4095] = 0;
  SetEnvironmentVariableW (L"PATH", path);
  SetEnvironmentVariableW (L"SystemRoot", dir);
  SetEnvironmentVariableW (L"windir", dir);
  SetEnvironmentVariableW (L"SYSTEMROOT", dir);
  SetEnvironmentVariableW (L"ComSpec", dir);
  wchar_t cmd[8192];
  size_t len = 0;
  cmd[0] = 0;
  for (int i = 0; i < argc; i++)
    {
      wchar_t *q = hs_win32_quote_arg (argv[i]);
      len += (size_t) _snwprintf (cmd + len, 8192 - len, L"%s%s", i ? L" " : L"", q);
      free (q);
    }
  STARTUPINFOW si = { sizeof si };
  PROCESS_INFORMATION pi;
  if (!CreateProcessW (argv[0], cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
    return 3;
  WaitForSingleObject (pi.hProcess, INFINITE);
  DWORD ec = 3;
  GetExitCodeProcess (pi.hProcess, &ec);
  return (int) ec;
}

/* plant-secret TARGET SECRET: one generic credential whose blob is SECRET
 * as UTF-16LE (how Windows stores a password), user "secret-owner";
 * plant-domain TARGET USER SECRET: the same as a domain password. */
static int
plant_cred (DWORD type, const wchar_t *target, const wchar_t *user, const wchar_t *secret)
{
  CREDENTIALW c;
  memset (&c, 0, sizeof c);
  c.Type = type;
  c.TargetName = (LPWSTR) target;
  c.UserName = (LPWSTR) user;
  c.Persist = CRED_PERSIST_LOCAL_MACHINE;
  c.CredentialBlob = (LPBYTE) secret;
  c.CredentialBlobSize = (DWORD) (wcslen (secret) * sizeof (wchar_t));
  if (!CredWriteW (&c, 0))
    {
      fprintf (stderr, "CredWriteW failed: %lu\n", GetLastError ());
      return 1;
    }
  return 0;
}

/* check-secret TARGET SECRET: exit 0 when the stored blob is exactly SECRET
 * (UTF-16LE), 1 when it differs, 3 when the credential is absent. Prints
 * nothing about the blob itself. */
static int
check_secret (const wchar_t *target, const wchar_t *secret)
{
  PCREDENTIALW c = NULL;
  if (!CredReadW (target, CRED_TYPE_GENERIC, 0, &c))
    return 3;
  DWORD want = (DWORD) (wcslen (secret) * sizeof (wchar_t));
  int same = c->CredentialBlobSize == want && memcmp (c->CredentialBlob, secret, want) == 0;
  CredFree (c);
  return same ? 0 : 1;
}

/* exists TARGET generic|domain: exit 0 when present, 3 when absent. */
static int
exists (const wchar_t *target, const wchar_t *type)
{
  PCREDENTIALW c = NULL;
  if (!CredReadW (target, wcscmp (type, L"domain") == 0 ? CRED_TYPE_DOMAIN_PASSWORD : CRED_TYPE_GENERIC,
                  0, &c))
    return 3;
  CredFree (c);
  return 0;
}

/* https-cancel URL MS: the HTTPS Date request with a generous budget and a
 * cancel that trips after MS milliseconds: prints "code=… elapsed_ms=…
 * detail=…"; exit 0 when the call returned. */
static ULONGLONG cancel_at;

static int
cancel_when_due (void *data)
{
  return GetTickCount64 () >= cancel_at;
}

static int
https_cancel (const wchar_t *url, const wchar_t *ms)
{
  HsPortCancel cancel = { cancel_when_due, NULL };
  HsHttpsDate d;
  HsPortStatus st = { 0 };
  char *u = u8 (url);
  ULONGLONG t0 = GetTickCount64 ();

  cancel_at = t0 + (ULONGLONG) _wtoi (ms);
  HsPortCode c = hs_win32_https_date (u, NULL, 30000, &cancel, &d, &st);
  printf ("code=%s\telapsed_ms=%llu\tdetail=%s\n", hs_port_code_name (c),
          (unsigned long long) (GetTickCount64 () - t0), st.detail);
  free (u);
  return 0;
}

int wmain (int argc, wchar_t **argv);

int
wmain (int argc, wchar_t **argv)
{
  _setmode (_fileno (stdout), _O_BINARY);
  if (argc < 2)
    return 2;
  if (wcscmp (argv[1], L"plant-creds") == 0 && argc == 4)
    return plant_creds (_wtoi (argv[2]), argv[3]);
  if (wcscmp (argv[1], L"plant-secret") == 0 && argc == 4)
    return plant_cred (CRED_TYPE_GENERIC, argv[2], L"secret-owner", argv[3]);
  if (wcscmp (argv[1], L"check-secret") == 0 && argc == 4)
    return check_secret (argv[2], argv[3]);
  if (wcscmp (argv[1], L"plant-domain") == 0 && argc == 5)
    /* the type whose secret Windows keeps from CredRead (Wine hands it out;
     * seam withhold_domain_secrets makes a program behave as on Windows) */
    return plant_cred (CRED_TYPE_DOMAIN_PASSWORD, argv[2], argv[3], argv[4]);
  if (wcscmp (argv[1], L"exists") == 0 && argc == 4)
    return exists (argv[2], argv[3]);
  if (wcscmp (argv[1], L"snapshot") == 0 && argc == 3)
    return snapshot (argv[2]);
  if (wcscmp (argv[1], L"plant-accounts") == 0)
    return plant_accounts ();
  if (wcscmp (argv[1], L"alive") == 0)
    return alive (argc - 2, argv + 2);
  if (wcscmp (argv[1], L"find-procs") == 0 && argc == 3)
    return find_procs (argv[2]);
  if (wcscmp (argv[1], L"spawn") == 0 && argc >= 3)
    return spawn (argv[2], argc > 3 ? argv[3] : NULL);
  if (wcscmp (argv[1], L"decoy-exec") == 0 && argc >= 4)
    return decoy_exec (argv[2], argc - 3, argv + 3);
  if (wcscmp (argv[1], L"unit") == 0)
    return unit ();
  if (wcscmp (argv[1], L"https-cancel") == 0 && argc == 4)
    return https_cancel (argv[2], argv[3]);
  if (wcscmp (argv[1], L"restart-teams-foreign") == 0)
    return restart_teams_foreign (argc - 2, argv + 2);
  if (wcscmp (argv[1], L"elevate-com") == 0)
    return elevate_com ();
  fprintf (stderr, "hs-wine-tool: bad usage\n");
  return 2;
}
