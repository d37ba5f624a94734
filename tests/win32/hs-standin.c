/* hs-standin.c — stands in for powershell.exe, w32tm.exe, handshake-cli.exe
 * and ms-teams.exe in the Wine prefix.
 *
 * It reads hs-standin.cfg NEXT TO ITSELF (never the environment, so the
 * runner is proven not to depend on it): UTF-8 "key=value" lines
 *   log=PATH          append "MODULE\t<own path>" and "CMDLINE\t<GetCommandLineW>"
 *   exit=N            exit code (default 0)
 *   stdout_file=PATH  copied to stdout verbatim
 *   stdout=TEXT       written to stdout (\n, \r, \t, \xHH, \\ escapes)
 *   stderr=TEXT       written to stderr (same escapes)
 *   sleep_ms=N        sleep before exiting (-1 = forever)
 *   grandchild=1      start a copy of itself that sleeps forever, log its pid
 *                     as "GRANDCHILD\t<pid>"
 *   stdout_repeat=N   write the stdout text N times (a huge output)
 *   garbage_bytes=N   write N pseudo-random bytes (NULs, controls, bad UTF-8)
 *                     to stdout before the stdout text
 *   crash=1           after writing, die of a real access violation
 *   stdout_cp=N       write stdout/stderr text in code page N (850, 932, ...),
 *                     as a console program with no console does, unless
 *   utf8_when=TEXT    TEXT is in the command line (how PowerShell is told
 *                     to write UTF-8): then UTF-8 as configured
 *   window=1          open a visible top-level window (needs a display) and
 *   on_close=ACTION   answer WM_CLOSE by: exit, hide (new Teams: to the tray,
 *                     still running), or ignore
 */
#include <windows.h>
#include <ctype.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char cfg_log[1024], cfg_stdout_file[1024], cfg_stdout[4096], cfg_stderr[4096];
static long cfg_exit, cfg_sleep, cfg_repeat = 1, cfg_garbage;
static int cfg_grandchild, cfg_crash, cfg_window;
static long cfg_cp;
static char cfg_utf8_when[512], cfg_on_close[16] = "exit";

static void
unescape (char *s)
{
  char *o = s;
  for (char *p = s; *p; p++)
    {
      if (*p == '\\' && p[1] == 'x' && isxdigit ((unsigned char) p[2])
          && isxdigit ((unsigned char) p[3]))
        {
          char hex[3] = { p[2], p[3], 0 };
          *o++ = (char) strtol (hex, NULL, 16);
          p += 3;
        }
      else if (*p == '\\' && p[1])
        {
          p++;
          *o++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p;
        }
      else
        *o++ = *p;
    }
  *o = '\0';
}

static void
append_log (const char *key, const wchar_t *value)
{
  if (!cfg_log[0])
    return;
  wchar_t wlog[1024];
  MultiByteToWideChar (CP_UTF8, 0, cfg_log, -1, wlog, 1024);
  HANDLE h = CreateFileW (wlog, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                          OPEN_ALWAYS, 0, NULL);
  if (h == INVALID_HANDLE_VALUE)
    return;
  char buf[40000];
  int n = snprintf (buf, sizeof buf, "%s\t", key);
  n += WideCharToMultiByte (CP_UTF8, 0, value, -1, buf + n, (int) sizeof buf - n - 2, NULL, NULL) - 1;
  buf[n++] = '\n';
  DWORD w;
  WriteFile (h, buf, (DWORD) n, &w, NULL);
  CloseHandle (h);
}

/* s (UTF-8) in code page cp, in place (the result is never longer) */
static void
to_codepage (char *s, long cp)
{
  wchar_t w[4096];
  int n = MultiByteToWideChar (CP_UTF8, 0, s, -1, w, 4096);
  if (n > 0)
    WideCharToMultiByte ((UINT) cp, 0, w, -1, s, (int) strlen (s) + 1, NULL, NULL);
}

static LRESULT CALLBACK
window_proc (HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
  if (msg == WM_CLOSE)
    {
      append_log ("WM_CLOSE", L"received");
      if (strcmp (cfg_on_close, "hide") == 0)
        ShowWindow (hwnd, SW_HIDE);
      else if (strcmp (cfg_on_close, "exit") == 0)
        PostQuitMessage (0);
      return 0;
    }
  return DefWindowProcW (hwnd, msg, wp, lp);
}

static int
run_window (void)
{
  WNDCLASSW wc;
  memset (&wc, 0, sizeof wc);
  wc.lpfnWndProc = window_proc;
  wc.lpszClassName = L"HsStandinWindow";
  RegisterClassW (&wc);
  HWND h = CreateWindowW (L"HsStandinWindow", L"Microsoft Teams", WS_OVERLAPPEDWINDOW, 0, 0, 200,
                          100, NULL, NULL, NULL, NULL);
  if (h == NULL)
    {
      append_log ("WINDOW", L"failed");
      return 4;
    }
  ShowWindow (h, SW_SHOW);
  append_log ("WINDOW", L"shown");
  MSG m;
  while (GetMessageW (&m, NULL, 0, 0) > 0)
    DispatchMessageW (&m);
  return (int) cfg_exit;
}

int wmain (int argc, wchar_t **argv);

