/* hs-win32-util.c — UTF-8 <-> UTF-16 at the API edge, error mapping. */
#include <windows.h>
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

char *
hs_win32_codepage_to_utf8 (unsigned cp, const char *bytes, size_t len, size_t *out_len)
{
  *out_len = 0;
  if (len > 0x3fffffff)
    return NULL;
  if (len == 0)
    return calloc (1, 1);
  int nw = MultiByteToWideChar (cp, 0, bytes, (int) len, NULL, 0);
  if (nw <= 0)
    return NULL;
  wchar_t *w = malloc ((size_t) nw * sizeof (wchar_t));
  if (w == NULL)
    return NULL;
  MultiByteToWideChar (cp, 0, bytes, (int) len, w, nw);
  int n = WideCharToMultiByte (CP_UTF8, 0, w, nw, NULL, 0, NULL, NULL);
  char *s = n > 0 ? malloc ((size_t) n + 1) : NULL;
  if (s != NULL)
    {
      WideCharToMultiByte (CP_UTF8, 0, w, nw, s, n, NULL, NULL);
      s[n] = '\0';
      *out_len = (size_t) n;
    }
  free (w);
  return s;
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
