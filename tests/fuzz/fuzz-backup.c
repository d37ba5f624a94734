/* libFuzzer target: the credential backup file (core/win32/hs-win32-backup-
 * format.c). A damaged or hostile backup must be refused, never restored:
 *  - an accepted envelope's encrypted part lies inside the input and is
 *    exactly the rest of it;
 *  - an accepted payload (the input itself, and the envelope's contents taken
 *    as if decrypted) has every blob and value inside the input, every length
 *    within its limit, no more records than the input can hold, and writes
 *    back to exactly the input bytes (nothing invented, nothing dropped). */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32-backup-format.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static size_t
wlen (const uint16_t *s)
{
  size_t n = 0;
  while (s[n])
    n++;
  return n;
}

static int
inside (const uint8_t *p, uint32_t n, const uint8_t *data, size_t size)
{
  if (n == 0)
    return 1;
  return p != NULL && p >= data && p <= data + size && n <= (size_t) (data + size - p);
}

static void
check_payload (const uint8_t *data, size_t size)
{
  HsBkPayload pl;
  if (hs_bk_parse_payload (data, size, &pl) != HS_BK_OK)
    {
      assert (pl.records == NULL && pl.count == 0);
      return;
    }
  assert (pl.count <= HS_BK_MAX_COUNT);
  assert ((size_t) pl.count * HS_BK_MIN_RECORD <= size - 12);
  size_t total = 12;
  for (uint32_t i = 0; i < pl.count; i++)
    {
      const HsBkRecord *r = &pl.records[i];
      assert (r->target != NULL);
      assert (r->type >= HS_BK_TYPE_MIN && r->type <= HS_BK_TYPE_MAX);
      assert (r->persist >= HS_BK_PERSIST_MIN && r->persist <= HS_BK_PERSIST_MAX);
      assert (r->blob_size <= HS_BK_MAX_BLOB && inside (r->blob, r->blob_size, data, size));
      assert (r->n_attrs <= HS_BK_MAX_ATTRS);
      const uint16_t *strs[4] = { r->target, r->user, r->comment, r->alias };
      total += 12 + 4 + r->blob_size + 4;
      for (int k = 0; k < 4; k++)
        {
          total += 4;
          if (strs[k])
            {
              assert (wlen (strs[k]) * 2 <= HS_BK_MAX_STRING);
              total += wlen (strs[k]) * 2;
            }
        }
      for (uint32_t j = 0; j < r->n_attrs; j++)
        {
          assert (r->attrs[j].keyword != NULL);
          assert (r->attrs[j].value_size <= HS_BK_MAX_VALUE);
          assert (inside (r->attrs[j].value, r->attrs[j].value_size, data, size));
          total += 4 + wlen (r->attrs[j].keyword) * 2 + 4 + 4 + r->attrs[j].value_size;
        }
      assert (total <= size);
    }
  assert (total == size);
  /* round trip: the accepted records are exactly what the input said */
  HsBkBuf b = { 0 };
  hs_bk_write_payload_header (&b, pl.count);
  for (uint32_t i = 0; i < pl.count; i++)
    hs_bk_write_record (&b, &pl.records[i]);
  assert (!b.failed && b.len == size && memcmp (b.data, data, size) == 0);
  hs_bk_buf_clear (&b);
  hs_bk_payload_clear (&pl);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const uint8_t *enc = NULL;
  size_t enc_len = 0;
  if (hs_bk_parse_envelope (data, size, &enc, &enc_len) == HS_BK_OK)
    {
      assert (size >= HS_BK_HEADER_SIZE && enc_len > 0);
      assert (enc == data + HS_BK_HEADER_SIZE && enc_len == size - HS_BK_HEADER_SIZE);
      /* the "decrypted" payload: copied so ASan sees its exact bounds */
      uint8_t *copy = malloc (enc_len);
      memcpy (copy, enc, enc_len);
      check_payload (copy, enc_len);
      free (copy);
      /* envelope round trip */
      HsBkBuf b = { 0 };
      hs_bk_write_envelope (&b, enc, (uint32_t) enc_len);
      assert (!b.failed && b.len == size && memcmp (b.data, data, size) == 0);
      hs_bk_buf_clear (&b);
    }
  else
    assert (enc == NULL && enc_len == 0);
  check_payload (data, size);
  return 0;
}
