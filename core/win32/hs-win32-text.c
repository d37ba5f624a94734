/* hs-win32-text.c — the Windows layer's readers of text that comes from
 * outside: what PowerShell and w32tm print, the contents of .tbacct files,
 * package family names before they reach a command line, and child exit
 * codes turned into words. Plain portable C (no windows.h, no GLib), so the
 * same code is fuzzed natively (tests/fuzz/fuzz-win32-text.c). */
#include <ctype.h>
#include <stdint.h>
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

/* ---- issue 11: more readers of outside text ------------------------------ */

void
hs_win32_last_line (const char *text, char *buf, size_t n_buf)
{
  if (n_buf == 0)
    return;
  buf[0] = '\0';
  if (text == NULL)
    return;
  const char *last = NULL;
  for (const char *line = text; *line; )
    {
      const char *end = line + strcspn (line, "\r\n");
      for (const char *q = line; q < end; q++)
        if (*q != ' ' && *q != '\t')
          {
            last = line;
            break;
          }
      line = *end ? end + 1 : end;
    }
  if (last != NULL)
    hs_win32_first_line (last, buf, n_buf);
}

int
hs_win32_utf8_valid (const char *p, size_t len, int cut_end)
{
  const unsigned char *u = (const unsigned char *) p;
  size_t i = 0;
  while (i < len)
    {
      if (u[i] == 0)
        {
          i++;
          continue;
        }
      size_t n = utf8_seq_len (u + i, len - i);
      if (n == 0)
        {
          /* a sequence cut by the capture's cap: its lead byte announces
           * more bytes than are left, and the ones left continue it */
          if (!cut_end || len - i >= 4 || (u[i] & 0xC0) != 0xC0)
            return 0;
          for (size_t k = i + 1; k < len; k++)
            if ((u[k] & 0xC0) != 0x80)
              return 0;
          return 1;
        }
      i += n;
    }
  return 1;
}

/* contains_ci: needle (lower-case ASCII) within the n bytes at hay */
static int
contains_ci_n (const char *hay, size_t n, const char *needle)
{
  size_t nl = strlen (needle);
  for (size_t i = 0; i + nl <= n; i++)
    if (ascii_ncasecmp (hay + i, needle, nl) == 0)
      return 1;
  return 0;
}

static const struct { const char *name; uint32_t flag; } appx_status_names[] = {
  /* Windows.Management.Deployment.PackageStatus and the
   * Windows.ApplicationModel.PackageStatus properties */
  { "LicenseIssue", HS_PKG_STATUS_LICENSE_ISSUE },
  { "Modified", HS_PKG_STATUS_MODIFIED },
  { "Tampered", HS_PKG_STATUS_TAMPERED },
  { "Disabled", HS_PKG_STATUS_DISABLED },
  { "DependencyIssue", HS_PKG_STATUS_DEPENDENCY_ISSUE },
  { "NeedsRemediation", HS_PKG_STATUS_NEEDS_REMEDIATION },
  { "NotAvailable", HS_PKG_STATUS_NOT_AVAILABLE },
  { "PackageOffline", HS_PKG_STATUS_NOT_AVAILABLE },
  { "DataOffline", HS_PKG_STATUS_NOT_AVAILABLE },
  { "Servicing", HS_PKG_STATUS_SERVICING },
  { "DeploymentInProgress", HS_PKG_STATUS_SERVICING },
  { "IsPartiallyStaged", HS_PKG_STATUS_PARTIALLY_STAGED },
  { "PartiallyStaged", HS_PKG_STATUS_PARTIALLY_STAGED },
};

/* One status value: "Ok", or names separated by ',' and spaces (how
 * PowerShell prints a flags enumeration, e.g. "Modified, Tampered"). */
static HsTri
status_value (const char *v, size_t len, uint32_t *flags, char *text, size_t n_text)
{
  size_t o = 0;
  *flags = 0;
  for (size_t i = 0; i < len; i++)
    {
      char c = v[i];
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || c == ',' || c == ' '))
        {
          if (n_text > 0)
            text[0] = '\0';   /* found by fuzz-win32-text: never leave it open */
          return HS_TRI_UNKNOWN;
        }
      if (n_text > 0 && o + 1 < n_text)
        text[o++] = c;
    }
  if (n_text > 0)
    text[o] = '\0';
  if (len == 2 && ascii_ncasecmp (v, "ok", 2) == 0)
    return HS_TRI_YES;
  int words = 0;
  for (size_t i = 0; i < len; )
    {
      while (i < len && (v[i] == ',' || v[i] == ' '))
        i++;
      size_t s = i;
      while (i < len && v[i] != ',' && v[i] != ' ')
        i++;
      if (i == s)
        break;
      words++;
      uint32_t f = HS_PKG_STATUS_OTHER;
      for (size_t k = 0; k < sizeof appx_status_names / sizeof appx_status_names[0]; k++)
        if (strlen (appx_status_names[k].name) == i - s
            && ascii_ncasecmp (v + s, appx_status_names[k].name, i - s) == 0)
          f = appx_status_names[k].flag;
      if (i - s == 2 && ascii_ncasecmp (v + s, "ok", 2) == 0)
        f = 0;
      *flags |= f;
    }
  if (words == 0)
    return HS_TRI_UNKNOWN;
  return *flags == 0 ? HS_TRI_YES : HS_TRI_NO;
}

