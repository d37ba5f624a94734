/* hs-text-dump.h — HANDSHAKE_DEBUG_DUMP_TEXT=FILE: once every step has been
 * checked and the window has settled, the text it shows is written to FILE.
 *
 * For places where no accessibility tree can be read, above all the Windows
 * build under Wine (GTK 4.8 has no Windows accessibility backend): the
 * suites there assert on what the wizard really shows. Only visible text is
 * written, the same text a screenshot would show. */
#pragma once

#include <gtk/gtk.h>

#include "hs-engine.h"

G_BEGIN_DECLS

void hs_text_dump_attach (GtkWindow *window, HsEngine *engine);

G_END_DECLS
