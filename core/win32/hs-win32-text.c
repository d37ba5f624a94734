/* hs-win32-text.c — the Windows layer's readers of text that comes from
 * outside: what PowerShell and w32tm print, the contents of .tbacct files,
 * package family names before they reach a command line, and child exit
 * codes turned into words. Plain portable C (no windows.h, no GLib), so the
 * same code is fuzzed natively (tests/fuzz/fuzz-win32-text.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32-text.h"

/* Case-insensitive compare of n bytes, ASCII letters only (what the
 * command's own keywords and family names use): 0 when equal. */
static int
ascii_ncasecmp (const char *a, const char *b, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      unsigned char x = (unsigned char) a[i], y = (unsigned char) b[i];
      if (x >= 'A' && x <= 'Z')
        x += 'a' - 'A';
      if (y >= 'A' && y <= 'Z')
        y += 'a' - 'A';
      if (x != y)
        return x < y ? -1 : 1;
      if (x == '\0')
        return 0;
    }
  return 0;
}

int
hs_win32_family_valid (const char *family)
{
  /* Name_publisherid: name [A-Za-z0-9.-], 1..100; publisher id 13 [a-z0-9] */
  if (family == NULL)
    return 0;
  const char *us = strrchr (family, '_');
  if (us == NULL || us == family || us - family > 100 || strlen (us + 1) != 13)
    return 0;
  for (const char *p = family; p < us; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')
          || *p == '.' || *p == '-'))
      return 0;
  for (const char *p = us + 1; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
      return 0;
  return 1;
}

/* The line at *line (up to *end), trimmed of a BOM, spaces and CR. */
static const char *
trim_line (const char *line, const char *end, size_t *len_out)
{
  size_t len = (size_t) (end - line);
  while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
    len--;
  if (len >= 3 && (unsigned char) line[0] == 0xef && (unsigned char) line[1] == 0xbb
      && (unsigned char) line[2] == 0xbf)
    line += 3, len -= 3;
  while (len > 0 && (*line == ' ' || *line == '\t'))
    line++, len--;
  *len_out = len;
  return line;
}

static int
has_prefix_ci (const char *l, size_t len, const char *prefix)
{
  size_t pl = strlen (prefix);
  return len >= pl && ascii_ncasecmp (l, prefix, pl) == 0;
}

HsTri
hs_win32_parse_appx_output (const char *output, int truncated, const char *family)
{
  static const char key[] = "PackageFamilyName=";
  size_t fl = strlen (family);
  int foreign = 0, ours = 0;
  const char *line = output ? output : "";
  while (*line)
    {
      const char *end = strchr (line, '\n');
      if (end == NULL)
        end = line + strlen (line);
      size_t len;
      const char *l = trim_line (line, end, &len);
      if (len == sizeof key - 1 + fl && has_prefix_ci (l, len, key)
          && ascii_ncasecmp (l + sizeof key - 1, family, fl) == 0)
        return HS_TRI_YES;
      if (has_prefix_ci (l, len, key) || has_prefix_ci (l, len, "PackageFullName=")
          || has_prefix_ci (l, len, "Status="))
        ours = 1;
      else if (len > 0)
        foreign = 1;
      line = *end ? end + 1 : end;
    }
  /* Our command's lines for other packages (a warning beside them is fine)
   * or no output at all mean "not registered"; text that is none of our
   * lines, or a capture cut short, proves nothing. */
  if (truncated || (foreign && !ours))
    return HS_TRI_UNKNOWN;
  return HS_TRI_NO;
}

static int
email_char (unsigned c, int domain)
{
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
      || c == '-')
    return 1;
  return !domain && (c == '_' || c == '+' || c == '%' || c == '\'');
}

/* 1 when the n bytes at p hold "..". */
static int
has_double_dot (const char *p, size_t n)
{
  for (size_t k = 0; k + 1 < n; k++)
    if (p[k] == '.' && p[k + 1] == '.')
      return 1;
  return 0;
}

