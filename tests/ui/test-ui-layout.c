/* Nothing is cut off: every label on every page, at 360, 600 and 890 px,
 * in the language of LANGUAGE (run for en, de, ar, ja and zh_CN). A label
 * that is ellipsized although it is wider than its room, or any widget that
 * sticks out of its page, fails the test with the text it concerns. The
 * step strip shows each step's number exactly once, before and after the
 * checks, and from 600 px up every step's name, whole. */
#define G_LOG_DOMAIN "Handshake-UI-Test"
#include "config.h"

#include <string.h>

#include "hs-step-page.h"
#include "hs-step-strip.h"
#include "hs-test-util.h"
#include "hs-welcome-page.h"

#define TIMEOUT_MS 30000

typedef struct {
  GtkWidget *page;
  GString   *problems;
  const char *where;
} Walk;

static const char *
first_text (GtkWidget *w)
{
  if (GTK_IS_LABEL (w) && *gtk_label_get_text (GTK_LABEL (w)) != '\0')
    return gtk_label_get_text (GTK_LABEL (w));
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      const char *t = first_text (c);
      if (t != NULL)
        return t;
    }
  return NULL;
}

/* The text of the label, or of the first label inside. */
static const char *
describe (GtkWidget *w)
{
  const char *t = first_text (w);
  return t ? t : G_OBJECT_TYPE_NAME (w);
}

static int
min_width (GtkWidget *w)
{
  int min = 0;
  gtk_widget_measure (w, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}

/* The innermost widgets that need more than limit px: what makes the
 * window wider than asked. */
static gboolean
find_too_wide (GString *out, GtkWidget *w, int limit)
{
  gboolean child_found = FALSE;

  if (!gtk_widget_get_visible (w) || min_width (w) <= limit)
    return FALSE;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    child_found |= find_too_wide (out, c, limit);
  if (!child_found)
    g_string_append_printf (out, "  needs %d px: %s “%s”\n", min_width (w),
                            G_OBJECT_TYPE_NAME (w), describe (w));
  return TRUE;
}

static void
check_widget (Walk *walk, GtkWidget *w)
{
  graphene_rect_t bounds;
  int page_width = gtk_widget_get_width (walk->page);

  if (!gtk_widget_get_mapped (w) || GTK_IS_SCROLLBAR (w))
    return;

  if (GTK_IS_LABEL (w) && gtk_label_get_ellipsize (GTK_LABEL (w)) != PANGO_ELLIPSIZE_NONE &&
      *gtk_label_get_text (GTK_LABEL (w)) != '\0')
    {
      int natural = 0;
      gtk_widget_measure (w, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      /* Pango knows whether it dropped text for the room the label got. */
      if (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (w))))
        g_string_append_printf (walk->problems, "%s: label cut off (needs %d px, has %d): “%s”\n",
                                walk->where, natural, gtk_widget_get_width (w), describe (w));
    }

  if (gtk_widget_compute_bounds (w, walk->page, &bounds) &&
      (bounds.origin.x < -1 || bounds.origin.x + bounds.size.width > page_width + 1) &&
      bounds.size.width > 0)
    {
      g_string_append_printf (walk->problems, "%s: %s sticks out of the page (x %.0f to %.0f, page %d): “%s”\n",
                              walk->where, G_OBJECT_TYPE_NAME (w), bounds.origin.x,
                              bounds.origin.x + bounds.size.width, page_width, describe (w));
      return;   /* its children would say the same */
    }

  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    check_widget (walk, c);
}

static void
check_area (GString *problems, GtkWidget *area, const char *where)
{
  Walk walk = { area, problems, where };

  for (GtkWidget *c = gtk_widget_get_first_child (area); c; c = gtk_widget_get_next_sibling (c))
    check_widget (&walk, c);
}

/* The text a person sees in @w: every mapped label, one a line. */
static void
shown_text (GtkWidget *w, GString *out)
{
  if (!gtk_widget_get_mapped (w) || gtk_widget_get_width (w) <= 0)
    return;
  if (GTK_IS_LABEL (w))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (w)));
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    shown_text (c, out);
}

/* A mapped label reading exactly @text, whole (not ellipsized). */
static gboolean
shows_whole (GtkWidget *w, const char *text)
{
  if (!gtk_widget_get_mapped (w) || gtk_widget_get_width (w) <= 0)
    return FALSE;
  if (GTK_IS_LABEL (w) && g_str_equal (gtk_label_get_text (GTK_LABEL (w)), text))
    return !pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (w)));
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    if (shows_whole (c, text))
      return TRUE;
  return FALSE;
}

static guint
count_digit (const char *text, int digit)
{
  guint n = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      /* Western and Arabic-Indic digits alike. */
      n += c == (gunichar) ('0' + digit) || c == 0x0660 + (gunichar) digit || c == 0x06F0 + (gunichar) digit;
    }
  return n;
}

