/* hs-wine-unit11.c — unit tests of issue 11 ("right on a real Windows PC")
 * inside Wine. Where Wine differs from Windows the seams in
 * hs_win32_test_hooks (core/win32/hs-win32.h) stand in, set here in this
 * process only:
 *  - withhold_domain_secrets: Wine hands out every secret, Windows none for
 *    CRED_TYPE_DOMAIN_PASSWORD/_CERTIFICATE/_EXTENDED (CREDENTIALW docs);
 *  - session_user / session_domain: Wine has one user in one session;
 *  - session_of: every Wine process is in session 1;
 *  - before_shell_execute: sees the thread and SHELLEXECUTEINFOW of the call.
 * Output shapes are Microsoft's, cited where they are used. */
#include <windows.h>
#include <objbase.h>
#include <shellapi.h>
#include <wincred.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"
#include "hs-wine-tool.h"

static void
plant (const wchar_t *target, DWORD type, const char *secret)
{
  CREDENTIALW c;
  memset (&c, 0, sizeof c);
  c.Type = type;
  c.TargetName = (LPWSTR) target;
  c.UserName = (LPWSTR) L"someone@example.com";
  c.Persist = CRED_PERSIST_LOCAL_MACHINE;
  c.CredentialBlob = (LPBYTE) secret;
  c.CredentialBlobSize = (DWORD) strlen (secret);
  if (!CredWriteW (&c, 0))
    printf ("plant failed: %lu\n", GetLastError ());
}

/* 1 when the credential is there with exactly this secret (seam off) */
static int
has_secret (const wchar_t *target, DWORD type, const char *secret)
{
  PCREDENTIALW c = NULL;
  if (!CredReadW (target, type, 0, &c))
    return 0;
  int same = c->CredentialBlobSize == strlen (secret)
             && memcmp (c->CredentialBlob, secret, c->CredentialBlobSize) == 0;
  CredFree (c);
  return same;
}

static int
exists (const wchar_t *target, DWORD type)
{
  PCREDENTIALW c = NULL;
  if (!CredReadW (target, type, 0, &c))
    return 0;
  CredFree (c);
  return 1;
}

