/* hs-win32-util.c — UTF-8 <-> UTF-16 at the API edge, error mapping. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"

wchar_t *
hs_win32_wide (const char *utf8)
{
  if (utf8 == NULL)
    return NULL;
  int n = MultiByteToWideChar (CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, NULL, 0);
  if (n <= 0)
    return NULL;
  wchar_t *w = malloc ((size_t) n * sizeof (wchar_t));
  if (w == NULL)
    return NULL;
  if (MultiByteToWideChar (CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, w, n) != n)
    {
      free (w);
      return NULL;
    }
  return w;
}

char *
hs_win32_utf8_n (const wchar_t *wide, size_t n_chars)
{
  if (wide == NULL)
    return NULL;
  if (n_chars == 0)
    return calloc (1, 1);
  if (n_chars > 0x7fffffff)
    return NULL;
  int n = WideCharToMultiByte (CP_UTF8, 0, wide, (int) n_chars, NULL, 0, NULL, NULL);
  if (n <= 0)
    return NULL;
  char *s = malloc ((size_t) n + 1);
  if (s == NULL)
    return NULL;
  if (WideCharToMultiByte (CP_UTF8, 0, wide, (int) n_chars, s, n, NULL, NULL) != n)
    {
      free (s);
      return NULL;
    }
  s[n] = '\0';
  return s;
}

char *
hs_win32_utf8 (const wchar_t *wide)
{
  if (wide == NULL)
    return NULL;
  return hs_win32_utf8_n (wide, wcslen (wide));
}

HsPortCode
hs_win32_status_from_error (HsPortStatus *st, uint32_t err, const char *what)
{
  HsPortCode code;
  switch (err)
    {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_NOT_FOUND:
    case ERROR_SERVICE_DOES_NOT_EXIST:
      code = HS_PORT_NOT_FOUND;
      break;
    case ERROR_ACCESS_DENIED:
    case ERROR_PRIVILEGE_NOT_HELD:
      code = HS_PORT_ACCESS_DENIED;
      break;
    case ERROR_CANCELLED:
      code = HS_PORT_DECLINED;
      break;
    case ERROR_INVALID_PARAMETER:
    case ERROR_INVALID_DATA:
      code = HS_PORT_BAD_INPUT;
      break;
    default:
      code = HS_PORT_FAILED;
      break;
    }
  hs_port_status_set (st, code, err, "%s failed (Win32 error %lu)", what, (unsigned long) err);
  return code;
}

int
hs_win32_running_under_wine (void)
{
  HMODULE ntdll = GetModuleHandleW (L"ntdll.dll");
  return ntdll != NULL && GetProcAddress (ntdll, "wine_get_version") != NULL;
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
