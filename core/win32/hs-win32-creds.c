/* hs-win32-creds.c — step 2: Credential Manager listing, backup-then-delete,
 * restore. The backup format is documented in README.md ("Backup format"). */
#include <windows.h>
#include <wincred.h>
#include <wincrypt.h>
#include <shlobj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"
#include "hs-win32-backup-format.h"


static const char bk_entropy[] = HS_BK_ENTROPY;

int
hs_win32_cred_type_withholds_secret (uint32_t type)
{
  /* "for CRED_TYPE_DOMAIN_PASSWORD, this member can only be read by the
   * authentication packages" (CREDENTIALW, CredentialBlob); the same holds
   * for the certificate PIN and the extended domain type */
  return type == CRED_TYPE_DOMAIN_PASSWORD || type == CRED_TYPE_DOMAIN_CERTIFICATE
         || type == 6 /* CRED_TYPE_DOMAIN_EXTENDED */;
}

/* 1 when what CredRead/CredEnumerate handed out for c is not its secret */
static int
secret_withheld (const CREDENTIALW *c)
{
  return hs_win32_cred_type_withholds_secret (c->Type)
         && (c->CredentialBlobSize == 0 || hs_win32_test_hooks.withhold_domain_secrets);
}

static int64_t
filetime_to_unix (FILETIME ft)
{
  ULARGE_INTEGER u;
  u.LowPart = ft.dwLowDateTime;
  u.HighPart = ft.dwHighDateTime;
  if (u.QuadPart == 0)
    return 0;
  return (int64_t) (u.QuadPart / 10000000ULL) - 11644473600LL;
}

HsPortCode
hs_win32_list_credentials (HsCredentialList *out, HsPortStatus *st)
{
  DWORD count = 0;
  PCREDENTIALW *creds = NULL;
  out->items = NULL;
  out->n_items = 0;
  if (!CredEnumerateW (NULL, 0, &count, &creds))
    {
      DWORD e = GetLastError ();
      if (e == ERROR_NOT_FOUND)
        {
          hs_port_status_set (st, HS_PORT_OK, 0, "no credentials");
          return HS_PORT_OK;
        }
      return hs_win32_status_from_error (st, e, "CredEnumerateW");
    }
  out->items = calloc (count ? count : 1, sizeof (HsCredential));
  if (out->items == NULL)
    {
      CredFree (creds);
      hs_port_status_set (st, HS_PORT_FAILED, 0, "out of memory");
      return HS_PORT_FAILED;
    }
  for (DWORD i = 0; i < count; i++)
    {
      HsCredential *c = &out->items[out->n_items];
      c->target = hs_win32_utf8 (creds[i]->TargetName);
      if (c->target == NULL)
        continue;   /* unpaired surrogates: cannot be named in UTF-8, skip */
      c->type = creds[i]->Type;
      c->user = hs_win32_utf8 (creds[i]->UserName);
      c->comment = hs_win32_utf8 (creds[i]->Comment);
      c->last_written_unix = filetime_to_unix (creds[i]->LastWritten);
      c->persist = creds[i]->Persist;
      c->blob_size = creds[i]->CredentialBlobSize;
      c->restorable = secret_withheld (creds[i]) ? HS_TRI_NO : HS_TRI_YES;
      if (c->restorable == HS_TRI_NO)
        c->blob_size = 0;   /* what Windows hands out: nothing */
      out->n_items++;
    }
  CredFree (creds);
  hs_port_status_set (st, HS_PORT_OK, 0, "%lu credentials", (unsigned long) out->n_items);
  return HS_PORT_OK;
}

/* ---- backup format (portable, hs-win32-backup-format.c) ----------------- */

/* WCHAR is 16-bit on Windows: the portable UTF-16 strings share its layout */
_Static_assert (sizeof (WCHAR) == sizeof (uint16_t), "WCHAR is UTF-16");
_Static_assert (CRED_MAX_ATTRIBUTES == HS_BK_MAX_ATTRS, "attribute limit");
_Static_assert (CRED_MAX_VALUE_SIZE == HS_BK_MAX_VALUE, "value limit");
_Static_assert (CRED_MAX_CREDENTIAL_BLOB_SIZE * 4 == HS_BK_MAX_BLOB, "blob limit");
_Static_assert (CRED_TYPE_GENERIC == HS_BK_TYPE_MIN && CRED_TYPE_MAXIMUM_EX == HS_BK_TYPE_MAX,
                "credential types");
_Static_assert (CRED_PERSIST_SESSION == HS_BK_PERSIST_MIN
                && CRED_PERSIST_ENTERPRISE == HS_BK_PERSIST_MAX, "persistence");

