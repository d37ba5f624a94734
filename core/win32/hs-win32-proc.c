/* hs-win32-proc.c — the one process runner (PowerShell, w32tm).
 *
 * Absolute path from GetSystemDirectoryW, lpApplicationName set (no shell, no
 * PATH search), arguments quoted by the CommandLineToArgvW rules, stdout and
 * stderr captured through pipes by two reader threads (capped), the child and
 * its descendants in a job object with KILL_ON_JOB_CLOSE, bounded wait,
 * cancellation polled.
 */
#include <windows.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32.h"

/* Handle inheritance is process-wide: serialise process creation so that a
 * second runner's inheritable pipe ends never leak into our child. */
static INIT_ONCE create_lock_once = INIT_ONCE_STATIC_INIT;
static CRITICAL_SECTION create_lock;

static BOOL CALLBACK
init_create_lock (PINIT_ONCE once, PVOID param, PVOID *ctx)
{
  InitializeCriticalSection (&create_lock);
  return TRUE;
}

HsPortCode
hs_win32_program_path (HsWin32Program prog, wchar_t *buf, size_t n_buf, HsPortStatus *st)
{
  const wchar_t *tail;
  switch (prog)
    {
    case HS_WIN32_PROG_POWERSHELL: tail = L"\\WindowsPowerShell\\v1.0\\powershell.exe"; break;
    case HS_WIN32_PROG_W32TM: tail = L"\\w32tm.exe"; break;
    default:
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "unknown program");
      return HS_PORT_BAD_INPUT;
    }
  UINT n = GetSystemDirectoryW (buf, (UINT) n_buf);
  if (n == 0 || n >= n_buf || n + wcslen (tail) + 1 > n_buf)
    return hs_win32_status_from_error (st, GetLastError (), "GetSystemDirectoryW");
  wcscat (buf, tail);
  return HS_PORT_OK;
}

wchar_t *
hs_win32_quote_arg (const wchar_t *arg)
{
  size_t len = wcslen (arg);
  int needs = (len == 0) || wcspbrk (arg, L" \t\n\v\"") != NULL;
  if (!needs)
    return _wcsdup (arg);
  /* worst case: every char a backslash doubled, plus quotes */
  wchar_t *out = malloc ((len * 2 + 3) * sizeof (wchar_t));
  if (out == NULL)
    return NULL;
  size_t o = 0;
  out[o++] = L'"';
  for (size_t i = 0; ; i++)
    {
      size_t bs = 0;
      while (i < len && arg[i] == L'\\')
        {
          bs++;
          i++;
        }
      if (i == len)
        {
          /* backslashes before the closing quote are doubled */
          for (size_t k = 0; k < bs * 2; k++)
            out[o++] = L'\\';
          break;
        }
      else if (arg[i] == L'"')
        {
          for (size_t k = 0; k < bs * 2 + 1; k++)
            out[o++] = L'\\';
          out[o++] = L'"';
        }
      else
        {
          for (size_t k = 0; k < bs; k++)
            out[o++] = L'\\';
          out[o++] = arg[i];
        }
    }
  out[o++] = L'"';
  out[o] = 0;
  return out;
}

wchar_t *
hs_win32_build_command_line (const wchar_t *path, const char *const *args, size_t n_args)
{
  size_t cap = wcslen (path) + 3, len = 0;
  wchar_t *cmd = malloc (cap * sizeof (wchar_t));
  if (cmd == NULL)
    return NULL;
  /* the program path is always quoted (it never ends in a backslash) */
  cmd[len++] = L'"';
  wcscpy (cmd + len, path);
  len += wcslen (path);
  cmd[len++] = L'"';
  cmd[len] = 0;
  for (size_t i = 0; i < n_args; i++)
    {
      wchar_t *w = hs_win32_wide (args[i]);
      wchar_t *q = w ? hs_win32_quote_arg (w) : NULL;
      free (w);
      if (q == NULL)
        {
          free (cmd);
          return NULL;
        }
      size_t ql = wcslen (q);
      if (len + ql + 2 > cap)
        {
          cap = (len + ql + 2) * 2;
          wchar_t *n = realloc (cmd, cap * sizeof (wchar_t));
          if (n == NULL)
            {
              free (q);
              free (cmd);
              return NULL;
            }
          cmd = n;
        }
      cmd[len++] = L' ';
      memcpy (cmd + len, q, ql * sizeof (wchar_t));
      len += ql;
      cmd[len] = 0;
      free (q);
    }
  if (len >= 32767)
    {
      free (cmd);
      return NULL;
    }
  return cmd;
}

