/* libFuzzer target: the Windows layer's readers of outside text
 * (core/win32/hs-win32-text.c), built natively. The first input byte picks
 * a truncation flag and an output size; the rest is the text, given to all
 * of them:
 *  - hs_win32_scan_email (a .tbacct file): a result is an address the input
 *    really holds (in UTF-8 or as UTF-16LE), one '@', a non-empty local part,
 *    a domain with a dot and a final label of two or more letters;
 *  - hs_win32_parse_appx_output (PowerShell's output): "registered" only if
 *    the family name is in the input; a cut capture never says "not
 *    registered";
 *  - hs_win32_first_line (a child's output quoted in a detail): fits its
 *    buffer, one line, valid UTF-8, no control character, and every
 *    character it keeps is the input's, in order;
 *  - hs_win32_family_valid (what may reach a PowerShell command line): only
 *    letters, digits, '.', '-' and one final '_' with 13 lower-case
 *    alphanumerics after it; never a quote, space or semicolon;
 *  - hs_win32_describe_exit of the first four bytes: a NUL-terminated phrase
 *    that says "crashed" exactly for NTSTATUS error codes;
 *  - hs_win32_parse_appx_status (the package's Status): "Ok" only when the
 *    family is in the input, the status text only letters, digits, ',' and
 *    ' ', and flags only for a broken status;
 *  - hs_win32_parse_w32tm / hs_win32_last_line (w32tm's result): an HRESULT
 *    only with the error result, the last line as clean as the first;
 *  - hs_win32_utf8_valid: agrees with GLib's validator (NULs aside), and a
 *    cut end is tolerated only as a prefix of a valid sequence;
 *  - hs_win32_parse_action_spec (the elevated helper's argument): a
 *    well-formed spec formats back to itself (integers only). */
#define _GNU_SOURCE   /* memmem */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "hs-win32-text.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define FAMILY "Microsoft.AAD.BrokerPlugin_cw5n1h2txyewy"

