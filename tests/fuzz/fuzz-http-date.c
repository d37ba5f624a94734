/* libFuzzer target: HTTP Date headers from the network. */
#include "config.h"

#include <glib.h>

#include "hs-http-date.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autofree char *header = g_strndup ((const char *) data, size);
  gint64 t;

  hs_http_date_parse (header, &t);
  return 0;
}