int
wmain (int argc, wchar_t **argv)
{
  wchar_t self[MAX_PATH], cfgpath[MAX_PATH + 32];
  _setmode (_fileno (stdout), _O_BINARY);
  _setmode (_fileno (stderr), _O_BINARY);
  GetModuleFileNameW (NULL, self, MAX_PATH);
  wcscpy (cfgpath, self);
  wchar_t *slash = wcsrchr (cfgpath, L'\\');
  wcscpy (slash ? slash + 1 : cfgpath, L"hs-standin.cfg");
  FILE *f = _wfopen (cfgpath, L"rb");
  if (f)
    {
      char line[4200];
      while (fgets (line, sizeof line, f))
        {
          line[strcspn (line, "\r\n")] = '\0';
          char *eq = strchr (line, '=');
          if (!eq)
            continue;
          *eq = '\0';
          const char *v = eq + 1;
          if (strcmp (line, "log") == 0) snprintf (cfg_log, sizeof cfg_log, "%s", v);
          else if (strcmp (line, "exit") == 0) cfg_exit = strtol (v, NULL, 10);
          else if (strcmp (line, "stdout_file") == 0) snprintf (cfg_stdout_file, sizeof cfg_stdout_file, "%s", v);
          else if (strcmp (line, "stdout") == 0) { snprintf (cfg_stdout, sizeof cfg_stdout, "%s", v); unescape (cfg_stdout); }
          else if (strcmp (line, "stderr") == 0) { snprintf (cfg_stderr, sizeof cfg_stderr, "%s", v); unescape (cfg_stderr); }
          else if (strcmp (line, "sleep_ms") == 0) cfg_sleep = strtol (v, NULL, 10);
          else if (strcmp (line, "grandchild") == 0) cfg_grandchild = atoi (v);
          else if (strcmp (line, "stdout_repeat") == 0) cfg_repeat = strtol (v, NULL, 10);
          else if (strcmp (line, "garbage_bytes") == 0) cfg_garbage = strtol (v, NULL, 10);
          else if (strcmp (line, "crash") == 0) cfg_crash = atoi (v);
          else if (strcmp (line, "stdout_cp") == 0) cfg_cp = strtol (v, NULL, 10);
          else if (strcmp (line, "utf8_when") == 0) snprintf (cfg_utf8_when, sizeof cfg_utf8_when, "%s", v);
          else if (strcmp (line, "window") == 0) cfg_window = atoi (v);
          else if (strcmp (line, "on_close") == 0) snprintf (cfg_on_close, sizeof cfg_on_close, "%s", v);
        }
      fclose (f);
    }
  if (argc == 2 && wcscmp (argv[1], L"--hs-grandchild") == 0)
    {
      Sleep (INFINITE);
      return 0;
    }
  append_log ("MODULE", self);
  append_log ("CMDLINE", GetCommandLineW ());
  if (cfg_window)
    return run_window ();
  if (cfg_cp > 0)
    {
      wchar_t when[512];
      MultiByteToWideChar (CP_UTF8, 0, cfg_utf8_when, -1, when, 512);
      if (!cfg_utf8_when[0] || wcsstr (GetCommandLineW (), when) == NULL)
        {
          to_codepage (cfg_stdout, cfg_cp);
          to_codepage (cfg_stderr, cfg_cp);
        }
    }
  if (cfg_grandchild)
    {
      wchar_t cmd[MAX_PATH + 40];
      _snwprintf (cmd, MAX_PATH + 40, L"\"%s\" --hs-grandchild", self);
      STARTUPINFOW si = { sizeof si };
      PROCESS_INFORMATION pi;
      if (CreateProcessW (self, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
        {
          wchar_t pid[32];
          _snwprintf (pid, 32, L"%lu", (unsigned long) pi.dwProcessId);
          pid[31] = 0;
          append_log ("GRANDCHILD", pid);
          CloseHandle (pi.hThread);
          CloseHandle (pi.hProcess);
        }
    }
  if (cfg_stdout_file[0])
    {
      wchar_t w[1024];
      MultiByteToWideChar (CP_UTF8, 0, cfg_stdout_file, -1, w, 1024);
      FILE *o = _wfopen (w, L"rb");
      if (o)
        {
          char b[4096];
          size_t n;
          while ((n = fread (b, 1, sizeof b, o)) > 0)
            fwrite (b, 1, n, stdout);
          fclose (o);
        }
    }
  if (cfg_garbage > 0)
    {
      unsigned int x = 2463534242u;
      char b[4096];
      for (long left = cfg_garbage; left > 0; left -= (long) sizeof b)
        {
          size_t n = left < (long) sizeof b ? (size_t) left : sizeof b;
          for (size_t i = 0; i < n; i++)
            {
              x ^= x << 13;
              x ^= x >> 17;
              x ^= x << 5;
              b[i] = (char) (x >> 24);
            }
          fwrite (b, 1, n, stdout);
        }
    }
  for (long i = 0; i < cfg_repeat; i++)
    fputs (cfg_stdout, stdout);
  fputs (cfg_stderr, stderr);
  fflush (stdout);
  fflush (stderr);
  if (cfg_crash)
    {
      /* a real unhandled exception, not a chosen exit code */
      volatile int *volatile nowhere = NULL;
      *nowhere = 1;
    }
  if (cfg_sleep < 0)
    Sleep (INFINITE);
  else if (cfg_sleep > 0)
    Sleep ((DWORD) cfg_sleep);
  return (int) cfg_exit;
}