static int
is_alpha (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
contains_ci (const char *hay, const char *needle)
{
  g_autofree char *h = g_ascii_strdown (hay, -1);
  g_autofree char *n = g_ascii_strdown (needle, -1);
  return strstr (h, n) != NULL;
}

static void
check_email (const uint8_t *data, size_t size)
{
  char *e = hs_win32_scan_email (data, size);
  if (e == NULL)
    return;
  const char *at = strchr (e, '@');
  assert (at != NULL && at > e && strchr (at + 1, '@') == NULL);
  const char *dot = strrchr (at, '.');
  assert (dot != NULL && dot > at + 1);
  assert (strlen (dot + 1) >= 2);
  for (const char *p = dot + 1; *p; p++)
    assert (is_alpha (*p));
  /* it is in the input, as bytes or as UTF-16LE code units */
  size_t n = strlen (e);
  int found = memmem (data, size, e, n) != NULL;
  if (!found)
    {
      g_autofree uint8_t *w = g_malloc (n * 2);
      for (size_t i = 0; i < n; i++)
        {
          w[2 * i] = (uint8_t) e[i];
          w[2 * i + 1] = 0;
        }
      found = memmem (data, size, w, n * 2) != NULL;
    }
  assert (found);
  free (e);
}

static void
check_appx (const char *text, int truncated)
{
  HsTri t = hs_win32_parse_appx_output (text, truncated, FAMILY);
  assert (t == HS_TRI_YES || t == HS_TRI_NO || t == HS_TRI_UNKNOWN);
  if (t == HS_TRI_YES)
    assert (contains_ci (text, "PackageFamilyName=") && contains_ci (text, FAMILY));
  if (truncated)
    assert (t != HS_TRI_NO);
}

static void
check_first_line (const char *text, size_t n_buf)
{
  char *buf = malloc (n_buf + 1);
  buf[n_buf] = '\x5a';   /* canary past the end */
  hs_win32_first_line (text, buf, n_buf);
  assert (buf[n_buf] == '\x5a');
  size_t len = strlen (buf);
  assert (len < n_buf);
  assert (g_utf8_validate (buf, -1, NULL));
  for (const unsigned char *p = (const unsigned char *) buf; *p; p++)
    assert (*p >= 0x20 && *p != 0x7f);
  /* every kept byte (not a '?' or ' ' stand-in) comes from the input's first
   * line, in order */
  const char *src = text;
  for (const char *p = buf; *p; p++)
    {
      if (*p == '?' || *p == ' ')
        continue;
      const char *hit = strchr (src, *p);
      assert (hit != NULL);
      for (const char *q = src; q < hit; q++)
        assert (*q != '\n' && *q != '\r');
      src = hit + 1;
    }
  free (buf);
}

static void
check_family (const char *text)
{
  if (!hs_win32_family_valid (text))
    return;
  const char *us = strrchr (text, '_');
  assert (us != NULL && us > text && strlen (us + 1) == 13);
  for (const char *p = text; *p; p++)
    assert (is_alpha (*p) || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'
            || p == us);
  assert (strpbrk (text, "'\"; `$&|") == NULL);
}

static void
check_exit (const uint8_t *data, size_t size)
{
  uint32_t code = 0;
  memcpy (&code, data, size < 4 ? size : 4);
  char how[96];
  memset (how, 'x', sizeof how);
  hs_win32_describe_exit (code, how, sizeof how);
  assert (memchr (how, '\0', sizeof how) != NULL);
  assert ((strncmp (how, "crashed", 7) == 0) == hs_win32_exit_is_crash (code));
  assert ((code >= 0xC0000000u) == hs_win32_exit_is_crash (code));
}

static void
check_appx_status (const char *text)
{
  uint32_t flags = 0xdeadbeef;
  char st[64];
  memset (st, 'x', sizeof st);
  HsTri t = hs_win32_parse_appx_status (text, FAMILY, &flags, st, sizeof st);
  assert (memchr (st, '\0', sizeof st) != NULL);
  for (const char *p = st; *p; p++)
    assert (is_alpha (*p) || (*p >= '0' && *p <= '9') || *p == ',' || *p == ' ');
  if (t == HS_TRI_YES)
    assert (flags == 0 && contains_ci (text, FAMILY));
  if (t == HS_TRI_NO)
    assert (flags != 0 && contains_ci (text, FAMILY));
  if (t == HS_TRI_UNKNOWN)
    assert (flags == 0);
}

static void
check_w32tm (const char *text, size_t n_buf)
{
  uint32_t hr = 1;
  HsW32tmResult r = hs_win32_parse_w32tm (text, &hr);
  assert (r >= HS_W32TM_UNKNOWN && r <= HS_W32TM_ERROR);
  assert ((r == HS_W32TM_ERROR) == (hr != 0));
  if (r == HS_W32TM_ERROR)
    assert (hr & 0x80000000u);
  char *buf = malloc (n_buf + 1);
  buf[n_buf] = '\x5a';
  hs_win32_last_line (text, buf, n_buf);
  assert (buf[n_buf] == '\x5a' && strlen (buf) < n_buf && g_utf8_validate (buf, -1, NULL));
  for (const unsigned char *p = (const unsigned char *) buf; *p; p++)
    assert (*p >= 0x20 && *p != 0x7f);
  free (buf);
}

static void
check_utf8 (const uint8_t *data, size_t size)
{
  int v = hs_win32_utf8_valid ((const char *) data, size, 0);
  /* GLib refuses NUL bytes; ours allows them (a capture may hold them) */
  if (memchr (data, 0, size) == NULL)
    assert (v == g_utf8_validate ((const char *) data, (gssize) size, NULL));
  if (v)
    assert (hs_win32_utf8_valid ((const char *) data, size, 1));
}

static void
check_spec (const char *text)
{
  char name[32], again[128];
  HsClockReference ref;
  if (!hs_win32_parse_action_spec (text, name, sizeof name, &ref))
    return;
  for (const char *p = name; *p; p++)
    assert ((*p >= 'a' && *p <= 'z') || *p == '-');
  hs_win32_format_action_spec (name, &ref, again, sizeof again);
  HsClockReference back;
  char name2[32];
  assert (hs_win32_parse_action_spec (again, name2, sizeof name2, &back));
  assert (strcmp (name, name2) == 0 && back.valid == ref.valid);
  if (ref.valid)
    assert (back.true_utc_us == ref.true_utc_us && back.offset_us == ref.offset_us
            && back.mono_us == ref.mono_us);
  assert (strpbrk (again, " .,\"'") == NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  int truncated = data[0] & 1;
  size_t n_buf = 1 + (data[0] >> 1);   /* 1..128 */
  check_exit (data, size);
  data++;
  size--;
  check_email (data, size);
  /* the text readers take NUL-terminated strings, as the runner gives them */
  char *text = malloc (size + 1);
  memcpy (text, data, size);
  text[size] = '\0';
  check_appx (text, truncated);
  check_first_line (text, n_buf);
  check_family (text);
  check_appx_status (text);
  check_w32tm (text, n_buf);
  check_utf8 (data, size);
  check_spec (text);
  free (text);
  return 0;
}