/* point 1: nothing that cannot be put back goes without a separate yes */
static void
unrestorable (void)
{
  const wchar_t *dom = L"MicrosoftAccount:user=hs11@example.com";
  plant (dom, CRED_TYPE_DOMAIN_PASSWORD, "domain-secret");
  plant (L"hs11-generic", CRED_TYPE_GENERIC, "generic-secret");
  hs_win32_test_hooks.withhold_domain_secrets = 1;

  HsCredentialList list = { 0 };
  HsPortStatus st;
  hs_win32_list_credentials (&list, &st);
  HsTri r_dom = HS_TRI_UNKNOWN, r_gen = HS_TRI_UNKNOWN;
  for (size_t i = 0; i < list.n_items; i++)
    {
      if (strcmp (list.items[i].target, "MicrosoftAccount:user=hs11@example.com") == 0)
        r_dom = list.items[i].restorable;
      if (strcmp (list.items[i].target, "hs11-generic") == 0)
        r_gen = list.items[i].restorable;
    }
  hs_port_credentials_free (&list);
  CHECK (r_dom == HS_TRI_NO && r_gen == HS_TRI_YES,
         "listing: a domain password whose secret Windows withholds is not restorable, a generic one is");

  HsCredentialRef refs[2] = { { "MicrosoftAccount:user=hs11@example.com", CRED_TYPE_DOMAIN_PASSWORD, 0 },
                              { "hs11-generic", CRED_TYPE_GENERIC, 0 } };
  HsCredentialOutcome out[2];
  char *bk = NULL;
  HsPortCode c = hs_win32_delete_credentials (refs, 2, "C:\\hs11-backups", &bk, out, NULL, &st);
  hs_win32_test_hooks.withhold_domain_secrets = 0;
  CHECK (c == HS_PORT_SKIPPED && out[0].code == HS_PORT_SKIPPED
         && out[0].reason == HS_CRED_SKIP_UNRESTORABLE && out[1].code == HS_PORT_OK
         && has_secret (dom, CRED_TYPE_DOMAIN_PASSWORD, "domain-secret")
         && !exists (L"hs11-generic", CRED_TYPE_GENERIC),
         "without the separate permission the unrestorable entry is skipped and stays (%s, %s)",
         hs_port_code_name (c), hs_port_code_name (out[0].code));
  HsRestoreList rl = { 0 };
  c = hs_win32_restore_credentials (bk, 0, &rl, &st);
  CHECK (c == HS_PORT_OK && rl.n_items == 1 && rl.n_restored == 1
         && has_secret (L"hs11-generic", CRED_TYPE_GENERIC, "generic-secret"),
         "the backup holds only what was deleted, and it comes back");
  hs_port_restore_list_free (&rl);
  free (bk);

  refs[0].allow = HS_CRED_ALLOW_UNRESTORABLE;
  hs_win32_test_hooks.withhold_domain_secrets = 1;
  c = hs_win32_delete_credentials (refs, 1, "C:\\hs11-backups", &bk, out, NULL, &st);
  hs_win32_test_hooks.withhold_domain_secrets = 0;
  CHECK (c == HS_PORT_OK && out[0].code == HS_PORT_OK && !exists (dom, CRED_TYPE_DOMAIN_PASSWORD),
         "with HS_CRED_ALLOW_UNRESTORABLE it is deleted");
  c = hs_win32_restore_credentials (bk, 0, &rl, &st);
  CHECK (c == HS_PORT_SKIPPED && rl.n_items == 1 && rl.items[0].code == HS_PORT_SKIPPED
         && rl.items[0].reason == HS_CRED_SKIP_NO_SECRET && !exists (dom, CRED_TYPE_DOMAIN_PASSWORD),
         "restore never writes an entry without its secret: skipped, reason %s",
         rl.n_items ? hs_cred_skip_reason_name (rl.items[0].reason) : "-");
  hs_port_restore_list_free (&rl);
  plant (dom, CRED_TYPE_DOMAIN_PASSWORD, "typed-again");
  c = hs_win32_restore_credentials (bk, HS_RESTORE_OVERWRITE_NEWER, &rl, &st);
  CHECK (c == HS_PORT_SKIPPED && has_secret (dom, CRED_TYPE_DOMAIN_PASSWORD, "typed-again"),
         "not even with the overwrite permission over an entry typed again");
  hs_port_restore_list_free (&rl);
  free (bk);
  CredDeleteW (dom, CRED_TYPE_DOMAIN_PASSWORD, 0);
}

/* point 8: a restore does not overwrite what was written after the backup */
static void
newer_entries (void)
{
  const wchar_t *t = L"hs11-newer";
  plant (t, CRED_TYPE_GENERIC, "old-secret");
  HsCredentialRef ref = { "hs11-newer", CRED_TYPE_GENERIC, 0 };
  HsCredentialOutcome out;
  HsPortStatus st;
  char *bk = NULL;
  hs_win32_delete_credentials (&ref, 1, "C:\\hs11-backups", &bk, &out, NULL, &st);
  Sleep (20);
  plant (t, CRED_TYPE_GENERIC, "new-secret");   /* the user signed in again */
  HsRestoreList rl = { 0 };
  HsPortCode c = hs_win32_restore_credentials (bk, 0, &rl, &st);
  CHECK (c == HS_PORT_SKIPPED && rl.n_items == 1 && rl.items[0].reason == HS_CRED_SKIP_NEWER
         && has_secret (t, CRED_TYPE_GENERIC, "new-secret"),
         "an entry written after the backup is not overwritten (%s)", st.detail);
  hs_port_restore_list_free (&rl);
  c = hs_win32_restore_credentials (bk, HS_RESTORE_OVERWRITE_NEWER, &rl, &st);
  CHECK (c == HS_PORT_OK && rl.n_restored == 1 && has_secret (t, CRED_TYPE_GENERIC, "old-secret"),
         "with HS_RESTORE_OVERWRITE_NEWER it is");
  hs_port_restore_list_free (&rl);
  free (bk);
  CredDeleteW (t, CRED_TYPE_GENERIC, 0);
}

