/* hs-teams-codes.c — Teams status codes, from data/teams-codes.xml
 * (hs-teams-codes.h). */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "hs-teams-codes.h"

G_DEFINE_QUARK (hs-teams-code-error-quark, hs_teams_code_error)

/* data/teams-codes.xml, embedded (build-aux/embed-text.py). */
extern const char hs_teams_codes_text[];

typedef struct {
  char *id, *title, *url;
} Source;

typedef struct {
  char        *value;        /* "0xCAA20003", or the family's prefix "0xCAA7" */
  gboolean     family;
  gboolean     confirmed;
  HsTeamsNext  next;
  char        *network;
  char        *source;       /* a Source id */
  char        *meaning, *advice;
} Entry;

typedef struct {
  GPtrArray *sources;        /* (element-type Source) */
  GPtrArray *entries;        /* (element-type Entry) */
  Entry     *current;        /* while parsing */
  GString   *text;           /* element text while parsing */
} Table;

/* ---- reading the table ---- */

static gboolean
next_from_name (const char *name, HsTeamsNext *out)
{
  static const char * const names[] = { "it", "steps", "network" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        *out = (HsTeamsNext) i;
        return TRUE;
      }
  return FALSE;
}

static void
on_start (GMarkupParseContext *ctx, const char *element, const char **names,
          const char **values, gpointer data, GError **error)
{
  Table *t = data;
  const char *id = NULL, *title = NULL, *url = NULL, *value = NULL, *next = NULL;
  const char *network = NULL, *source = NULL, *confirmed = NULL;
  gboolean family = g_str_equal (element, "family");

  if (g_str_equal (element, "source"))
    {
      Source *s;

      if (!g_markup_collect_attributes (element, names, values, error,
                                        G_MARKUP_COLLECT_STRING, "id", &id,
                                        G_MARKUP_COLLECT_STRING, "title", &title,
                                        G_MARKUP_COLLECT_STRING, "url", &url,
                                        G_MARKUP_COLLECT_INVALID))
        return;
      s = g_new0 (Source, 1);
      s->id = g_strdup (id);
      s->title = g_strdup (title);
      s->url = g_strdup (url);
      g_ptr_array_add (t->sources, s);
    }
  else if (g_str_equal (element, "code") || family)
    {
      Entry *e;

      if (!g_markup_collect_attributes (element, names, values, error,
                                        G_MARKUP_COLLECT_STRING, family ? "prefix" : "value", &value,
                                        G_MARKUP_COLLECT_STRING, "next", &next,
                                        G_MARKUP_COLLECT_STRING, "source", &source,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL, "network", &network,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL, "confirmed", &confirmed,
                                        G_MARKUP_COLLECT_INVALID))
        return;
      e = g_new0 (Entry, 1);
      e->value = g_ascii_strup (value, -1);
      e->value[1] = 'x';
      e->family = family;
      e->confirmed = g_strcmp0 (confirmed, "no") != 0;
      e->network = g_strdup (network);
      e->source = g_strdup (source);
      if (!next_from_name (next, &e->next))
        g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                     "%s: unknown next=\"%s\"", value, next);
      g_ptr_array_add (t->entries, e);
      t->current = e;
    }
  else if (g_str_equal (element, "meaning") || g_str_equal (element, "advice"))
    g_string_truncate (t->text, 0);
}

/* xgettext folds the white space of an element's text the same way. */
static char *
folded (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\r\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (char **w = words; *w != NULL; w++)
    if (**w != '\0')
      g_string_append_printf (out, "%s%s", out->len ? " " : "", *w);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
on_end (GMarkupParseContext *ctx, const char *element, gpointer data, GError **error)
{
  Table *t = data;

  if (t->current != NULL && g_str_equal (element, "meaning"))
    t->current->meaning = folded (t->text->str);
  else if (t->current != NULL && g_str_equal (element, "advice"))
    t->current->advice = folded (t->text->str);
  else if (g_str_equal (element, "code") || g_str_equal (element, "family"))
    t->current = NULL;
}

static void
on_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer data, GError **error)
{
  Table *t = data;

  g_string_append_len (t->text, text, (gssize) len);
}