typedef struct {
  HANDLE pipe;
  char  *buf;
  size_t len;
  size_t cap_max;
  int    truncated;
} Reader;

static DWORD WINAPI
reader_thread (LPVOID data)
{
  Reader *r = data;
  char chunk[64 * 1024];   /* big reads drain a flood quickly */
  size_t alloc = 0;
  for (;;)
    {
      DWORD got = 0;
      if (!ReadFile (r->pipe, chunk, sizeof chunk, &got, NULL) || got == 0)
        break;
      size_t keep = got;
      if (r->len + keep > r->cap_max)
        {
          keep = r->cap_max - r->len;
          r->truncated = 1;   /* keep draining so the child never blocks */
        }
      if (keep == 0)
        continue;
      if (r->len + keep + 1 > alloc)
        {
          size_t na = alloc ? alloc : 8192;
          while (na < r->len + keep + 1)
            na *= 2;
          char *nb = realloc (r->buf, na);
          if (nb == NULL)
            {
              r->truncated = 1;
              continue;
            }
          r->buf = nb;
          alloc = na;
        }
      memcpy (r->buf + r->len, chunk, keep);
      r->len += keep;
      r->buf[r->len] = '\0';
    }
  return 0;
}

void
hs_win32_proc_result_clear (HsWin32ProcResult *res)
{
  if (res == NULL)
    return;
  free (res->out);
  free (res->err);
  memset (res, 0, sizeof *res);
}

HsPortCode
hs_win32_status_from_exit (HsPortStatus *st, const char *what, const HsWin32ProcResult *res,
                           int stdout_first)
{
  char how[96], line[240];
  const char *first = stdout_first ? res->out : res->err;
  size_t first_len = stdout_first ? res->out_len : res->err_len;

  hs_win32_describe_exit (res->exit_code, how, sizeof how);
  hs_win32_first_line (first_len ? first : (stdout_first ? res->err : res->out), line,
                       sizeof line);
  hs_port_status_set (st, HS_PORT_FAILED, res->exit_code, "%s %s%s%s", what, how,
                      line[0] ? ": " : "", line);
  return HS_PORT_FAILED;
}

static char *
dup_or_empty (char *s)
{
  return s ? s : calloc (1, 1);
}

/* The OEM code page of the system locale: what a console program writes in.
 * Not CP_OEMCP: a process whose manifest sets activeCodePage UTF-8 (ours
 * do) gets 65001 there, while w32tm still writes the system's OEM page. */
static UINT
system_oem_cp (void)
{
  DWORD cp = 0;
  if (GetLocaleInfoW (LOCALE_SYSTEM_DEFAULT, LOCALE_IDEFAULTCODEPAGE | LOCALE_RETURN_NUMBER,
                      (LPWSTR) &cp, sizeof cp / sizeof (WCHAR)) && cp != 0 && IsValidCodePage (cp))
    return cp;
  return CP_OEMCP;
}

/* Output that is not UTF-8 came in the OEM code page (a console program
 * with no console of its own; w32tm; PowerShell before our commands switch
 * it to UTF-8): decode it so that "verfügbar" or "利用できません" arrive as
 * they were meant. 1 when decoded. */
static int
decode_oem (char **text, size_t *len, int truncated)
{
  if (*text == NULL || hs_win32_utf8_valid (*text, *len, truncated))
    return 0;
  size_t n = 0;
  char *u = hs_win32_codepage_to_utf8 (system_oem_cp (), *text, *len, &n);
  if (u == NULL)
    return 0;
  free (*text);
  *text = u;
  *len = n;
  return 1;
}

