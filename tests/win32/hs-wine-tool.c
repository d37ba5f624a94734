/* hs-wine-tool.c — helper for the Wine suites: plants credentials and
 * accounts, snapshots the vault byte for byte, looks at processes, runs the
 * probe in a decoy environment, and holds the unit tests of core/win32.
 *
 *   plant-creds N MANIFEST     N credentials; MANIFEST gets "category\ttype\ttarget"
 *   snapshot FILE              every credential: target, type, then hex of
 *                              user, comment, alias, persist, blob, attributes
 *   plant-accounts             registry keys and .tbacct files (see accounts test)
 *   alive PID...               prints live pids; exit 1 if any is alive
 *   find-procs NAME            prints pids of processes named NAME; exit 1 if any
 *   spawn PATH [ARG]           starts PATH detached and prints its pid
 *   decoy-exec DIR PROG ARG... runs PROG with PATH, SystemRoot, windir pointing at DIR
 *   unit                       unit tests of quoting, parsing, scanning
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

static int failures;

#define CHECK(cond, ...) do { \
    if (cond) { printf ("ok: "); printf (__VA_ARGS__); printf ("\n"); } \
    else { printf ("FAIL: "); printf (__VA_ARGS__); printf ("\n"); failures++; } \
  } while (0)

static char *
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

/* ---- unit tests ------------------------------------------------------------- */

static void
check_quote (const wchar_t *arg)
{
  wchar_t *q = hs_win32_quote_arg (arg);
  wchar_t line[1024];
  _snwprintf (line, 1024, L"prog.exe %s", q);
  int n = 0;
  wchar_t **parsed = CommandLineToArgvW (line, &n);
  char *a = u8 (arg), *qq = u8 (q);
  CHECK (parsed && n == 2 && wcscmp (parsed[1], arg) == 0, "quote round trip [%s] -> [%s]", a, qq);
  free (a);
  free (qq);
  free (q);
  LocalFree (parsed);
}

static void
check_quote_exact (const wchar_t *arg, const wchar_t *want)
{
  wchar_t *q = hs_win32_quote_arg (arg);
  char *a = u8 (arg), *qq = u8 (q), *ww = u8 (want);
  CHECK (wcscmp (q, want) == 0, "quote [%s] is [%s] (want [%s])", a, qq, ww);
  free (a);
  free (qq);
  free (ww);
  free (q);
}

static int cancel_polls;

static int
cancel_after_two (void *data)
{
  return ++cancel_polls > 2;
}

static void
unit_delete_cancel (void)
{
  HsCredentialRef refs[5];
  HsCredentialOutcome outcomes[5];
  char names[5][32];
  for (int i = 0; i < 5; i++)
    {
      wchar_t t[32];
      _snwprintf (t, 32, L"hs-cancel-%d", i);
      CREDENTIALW c;
      memset (&c, 0, sizeof c);
      c.Type = CRED_TYPE_GENERIC;
      c.TargetName = t;
      c.Persist = CRED_PERSIST_LOCAL_MACHINE;
      c.CredentialBlob = (LPBYTE) "x";
      c.CredentialBlobSize = 1;
      CredWriteW (&c, 0);
      snprintf (names[i], 32, "hs-cancel-%d", i);
      refs[i].target = names[i];
      refs[i].type = CRED_TYPE_GENERIC;
    }
  HsPortCancel cancel = { cancel_after_two, NULL };
  HsPortStatus st;
  char *path = NULL;
  HsPortCode c = hs_win32_delete_credentials (refs, 5, "C:\\hs-cancel-backup", &path, outcomes,
                                              &cancel, &st);
  int deleted = 0, cancelled = 0, left = 0;
  for (int i = 0; i < 5; i++)
    {
      deleted += outcomes[i].code == HS_PORT_OK;
      cancelled += outcomes[i].code == HS_PORT_CANCELLED;
      wchar_t t[32];
      PCREDENTIALW cr;
      _snwprintf (t, 32, L"hs-cancel-%d", i);
      if (CredReadW (t, CRED_TYPE_GENERIC, 0, &cr))
        {
          left++;
          CredFree (cr);
        }
    }
  CHECK (c == HS_PORT_CANCELLED && deleted == 2 && cancelled == 3 && left == 3 && path != NULL,
         "cancel between deletions: %s, %d deleted, %d cancelled, %d left, backup %s",
         hs_port_code_name (c), deleted, cancelled, left, path ? path : "(none)");
  size_t n = 0;
  c = hs_win32_restore_credentials (path, &n, &st);
  CHECK (c == HS_PORT_OK && n == 5, "the backup holds all five (restored %lu)", (unsigned long) n);
  char *path2 = NULL;
  c = hs_win32_delete_credentials (refs, 5, "C:\\hs-cancel-backup", &path2, outcomes, NULL, &st);
  CHECK (c == HS_PORT_OK && path2 && strcmp (path, path2) != 0,
         "a second backup in the same directory never replaces the first (%s)", path2 ? path2 : "");
  free (path2);
  free (path);
}