/* point 2: the reference arithmetic and the helper's spec */
static void
clock_reference (void)
{
  HsClockStamp at = { 1700000000000000LL, 5000000 };
  HsClockReference ref;
  int64_t off = 0;
  hs_clock_reference_make (&ref, &at, 120.5);
  CHECK (ref.valid && ref.offset_us == 120500000 && ref.true_utc_us == 1700000000000000LL - 120500000,
         "a reference holds true UTC and the offset in microseconds");
  HsClockStamp later = { 1700000000000000LL + 60000000, 5000000 + 60000000 };
  CHECK (hs_clock_reference_offset_now (&ref, &later, &off) && off == 120500000,
         "a minute later with the clock untouched: the same offset");
  HsClockStamp fixed = { 1700000000000000LL + 60000000 - 120500000, 5000000 + 60000000 };
  CHECK (hs_clock_reference_offset_now (&ref, &fixed, &off) && off == 0,
         "after someone fixed the clock: offset 0 (a stale offset would step it wrong)");
  HsClockStamp old = { at.system_utc_us, at.mono_us + HS_CLOCK_REF_MAX_AGE_US + 1 };
  CHECK (!hs_clock_reference_offset_now (&ref, &old, &off), "a reference over 15 min old is refused");
  char spec[128], name[32];
  HsClockReference back;
  hs_win32_format_action_spec ("clock-fix", &ref, spec, sizeof spec);
  CHECK (hs_win32_parse_action_spec (spec, name, sizeof name, &back) && back.valid
         && strcmp (name, "clock-fix") == 0 && back.true_utc_us == ref.true_utc_us
         && back.offset_us == ref.offset_us && back.mono_us == ref.mono_us
         && strchr (spec, '.') == NULL && strchr (spec, ',') == NULL,
         "the spec is integers only and round-trips: %s", spec);
  static const char *const bad[] = { "clock-fix:1:2", "clock-fix:1:2:3:4", "clock-fix:1.5:2:3",
                                     "clock-fix:1:2:3 ", "Clock-fix", "clock-fix:99999999999999999999:0:0",
                                     ":1:2:3", "clock fix", "" };
  int refused = 1;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    refused &= !hs_win32_parse_action_spec (bad[i], name, sizeof name, &back);
  CHECK (refused, "malformed specs are refused");
  /* every failure reason of the helper maps to its own port code or detail */
  static const struct { int ec; HsPortCode want; } map[] = {
    { 0, HS_PORT_OK }, { 2, HS_PORT_BAD_INPUT }, { 3, HS_PORT_NOT_FOUND },
    { 4, HS_PORT_ACCESS_DENIED }, { 7, HS_PORT_UNREACHABLE }, { 9, HS_PORT_TIMEOUT },
    { 10, HS_PORT_NO_EFFECT }, { 11, HS_PORT_STALE }, { 13, HS_PORT_PENDING },
    { 14, HS_PORT_MANAGED }, { 5, HS_PORT_FAILED }, { 6, HS_PORT_FAILED }, { 8, HS_PORT_FAILED },
    { 12, HS_PORT_FAILED }, { 77, HS_PORT_FAILED },
  };
  char details[16][512];
  int ok = 1;
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    {
      HsPortStatus st;
      ok &= hs_win32_elevated_exit_status (map[i].ec, &st) == map[i].want;
      snprintf (details[i], sizeof details[i], "%s", st.detail);
      for (size_t k = 0; k < i; k++)
        ok &= strcmp (details[k], details[i]) != 0;
    }
  CHECK (ok, "each helper exit code maps to its port code with its own detail");
}

/* point 4: the account of the process and the session's */
static void
user_context (void)
{
  HsUserContext u;
  HsPortStatus st;
  CHECK (hs_win32_user_context (&u, &st) == HS_PORT_OK && u.same_user == HS_TRI_YES,
         "under Wine the process runs as the session's user (%s / %s)", u.process_user,
         u.session_user);
  hs_win32_test_hooks.session_domain = L"CONTOSO";
  hs_win32_test_hooks.session_user = L"jane.doe";
  HsPortCode c = hs_win32_user_context (&u, &st);
  hs_win32_test_hooks.session_domain = hs_win32_test_hooks.session_user = NULL;
  CHECK (c == HS_PORT_OK && u.same_user == HS_TRI_NO && strcmp (u.session_user, "CONTOSO\\jane.doe") == 0,
         "support staff elevated with their own account: same_user=no (%s at %s's session)",
         u.process_user, u.session_user);
}