HsTri
hs_win32_parse_appx_status (const char *output, const char *family, uint32_t *flags,
                            char *text, size_t n_text)
{
  static const char fam_key[] = "PackageFamilyName=", st_key[] = "Status=";
  size_t fl = strlen (family);
  int in_ours = 0;
  *flags = 0;
  if (n_text > 0)
    text[0] = '\0';
  for (const char *line = output ? output : ""; *line; )
    {
      const char *end = strchr (line, '\n');
      if (end == NULL)
        end = line + strlen (line);
      size_t len;
      const char *l = trim_line (line, end, &len);
      if (has_prefix_ci (l, len, fam_key))
        in_ours = len == sizeof fam_key - 1 + fl
                  && ascii_ncasecmp (l + sizeof fam_key - 1, family, fl) == 0;
      else if (in_ours && has_prefix_ci (l, len, st_key))
        {
          const char *v = l + sizeof st_key - 1;
          size_t vl = len - (sizeof st_key - 1);
          while (vl > 0 && *v == ' ')
            v++, vl--;
          return status_value (v, vl, flags, text, n_text);
        }
      line = *end ? end + 1 : end;
    }
  return HS_TRI_UNKNOWN;
}

HsW32tmResult
hs_win32_parse_w32tm (const char *output, uint32_t *hresult)
{
  char line[512];
  *hresult = 0;
  hs_win32_last_line (output, line, sizeof line);
  size_t n = strlen (line);
  /* "(0x800705B4)": the HRESULT is printed the same in every language */
  for (const char *p = strstr (line, "(0x"); p != NULL; p = strstr (p + 1, "(0x"))
    {
      uint32_t v = 0;
      size_t k = 3;
      for (; k < 11 && isxdigit ((unsigned char) p[k]); k++)
        v = v * 16 + (uint32_t) (isdigit ((unsigned char) p[k]) ? p[k] - '0'
                                 : (tolower ((unsigned char) p[k]) - 'a' + 10));
      if (k == 11 && p[k] == ')' && (v & 0x80000000u))
        {
          *hresult = v;
          return HS_W32TM_ERROR;
        }
    }
  if (contains_ci_n (line, n, "no time data was available"))
    return HS_W32TM_NO_TIME_DATA;
  if (contains_ci_n (line, n, "required time change was too big"))
    return HS_W32TM_CHANGE_TOO_BIG;
  if (contains_ci_n (line, n, "the command completed successfully"))
    return HS_W32TM_DONE;
  return HS_W32TM_UNKNOWN;
}

/* a signed decimal int64 of at most 19 digits ending at ':' or NUL */
static const char *
parse_i64 (const char *p, int64_t *out)
{
  int neg = 0;
  uint64_t v = 0;
  size_t digits = 0;
  if (*p == '-')
    neg = 1, p++;
  while (*p >= '0' && *p <= '9' && digits < 19)
    v = v * 10 + (uint64_t) (*p++ - '0'), digits++;
  if (digits == 0 || (*p != ':' && *p != '\0') || v > (uint64_t) INT64_MAX)
    return NULL;
  *out = neg ? -(int64_t) v : (int64_t) v;
  return p;
}

int
hs_win32_parse_action_spec (const char *spec, char *name, size_t n_name, HsClockReference *ref)
{
  memset (ref, 0, sizeof *ref);
  if (n_name > 0)
    name[0] = '\0';
  if (spec == NULL || n_name == 0)
    return 0;
  size_t nl = strcspn (spec, ":");
  if (nl == 0 || nl >= n_name)
    return 0;
  for (size_t i = 0; i < nl; i++)
    if (!((spec[i] >= 'a' && spec[i] <= 'z') || spec[i] == '-'))
      return 0;
  memcpy (name, spec, nl);
  name[nl] = '\0';
  if (spec[nl] == '\0')
    return 1;
  int64_t v[3];
  const char *p = spec + nl;
  for (int i = 0; i < 3; i++)
    {
      if (*p != ':' || (p = parse_i64 (p + 1, &v[i])) == NULL)
        {
          name[0] = '\0';
          return 0;
        }
    }
  if (*p != '\0')
    {
      name[0] = '\0';
      return 0;
    }
  ref->true_utc_us = v[0];
  ref->offset_us = v[1];
  ref->mono_us = v[2];
  ref->valid = 1;
  return 1;
}

void
hs_win32_format_action_spec (const char *name, const HsClockReference *ref, char *buf,
                             size_t n_buf)
{
  if (ref != NULL && ref->valid)
    snprintf (buf, n_buf, "%s:%lld:%lld:%lld", name, (long long) ref->true_utc_us,
              (long long) ref->offset_us, (long long) ref->mono_us);
  else
    snprintf (buf, n_buf, "%s", name);
}