char *
hs_win32_scan_email (const unsigned char *data, size_t len)
{
  /* UTF-16LE (BOM or many zero odd bytes): take the low bytes of ASCII units */
  char *text = malloc (len + 1);
  if (text == NULL)
    return NULL;
  size_t n = 0, zeros = 0;
  for (size_t i = 1; i < len; i += 2)
    zeros += data[i] == 0;
  int utf16 = (len >= 2 && data[0] == 0xff && data[1] == 0xfe) || (len >= 4 && zeros * 4 >= len);
  if (utf16)
    {
      for (size_t i = 0; i + 1 < len; i += 2)
        text[n++] = (data[i + 1] == 0 && data[i] != 0) ? (char) data[i] : ' ';
    }
  else
    for (size_t i = 0; i < len; i++)
      text[n++] = data[i] ? (char) data[i] : ' ';
  text[n] = '\0';

  char *found = NULL;
  for (size_t i = 0; i < n && found == NULL; i++)
    {
      if (text[i] != '@')
        continue;
      size_t s = i, e = i + 1;
      while (s > 0 && email_char ((unsigned char) text[s - 1], 0))
        s--;
      while (e < n && email_char ((unsigned char) text[e], 1))
        e++;
      while (e > i + 1 && (text[e - 1] == '.' || text[e - 1] == '-'))
        e--;
      while (s < i && text[s] == '.')
        s++;
      if (s == i || e <= i + 1)
        continue;
      /* a domain starts with a label, and no label is empty */
      if (text[i + 1] == '.' || text[i + 1] == '-' || has_double_dot (text + i + 1, e - i - 1))
        continue;
      /* domain needs a dot and a final label of letters */
      const char *dot = NULL;
      for (size_t k = i + 1; k < e; k++)
        if (text[k] == '.')
          dot = text + k;
      if (dot == NULL || dot + 2 > text + e - 1 + 1 || dot[1] == '\0')
        continue;
      int alpha = 1;
      for (const char *q = dot + 1; q < text + e; q++)
        if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
          alpha = 0;
      if (!alpha || text + e - dot < 3)
        continue;
      found = malloc (e - s + 1);
      if (found)
        {
          memcpy (found, text + s, e - s);
          found[e - s] = '\0';
        }
    }
  free (text);
  return found;
}

int
hs_win32_exit_is_crash (uint32_t exit_code)
{
  return (exit_code & 0xC0000000u) == 0xC0000000u;
}

void
hs_win32_describe_exit (uint32_t exit_code, char *buf, size_t n_buf)
{
  static const struct { uint32_t code; const char *name; } known[] = {
    { 0xC0000005u, "access violation" },
    { 0xC0000017u, "out of memory" },
    { 0xC000001Du, "illegal instruction" },
    { 0xC00000FDu, "stack overflow" },
    { 0xC0000135u, "a DLL was not found" },
    { 0xC0000139u, "an entry point was not found" },
    { 0xC0000142u, "a DLL failed to initialise" },
    { 0xC000013Au, "interrupted" },
    { 0xC0000409u, "fail-fast: stack buffer overrun or fatal error" },
  };
  if (n_buf == 0)
    return;
  if (!hs_win32_exit_is_crash (exit_code))
    {
      snprintf (buf, n_buf, "exited with %lu", (unsigned long) exit_code);
      return;
    }
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (known[i].code == exit_code)
      {
        snprintf (buf, n_buf, "crashed (0x%08lX, %s)", (unsigned long) exit_code, known[i].name);
        return;
      }
  snprintf (buf, n_buf, "crashed (0x%08lX)", (unsigned long) exit_code);
}

/* Length of the well-formed UTF-8 sequence at p (at most avail bytes), or 0. */
static size_t
utf8_seq_len (const unsigned char *p, size_t avail)
{
  size_t n;
  uint32_t min;
  if (p[0] < 0x80)
    return 1;
  else if ((p[0] & 0xE0) == 0xC0)
    n = 2, min = 0x80;
  else if ((p[0] & 0xF0) == 0xE0)
    n = 3, min = 0x800;
  else if ((p[0] & 0xF8) == 0xF0)
    n = 4, min = 0x10000;
  else
    return 0;
  if (n > avail)
    return 0;
  uint32_t cp = p[0] & (0x7F >> n);
  for (size_t i = 1; i < n; i++)
    {
      if ((p[i] & 0xC0) != 0x80)
        return 0;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

void
hs_win32_first_line (const char *text, char *buf, size_t n_buf)
{
  if (n_buf == 0)
    return;
  size_t o = 0;
  const unsigned char *p = (const unsigned char *) (text ? text : "");
  size_t avail = strlen ((const char *) p);
  /* a UTF-8 byte order mark is not part of the message */
  if (avail >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
    p += 3, avail -= 3;
  while (avail > 0 && *p != '\r' && *p != '\n')
    {
      size_t n = utf8_seq_len (p, avail);
      int bad = n == 0 || (n == 1 && (*p < 0x20 || *p == 0x7F));
      size_t out_n = bad ? 1 : n;
      if (o + out_n >= n_buf)
        break;
      if (bad)
        {
          buf[o++] = *p == '\t' ? ' ' : '?';
          n = 1;
        }
      else
        {
          memcpy (buf + o, p, n);
          o += n;
        }
      p += n;
      avail -= n;
    }
  buf[o] = '\0';
}