static void
buf_cred (HsBkBuf *b, const CREDENTIALW *c, int drop_secret)
{
  HsBkRecord r;
  memset (&r, 0, sizeof r);
  r.type = c->Type;
  r.flags = c->Flags;
  r.persist = c->Persist;
  r.target = (uint16_t *) c->TargetName;
  r.user = (uint16_t *) c->UserName;
  r.comment = (uint16_t *) c->Comment;
  r.alias = (uint16_t *) c->TargetAlias;
  r.blob = drop_secret ? NULL : c->CredentialBlob;
  r.blob_size = drop_secret ? 0 : c->CredentialBlobSize;
  r.n_attrs = c->AttributeCount;
  for (DWORD i = 0; i < c->AttributeCount && i < HS_BK_MAX_ATTRS; i++)
    {
      r.attrs[i].keyword = (uint16_t *) c->Attributes[i].Keyword;
      r.attrs[i].flags = c->Attributes[i].Flags;
      r.attrs[i].value = c->Attributes[i].Value;
      r.attrs[i].value_size = c->Attributes[i].ValueSize;
    }
  hs_bk_write_record (b, &r);
}

/* ---- files ------------------------------------------------------------------ */

static int
mkdirs (const wchar_t *dir)
{
  wchar_t *tmp = _wcsdup (dir);
  if (tmp == NULL)
    return 0;
  size_t len = wcslen (tmp);
  while (len > 3 && (tmp[len - 1] == L'\\' || tmp[len - 1] == L'/'))
    tmp[--len] = 0;
  for (size_t i = 1; i <= len; i++)
    {
      if (i == len || tmp[i] == L'\\' || tmp[i] == L'/')
        {
          wchar_t save = tmp[i];
          tmp[i] = 0;
          /* skip "C:" and "\\server\share" roots */
          if (!(i == 2 && tmp[1] == L':') && wcslen (tmp) > 0
              && !(tmp[0] == L'\\' && tmp[1] == L'\\' && wcschr (tmp + 2, L'\\') == NULL))
            {
              if (!CreateDirectoryW (tmp, NULL) && GetLastError () != ERROR_ALREADY_EXISTS)
                {
                  tmp[i] = save;
                  free (tmp);
                  return 0;
                }
            }
          tmp[i] = save;
        }
    }
  DWORD a = GetFileAttributesW (tmp);
  free (tmp);
  return a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY);
}

