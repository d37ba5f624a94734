/* hs-win32-creds-restore.c — step 2: putting a backup back (format in
 * README.md, "Backup format"). Everything is validated before the first
 * write; then each entry gets its own outcome: written, skipped (no secret
 * in the backup, or a newer entry exists), or failed. */
#include <windows.h>
#include <wincred.h>
#include <wincrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"
#include "hs-win32-backup-format.h"

static const char bk_entropy[] = HS_BK_ENTROPY;

/* "...; created=N" in the DPAPI description: N (a FILETIME), or 0 */
static uint64_t
created_from_description (const wchar_t *descr)
{
  const wchar_t *p = descr ? wcsstr (descr, L"; created=") : NULL;
  if (p == NULL)
    return 0;
  p += wcslen (L"; created=");
  uint64_t v = 0;
  int digits = 0;
  for (; *p >= L'0' && *p <= L'9' && digits < 20; p++, digits++)
    v = v * 10 + (uint64_t) (*p - L'0');
  return (*p == 0 && digits > 0) ? v : 0;
}

static uint64_t
ft_u64 (FILETIME ft)
{
  return ((uint64_t) ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}

/* reads the whole file; HS_PORT_OK with *data malloc'd */
static HsPortCode
read_backup (const char *backup_path, unsigned char **data, size_t *len, HsPortStatus *st)
{
  *data = NULL;
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
  if (!GetFileSizeEx (h, &size) || size.QuadPart < HS_BK_HEADER_SIZE
      || size.QuadPart > HS_BK_MAX_FILE)
    {
      CloseHandle (h);
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "%s", hs_bk_error_message (HS_BK_BAD_SIZE));
      return HS_PORT_BAD_INPUT;
    }
  unsigned char *file = malloc ((size_t) size.QuadPart);
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
  *data = file;
  *len = (size_t) size.QuadPart;
  return HS_PORT_OK;
}

/* Whether record r may be written now; HS_PORT_OK or HS_PORT_SKIPPED with
 * the reason. */
static HsPortCode
may_write (const HsBkRecord *r, uint64_t created, uint32_t flags, HsCredSkipReason *why)
{
  *why = HS_CRED_SKIP_NONE;
  if (hs_win32_cred_type_withholds_secret (r->type) && r->blob_size == 0)
    {
      /* the backup never held its secret: writing it would create (or
       * overwrite with) an entry without its password */
      *why = HS_CRED_SKIP_NO_SECRET;
      return HS_PORT_SKIPPED;
    }
  PCREDENTIALW now = NULL;
  if (!CredReadW ((LPCWSTR) r->target, r->type, 0, &now))
    return HS_PORT_OK;   /* nothing there: nothing to lose */
  uint64_t written = ft_u64 (now->LastWritten);
  CredFree (now);
  if (flags & HS_RESTORE_OVERWRITE_NEWER)
    return HS_PORT_OK;
  if (created == 0)
    *why = HS_CRED_SKIP_AGE_UNKNOWN;
  else if (written > created)
    *why = HS_CRED_SKIP_NEWER;
  return *why == HS_CRED_SKIP_NONE ? HS_PORT_OK : HS_PORT_SKIPPED;
}