/* points 7 and 10: readers of Get-AppxPackage and w32tm output */
static void
readers (void)
{
  uint32_t flags;
  char text[64];
  /* Get-AppxPackage prints Status as its PackageStatus name ("Ok"), a flags
   * value as "Modified, Tampered" (Windows.Management.Deployment.PackageStatus) */
  const char *out = "PackageFamilyName=Other_cw5n1h2txyewy\r\nStatus=Ok\r\n"
                    "PackageFamilyName=" HS_BROKER_FAMILY "\r\nPackageFullName=x\r\n"
                    "Status=NeedsRemediation\r\n";
  CHECK (hs_win32_parse_appx_status (out, HS_BROKER_FAMILY, &flags, text, sizeof text) == HS_TRI_NO
         && (flags & HS_PKG_STATUS_NEEDS_REMEDIATION) && strcmp (text, "NeedsRemediation") == 0,
         "appx status NeedsRemediation of our block, not the other package's Ok");
  CHECK (hs_win32_parse_appx_status ("PackageFamilyName=" HS_BROKER_FAMILY "\nStatus=Modified, Tampered\n",
                                     HS_BROKER_FAMILY, &flags, text, sizeof text) == HS_TRI_NO
         && flags == (HS_PKG_STATUS_MODIFIED | HS_PKG_STATUS_TAMPERED), "appx status flags combined");
  CHECK (hs_win32_parse_appx_status ("PackageFamilyName=" HS_BROKER_FAMILY "\nStatus=Ok\n",
                                     HS_BROKER_FAMILY, &flags, text, sizeof text) == HS_TRI_YES,
         "appx status Ok");
  CHECK (hs_win32_parse_appx_status ("PackageFamilyName=" HS_BROKER_FAMILY "\nStatus=Ok\x1b[31m\n",
                                     HS_BROKER_FAMILY, &flags, text, sizeof text) == HS_TRI_UNKNOWN
         && text[0] == '\0'   /* found by fuzz-win32-text: text was left unterminated */
         && hs_win32_parse_appx_status ("PackageFamilyName=" HS_BROKER_FAMILY "\n",
                                        HS_BROKER_FAMILY, &flags, text, sizeof text) == HS_TRI_UNKNOWN,
         "appx status unreadable or absent: unknown");
  /* w32tm (Microsoft's "Windows Time service tools and settings"): progress
   * first, the result last; errors as "The following error occurred: ...
   * (0x80070005)" */
  uint32_t hr;
  CHECK (hs_win32_parse_w32tm ("Sending resync command to local computer\r\nThe computer did not "
                               "resync because no time data was available.\r\n", &hr)
         == HS_W32TM_NO_TIME_DATA, "w32tm: no time data");
  CHECK (hs_win32_parse_w32tm ("Sending resync command to local computer\r\nThe command completed "
                               "successfully.\r\n", &hr) == HS_W32TM_DONE, "w32tm: done");
  CHECK (hs_win32_parse_w32tm ("The following error occurred: Access is denied. (0x80070005)\r\n", &hr)
         == HS_W32TM_ERROR && hr == 0x80070005u, "w32tm: an HRESULT in any language");
  char line[64];
  hs_win32_last_line ("Sending resync command to local computer\r\nDone here.\r\n\r\n  \r\n", line,
                      sizeof line);
  CHECK (strcmp (line, "Done here.") == 0, "last line, not the progress line (%s)", line);
  CHECK (hs_win32_utf8_valid ("ab\xc3\xa9", 4, 0) && !hs_win32_utf8_valid ("ab\x81", 3, 0)
         && hs_win32_utf8_valid ("ab\xe3\x81", 4, 1) && !hs_win32_utf8_valid ("ab\xe3\x81", 4, 0),
         "UTF-8 check, with a sequence cut by the capture's cap");
  size_t n;
  char *u = hs_win32_codepage_to_utf8 (850, "verf\x81gbar", 9, &n);
  char *j = hs_win32_codepage_to_utf8 (932, "\x82\xa0", 2, &n);
  CHECK (u && strcmp (u, "verf\xc3\xbcgbar") == 0 && j && strcmp (j, "\xe3\x81\x82") == 0,
         "CP850 and CP932 bytes decode to UTF-8");
  free (u);
  free (j);
}

void
unit_issue11 (void)
{
  unrestorable ();
  newer_entries ();
  clock_reference ();
  user_context ();
  readers ();
}

/* ---- tool subcommands over seams ------------------------------------------- */

static DWORD foreign_pids[16];
static int n_foreign;

