/* hs-win32-backup-format.c — see the header. Plain C99, no windows.h. */
#include "hs-win32-backup-format.h"

#include <stdlib.h>
#include <string.h>

const char *
hs_bk_error_message (HsBkError e)
{
  switch (e)
    {
    case HS_BK_OK:          return "ok";
    case HS_BK_BAD_SIZE:    return "backup file has an impossible size";
    case HS_BK_BAD_MAGIC:   return "not a Handshake credential backup (bad magic)";
    case HS_BK_BAD_VERSION: return "unsupported backup version";
    case HS_BK_TRUNCATED:   return "backup file is truncated or has trailing data";
    case HS_BK_BAD_HEADER:  return "decrypted backup has a bad header";
    case HS_BK_BAD_COUNT:   return "backup claims an impossible number of entries";
    case HS_BK_MALFORMED:   return "backup contents are malformed; nothing restored";
    case HS_BK_NO_MEMORY:   return "out of memory";
    }
  return "unknown error";
}

/* ---- reader with strict bounds -------------------------------------------- */

typedef struct {
  const uint8_t *p;
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
  const uint8_t *x = r->p + r->pos;
  r->pos += 4;
  return (uint32_t) x[0] | ((uint32_t) x[1] << 8) | ((uint32_t) x[2] << 16)
         | ((uint32_t) x[3] << 24);
}

/* a length-prefixed byte field; returns a pointer into the buffer */
static const uint8_t *
rd_bytes (Rd *r, uint32_t max, uint32_t *n_out)
{
  *n_out = 0;
  uint32_t n = rd_u32 (r);
  if (r->bad || n > max || r->len - r->pos < n)
    {
      r->bad = 1;
      return NULL;
    }
  const uint8_t *q = r->p + r->pos;
  r->pos += n;
  *n_out = n;
  return q;
}

/* a UTF-16 string, copied and NUL-terminated; NULL (and no error) for an
 * absent field when allow_null */
static uint16_t *
rd_wstr (Rd *r, int allow_null)
{
  if (r->bad)
    return NULL;
  if (r->len - r->pos >= 4 && r->p[r->pos] == 0xff && r->p[r->pos + 1] == 0xff
      && r->p[r->pos + 2] == 0xff && r->p[r->pos + 3] == 0xff)
    {
      r->pos += 4;
      if (!allow_null)
        r->bad = 1;
      return NULL;
    }
  uint32_t n = 0;
  const uint8_t *q = rd_bytes (r, HS_BK_MAX_STRING, &n);
  if (q == NULL || (n % 2) != 0)
    {
      r->bad = 1;
      return NULL;
    }
  uint16_t *w = malloc (n + sizeof (uint16_t));
  if (w == NULL)
    {
      r->bad = 1;
      return NULL;
    }
  for (uint32_t i = 0; i < n / 2; i++)
    {
      w[i] = (uint16_t) (q[2 * i] | (q[2 * i + 1] << 8));
      if (w[i] == 0)   /* embedded NUL: not something Windows stored */
        {
          free (w);
          r->bad = 1;
          return NULL;
        }
    }
  w[n / 2] = 0;
  return w;
}

static void
record_clear (HsBkRecord *e)
{
  free (e->target);
  free (e->user);
  free (e->comment);
  free (e->alias);
  for (uint32_t i = 0; i < e->n_attrs; i++)
    free (e->attrs[i].keyword);
  memset (e, 0, sizeof *e);
}

static int
rd_record (Rd *r, HsBkRecord *e)
{
  memset (e, 0, sizeof *e);
  e->type = rd_u32 (r);
  e->flags = rd_u32 (r);
  e->persist = rd_u32 (r);
  if (r->bad || e->type < HS_BK_TYPE_MIN || e->type > HS_BK_TYPE_MAX
      || e->persist < HS_BK_PERSIST_MIN || e->persist > HS_BK_PERSIST_MAX)
    return r->bad = 1, 0;
  e->target = rd_wstr (r, 0);
  e->user = rd_wstr (r, 1);
  e->comment = rd_wstr (r, 1);
  e->alias = rd_wstr (r, 1);
  e->blob = rd_bytes (r, HS_BK_MAX_BLOB, &e->blob_size);
  uint32_t na = rd_u32 (r);
  if (r->bad || na > HS_BK_MAX_ATTRS)
    return r->bad = 1, 0;
  for (uint32_t i = 0; i < na && !r->bad; i++)
    {
      e->attrs[i].keyword = rd_wstr (r, 0);
      e->n_attrs = i + 1;
      e->attrs[i].flags = rd_u32 (r);
      e->attrs[i].value = rd_bytes (r, HS_BK_MAX_VALUE, &e->attrs[i].value_size);
    }
  return !r->bad;
}

HsBkError
hs_bk_parse_envelope (const uint8_t *file, size_t len, const uint8_t **enc, size_t *enc_len)
{
  *enc = NULL;
  *enc_len = 0;
  if (file == NULL || len < HS_BK_HEADER_SIZE || len > HS_BK_MAX_FILE)
    return HS_BK_BAD_SIZE;
  if (memcmp (file, HS_BK_FILE_MAGIC, 8) != 0)
    return HS_BK_BAD_MAGIC;
  Rd r = { file, len, 8, 0 };
  uint32_t version = rd_u32 (&r);
  uint32_t n = rd_u32 (&r);
  if (version != HS_BK_VERSION)
    return HS_BK_BAD_VERSION;
  if (r.bad || n == 0 || n != r.len - r.pos)
    return HS_BK_TRUNCATED;
  *enc = file + r.pos;
  *enc_len = n;
  return HS_BK_OK;
}