static void
check_strip (GString *problems, HsWindow *window, int width, const char *where)
{
  HsStepStrip *strip = HS_STEP_STRIP (hs_window_get_strip (window));

  for (int s = 1; s <= HS_N_STEPS; s++)
    {
      GtkWidget *item = hs_step_strip_get_item (strip, (HsStep) s);
      HsStepPage *page = HS_STEP_PAGE (hs_window_get_step_page (window, (HsStep) s));
      g_autoptr(GString) text = g_string_new (NULL);
      guint n;

      shown_text (item, text);
      n = count_digit (text->str, s);
      if (n != 1)
        g_string_append_printf (problems, "%s: strip item %d shows its number %u times: “%s”\n",
                                where, s, n, text->str);
      if (width >= 600 && !shows_whole (item, hs_step_page_get_name (page)))
        g_string_append_printf (problems, "%s: strip item %d does not show the step name “%s” (shows “%s”)\n",
                                where, s, hs_step_page_get_name (page), text->str);
    }
}

/* Chinese and Japanese text takes its punctuation and its simplest
 * characters (、 。 一) from a CJK face of the right language, not from a
 * Latin font's look-alikes (一 drawn as an em dash: "这是—台"). */
static void
check_cjk_fonts (GString *problems, GtkWidget *w, const char *where)
{
  static const gunichar probes[] = { 0x3001 /* 、 */, 0x3002 /* 。 */, 0x4E00 /* 一 */, 0xFF1A /* ： */ };
  const char *lang = g_getenv ("LANGUAGE");
  const char *want = g_str_has_prefix (lang, "zh") ? "CJK SC" : "CJK JP";

  if (!gtk_widget_get_mapped (w))
    return;
  if (GTK_IS_LABEL (w))
    {
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (w));
      const char *text = pango_layout_get_text (layout);
      PangoLayoutIter *iter = pango_layout_get_iter (layout);

      do
        {
          PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);
          g_autoptr(PangoFontDescription) desc = NULL;
          const char *family;

          if (run == NULL)
            continue;
          desc = pango_font_describe (run->item->analysis.font);
          family = pango_font_description_get_family (desc);
          for (const char *p = text + run->item->offset; p < text + run->item->offset + run->item->length;
               p = g_utf8_next_char (p))
            for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
              if (g_utf8_get_char (p) == probes[i] && (family == NULL || strstr (family, want) == NULL))
                g_string_append_printf (problems, "%s: “%.*s” drawn with %s, not a Noto Sans %s face "
                                        "(in the C locale Pango takes Chinese for Japanese: is the test's "
                                        "locale compiled? tests/ui/meson.build), in “%s”\n",
                                        where, (int) (g_utf8_next_char (p) - p), p, family ? family : "?",
                                        want, text);
        }
      while (pango_layout_iter_next_run (iter));
      pango_layout_iter_free (iter);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    check_cjk_fonts (problems, c, where);
}

static void
check_window (HsWindow *window, int width)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  const char *lang = g_getenv ("LANGUAGE");

  for (int p = 0; p <= HS_N_STEPS + 1; p++)
    {
      g_autofree char *where = g_strdup_printf ("%s, %d px, page %d", lang ? lang : "en", width, p);
      g_autofree char *shot = g_strdup_printf ("layout-%d-page%d", width, p);
      GtkWidget *page = p == 0 ? hs_window_get_welcome_page (window)
                      : p <= HS_N_STEPS ? hs_window_get_step_page (window, (HsStep) p)
                      : hs_window_get_finish_page (window);

      hs_window_show_page (window, p);
      hs_test_spin (100);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      /* The page itself, then the window around it (header bar, strip,
       * Back/Next bar) against the window's width. */
      if (gtk_widget_get_width (page) > width)
        {
          g_string_append_printf (problems, "%s: the page is %d px wide in a window of %d px\n",
                                  where, gtk_widget_get_width (page), width);
          find_too_wide (problems, GTK_WIDGET (window), width - 24);
        }
      check_area (problems, page, where);
      check_area (problems, GTK_WIDGET (window), where);
      check_strip (problems, window, width, where);
      if (lang != NULL && (g_str_has_prefix (lang, "ja") || g_str_has_prefix (lang, "zh")))
        check_cjk_fonts (problems, GTK_WIDGET (window), where);
      hs_test_screenshot (GTK_WIDGET (window), shot);
    }
  if (problems->len > 0)
    g_error ("Cut off or misaligned:\n%s", problems->str);
}

static void
test_layout (gconstpointer data)
{
  int width = GPOINTER_TO_INT (data);
  g_autoptr(HsEngine) engine = hs_test_engine_new ("all-broken");
  HsWindow *window = hs_test_window_new (engine, "all-broken", width);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *where = g_strdup_printf ("%s, %d px, before the checks",
                                            g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "en", width);
  g_autofree char *shot = g_strdup_printf ("layout-%d-welcome", width);

  /* Before the checks: the strip as a first-time user sees it. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  check_strip (problems, window, width, where);
  hs_test_screenshot (GTK_WIDGET (window), shot);
  if (problems->len > 0)
    g_error ("Step strip:\n%s", problems->str);

  hs_test_click (hs_welcome_page_get_start_button (HS_WELCOME_PAGE (hs_window_get_welcome_page (window))));
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  g_assert_true (hs_window_get_checked (window));
  check_window (window, width);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  hs_test_init (&argc, &argv);
  g_test_add_data_func ("/ui/layout/360", GINT_TO_POINTER (360), test_layout);
  g_test_add_data_func ("/ui/layout/600", GINT_TO_POINTER (600), test_layout);
  g_test_add_data_func ("/ui/layout/890", GINT_TO_POINTER (890), test_layout);
  return g_test_run ();
}
