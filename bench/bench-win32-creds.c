/* bench-win32-creds.c — Credential Manager scan + classification, and
 * deletion with backup, timed inside the process with
 * QueryPerformanceCounter (Wine start-up excluded). Cross-built by
 * bench/run.sh against _build-win's static libraries; credentials are planted
 * beforehand with tests/win32/hs-wine-tool (plant-creds N).
 *
 *   bench-win32-creds scan          scan-ms, n, required
 *   bench-win32-creds delete N DIR  deletes the first N "required" ones with
 *                                   a backup in DIR: delete-ms, deleted
 */
#include <windows.h>
#include <wincred.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"
#include "hs-patterns.h"

static double
now_ms (void)
{
  static LARGE_INTEGER freq;
  LARGE_INTEGER t;
  if (freq.QuadPart == 0)
    QueryPerformanceFrequency (&freq);
  QueryPerformanceCounter (&t);
  return (double) t.QuadPart * 1000.0 / (double) freq.QuadPart;
}

int wmain (int argc, wchar_t **argv);

int
wmain (int argc, wchar_t **argv)
{
  HsPatternSet set = { 0 };
  HsCredentialList list = { 0 };
  HsPortStatus st = { 0 };

  if (argc < 2)
    return 2;
  if (hs_patterns_load_default (&set) != 0)
    return 3;

  /* Windows' own enumeration alone, for comparison */
  DWORD raw_count = 0;
  PCREDENTIALW *raw = NULL;
  double r0 = now_ms ();
  if (CredEnumerateW (NULL, 0, &raw_count, &raw))
    CredFree (raw);
  double r1 = now_ms ();

  double t0 = now_ms ();
  if (hs_win32_list_credentials (&list, &st) != HS_PORT_OK)
    {
      fprintf (stderr, "list failed: %s\n", st.detail);
      return 1;
    }
  double t_enum = now_ms ();
  size_t required = 0;
  HsCategory *cats = calloc (list.n_items + 1, sizeof *cats);
  for (size_t i = 0; i < list.n_items; i++)
    {
      cats[i] = hs_patterns_classify (&set, list.items[i].target, NULL);
      required += cats[i] == HS_CATEGORY_REQUIRED;
    }
  double t1 = now_ms ();

  if (wcscmp (argv[1], L"scan") == 0)
    {
      printf ("credenumeratew-alone-ms=%.1f\n", r1 - r0);
      printf ("scan-ms=%.1f\nenumerate-ms=%.1f\nclassify-ms=%.1f\nscanned=%zu\nrequired=%zu\n",
              t1 - t0, t_enum - t0, t1 - t_enum, list.n_items, required);
      return 0;
    }
  if (wcscmp (argv[1], L"delete") == 0 && argc == 4)
    {
      size_t want = (size_t) _wtoi (argv[2]), n = 0;
      char *dir = hs_win32_utf8 (argv[3]);
      HsCredentialRef *refs = calloc (want + 1, sizeof *refs);
      HsCredentialOutcome *outcomes = calloc (want + 1, sizeof *outcomes);
      char *backup = NULL;
      for (size_t i = 0; i < list.n_items && n < want; i++)
        if (cats[i] == HS_CATEGORY_REQUIRED)
          {
            refs[n].target = list.items[i].target;
            refs[n].type = list.items[i].type;
            n++;
          }
      double d0 = now_ms ();
      HsPortCode c = hs_win32_delete_credentials (refs, n, dir, &backup, outcomes, NULL, &st);
      double d1 = now_ms ();
      size_t deleted = 0;
      for (size_t i = 0; i < n; i++)
        deleted += outcomes[i].code == HS_PORT_OK;
      printf ("delete-ms=%.1f\ndeleted=%zu\nasked=%zu\ncode=%s\nbackup=%s\n", d1 - d0, deleted, n,
              hs_port_code_name (c), backup ? backup : "-");
      return c == HS_PORT_OK ? 0 : 1;
    }
  return 2;
}
