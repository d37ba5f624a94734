/* libFuzzer target: credential rule files, and matching with hostile globs. */
#include "config.h"

#include <string.h>
#include <glib.h>

#include "hs-patterns.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  HsPatternSet set;
  char err[256];

  if (hs_patterns_parse ((const char *) data, size, &set, err, sizeof err) == 0)
    {
      /* Every rule's own pattern, used as a target, must terminate fast. */
      for (size_t i = 0; i < set.n_rules; i++)
        hs_patterns_classify (&set, set.rules[i].pattern, NULL);
      hs_patterns_free (&set);
    }
  else
    g_assert (strncmp (err, "line ", 5) == 0);
  return 0;
}