/* crafted payloads, validly encrypted for this user: the strict parser
 * behind CryptUnprotectData must refuse each hostile one and write nothing */
typedef struct { unsigned char d[4096]; size_t n; } Pay;

static void
p_u32 (Pay *p, uint32_t v)
{
  memcpy (p->d + p->n, &v, 4);
  p->n += 4;
}

static void
p_str (Pay *p, const wchar_t *s, int odd)
{
  if (s == NULL)
    {
      p_u32 (p, 0xffffffffu);
      return;
    }
  uint32_t n = (uint32_t) wcslen (s) * 2;
  p_u32 (p, n + (odd ? 1 : 0));
  memcpy (p->d + p->n, s, n + (odd ? 1 : 0));
  p->n += n + (odd ? 1 : 0);
}

static void
p_entry (Pay *p, uint32_t type, uint32_t persist, const wchar_t *target, int odd,
         uint32_t blob_len, uint32_t n_attr)
{
  p_u32 (p, type);
  p_u32 (p, 0);
  p_u32 (p, persist);
  p_str (p, target, odd);
  p_str (p, NULL, 0);
  p_str (p, L"", 0);
  p_str (p, NULL, 0);
  p_u32 (p, blob_len);
  for (uint32_t i = 0; i < blob_len && i < 64; i++)
    p->d[p->n++] = (unsigned char) i;
  p_u32 (p, n_attr);
}

static int
restore_payload (const Pay *p, const wchar_t *path, size_t *n)
{
  static const char ent[] = "Handshake credential backup v1";
  DATA_BLOB in = { (DWORD) p->n, (BYTE *) p->d }, e = { sizeof ent - 1, (BYTE *) ent }, out;
  if (!CryptProtectData (&in, NULL, &e, NULL, NULL, 0, &out))
    return -1;
  FILE *f = _wfopen (path, L"wb");
  uint32_t v = 1, len = out.cbData;
  fwrite ("HSCREDBK", 1, 8, f);
  fwrite (&v, 4, 1, f);
  fwrite (&len, 4, 1, f);
  fwrite (out.pbData, 1, out.cbData, f);
  fclose (f);
  LocalFree (out.pbData);
  char *u = u8 (path);
  HsPortStatus st;
  int c = (int) hs_win32_restore_credentials (u, n, &st);
  free (u);
  return c;
}