HsPortCode
hs_win32_run_path (const wchar_t *abs_path, const char *const *args, size_t n_args,
                   uint32_t timeout_ms, const HsPortCancel *cancel,
                   HsWin32ProcResult *res, HsPortStatus *st)
{
  HsPortCode code = HS_PORT_FAILED;
  HANDLE out_r = NULL, out_w = NULL, err_r = NULL, err_w = NULL, in_r = NULL;
  HANDLE job = NULL, threads[2] = { NULL, NULL };
  PROCESS_INFORMATION pi = { 0 };
  Reader readers[2] = { { 0 }, { 0 } };
  wchar_t *cmd = NULL;
  SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };

  memset (res, 0, sizeof *res);
  if (timeout_ms == 0)
    timeout_ms = 60000;

  DWORD attrs = GetFileAttributesW (abs_path);
  if (attrs == INVALID_FILE_ATTRIBUTES || (attrs & FILE_ATTRIBUTE_DIRECTORY))
    {
      char *p = hs_win32_utf8 (abs_path);
      hs_port_status_set (st, HS_PORT_NOT_FOUND, GetLastError (), "%s is not installed",
                          p ? p : "program");
      free (p);
      return HS_PORT_NOT_FOUND;
    }

  cmd = hs_win32_build_command_line (abs_path, args, n_args);
  if (cmd == NULL)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "arguments are not valid UTF-8 or too long");
      return HS_PORT_BAD_INPUT;
    }

  if (!CreatePipe (&out_r, &out_w, &sa, 0) || !CreatePipe (&err_r, &err_w, &sa, 0))
    {
      code = hs_win32_status_from_error (st, GetLastError (), "CreatePipe");
      goto out;
    }
  SetHandleInformation (out_r, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation (err_r, HANDLE_FLAG_INHERIT, 0);
  in_r = CreateFileW (L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                      OPEN_EXISTING, 0, NULL);
  if (in_r == INVALID_HANDLE_VALUE)
    in_r = NULL;

  job = CreateJobObjectW (NULL, NULL);
  if (job == NULL)
    {
      code = hs_win32_status_from_error (st, GetLastError (), "CreateJobObjectW");
      goto out;
    }
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION li;
  memset (&li, 0, sizeof li);
  /* DIE_ON_UNHANDLED_EXCEPTION: a crashing child ends at once with its
   * exception code instead of sitting in a Windows Error Reporting dialog
   * until our timeout, and the step can say it crashed. */
  li.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
                                        | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
  if (!SetInformationJobObject (job, JobObjectExtendedLimitInformation, &li, sizeof li))
    {
      code = hs_win32_status_from_error (st, GetLastError (), "SetInformationJobObject");
      goto out;
    }

  STARTUPINFOEXW six;
  memset (&six, 0, sizeof six);
  six.StartupInfo.cb = sizeof six;
  six.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  six.StartupInfo.hStdInput = in_r;
  six.StartupInfo.hStdOutput = out_w;
  six.StartupInfo.hStdError = err_w;

  /* Inherit exactly our three handles, not whatever else the host process
   * (a GTK application) has marked inheritable. */
  HANDLE inherit[3];
  DWORD n_inherit = 0;
  inherit[n_inherit++] = out_w;
  inherit[n_inherit++] = err_w;
  if (in_r)
    inherit[n_inherit++] = in_r;
  SIZE_T attr_size = 0;
  InitializeProcThreadAttributeList (NULL, 1, 0, &attr_size);
  LPPROC_THREAD_ATTRIBUTE_LIST attrs_list = attr_size ? malloc (attr_size) : NULL;
  if (attrs_list && InitializeProcThreadAttributeList (attrs_list, 1, 0, &attr_size))
    {
      if (UpdateProcThreadAttribute (attrs_list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherit,
                                     n_inherit * sizeof (HANDLE), NULL, NULL))
        six.lpAttributeList = attrs_list;
      else
        DeleteProcThreadAttributeList (attrs_list);
    }

  InitOnceExecuteOnce (&create_lock_once, init_create_lock, NULL, NULL);
  EnterCriticalSection (&create_lock);
  DWORD flags = CREATE_SUSPENDED | CREATE_NO_WINDOW | CREATE_UNICODE_ENVIRONMENT;
  BOOL ok = CreateProcessW (abs_path, cmd, NULL, NULL, TRUE,
                            flags | (six.lpAttributeList ? EXTENDED_STARTUPINFO_PRESENT : 0),
                            NULL, NULL, &six.StartupInfo, &pi);
  DWORD cp_err = GetLastError ();
  if (!ok && six.lpAttributeList && cp_err == ERROR_INVALID_PARAMETER)
    {
      /* an OS without handle lists: plain inheritance, still serialised */
      six.StartupInfo.cb = sizeof (STARTUPINFOW);
      ok = CreateProcessW (abs_path, cmd, NULL, NULL, TRUE, flags, NULL, NULL,
                           &six.StartupInfo, &pi);
      cp_err = GetLastError ();
    }
  if (six.lpAttributeList)
    DeleteProcThreadAttributeList (six.lpAttributeList);
  free (attrs_list);
  /* our copies of the write ends must go, or the readers never see EOF */
  CloseHandle (out_w);
  out_w = NULL;
  CloseHandle (err_w);
  err_w = NULL;
  if (in_r)
    CloseHandle (in_r);
  in_r = NULL;
  LeaveCriticalSection (&create_lock);
  if (!ok)
    {
      code = hs_win32_status_from_error (st, cp_err, "CreateProcessW");
      goto out;
    }
  if (!AssignProcessToJobObject (job, pi.hProcess))
    {
      code = hs_win32_status_from_error (st, GetLastError (), "AssignProcessToJobObject");
      TerminateProcess (pi.hProcess, 1);
      goto out;
    }

  readers[0].pipe = out_r;
  readers[0].cap_max = HS_WIN32_CAPTURE_MAX;
  readers[1].pipe = err_r;
  readers[1].cap_max = HS_WIN32_CAPTURE_MAX;
  threads[0] = CreateThread (NULL, 0, reader_thread, &readers[0], 0, NULL);
  threads[1] = CreateThread (NULL, 0, reader_thread, &readers[1], 0, NULL);
  if (threads[0] == NULL || threads[1] == NULL)
    {
      code = hs_win32_status_from_error (st, GetLastError (), "CreateThread");
      TerminateJobObject (job, 1);
      goto out;
    }
  ResumeThread (pi.hThread);

  ULONGLONG deadline = GetTickCount64 () + timeout_ms;
  code = HS_PORT_OK;
  for (;;)
    {
      DWORD w = WaitForSingleObject (pi.hProcess, 50);
      if (w == WAIT_OBJECT_0)
        break;
      if (w == WAIT_FAILED)
        {
          code = hs_win32_status_from_error (st, GetLastError (), "WaitForSingleObject");
          break;
        }
      if (hs_port_cancelled (cancel))
        {
          code = HS_PORT_CANCELLED;
          hs_port_status_set (st, code, 0, "cancelled; the program and its children were stopped");
          break;
        }
      if (GetTickCount64 () >= deadline)
        {
          code = HS_PORT_TIMEOUT;
          hs_port_status_set (st, code, 0,
                              "no answer within %lu ms; the program and its children were stopped",
                              (unsigned long) timeout_ms);
          break;
        }
    }
  /* Whatever happened, nothing the child started outlives the call. */
  TerminateJobObject (job, 1);
  if (code != HS_PORT_OK)
    WaitForSingleObject (pi.hProcess, 5000);
  else
    {
      DWORD ec = 0;
      GetExitCodeProcess (pi.hProcess, &ec);
      res->exit_code = ec;
    }

out:
  if (threads[0] || threads[1])
    {
      /* The pipes close when the last process holding them dies; a handle
       * leaked to an unrelated process must not hang us. */
      HANDLE live[2];
      DWORD n_live = 0;
      for (int i = 0; i < 2; i++)
        if (threads[i])
          live[n_live++] = threads[i];
      if (WaitForMultipleObjects (n_live, live, TRUE, 5000) != WAIT_OBJECT_0)
        {
          for (DWORD i = 0; i < n_live; i++)
            CancelSynchronousIo (live[i]);
          CloseHandle (out_r);
          out_r = NULL;
          CloseHandle (err_r);
          err_r = NULL;
          WaitForMultipleObjects (n_live, live, TRUE, 2000);
        }
      for (DWORD i = 0; i < n_live; i++)
        CloseHandle (live[i]);
    }
  res->out = dup_or_empty (readers[0].buf);
  res->out_len = res->out_raw_len = readers[0].len;
  res->out_truncated = readers[0].truncated;
  res->err = dup_or_empty (readers[1].buf);
  res->err_len = res->err_raw_len = readers[1].len;
  res->err_truncated = readers[1].truncated;
  res->out_decoded = decode_oem (&res->out, &res->out_len, res->out_truncated);
  res->err_decoded = decode_oem (&res->err, &res->err_len, res->err_truncated);
  if (pi.hThread)
    CloseHandle (pi.hThread);
  if (pi.hProcess)
    CloseHandle (pi.hProcess);
  if (job)
    CloseHandle (job);
  if (out_r)
    CloseHandle (out_r);
  if (err_r)
    CloseHandle (err_r);
  if (out_w)
    CloseHandle (out_w);
  if (err_w)
    CloseHandle (err_w);
  if (in_r)
    CloseHandle (in_r);
  free (cmd);
  if (code == HS_PORT_OK)
    hs_port_status_set (st, HS_PORT_OK, 0, "exit code %lu", (unsigned long) res->exit_code);
  return code;
}

HsPortCode
hs_win32_run (HsWin32Program prog, const char *const *args, size_t n_args,
              uint32_t timeout_ms, const HsPortCancel *cancel,
              HsWin32ProcResult *res, HsPortStatus *st)
{
  wchar_t path[MAX_PATH + 64];
  memset (res, 0, sizeof *res);
  HsPortCode c = hs_win32_program_path (prog, path, sizeof path / sizeof path[0], st);
  if (c != HS_PORT_OK)
    return c;
  return hs_win32_run_path (path, args, n_args, timeout_ms, cancel, res, st);
}
