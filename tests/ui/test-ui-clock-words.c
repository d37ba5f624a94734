/* The clock row says how far off the clock is in words, with each
 * language's plural forms ("4 minutes and 12 seconds", "1 minute and 1
 * second"), never in abbreviations ("4 min 12 s"): in all ten languages,
 * from the catalogues of this build. */
#define G_LOG_DOMAIN "Handshake-UI-Test"
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "hs-clock-page.h"

static const char * const languages[] = { "de", "fr", "es", "pt_BR", "it", "nl", "pl", "ja", "zh_CN", "ar" };
static const double offsets[] = { 252.4, -61.0, 3600.0 + 5 * 60.0, -2 * 3600.0, 120.0, 3660.0 };

static void
use_language (const char *lang)
{
  g_setenv ("LANGUAGE", lang, TRUE);
  /* glibc reads LANGUAGE again only when the locale is set again. */
  setlocale (LC_ALL, "");
}

static void
test_english (void)
{
  static const struct { double offset; const char *text; } cases[] = {
    { 252.4, "Your clock is 4 minutes and 12 seconds ahead." },
    { -61.0, "Your clock is 1 minute and 1 second behind." },
    { 120.0, "Your clock is 2 minutes ahead." },
    { 3660.0, "Your clock is 1 hour and 1 minute ahead." },
    { -7200.0, "Your clock is 2 hours behind." },
    { 3600.0 + 5 * 60.0, "Your clock is 1 hour and 5 minutes ahead." },
  };

  use_language ("en");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = hs_clock_page_format_offset (cases[i].offset);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_translated (void)
{
  g_autoptr(GRegex) abbreviated = g_regex_new ("[0-9] ?(min|s|h)\\b|%", G_REGEX_CASELESS, 0, NULL);

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
      {
        g_autofree char *english = NULL, *text = NULL;

        use_language ("en");
        english = hs_clock_page_format_offset (offsets[i]);
        use_language (languages[l]);
        text = hs_clock_page_format_offset (offsets[i]);
        g_test_message ("%s %+.1f: %s", languages[l], offsets[i], text);
        g_assert_true (g_utf8_validate (text, -1, NULL));
        if (g_str_equal (text, english))
          g_error ("%s: not translated: %s", languages[l], text);
        if (g_regex_match (abbreviated, text, 0, NULL))
          g_error ("%s: abbreviated or unformatted: %s", languages[l], text);
      }
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, HS_BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/clock-words/english", test_english);
  g_test_add_func ("/ui/clock-words/translated", test_translated);
  return g_test_run ();
}
