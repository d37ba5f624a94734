/* hs-win32-backup-format.h — the credential backup file format (version 1),
 * as plain portable C: no windows.h, no GLib. The Windows layer wraps the
 * payload with CryptProtectData; everything else (envelope, payload records,
 * bounds) lives here so that it can be fuzzed natively (tests/fuzz).
 *
 * File:     "HSCREDBK" u32 version u32 N, then N bytes (the encrypted blob).
 * Payload:  "HSCP" u32 version u32 count, then count records.
 * Record:   u32 type, u32 flags, u32 persist, 4 strings (target, user,
 *           comment, alias), bytes blob, u32 n_attrs, n_attrs attributes
 *           (string keyword, u32 flags, bytes value).
 * A string is u32 byte length + UTF-16LE code units (no NUL), or 0xffffffff
 * for an absent one; bytes are u32 length + data. All integers little-endian.
 * See core/win32/README.md ("Backup format"). */
#ifndef HS_WIN32_BACKUP_FORMAT_H
#define HS_WIN32_BACKUP_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HS_BK_FILE_MAGIC    "HSCREDBK"          /* 8 bytes */
/* DPAPI entropy, and the DPAPI description that also carries when the backup
 * was made: "Handshake credential backup; created=<FILETIME, decimal>" (older
 * backups: no "; created="). */
#define HS_BK_ENTROPY       "Handshake credential backup v1"
#define HS_BK_DESCRIPTION   "Handshake credential backup"
#define HS_BK_INNER_MAGIC   "HSCP"              /* 4 bytes */
#define HS_BK_VERSION       1u
#define HS_BK_HEADER_SIZE   16u                 /* magic, version, length */
#define HS_BK_MAX_FILE      (64u * 1024 * 1024)
#define HS_BK_MAX_COUNT     100000u
#define HS_BK_MAX_STRING    (32768u * 2)        /* bytes of UTF-16 */
#define HS_BK_MAX_BLOB      (512u * 4)          /* CRED_MAX_CREDENTIAL_BLOB_SIZE * 4 */
#define HS_BK_MAX_ATTRS     64u                 /* CRED_MAX_ATTRIBUTES */
#define HS_BK_MAX_VALUE     256u                /* CRED_MAX_VALUE_SIZE */
#define HS_BK_NULL_FIELD    0xffffffffu
#define HS_BK_MIN_RECORD    36u                 /* smallest encoded record */
/* credential type and persistence ranges Windows accepts (wincred.h) */
#define HS_BK_TYPE_MIN      1u                  /* CRED_TYPE_GENERIC */
#define HS_BK_TYPE_MAX      1005u               /* CRED_TYPE_MAXIMUM_EX */
#define HS_BK_PERSIST_MIN   1u                  /* CRED_PERSIST_SESSION */
#define HS_BK_PERSIST_MAX   3u                  /* CRED_PERSIST_ENTERPRISE */

typedef enum {
  HS_BK_OK = 0,
  HS_BK_BAD_SIZE,        /* file shorter than a header or over HS_BK_MAX_FILE */
  HS_BK_BAD_MAGIC,
  HS_BK_BAD_VERSION,
  HS_BK_TRUNCATED,       /* envelope length disagrees with the file */
  HS_BK_BAD_HEADER,      /* decrypted payload header */
  HS_BK_BAD_COUNT,
  HS_BK_MALFORMED,
  HS_BK_NO_MEMORY,
} HsBkError;

/* UTF-16 strings are NUL-terminated copies (uint16_t, so the same layout as
 * WCHAR on Windows); blob and values point into the parsed buffer. */
typedef struct {
  uint16_t      *keyword;
  uint32_t       flags;
  const uint8_t *value;
  uint32_t       value_size;
} HsBkAttr;

typedef struct {
  uint32_t       type, flags, persist;
  uint16_t      *target;      /* never NULL in a parsed record */
  uint16_t      *user, *comment, *alias;   /* NULL when absent */
  const uint8_t *blob;
  uint32_t       blob_size;
  uint32_t       n_attrs;
  HsBkAttr       attrs[HS_BK_MAX_ATTRS];
} HsBkRecord;

typedef struct {
  HsBkRecord *records;
  uint32_t    count;
} HsBkPayload;

const char *hs_bk_error_message (HsBkError e);

/* The file envelope: on success *enc / *enc_len are the encrypted bytes
 * (inside file, exactly the rest of it). */
HsBkError hs_bk_parse_envelope (const uint8_t *file, size_t len,
                                const uint8_t **enc, size_t *enc_len);

/* The decrypted payload. All or nothing: on any error *out is empty and
 * nothing needs freeing. Validates every record before returning. */
HsBkError hs_bk_parse_payload (const uint8_t *data, size_t len, HsBkPayload *out);
void      hs_bk_payload_clear (HsBkPayload *p);

/* ---- writer ---- */
typedef struct {
  uint8_t *data;
  size_t   len, cap;
  int      failed;
} HsBkBuf;

void hs_bk_buf_put       (HsBkBuf *b, const void *p, size_t n);
void hs_bk_buf_u32       (HsBkBuf *b, uint32_t v);
void hs_bk_buf_clear     (HsBkBuf *b);   /* zeroes, then frees */
void hs_bk_write_payload_header (HsBkBuf *b, uint32_t count);
void hs_bk_write_record  (HsBkBuf *b, const HsBkRecord *r);
void hs_bk_write_envelope (HsBkBuf *b, const uint8_t *enc, uint32_t enc_len);

#ifdef __cplusplus
}
#endif
#endif
