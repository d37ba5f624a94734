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

#define BK_FILE_MAGIC   "HSCREDBK"      /* 8 bytes */
#define BK_INNER_MAGIC  "HSCP"          /* 4 bytes */
#define BK_VERSION      1u
#define BK_MAX_FILE     (64u * 1024 * 1024)
#define BK_MAX_COUNT    100000u
#define BK_MAX_STRING   (32768u * 2)    /* bytes of UTF-16 */
#define BK_MAX_BLOB     (CRED_MAX_CREDENTIAL_BLOB_SIZE * 4)
#define BK_MAX_ATTRS    64u             /* CRED_MAX_ATTRIBUTES */
#define BK_NULL_FIELD   0xffffffffu

static const char bk_entropy[] = "Handshake credential backup v1";

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
      out->n_items++;
    }
  CredFree (creds);
  hs_port_status_set (st, HS_PORT_OK, 0, "%lu credentials", (unsigned long) out->n_items);
  return HS_PORT_OK;
}

/* ---- growable byte buffer ------------------------------------------------ */

typedef struct {
  unsigned char *data;
  size_t len, cap;
  int failed;
} Buf;

static void
buf_put (Buf *b, const void *p, size_t n)
{
  if (b->failed)
    return;
  if (b->len + n > b->cap)
    {
      size_t nc = b->cap ? b->cap * 2 : 4096;
      while (nc < b->len + n)
        nc *= 2;
      unsigned char *nd = realloc (b->data, nc);
      if (nd == NULL)
        {
          b->failed = 1;
          return;
        }
      b->data = nd;
      b->cap = nc;
    }
  memcpy (b->data + b->len, p, n);
  b->len += n;
}

static void
buf_u32 (Buf *b, uint32_t v)
{
  unsigned char x[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };
  buf_put (b, x, 4);
}

static void
buf_bytes (Buf *b, const void *p, uint32_t n)
{
  buf_u32 (b, n);
  buf_put (b, p, n);
}

static void
buf_wstr (Buf *b, const wchar_t *s)
{
  if (s == NULL)
    {
      buf_u32 (b, BK_NULL_FIELD);
      return;
    }
  buf_bytes (b, s, (uint32_t) (wcslen (s) * sizeof (wchar_t)));
}

static void
buf_cred (Buf *b, const CREDENTIALW *c)
{
  buf_u32 (b, c->Type);
  buf_u32 (b, c->Flags);
  buf_u32 (b, c->Persist);
  buf_wstr (b, c->TargetName);
  buf_wstr (b, c->UserName);
  buf_wstr (b, c->Comment);
  buf_wstr (b, c->TargetAlias);
  buf_bytes (b, c->CredentialBlob, c->CredentialBlobSize);
  buf_u32 (b, c->AttributeCount);
  for (DWORD i = 0; i < c->AttributeCount; i++)
    {
      buf_wstr (b, c->Attributes[i].Keyword);
      buf_u32 (b, c->Attributes[i].Flags);
      buf_bytes (b, c->Attributes[i].Value, c->Attributes[i].ValueSize);
    }
}

/* ---- reader with strict bounds -------------------------------------------- */

typedef struct {
  const unsigned char *p;
  size_t len, pos;
  int bad;
} Rd;

static uint32_t
rd_u32 (Rd *r)
{
  if (r->bad || r->len - r->pos < 4)
    {
      r->bad = 1;
      return 0;
    }
  const unsigned char *x = r->p + r->pos;
  r->pos += 4;
  return (uint32_t) x[0] | ((uint32_t) x[1] << 8) | ((uint32_t) x[2] << 16)
         | ((uint32_t) x[3] << 24);
}

/* a length-prefixed byte field; returns pointer into the buffer */
static const unsigned char *
rd_bytes (Rd *r, uint32_t max, uint32_t *n_out)
{
  uint32_t n = rd_u32 (r);
  if (r->bad || n > max || r->len - r->pos < n)
    {
      r->bad = 1;
      return NULL;
    }
  const unsigned char *q = r->p + r->pos;
  r->pos += n;
  *n_out = n;
  return q;
}

/* a UTF-16 string, copied and NUL-terminated; *is_null for absent fields */
static wchar_t *
rd_wstr (Rd *r, int allow_null, int *is_null)
{
  *is_null = 0;
  if (r->bad)
    return NULL;
  if (r->len - r->pos >= 4 && r->p[r->pos] == 0xff && r->p[r->pos + 1] == 0xff
      && r->p[r->pos + 2] == 0xff && r->p[r->pos + 3] == 0xff)
    {
      r->pos += 4;
      if (!allow_null)
        r->bad = 1;
      *is_null = 1;
      return NULL;
    }
  uint32_t n = 0;
  const unsigned char *q = rd_bytes (r, BK_MAX_STRING, &n);
  if (q == NULL || (n % 2) != 0)
    {
      r->bad = 1;
      return NULL;
    }
  wchar_t *w = malloc (n + sizeof (wchar_t));
  if (w == NULL)
    {
      r->bad = 1;
      return NULL;
    }
  memcpy (w, q, n);
  w[n / 2] = 0;
  for (uint32_t i = 0; i < n / 2; i++)
    if (w[i] == 0)   /* embedded NUL: not something Windows stored */
      {
        free (w);
        r->bad = 1;
        return NULL;
      }
  return w;
}