static const Table *
table (void)
{
  static Table t;
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      static const GMarkupParser parser = { on_start, on_end, on_text, NULL, NULL };
      GMarkupParseContext *ctx;
      g_autoptr(GError) error = NULL;

      t.sources = g_ptr_array_new ();
      t.entries = g_ptr_array_new ();
      t.text = g_string_new (NULL);
      ctx = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &t, NULL);
      if (!g_markup_parse_context_parse (ctx, hs_teams_codes_text, -1, &error)
          || !g_markup_parse_context_end_parse (ctx, &error))
        g_critical ("data/teams-codes.xml does not parse: %s", error->message);
      g_markup_parse_context_free (ctx);
      g_once_init_leave (&loaded, 1);
    }
  return &t;
}

guint
hs_teams_codes_count (void)
{
  return table ()->entries->len;
}

/* ---- codes as people type them ---- */

gboolean
hs_teams_code_parse (const char *input, char out[11], GError **error)
{
  g_autofree char *s = g_strstrip (g_strdup (input ? input : ""));
  const char *hex = s;

  if (g_ascii_strncasecmp (hex, "0x", 2) == 0)
    hex += 2;
  if (strlen (hex) != 8 || strspn (hex, "0123456789abcdefABCDEF") != 8)
    {
      g_set_error (error, HS_TEAMS_CODE_ERROR, HS_TEAMS_CODE_ERROR_INVALID,
                   "not a Teams status code (they look like 0xCAA20003): %s", input ? input : "");
      return FALSE;
    }
  out[0] = '0';
  out[1] = 'x';
  for (int i = 0; i < 8; i++)
    out[2 + i] = g_ascii_toupper (hex[i]);
  out[10] = '\0';
  return TRUE;
}

gboolean
hs_teams_code_explain (const char *input, HsTeamsCode *out, GError **error)
{
  const Table *t = table ();
  const Entry *hit = NULL;

  memset (out, 0, sizeof *out);
  if (!hs_teams_code_parse (input, out->code, error))
    return FALSE;
  /* The code itself first, else the longest family that has it. */
  for (guint i = 0; i < t->entries->len && hit == NULL; i++)
    {
      const Entry *e = g_ptr_array_index (t->entries, i);
      if (!e->family && g_str_equal (e->value, out->code))
        hit = e;
    }
  for (guint i = 0; i < t->entries->len && (hit == NULL || hit->family); i++)
    {
      const Entry *e = g_ptr_array_index (t->entries, i);
      if (e->family && g_str_has_prefix (out->code, e->value)
          && (hit == NULL || strlen (e->value) > strlen (hit->value)))
        hit = e;
    }
  out->next = HS_TEAMS_NEXT_IT;
  if (hit == NULL)
    return TRUE;
  out->known = TRUE;
  out->family = hit->family;
  out->confirmed = hit->confirmed;
  out->next = hit->next;
  out->meaning = hit->meaning;
  out->advice = hit->advice;
  out->network = hit->network;
  for (guint i = 0; i < t->sources->len; i++)
    {
      const Source *s = g_ptr_array_index (t->sources, i);
      if (g_strcmp0 (s->id, hit->source) == 0)
        {
          out->source_title = s->title;
          out->source_url = s->url;
        }
    }
  return TRUE;
}

const char *
hs_teams_next_name (HsTeamsNext next)
{
  switch (next)
    {
    case HS_TEAMS_NEXT_STEPS: return "steps";
    case HS_TEAMS_NEXT_NETWORK: return "network";
    case HS_TEAMS_NEXT_IT:
    default: return "it";
    }
}

static const char *
tr (const char *msgid, gboolean english)
{
  return english ? msgid : g_dgettext (GETTEXT_PACKAGE, msgid);
}

const char *
hs_teams_code_meaning (const HsTeamsCode *code, gboolean english)
{
  if (code->meaning != NULL)
    return tr (code->meaning, english);
  return tr (N_("Handshake does not know this code."), english);
}

const char *
hs_teams_code_advice (const HsTeamsCode *code, gboolean english)
{
  if (code->advice != NULL)
    return tr (code->advice, english);
  return tr (N_("Give this code to your IT admin: it tells them what went wrong during your sign-in."),
             english);
}
