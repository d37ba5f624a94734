/* hs-cli-shell.c — quoting for the lines handshake-cli prints for people to
 * paste: a backup under "C:\Users\Jane Doe\…" or a cache folder with a
 * quote in its name must still be one paste away. */
#include "config.h"

#include <string.h>

#include "hs-cli-shell.h"

static gboolean
is_plain (const char *text)
{
#ifdef G_OS_WIN32
  static const char extra[] = "_.:\\/=-";
#else
  static const char extra[] = "_.:/=@%+,-";
#endif
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr (extra, *p) == NULL)
      return FALSE;
  return TRUE;
}

char *
hs_cli_shell_word (const char *text)
{
#ifdef G_OS_WIN32
  GString *out;
#endif

  if (is_plain (text))
    return g_strdup (text);
#ifdef G_OS_WIN32
  /* PowerShell's single quotes take everything literally ($, `, spaces);
   * a single quote inside is written twice. */
  out = g_string_new ("'");
  for (const char *p = text; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (out, '\'');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
  return g_string_free (out, FALSE);
#else
  return g_shell_quote (text);
#endif
}

char *
hs_cli_restore_line (const HsCliArgs *args, const char *backup)
{
  g_autofree char *program = hs_cli_shell_word (args->program ? args->program : "handshake-cli");
  g_autofree char *file = hs_cli_shell_word (backup);
  g_autofree char *practice = NULL;
  const char *call = "";

#ifdef G_OS_WIN32
  /* A quoted program is a string to PowerShell unless called with &. */
  if (program[0] == '\'')
    call = "& ";
#endif
  if (args->practice && args->scenario != NULL)
    {
      g_autofree char *word = g_strconcat ("--practice=", args->scenario, NULL);
      practice = hs_cli_shell_word (word);
    }
  else if (args->practice)
    practice = g_strdup ("--practice");
  return g_strdup_printf ("%s%s restore%s%s %s", call, program, practice ? " " : "",
                          practice ? practice : "", file);
}