typedef struct {
  CREDENTIALW cred;
  CREDENTIAL_ATTRIBUTEW attrs[BK_MAX_ATTRS];
} Entry;

static void
entry_clear (Entry *e)
{
  free (e->cred.TargetName);
  free (e->cred.UserName);
  free (e->cred.Comment);
  free (e->cred.TargetAlias);
  for (DWORD i = 0; i < e->cred.AttributeCount; i++)
    free (e->attrs[i].Keyword);
  /* blob and attribute values point into the decrypted buffer */
}

static int
rd_entry (Rd *r, Entry *e)
{
  int is_null;
  memset (e, 0, sizeof *e);
  e->cred.Type = rd_u32 (r);
  e->cred.Flags = rd_u32 (r);
  e->cred.Persist = rd_u32 (r);
  if (r->bad || e->cred.Type < CRED_TYPE_GENERIC || e->cred.Type > CRED_TYPE_MAXIMUM_EX
      || e->cred.Persist < CRED_PERSIST_SESSION || e->cred.Persist > CRED_PERSIST_ENTERPRISE)
    return r->bad = 1, 0;
  e->cred.TargetName = rd_wstr (r, 0, &is_null);
  e->cred.UserName = rd_wstr (r, 1, &is_null);
  e->cred.Comment = rd_wstr (r, 1, &is_null);
  e->cred.TargetAlias = rd_wstr (r, 1, &is_null);
  uint32_t n = 0;
  const unsigned char *blob = rd_bytes (r, BK_MAX_BLOB, &n);
  e->cred.CredentialBlob = (LPBYTE) blob;
  e->cred.CredentialBlobSize = n;
  uint32_t na = rd_u32 (r);
  if (r->bad || na > BK_MAX_ATTRS)
    return r->bad = 1, 0;
  for (uint32_t i = 0; i < na && !r->bad; i++)
    {
      e->attrs[i].Keyword = rd_wstr (r, 0, &is_null);
      e->cred.AttributeCount = i + 1;
      e->attrs[i].Flags = rd_u32 (r);
      uint32_t vn = 0;
      e->attrs[i].Value = (LPBYTE) rd_bytes (r, CRED_MAX_VALUE_SIZE, &vn);
      e->attrs[i].ValueSize = vn;
    }
  e->cred.Attributes = na ? e->attrs : NULL;
  return !r->bad;
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
  Buf plain = { 0 };
  DATA_BLOB in, ent, enc = { 0, NULL };
  size_t n_found = 0;

  if (backup_path)
    *backup_path = NULL;
  for (size_t i = 0; i < n_refs; i++)
    {
      outcomes[i].code = HS_PORT_IO;
      outcomes[i].os_error = 0;
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
      n_found++;
    }

  /* 2. one encrypted backup file, written completely before any deletion */
  buf_put (&plain, BK_INNER_MAGIC, 4);
  buf_u32 (&plain, BK_VERSION);
  buf_u32 (&plain, (uint32_t) n_found);
  for (size_t i = 0; i < n_refs; i++)
    if (found[i])
      buf_cred (&plain, found[i]);
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
  if (!CryptProtectData (&in, L"Handshake credential backup", &ent, NULL, NULL,
                         CRYPTPROTECT_UI_FORBIDDEN, &enc))
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
  Buf file = { 0 };
  buf_put (&file, BK_FILE_MAGIC, 8);
  buf_u32 (&file, BK_VERSION);
  buf_u32 (&file, enc.cbData);
  buf_put (&file, enc.pbData, enc.cbData);
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
      code = n_failed ? HS_PORT_FAILED : HS_PORT_OK;
      hs_port_status_set (st, code, 0, "%lu deleted, %lu already gone, %lu failed",
                          (unsigned long) n_deleted, (unsigned long) n_gone,
                          (unsigned long) n_failed);
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
  if (plain.data)
    {
      SecureZeroMemory (plain.data, plain.len);
      free (plain.data);
    }
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

HsPortCode
hs_win32_restore_credentials (const char *backup_path, size_t *n_restored, HsPortStatus *st)
{
  HsPortCode code = HS_PORT_OK;
  unsigned char *file = NULL;
  DATA_BLOB in, ent, dec = { 0, NULL };
  Entry *entries = NULL;
  uint32_t count = 0, n_parsed = 0;
  size_t ok_count = 0;
  if (n_restored)
    *n_restored = 0;

  wchar_t *wpath = hs_win32_wide (backup_path);
  if (wpath == NULL)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "backup path is not valid UTF-8");
      return HS_PORT_BAD_INPUT;
    }
  HANDLE h = CreateFileW (wpath, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                          FILE_ATTRIBUTE_NORMAL, NULL);
  free (wpath);
  if (h == INVALID_HANDLE_VALUE)
    {
      DWORD e = GetLastError ();
      HsPortCode c = (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND) ? HS_PORT_NOT_FOUND
                                                                              : HS_PORT_IO;
      hs_port_status_set (st, c, e, "cannot open the backup file (Win32 error %lu)",
                          (unsigned long) e);
      return c;
    }
  LARGE_INTEGER size;
  if (!GetFileSizeEx (h, &size) || size.QuadPart < 16 || size.QuadPart > BK_MAX_FILE)
    {
      CloseHandle (h);
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "backup file has an impossible size");
      return HS_PORT_BAD_INPUT;
    }
  file = malloc ((size_t) size.QuadPart);
  DWORD got = 0;
  BOOL rok = file && ReadFile (h, file, (DWORD) size.QuadPart, &got, NULL)
             && got == (DWORD) size.QuadPart;
  CloseHandle (h);
  if (!rok)
    {
      free (file);
      hs_port_status_set (st, HS_PORT_IO, GetLastError (), "cannot read the backup file");
      return HS_PORT_IO;
    }

  Rd r = { file, (size_t) size.QuadPart, 0, 0 };
  if (memcmp (file, BK_FILE_MAGIC, 8) != 0)
    {
      code = HS_PORT_BAD_INPUT;
      hs_port_status_set (st, code, 0, "not a Handshake credential backup (bad magic)");
      goto out;
    }
  r.pos = 8;
  uint32_t version = rd_u32 (&r);
  uint32_t enc_len = rd_u32 (&r);
  if (version != BK_VERSION)
    {
      code = HS_PORT_BAD_INPUT;
      hs_port_status_set (st, code, 0, "unsupported backup version %lu", (unsigned long) version);
      goto out;
    }
  if (r.bad || enc_len == 0 || enc_len != r.len - r.pos)
    {
      code = HS_PORT_BAD_INPUT;
      hs_port_status_set (st, code, 0, "backup file is truncated or has trailing data");
      goto out;
    }
  in.pbData = file + r.pos;
  in.cbData = enc_len;
  ent.pbData = (BYTE *) bk_entropy;
  ent.cbData = sizeof bk_entropy - 1;
  if (!CryptUnprotectData (&in, NULL, &ent, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &dec))
    {
      code = HS_PORT_BAD_INPUT;
      hs_port_status_set (st, code, GetLastError (),
                          "backup cannot be decrypted (damaged, or made by another user)");
      goto out;
    }

  Rd p = { dec.pbData, dec.cbData, 0, 0 };
  if (dec.cbData < 12 || memcmp (dec.pbData, BK_INNER_MAGIC, 4) != 0)
    {
      code = HS_PORT_BAD_INPUT;
      hs_port_status_set (st, code, 0, "decrypted backup has a bad header");
      goto out;
    }
  p.pos = 4;
  if (rd_u32 (&p) != BK_VERSION)
    {
      code = HS_PORT_BAD_INPUT;
      hs_port_status_set (st, code, 0, "decrypted backup has a bad version");
      goto out;
    }
  count = rd_u32 (&p);
  /* every entry takes at least 36 bytes: bound count by the data present */
  if (count > BK_MAX_COUNT || (size_t) count * 36 > p.len - p.pos)
    {
      code = HS_PORT_BAD_INPUT;
      hs_port_status_set (st, code, 0, "backup claims an impossible number of entries");
      goto out;
    }
  entries = calloc (count ? count : 1, sizeof *entries);
  if (entries == NULL)
    {
      code = HS_PORT_FAILED;
      hs_port_status_set (st, code, 0, "out of memory");
      goto out;
    }
  /* validate everything before writing anything */
  for (n_parsed = 0; n_parsed < count; n_parsed++)
    if (!rd_entry (&p, &entries[n_parsed]))
      {
        n_parsed++;
        break;
      }
  if (p.bad || p.pos != p.len)
    {
      code = HS_PORT_BAD_INPUT;
      hs_port_status_set (st, code, 0, "backup contents are malformed; nothing restored");
      goto out;
    }

  DWORD first_err = 0;
  for (uint32_t i = 0; i < count; i++)
    {
      CREDENTIALW c = entries[i].cred;
      c.Flags &= CRED_FLAGS_PROMPT_NOW | CRED_FLAGS_USERNAME_TARGET;   /* the only input flags */
      if (CredWriteW (&c, 0))
        ok_count++;
      else if (first_err == 0)
        first_err = GetLastError ();
    }
  if (ok_count == count)
    hs_port_status_set (st, HS_PORT_OK, 0, "%lu credentials restored", (unsigned long) ok_count);
  else
    {
      code = HS_PORT_FAILED;
      hs_port_status_set (st, code, first_err, "%lu of %lu credentials restored (Win32 error %lu)",
                          (unsigned long) ok_count, (unsigned long) count,
                          (unsigned long) first_err);
    }
  if (n_restored)
    *n_restored = ok_count;

out:
  if (entries)
    {
      for (uint32_t i = 0; i < n_parsed; i++)
        entry_clear (&entries[i]);
      free (entries);
    }
  if (dec.pbData)
    {
      SecureZeroMemory (dec.pbData, dec.cbData);
      LocalFree (dec.pbData);
    }
  free (file);
  return code;
}