static uint32_t
foreign_session_of (uint32_t pid)
{
  for (int i = 0; i < n_foreign; i++)
    if (foreign_pids[i] == pid)
      return 77;
  DWORD s = 0;
  return ProcessIdToSessionId (pid, &s) ? s : (uint32_t) -1;
}

/* restart-teams-foreign PID...: restart Teams with those pids presented as
 * another session's (seam session_of); prints the report */
int
restart_teams_foreign (int argc, wchar_t **argv)
{
  for (int i = 0; i < argc && i < 16; i++)
    foreign_pids[n_foreign++] = (DWORD) wcstoul (argv[i], NULL, 10);
  hs_win32_test_hooks.session_of = foreign_session_of;
  hs_win32_set_teams_grace_ms (1500);
  HsTeamsRestart r;
  HsPortStatus st;
  HsPortCode c = hs_win32_restart_teams (&r, NULL, &st);
  printf ("result=%s\tfound=%lu\tother_sessions=%lu\tkilled=%lu\tdetail=%s\n", hs_port_code_name (c),
          (unsigned long) r.found, (unsigned long) r.other_sessions, (unsigned long) r.killed, st.detail);
  return 0;
}

/* ---- point 6: COM and the owner of the UAC prompt --------------------------- */

typedef struct {
  DWORD     thread;
  int       sta;         /* the calling thread was a single-threaded apartment */
  uintptr_t hwnd;
  int       calls;
} SeenCall;

static SeenCall seen;

static void
before_shell_execute (const void *sei, void *data)
{
  const SHELLEXECUTEINFOW *s = sei;
  seen.thread = GetCurrentThreadId ();
  /* S_FALSE: COM is already initialised here as an STA (and must be
   * balanced); RPC_E_CHANGED_MODE would mean an MTA */
  HRESULT hr = CoInitializeEx (NULL, COINIT_APARTMENTTHREADED);
  seen.sta = hr == S_FALSE;
  if (SUCCEEDED (hr))
    CoUninitialize ();
  seen.hwnd = (uintptr_t) s->hwnd;
  seen.calls++;
}

typedef struct {
  int        mta;          /* initialise this thread as MTA first */
  HsPortCode code;
  int        exit_code;
  DWORD      thread;
  int        still_mta;    /* the caller's apartment is unchanged afterwards */
} Caller;

static DWORD WINAPI
caller_thread (LPVOID data)
{
  Caller *c = data;
  HsPortStatus st;
  c->thread = GetCurrentThreadId ();
  if (c->mta)
    CoInitializeEx (NULL, COINIT_MULTITHREADED);
  c->code = hs_win32_elevate ("clock-fix", NULL, (uintptr_t) 0x1234, &c->exit_code, NULL, &st);
  if (c->mta)
    {
      HRESULT hr = CoInitializeEx (NULL, COINIT_MULTITHREADED);
      c->still_mta = hr == S_FALSE;
      if (SUCCEEDED (hr))
        CoUninitialize ();
      CoUninitialize ();
    }
  return 0;
}

/* elevate-com: needs handshake-cli.exe (a stand-in) next to this tool */
int
elevate_com (void)
{
  hs_win32_test_hooks.before_shell_execute = before_shell_execute;
  for (int mta = 0; mta < 2; mta++)
    {
      Caller c = { mta };
      memset (&seen, 0, sizeof seen);
      HANDLE t = CreateThread (NULL, 0, caller_thread, &c, 0, NULL);
      WaitForSingleObject (t, 60000);
      CloseHandle (t);
      CHECK (seen.calls == 1 && seen.sta && seen.hwnd == 0x1234,
             "%s caller: ShellExecuteExW ran in a single-threaded apartment, owned by the wizard's window",
             mta ? "MTA" : "plain");
      if (mta)
        CHECK (seen.thread != c.thread && c.still_mta,
               "MTA caller: the call ran on a helper thread; the caller's apartment is unchanged");
      else
        CHECK (seen.thread == c.thread, "plain caller: the call ran on the caller's thread");
      CHECK (c.code == HS_PORT_OK && c.exit_code == 0, "the helper ran (%s, exit %d)",
             hs_port_code_name (c.code), c.exit_code);
    }
  hs_win32_test_hooks.before_shell_execute = NULL;
  printf ("%d failure(s)\n", failures);
  return failures ? 1 : 0;
}