static void
unit_crafted_payloads (void)
{
  const wchar_t *path = L"C:\\hs-crafted.hsbak";
  Pay p;
  size_t n;
  struct { const char *what; int kind; } cases[] = {
    { "count larger than the data", 1 }, { "odd string length", 2 }, { "type 0", 3 },
    { "persist 9", 4 }, { "blob longer than allowed", 5 }, { "65 attributes", 6 },
    { "trailing bytes after the last entry", 7 }, { "bad inner magic", 8 },
    { "NULL target", 9 }, { "second entry truncated", 10 },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      memset (&p, 0, sizeof p);
      memcpy (p.d, cases[i].kind == 8 ? "HSCX" : "HSCP", 4);
      p.n = 4;
      p_u32 (&p, 1);
      int k = cases[i].kind;
      p_u32 (&p, k == 1 ? 1000 : k == 10 ? 2 : 1);
      p_entry (&p, k == 3 ? 0 : 1, k == 4 ? 9 : 2, k == 9 ? NULL : L"hs-crafted-target", k == 2,
               k == 5 ? 100000 : 4, k == 6 ? 65 : 0);
      if (k == 7)
        p_u32 (&p, 0);
      if (k == 10)
        p_u32 (&p, 1);
      n = 99;
      int c = restore_payload (&p, path, &n);
      PCREDENTIALW cr = NULL;
      int written = CredReadW (L"hs-crafted-target", 1, 0, &cr);
      if (cr)
        CredFree (cr);
      CHECK (c == HS_PORT_BAD_INPUT && n == 0 && !written, "crafted payload, %s: bad_input, nothing written",
             cases[i].what);
    }
  memset (&p, 0, sizeof p);
  memcpy (p.d, "HSCP", 4);
  p.n = 4;
  p_u32 (&p, 1);
  p_u32 (&p, 1);
  p_entry (&p, 1, 2, L"hs-crafted-target", 0, 4, 0);
  int c = restore_payload (&p, path, &n);
  PCREDENTIALW cr = NULL;
  int ok = CredReadW (L"hs-crafted-target", 1, 0, &cr) && cr->UserName == NULL
           && cr->CredentialBlobSize == 4;
  if (cr)
    CredFree (cr);
  CHECK (c == HS_PORT_OK && n == 1 && ok, "a minimal well-formed payload (36-byte entry) restores");
}

