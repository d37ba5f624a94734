/* libFuzzer target: HTTP Date headers from the network. The parsing itself
 * is libsoup's (soup_date_time_new_from_http_string, not instrumented here:
 * it is fuzzed blind, under ASan's allocator); Handshake's own part is the
 * offset computed from it, checked here for every accepted header:
 * parse and compute agree, and the offset is finite with an uncertainty of
 * at least the header's one-second truncation. */
#include "config.h"

#include <assert.h>
#include <math.h>
#include <string.h>
#include <glib.h>

#include "hs-http-date.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  /* the first 8 bytes choose when we sent the request (any time in about
   * ±140 years of 1970, as the local clock may be wildly wrong) and the next
   * 4 how long it took */
  gint64 send = 0;
  guint32 took = 0;
  if (size >= 12)
    {
      memcpy (&send, data, 8);
      memcpy (&took, data + 8, 4);
      send %= G_GINT64_CONSTANT (4400000000) * G_USEC_PER_SEC;
      data += 12;
      size -= 12;
    }
  g_autofree char *header = g_strndup ((const char *) data, size);
  gint64 t = 0;
  HsHttpDateOffset o;
  gboolean parsed = hs_http_date_parse (header, &t);
  gboolean computed = hs_http_date_compute (header, send, send + took, &o);

  assert (parsed == computed);
  if (computed)
    {
      assert (isfinite (o.offset_seconds) && isfinite (o.uncertainty_seconds));
      assert (o.uncertainty_seconds >= 0.5);
      assert (o.delay_seconds >= 0 && o.delay_seconds <= 4295.0);
    }
  /* a past receive time is clamped, never a negative delay */
  if (computed && took > 0)
    {
      assert (hs_http_date_compute (header, send + took, send, &o));
      assert (o.delay_seconds == 0);
    }
  return 0;
}