static HsPortCode
write_file_atomic (const wchar_t *path, const void *data, size_t len, HsPortStatus *st)
{
  size_t pl = wcslen (path);
  wchar_t *tmp = malloc ((pl + 8) * sizeof (wchar_t));
  if (tmp == NULL)
    {
      hs_port_status_set (st, HS_PORT_IO, 0, "out of memory");
      return HS_PORT_IO;
    }
  wcscpy (tmp, path);
  wcscat (tmp, L".tmp");
  HANDLE h = CreateFileW (tmp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE)
    {
      DWORD e = GetLastError ();
      free (tmp);
      hs_port_status_set (st, HS_PORT_IO, e, "cannot create the backup file (Win32 error %lu)",
                          (unsigned long) e);
      return HS_PORT_IO;
    }
  DWORD written = 0;
  BOOL ok = WriteFile (h, data, (DWORD) len, &written, NULL) && written == len
            && FlushFileBuffers (h);
  DWORD e = GetLastError ();
  CloseHandle (h);
  if (!ok || !MoveFileExW (tmp, path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
    {
      if (ok)
        e = GetLastError ();
      DeleteFileW (tmp);
      free (tmp);
      hs_port_status_set (st, HS_PORT_IO, e, "cannot write the backup file (Win32 error %lu)",
                          (unsigned long) e);
      return HS_PORT_IO;
    }
  free (tmp);
  return HS_PORT_OK;
}

HsPortCode
hs_win32_backup_dir (char **out, HsPortStatus *st)
{
  wchar_t *base = NULL;
  *out = NULL;
  if (FAILED (SHGetKnownFolderPath (&FOLDERID_LocalAppData, KF_FLAG_DEFAULT, NULL, &base)))
    {
      hs_port_status_set (st, HS_PORT_NOT_FOUND, 0, "no local application data folder");
      return HS_PORT_NOT_FOUND;
    }
  char *u = hs_win32_utf8 (base);
  CoTaskMemFree (base);
  if (u == NULL)
    {
      hs_port_status_set (st, HS_PORT_FAILED, 0, "folder name not representable");
      return HS_PORT_FAILED;
    }
  size_t n = strlen (u) + 32;
  *out = malloc (n);
  if (*out)
    snprintf (*out, n, "%s\\Handshake\\backups", u);
  free (u);
  hs_port_status_set (st, HS_PORT_OK, 0, "backup directory");
  return *out ? HS_PORT_OK : HS_PORT_FAILED;
}

HsPortCode
hs_win32_delete_credentials (const HsCredentialRef *refs, size_t n_refs,
                             const char *backup_dir, char **backup_path,
                             HsCredentialOutcome *outcomes,
                             const HsPortCancel *cancel, HsPortStatus *st)
{
  HsPortCode code = HS_PORT_OK;
  char *dir_owned = NULL;
  wchar_t *wdir = NULL, *wpath = NULL;
  wchar_t **wtargets = NULL;
  PCREDENTIALW *found = NULL;
  HsBkBuf plain = { 0 };
  DATA_BLOB in, ent, enc = { 0, NULL };
  size_t n_found = 0, n_skipped = 0;

  if (backup_path)
    *backup_path = NULL;
  for (size_t i = 0; i < n_refs; i++)
    {
      outcomes[i].code = HS_PORT_IO;
      outcomes[i].os_error = 0;
      outcomes[i].reason = HS_CRED_SKIP_NONE;
    }
  if (backup_dir == NULL || backup_dir[0] == '\0')
    {
      if (hs_win32_backup_dir (&dir_owned, st) != HS_PORT_OK)
        return HS_PORT_IO;
      backup_dir = dir_owned;
    }
  wdir = hs_win32_wide (backup_dir);
  wtargets = calloc (n_refs ? n_refs : 1, sizeof *wtargets);
  found = calloc (n_refs ? n_refs : 1, sizeof *found);
  if (wdir == NULL || wtargets == NULL || found == NULL)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "bad backup directory or out of memory");
      code = HS_PORT_BAD_INPUT;
      goto out;
    }

  /* 1. read every credential exactly as stored */
  for (size_t i = 0; i < n_refs; i++)
    {
      wtargets[i] = hs_win32_wide (refs[i].target);
      if (wtargets[i] == NULL)
        {
          outcomes[i].code = HS_PORT_BAD_INPUT;
          continue;
        }
      if (!CredReadW (wtargets[i], refs[i].type, 0, &found[i]))
        {
          DWORD e = GetLastError ();
          found[i] = NULL;
          outcomes[i].code = e == ERROR_NOT_FOUND ? HS_PORT_NOT_FOUND : HS_PORT_FAILED;
          outcomes[i].os_error = e;
          continue;
        }
      if (secret_withheld (found[i]) && !(refs[i].allow & HS_CRED_ALLOW_UNRESTORABLE))
        {
          /* the backup could not put it back: not deleted, not backed up */
          CredFree (found[i]);
          found[i] = NULL;
          outcomes[i].code = HS_PORT_SKIPPED;
          outcomes[i].reason = HS_CRED_SKIP_UNRESTORABLE;
          n_skipped++;
          continue;
        }
      n_found++;
    }

  /* 2. one encrypted backup file, written completely before any deletion */
  hs_bk_write_payload_header (&plain, (uint32_t) n_found);
  for (size_t i = 0; i < n_refs; i++)
    if (found[i])
      buf_cred (&plain, found[i], secret_withheld (found[i]));
  if (plain.failed)
    {
      hs_port_status_set (st, HS_PORT_IO, 0, "out of memory building the backup");
      code = HS_PORT_IO;
      goto out;
    }
  in.pbData = plain.data;
  in.cbData = (DWORD) plain.len;
  ent.pbData = (BYTE *) bk_entropy;
  ent.cbData = sizeof bk_entropy - 1;
  /* when it was made travels inside the DPAPI blob, with its description:
   * restore compares it with the LastWritten of entries that exist by then */
  FILETIME made;
  GetSystemTimeAsFileTime (&made);
  char descr8[96];
  snprintf (descr8, sizeof descr8, "%s; created=%llu", HS_BK_DESCRIPTION,
            ((unsigned long long) made.dwHighDateTime << 32) | made.dwLowDateTime);
  wchar_t *descr = hs_win32_wide (descr8);
  BOOL protected_ok = descr != NULL
                      && CryptProtectData (&in, descr, &ent, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &enc);
  free (descr);
  if (!protected_ok)
    {
      DWORD e = GetLastError ();
      hs_port_status_set (st, HS_PORT_IO, e, "CryptProtectData failed (Win32 error %lu)",
                          (unsigned long) e);
      code = HS_PORT_IO;
      goto out;
    }
  if (!mkdirs (wdir))
    {
      DWORD e = GetLastError ();
      hs_port_status_set (st, HS_PORT_IO, e,
                          "cannot create the backup directory %s (Win32 error %lu); nothing deleted",
                          backup_dir, (unsigned long) e);
      code = HS_PORT_IO;
      goto out;
    }
  {
    SYSTEMTIME now;
    GetSystemTime (&now);
    wchar_t name[128];
    size_t dl = wcslen (wdir);
    wpath = malloc ((dl + 130) * sizeof (wchar_t));
    if (wpath == NULL)
      {
        code = HS_PORT_IO;
        goto out;
      }
    /* never replace an earlier backup: the name is unique (time to the
     * millisecond, process id, and a counter until no such file exists) */
    for (unsigned seq = 0; ; seq++)
      {
        _snwprintf (name, 128, L"credentials-%04u%02u%02u-%02u%02u%02u%03u-%lu-%u.hsbak",
                    now.wYear, now.wMonth, now.wDay, now.wHour, now.wMinute, now.wSecond,
                    now.wMilliseconds, (unsigned long) GetCurrentProcessId (), seq);
        name[127] = 0;
        wcscpy (wpath, wdir);
        if (dl > 0 && wpath[dl - 1] != L'\\' && wpath[dl - 1] != L'/')
          wcscat (wpath, L"\\");
        wcscat (wpath, name);
        if (GetFileAttributesW (wpath) == INVALID_FILE_ATTRIBUTES || seq >= 1000)
          break;
      }
  }
  HsBkBuf file = { 0 };
  hs_bk_write_envelope (&file, enc.pbData, enc.cbData);
  if (file.failed)
    {
      free (file.data);
      code = HS_PORT_IO;
      hs_port_status_set (st, code, 0, "out of memory");
      goto out;
    }
  code = write_file_atomic (wpath, file.data, file.len, st);
  free (file.data);
  if (code != HS_PORT_OK)
    goto out;
  if (backup_path)
    *backup_path = hs_win32_utf8 (wpath);

  /* 3. only now delete, one by one, honouring cancel between deletions */
  size_t n_deleted = 0, n_failed = 0, n_gone = 0;
  for (size_t i = 0; i < n_refs; i++)
    {
      if (outcomes[i].code == HS_PORT_NOT_FOUND)
        n_gone++;
      if (!found[i])
        continue;
      if (code == HS_PORT_CANCELLED || hs_port_cancelled (cancel))
        {
          code = HS_PORT_CANCELLED;
          outcomes[i].code = HS_PORT_CANCELLED;
          continue;
        }
      if (CredDeleteW (wtargets[i], refs[i].type, 0))
        {
          outcomes[i].code = HS_PORT_OK;
          n_deleted++;
        }
      else
        {
          DWORD e = GetLastError ();
          outcomes[i].os_error = e;
          if (e == ERROR_NOT_FOUND)
            {
              outcomes[i].code = HS_PORT_NOT_FOUND;
              n_gone++;
            }
          else
            {
              outcomes[i].code = e == ERROR_ACCESS_DENIED ? HS_PORT_ACCESS_DENIED : HS_PORT_FAILED;
              n_failed++;
            }
        }
    }
  if (code == HS_PORT_CANCELLED)
    hs_port_status_set (st, code, 0, "cancelled after deleting %lu credentials",
                        (unsigned long) n_deleted);
  else
    {
      for (size_t i = 0; i < n_refs; i++)
        if (outcomes[i].code == HS_PORT_BAD_INPUT || outcomes[i].code == HS_PORT_FAILED)
          n_failed += found[i] ? 0 : 1;
      code = n_failed ? HS_PORT_FAILED : n_skipped ? HS_PORT_SKIPPED : HS_PORT_OK;
      hs_port_status_set (st, code, 0, "%lu deleted, %lu already gone, %lu failed, %lu skipped "
                          "(their secret cannot be backed up)",
                          (unsigned long) n_deleted, (unsigned long) n_gone,
                          (unsigned long) n_failed, (unsigned long) n_skipped);
    }

out:
  if (code == HS_PORT_IO || code == HS_PORT_BAD_INPUT)
    {
      /* nothing was deleted: say so for every reference that existed */
      for (size_t i = 0; i < n_refs; i++)
        if (found && found[i])
          outcomes[i].code = code;
    }
  if (enc.pbData)
    LocalFree (enc.pbData);
  hs_bk_buf_clear (&plain);
  for (size_t i = 0; i < n_refs; i++)
    {
      if (found && found[i])
        CredFree (found[i]);
      if (wtargets)
        free (wtargets[i]);
    }
  free (found);
  free (wtargets);
  free (wpath);
  free (wdir);
  free (dir_owned);
  return code;
}