HsPortCode
hs_win32_restore_credentials (const char *backup_path, uint32_t flags, HsRestoreList *out,
                              HsPortStatus *st)
{
  HsPortCode code = HS_PORT_OK;
  unsigned char *file = NULL;
  size_t file_len = 0;
  DATA_BLOB in, ent, dec = { 0, NULL };
  LPWSTR descr = NULL;
  HsBkPayload payload = { NULL, 0 };
  const uint8_t *enc = NULL;
  size_t enc_len = 0, n_written = 0, n_skipped = 0, n_failed = 0;
  DWORD first_err = 0;
  HsBkError be;
  HsRestoreList local = { 0 };
  if (out == NULL)
    out = &local;
  memset (out, 0, sizeof *out);

  code = read_backup (backup_path, &file, &file_len, st);
  if (code != HS_PORT_OK)
    return code;

  /* 1. the envelope (portable parser), then DPAPI */
  be = hs_bk_parse_envelope (file, file_len, &enc, &enc_len);
  if (be != HS_BK_OK)
    {
      code = HS_PORT_BAD_INPUT;
      hs_port_status_set (st, code, 0, "%s", hs_bk_error_message (be));
      goto done;
    }
  in.pbData = (BYTE *) enc;
  in.cbData = (DWORD) enc_len;
  ent.pbData = (BYTE *) bk_entropy;
  ent.cbData = sizeof bk_entropy - 1;
  if (!CryptUnprotectData (&in, &descr, &ent, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &dec))
    {
      code = HS_PORT_BAD_INPUT;
      hs_port_status_set (st, code, GetLastError (),
                          "backup cannot be decrypted (damaged, or made by another user)");
      goto done;
    }
  uint64_t created = created_from_description (descr);

  /* 2. the payload: validated completely before writing anything */
  be = hs_bk_parse_payload (dec.pbData, dec.cbData, &payload);
  if (be != HS_BK_OK)
    {
      code = be == HS_BK_NO_MEMORY ? HS_PORT_FAILED : HS_PORT_BAD_INPUT;
      hs_port_status_set (st, code, 0, "%s", hs_bk_error_message (be));
      goto done;
    }
  out->items = calloc (payload.count ? payload.count : 1, sizeof *out->items);
  if (out->items == NULL)
    {
      code = HS_PORT_FAILED;
      hs_port_status_set (st, code, 0, "out of memory");
      goto done;
    }

  /* 3. entry by entry, each with its outcome */
  for (uint32_t i = 0; i < payload.count; i++)
    {
      const HsBkRecord *r = &payload.records[i];
      HsRestoreEntry *o = &out->items[out->n_items++];
      o->target = hs_win32_utf8 ((const wchar_t *) r->target);
      o->type = r->type;
      o->code = may_write (r, created, flags, &o->reason);
      if (o->code == HS_PORT_SKIPPED)
        {
          n_skipped++;
          continue;
        }
      CREDENTIAL_ATTRIBUTEW attrs[HS_BK_MAX_ATTRS];
      CREDENTIALW c;
      memset (&c, 0, sizeof c);
      c.Type = r->type;
      c.Flags = r->flags & (CRED_FLAGS_PROMPT_NOW | CRED_FLAGS_USERNAME_TARGET);   /* the only input flags */
      c.Persist = r->persist;
      c.TargetName = (LPWSTR) r->target;
      c.UserName = (LPWSTR) r->user;
      c.Comment = (LPWSTR) r->comment;
      c.TargetAlias = (LPWSTR) r->alias;
      c.CredentialBlob = (LPBYTE) r->blob;
      c.CredentialBlobSize = r->blob_size;
      c.AttributeCount = r->n_attrs;
      for (uint32_t j = 0; j < r->n_attrs; j++)
        {
          attrs[j].Keyword = (LPWSTR) r->attrs[j].keyword;
          attrs[j].Flags = r->attrs[j].flags;
          attrs[j].Value = (LPBYTE) r->attrs[j].value;
          attrs[j].ValueSize = r->attrs[j].value_size;
        }
      c.Attributes = r->n_attrs ? attrs : NULL;
      if (CredWriteW (&c, 0))
        {
          o->code = HS_PORT_OK;
          n_written++;
        }
      else
        {
          DWORD e = GetLastError ();
          o->code = e == ERROR_ACCESS_DENIED ? HS_PORT_ACCESS_DENIED : HS_PORT_FAILED;
          o->os_error = e;
          if (first_err == 0)
            first_err = e;
          n_failed++;
        }
    }
  out->n_restored = n_written;
  code = n_failed ? HS_PORT_FAILED : n_skipped ? HS_PORT_SKIPPED : HS_PORT_OK;
  hs_port_status_set (st, code, first_err, "%lu of %lu credentials restored, %lu skipped, "
                      "%lu failed%s", (unsigned long) n_written, (unsigned long) payload.count,
                      (unsigned long) n_skipped, (unsigned long) n_failed,
                      created ? "" : " (backup without a creation time)");

done:
  hs_bk_payload_clear (&payload);
  if (dec.pbData)
    {
      SecureZeroMemory (dec.pbData, dec.cbData);
      LocalFree (dec.pbData);
    }
  if (descr)
    LocalFree (descr);
  free (file);
  if (out == &local)
    hs_port_restore_list_free (&local);
  return code;
}