static int
unit (void)
{
  unit_delete_cancel ();
  unit_crafted_payloads ();
  check_quote_exact (L"plain", L"plain");
  check_quote_exact (L"", L"\"\"");
  check_quote_exact (L"a b", L"\"a b\"");
  check_quote_exact (L"a\"b", L"\"a\\\"b\"");
  check_quote_exact (L"a\\\"b", L"\"a\\\\\\\"b\"");
  check_quote_exact (L"C:\\dir with space\\", L"\"C:\\dir with space\\\\\"");
  check_quote_exact (L"C:\\no\\space\\", L"C:\\no\\space\\");
  static const wchar_t *const rt[] = {
    L"", L" ", L"a b c", L"\"", L"\\\"", L"\\\\\"x", L"x\\", L"x \\", L"x \\\\",
    L"tab\there", L"new\nline", L"'single' quotes", L"\x00fc\x30c6", L"a\\\\b c\\",
    L"Get-AppxPackage -Name 'Microsoft.AAD.BrokerPlugin' | ForEach-Object { $_.Status }",
  };
  for (size_t i = 0; i < sizeof rt / sizeof rt[0]; i++)
    check_quote (rt[i]);

  /* command line built from UTF-8 */
  const char *args[] = { "-Command", "a \"b\" c\\", "\xc3\xbc" };
  wchar_t *cl = hs_win32_build_command_line (L"C:\\windows\\system32\\w32tm.exe", args, 3);
  int n = 0;
  wchar_t **p = CommandLineToArgvW (cl, &n);
  CHECK (p && n == 4 && wcscmp (p[0], L"C:\\windows\\system32\\w32tm.exe") == 0
         && wcscmp (p[2], L"a \"b\" c\\") == 0 && wcscmp (p[3], L"\x00fc") == 0,
         "command line from UTF-8 parses back into 4 arguments");
  LocalFree (p);
  free (cl);

  /* e-mail scanning */
  static const struct { const char *in; const char *want; } em[] = {
    { "{\"UPN\":\"erin@northwind.com\"}", "erin@northwind.com" },
    { "xx first.last+tag@sub.example.co.uk, more", "first.last+tag@sub.example.co.uk" },
    { "no address @ here", NULL },
    { "user@localhost", NULL },
    { "trailing dot a@b.com.", "a@b.com" },
    { "@@@@", NULL },
    { "x@.evil.com then y@ok.org", "y@ok.org" },   /* found by fuzz-win32-text */
    { "a@b..com", NULL },
  };
  for (size_t i = 0; i < sizeof em / sizeof em[0]; i++)
    {
      char *got = hs_win32_scan_email ((const unsigned char *) em[i].in, strlen (em[i].in));
      CHECK ((got == NULL && em[i].want == NULL)
             || (got && em[i].want && strcmp (got, em[i].want) == 0),
             "scan_email [%s] -> [%s]", em[i].in, got ? got : "(none)");
      free (got);
    }
  const wchar_t *w16 = L"\xfeff{\"UPN\":\"Zoe@Contoso.com\"}";
  char *got = hs_win32_scan_email ((const unsigned char *) w16, wcslen (w16) * 2);
  CHECK (got && strcmp (got, "Zoe@Contoso.com") == 0, "scan_email in UTF-16 -> %s",
         got ? got : "(none)");
  free (got);

  /* Get-AppxPackage output */
  CHECK (hs_win32_parse_appx_output ("PackageFamilyName=Microsoft.AAD.BrokerPlugin_cw5n1h2txyewy\r\nStatus=Ok\r\n",
                                     0, HS_BROKER_FAMILY) == HS_TRI_YES, "appx output with the family: registered");
  CHECK (hs_win32_parse_appx_output ("\xef\xbb\xbf  packagefamilyname=microsoft.aad.brokerplugin_cw5n1h2txyewy  \r\n",
                                     0, HS_BROKER_FAMILY) == HS_TRI_YES, "appx output: BOM, case, spaces tolerated");
  CHECK (hs_win32_parse_appx_output ("PackageFamilyName=Microsoft.AAD.BrokerPlugin_cw5n1h2txyewyX\n",
                                     0, HS_BROKER_FAMILY) == HS_TRI_NO, "appx output: longer family does not match");
  CHECK (hs_win32_parse_appx_output ("", 0, HS_BROKER_FAMILY) == HS_TRI_NO, "appx output empty: not registered");
  CHECK (hs_win32_parse_appx_output ("\r\n  \r\n", 0, HS_BROKER_FAMILY) == HS_TRI_NO,
         "appx output blank lines: not registered");
  CHECK (hs_win32_parse_appx_output ("\x9c\x01garbage\xff\r\nmore", 0, HS_BROKER_FAMILY) == HS_TRI_UNKNOWN,
         "appx output garbage: unknown, not 'not registered'");
  CHECK (hs_win32_parse_appx_output ("WARNING: x\r\nPackageFamilyName=Other_cw5n1h2txyewy\r\n", 0,
                                     HS_BROKER_FAMILY) == HS_TRI_NO,
         "appx output: our lines for another package beside a warning: not registered");
  CHECK (hs_win32_parse_appx_output ("PackageFamilyName=Other_cw5n1h2txyewy\r\n", 1, HS_BROKER_FAMILY)
         == HS_TRI_UNKNOWN, "appx output cut short without the family: unknown");
  CHECK (hs_win32_parse_appx_output ("PackageFamilyName=Microsoft.AAD.BrokerPlugin_cw5n1h2txyewy\r\nStat", 1,
                                     HS_BROKER_FAMILY) == HS_TRI_YES, "appx output cut short after the family: registered");

  /* exit codes and child output made fit for a status detail */
  char line[16], how[96];
  hs_win32_first_line ("ab\x01\tc\xff\xc3\xa9\r\nsecond", line, sizeof line);
  CHECK (strcmp (line, "ab? c?\xc3\xa9") == 0, "first line: controls and bad UTF-8 replaced, first line only");
  hs_win32_first_line ("abcdefghijklm\xc3\xa9", line, 15);
  CHECK (strcmp (line, "abcdefghijklm") == 0, "first line: never cut inside a character");
  hs_win32_first_line ("\xef\xbb\xbf" "BOM\xed\xa0\x80", line, sizeof line);
  CHECK (strcmp (line, "BOM???") == 0, "first line: BOM dropped, surrogate encoded in UTF-8 refused (%s)", line);
  hs_win32_first_line (NULL, line, sizeof line);
  CHECK (line[0] == '\0', "first line of NULL: empty");
  hs_win32_describe_exit (3, how, sizeof how);
  CHECK (strcmp (how, "exited with 3") == 0 && !hs_win32_exit_is_crash (3), "exit 3: %s", how);
  hs_win32_describe_exit (0xC0000005u, how, sizeof how);
  CHECK (strcmp (how, "crashed (0xC0000005, access violation)") == 0 && hs_win32_exit_is_crash (0xC0000005u),
         "access violation: %s", how);
  hs_win32_describe_exit (0xC0001234u, how, sizeof how);
  CHECK (strcmp (how, "crashed (0xC0001234)") == 0, "unknown NTSTATUS: %s", how);
  CHECK (hs_win32_family_valid (HS_BROKER_FAMILY) && hs_win32_family_valid (HS_CXH_FAMILY),
         "both families valid");
  CHECK (!hs_win32_family_valid ("x'; Remove-Item C:\\ -Recurse; '_cw5n1h2txyewy")
         && !hs_win32_family_valid ("Microsoft.AAD.BrokerPlugin") && !hs_win32_family_valid (""),
         "hostile or malformed family names refused");

  /* platform vtable */
  HsPlatform *pl = hs_win32_platform_new ();
  CHECK (pl && strcmp (pl->name, "win32") == 0 && !pl->simulated && pl->time_settings
         && pl->clock_offset && pl->enable_auto_time && pl->resync && pl->list_credentials
         && pl->delete_credentials && pl->restore_credentials && pl->backup_dir
         && pl->package_state && pl->reregister_package && pl->list_accounts
         && pl->open_settings && pl->restart_teams && pl->elevate && pl->destroy,
         "hs_win32_platform_new fills every function pointer");
  HsOffsetSample os;
  HsPortStatus st;
  CHECK (pl->clock_offset (pl->self, &os, &st) == HS_PORT_UNSUPPORTED,
         "clock_offset is unsupported (core measures)");
  char *bd = NULL;
  CHECK (pl->backup_dir (pl->self, &bd, &st) == HS_PORT_OK && bd
         && strstr (bd, "\\Handshake\\backups") != NULL, "backup_dir is %s", bd ? bd : "(null)");
  free (bd);
  int ec = 0;
  CHECK (pl->elevate (pl->self, "rm -rf", 0, &ec, NULL, &st) == HS_PORT_BAD_INPUT,
         "elevate refuses names off the fixed list");
  CHECK (hs_win32_run_elevated_action ("format-c", 0) == 2, "unknown elevated action -> 2");
  CHECK (pl->open_settings (pl->self, "https://evil.example/", &st) == HS_PORT_BAD_INPUT
         && pl->open_settings (pl->self, "file:///C:/windows/system32/cmd.exe", &st) == HS_PORT_BAD_INPUT
         && pl->open_settings (pl->self, "ms-settings:x\" & calc", &st) == HS_PORT_BAD_INPUT,
         "open_settings refuses anything but ms-settings:");
  CHECK (pl->reregister_package (pl->self, "Evil_cw5n1h2txyewy", NULL, &st) == HS_PORT_BAD_INPUT,
         "reregister refuses other families");
  pl->destroy (pl->self);
  printf ("%d failure(s)\n", failures);
  return failures ? 1 : 0;
}

/* plant-secret TARGET SECRET: one generic credential whose blob is SECRET
 * as UTF-16LE (how Windows stores a password), user "secret-owner". */
static int
plant_secret (const wchar_t *target, const wchar_t *secret)
{
  CREDENTIALW c;
  memset (&c, 0, sizeof c);
  c.Type = CRED_TYPE_GENERIC;
  c.TargetName = (LPWSTR) target;
  c.UserName = (LPWSTR) L"secret-owner";
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
    return plant_secret (argv[2], argv[3]);
  if (wcscmp (argv[1], L"check-secret") == 0 && argc == 4)
    return check_secret (argv[2], argv[3]);
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
  fprintf (stderr, "hs-wine-tool: bad usage\n");
  return 2;
}