HsBkError
hs_bk_parse_payload (const uint8_t *data, size_t len, HsBkPayload *out)
{
  out->records = NULL;
  out->count = 0;
  if (data == NULL || len < 12 || memcmp (data, HS_BK_INNER_MAGIC, 4) != 0)
    return HS_BK_BAD_HEADER;
  Rd p = { data, len, 4, 0 };
  if (rd_u32 (&p) != HS_BK_VERSION)
    return HS_BK_BAD_HEADER;
  uint32_t count = rd_u32 (&p);
  /* every record takes at least HS_BK_MIN_RECORD bytes: bound count by the data */
  if (count > HS_BK_MAX_COUNT || (size_t) count * HS_BK_MIN_RECORD > p.len - p.pos)
    return HS_BK_BAD_COUNT;
  HsBkRecord *recs = calloc (count ? count : 1, sizeof *recs);
  if (recs == NULL)
    return HS_BK_NO_MEMORY;
  uint32_t n_parsed;
  for (n_parsed = 0; n_parsed < count; n_parsed++)
    if (!rd_record (&p, &recs[n_parsed]))
      {
        n_parsed++;
        break;
      }
  if (p.bad || p.pos != p.len)
    {
      for (uint32_t i = 0; i < n_parsed; i++)
        record_clear (&recs[i]);
      free (recs);
      return HS_BK_MALFORMED;
    }
  out->records = recs;
  out->count = count;
  return HS_BK_OK;
}

void
hs_bk_payload_clear (HsBkPayload *p)
{
  if (p->records)
    {
      for (uint32_t i = 0; i < p->count; i++)
        record_clear (&p->records[i]);
      free (p->records);
    }
  p->records = NULL;
  p->count = 0;
}

/* ---- writer ------------------------------------------------------------------ */

void
hs_bk_buf_put (HsBkBuf *b, const void *p, size_t n)
{
  if (b->failed || n == 0)
    return;
  if (n > SIZE_MAX / 4 - b->len)
    {
      b->failed = 1;
      return;
    }
  if (b->len + n > b->cap)
    {
      size_t nc = b->cap ? b->cap * 2 : 4096;
      while (nc < b->len + n)
        nc *= 2;
      uint8_t *nd = malloc (nc);
      if (nd == NULL)
        {
          b->failed = 1;
          return;
        }
      /* no realloc: the old buffer may hold secrets and is zeroed first */
      if (b->data)
        {
          memcpy (nd, b->data, b->len);
          volatile uint8_t *v = b->data;
          for (size_t i = 0; i < b->cap; i++)
            v[i] = 0;
          free (b->data);
        }
      b->data = nd;
      b->cap = nc;
    }
  memcpy (b->data + b->len, p, n);
  b->len += n;
}

void
hs_bk_buf_u32 (HsBkBuf *b, uint32_t v)
{
  uint8_t x[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };
  hs_bk_buf_put (b, x, 4);
}

void
hs_bk_buf_clear (HsBkBuf *b)
{
  if (b->data)
    {
      volatile uint8_t *v = b->data;
      for (size_t i = 0; i < b->cap; i++)
        v[i] = 0;
      free (b->data);
    }
  memset (b, 0, sizeof *b);
}

static void
buf_bytes (HsBkBuf *b, const void *p, uint32_t n)
{
  hs_bk_buf_u32 (b, n);
  hs_bk_buf_put (b, p, n);
}

static void
buf_wstr (HsBkBuf *b, const uint16_t *s)
{
  if (s == NULL)
    {
      hs_bk_buf_u32 (b, HS_BK_NULL_FIELD);
      return;
    }
  size_t n = 0;
  while (s[n])
    n++;
  hs_bk_buf_u32 (b, (uint32_t) (n * 2));
  for (size_t i = 0; i < n; i++)
    {
      uint8_t x[2] = { s[i] & 0xff, (s[i] >> 8) & 0xff };
      hs_bk_buf_put (b, x, 2);
    }
}

void
hs_bk_write_payload_header (HsBkBuf *b, uint32_t count)
{
  hs_bk_buf_put (b, HS_BK_INNER_MAGIC, 4);
  hs_bk_buf_u32 (b, HS_BK_VERSION);
  hs_bk_buf_u32 (b, count);
}

void
hs_bk_write_record (HsBkBuf *b, const HsBkRecord *r)
{
  hs_bk_buf_u32 (b, r->type);
  hs_bk_buf_u32 (b, r->flags);
  hs_bk_buf_u32 (b, r->persist);
  buf_wstr (b, r->target);
  buf_wstr (b, r->user);
  buf_wstr (b, r->comment);
  buf_wstr (b, r->alias);
  buf_bytes (b, r->blob, r->blob_size);
  hs_bk_buf_u32 (b, r->n_attrs);
  for (uint32_t i = 0; i < r->n_attrs && i < HS_BK_MAX_ATTRS; i++)
    {
      buf_wstr (b, r->attrs[i].keyword);
      hs_bk_buf_u32 (b, r->attrs[i].flags);
      buf_bytes (b, r->attrs[i].value, r->attrs[i].value_size);
    }
}

void
hs_bk_write_envelope (HsBkBuf *b, const uint8_t *enc, uint32_t enc_len)
{
  hs_bk_buf_put (b, HS_BK_FILE_MAGIC, 8);
  hs_bk_buf_u32 (b, HS_BK_VERSION);
  hs_bk_buf_u32 (b, enc_len);
  hs_bk_buf_put (b, enc, enc_len);
}
