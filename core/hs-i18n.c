/* hs-i18n.c — gettext set-up shared by the wizard and the CLI. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#ifdef G_OS_WIN32
#include <windows.h>
#endif

#include "hs-i18n.h"
#include "hs-paths.h"

#ifdef G_OS_WIN32
/* The Windows display language, as gettext's LANGUAGE ("de-DE" becomes
 * "de_DE:de"). A LANGUAGE the user set wins. Before bindtextdomain(). */
static void
set_language_from_windows (void)
{
  const char *env = g_getenv ("LANGUAGE");
  wchar_t name[LOCALE_NAME_MAX_LENGTH];
  g_autofree char *tag = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *value = NULL;
  guint n;

  if (env != NULL && *env != '\0')
    return;
  if (LCIDToLocaleName (MAKELCID (GetUserDefaultUILanguage (), SORT_DEFAULT), name,
                        LOCALE_NAME_MAX_LENGTH, 0) <= 0)
    return;
  tag = g_utf16_to_utf8 ((const gunichar2 *) name, -1, NULL, NULL, NULL);
  if (tag == NULL || *tag == '\0')
    return;
  /* language[-Script][-REGION]: gettext knows language_REGION. */
  parts = g_strsplit (tag, "-", -1);
  n = g_strv_length (parts);
  if (n >= 2 && strlen (parts[n - 1]) == 2)
    value = g_strdup_printf ("%s_%s:%s", parts[0], parts[n - 1], parts[0]);
  else
    value = g_strdup (parts[0]);
  g_setenv ("LANGUAGE", value, TRUE);
}
#endif

void
hs_i18n_init (void)
{
  g_autofree char *localedir = g_strdup (hs_paths_localedir ());
  g_autofree char *build_root = g_path_get_dirname (HS_BUILD_LOCALEDIR);
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

#ifdef G_OS_WIN32
  set_language_from_windows ();
#endif
  /* Running from the build tree (build-aux/run.sh, tests): the catalogues
   * built next to us. */
  if (g_file_test (HS_BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR) &&
      ((exe != NULL && g_str_has_prefix (exe, build_root)) || g_getenv ("HANDSHAKE_DATADIR") != NULL))
    {
      g_free (localedir);
      localedir = g_strdup (HS_BUILD_LOCALEDIR);
    }

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
