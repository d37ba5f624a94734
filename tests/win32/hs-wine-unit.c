/* hs-wine-unit.c — unit tests of core/win32 run inside Wine: quoting,
 * parsing, scanning, the backup's cancel and crafted payloads, the vtable. */
#include <windows.h>
#include <wincred.h>
#include <wincrypt.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"
#include "hs-wine-tool.h"

int failures;

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
  HsRestoreList rl = { 0 };
  c = hs_win32_restore_credentials (path, 0, &rl, &st);
  size_t n = rl.n_restored;
  hs_port_restore_list_free (&rl);
  CHECK (c == HS_PORT_OK && n == 5, "the backup holds all five (restored %lu; the three left "
         "are older than the backup, so they are written over)", (unsigned long) n);
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
  HsRestoreList rl = { 0 };
  int c = (int) hs_win32_restore_credentials (u, 0, &rl, &st);
  *n = rl.n_restored;
  hs_port_restore_list_free (&rl);
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

int
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
         && pl->open_settings && pl->restart_teams && pl->elevate && pl->destroy
         && pl->clock_stamp && pl->user_context,
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
  CHECK (pl->elevate (pl->self, "rm -rf", NULL, 0, &ec, NULL, &st) == HS_PORT_BAD_INPUT
         && pl->elevate (pl->self, "clock-fix:1:2:3", NULL, 0, &ec, NULL, &st) == HS_PORT_BAD_INPUT,
         "elevate refuses names off the fixed list (and a name carrying its own numbers)");
  CHECK (hs_win32_run_elevated_action ("format-c", 0) == 2
         && hs_win32_run_elevated_action ("clock-fix:1:x:3", 0) == 2
         && hs_win32_run_elevated_action ("clock-fix; calc", 0) == 2,
         "unknown or malformed elevated action -> 2");
  CHECK (pl->open_settings (pl->self, "https://evil.example/", &st) == HS_PORT_BAD_INPUT
         && pl->open_settings (pl->self, "file:///C:/windows/system32/cmd.exe", &st) == HS_PORT_BAD_INPUT
         && pl->open_settings (pl->self, "ms-settings:x\" & calc", &st) == HS_PORT_BAD_INPUT,
         "open_settings refuses anything but ms-settings:");
  CHECK (pl->reregister_package (pl->self, "Evil_cw5n1h2txyewy", NULL, &st) == HS_PORT_BAD_INPUT,
         "reregister refuses other families");
  pl->destroy (pl->self);
  unit_issue11 ();
  printf ("%d failure(s)\n", failures);
  return failures ? 1 : 0;
}

