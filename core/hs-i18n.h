/* hs-i18n.h — gettext set-up shared by the wizard and the CLI. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* setlocale, then the catalogues: from the build tree when running
 * uninstalled, from share/locale beside the program on Windows (where the
 * Windows display language becomes LANGUAGE unless LANGUAGE is set), else
 * from the installed locale directory. */
void hs_i18n_init (void);

G_END_DECLS
