/* hs-network-panel.c — "Still can't sign in?" on the summary page: the
 * network check of the sign-in path, run on request, its progress live and
 * its verdict per endpoint in plain words with the codes small. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-a11y.h"
#include "hs-codes.h"
#include "hs-messages.h"
#include "hs-net-verdict.h"
#include "hs-network-panel.h"
#include "hs-ui.h"

struct _HsNetworkPanel
{
  AdwBin        parent_instance;

  HsEngine     *engine;        /* (owned) (nullable) */
  GCancellable *cancellable;   /* (owned) (nullable) */
  GPtrArray    *rows;          /* (element-type AdwActionRow) endpoint rows, in order */

  GtkWidget    *group;
  GtkWidget    *check_row;
  GtkWidget    *check_button;
};

G_DEFINE_FINAL_TYPE (HsNetworkPanel, hs_network_panel, ADW_TYPE_BIN)

/* ---- words ---- */

static const char *
endpoint_title (const char *name, const char *url)
{
  if (g_strcmp0 (name, "signin") == 0)
    return _("Microsoft sign-in service");
  if (g_strcmp0 (name, "teams") == 0)
    return _("Teams service");
  return url;
}

static const char *
stage_text (HsNetStage stage)
{
  switch (stage)
    {
    case HS_NET_STAGE_PROXY: return _("Looking up the proxy settings…");
    case HS_NET_STAGE_DNS: return _("Finding the server’s address…");
    case HS_NET_STAGE_CONNECT: return _("Connecting…");
    case HS_NET_STAGE_TUNNEL: return _("Asking the proxy to pass the connection on…");
    case HS_NET_STAGE_TLS: return _("Securing the connection…");
    default: return _("Waiting…");
    }
}

/* What to do about a verdict, or NULL. */
static const char *
advice (const char *code)
{
  if (g_strcmp0 (code, HS_CODE_NET_DNS) == 0)
    return _("Check that the computer is online. If websites open but this still fails, give the result to your IT admin.");
  if (g_strcmp0 (code, HS_CODE_NET_PROXY) == 0)
    return _("The proxy comes from the Windows proxy settings or from your organization. Give the result to your IT admin.");
  if (g_strcmp0 (code, HS_CODE_NET_CONNECT) == 0 || g_strcmp0 (code, HS_CODE_NET_TIMEOUT) == 0)
    return _("A firewall or a security program may be in the way. Give the result to your IT admin.");
  if (g_strcmp0 (code, HS_CODE_NET_TLS) == 0 || g_strcmp0 (code, HS_CODE_NET_INSPECTED) == 0)
    return _("Something between this computer and Microsoft looks into secure connections, and Teams may not accept that. Give the result to your IT admin.");
  if (g_strcmp0 (code, HS_CODE_NET_UNVERIFIED) == 0)
    return _("Try again. If it keeps failing, give the report to your IT admin.");
  return NULL;
}

static void
add_part (GString *line, char *text)
{
  if (line->len > 0)
    /* TRANSLATORS: separates the facts of one line: "No proxy · Connected in 23 ms". */
    g_string_append (line, _(" · "));
  g_string_append (line, text);
  g_free (text);
}

/* "No proxy · Address found in 14 ms · Connected in 23 ms · …" */
static char *
facts_line (HsResult *r)
{
  GString *line = g_string_new (NULL);
  const char *proxy = hs_result_get_string (r, "proxy");
  const char *root = hs_result_get_string (r, "root");
  const char *root_name = hs_result_get_string (r, "root_name");
  gint64 ms;

  if (g_strcmp0 (proxy, "direct") == 0)
    add_part (line, g_strdup (_("No proxy")));
  else if (proxy != NULL)
    /* TRANSLATORS: %s is the proxy's address. */
    add_part (line, g_strdup_printf (_("Through the proxy %s"), proxy));
  if (hs_result_get_int (r, "dns_ms", &ms) && hs_result_lookup (r, "addresses") != NULL)
    add_part (line, g_strdup_printf (_("Address found in %d ms"), (int) ms));
  if (hs_result_get_int (r, "connect_ms", &ms) && hs_result_lookup (r, "connected_to") != NULL)
    add_part (line, g_strdup_printf (_("Connected in %d ms"), (int) ms));
  if (hs_result_get_int (r, "tunnel_ms", &ms) && g_strcmp0 (hs_result_get_string (r, "stage"), "tunnel") != 0)
    add_part (line, g_strdup_printf (_("Passed on by the proxy in %d ms"), (int) ms));
  if (hs_result_get_int (r, "tls_ms", &ms) && g_strcmp0 (hs_result_get_string (r, "stage"), "done") == 0)
    add_part (line, g_strdup_printf (_("Secured in %d ms"), (int) ms));
  if (root_name != NULL && g_strcmp0 (root, "public") == 0)
    /* TRANSLATORS: %s names a certificate authority, e.g. "DigiCert Global Root G2". */
    add_part (line, g_strdup_printf (_("Certificate from %s, a public authority"), root_name));
  else if (root_name != NULL && g_strcmp0 (root, "local") == 0)
    add_part (line, g_strdup_printf (_("Certificate from %s, installed on this computer"), root_name));
  else if (root_name != NULL && g_strcmp0 (root, "untrusted") == 0)
    add_part (line, g_strdup_printf (_("Certificate from %s, which this computer does not trust"),
                                     root_name));
  return g_string_free (line, FALSE);
}

/* ---- rows ---- */

static void
clear_rows (HsNetworkPanel *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->group),
                                  g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static GtkWidget *
new_row (HsNetworkPanel *self, const char *title, GtkWidget *prefix)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  /* Markup for the codes' small type; the title is escaped for it. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), prefix);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
  g_ptr_array_add (self->rows, row);
  return row;
}

/* A row that shows a stage being checked: a spinner and the stage. */
static void
show_progress (HsNetworkPanel *self, guint index, const char *url, HsNetStage stage)
{
  GtkWidget *row;

  while (self->rows->len <= index)
    {
      GtkWidget *spinner = gtk_spinner_new ();

      gtk_spinner_start (GTK_SPINNER (spinner));
      row = new_row (self, "", spinner);
      g_object_set_data (G_OBJECT (row), "hs-spinner", spinner);
    }
  row = g_ptr_array_index (self->rows, index);
  {
    g_autofree char *title = g_markup_escape_text (endpoint_title (hs_net_endpoint_name (url), url), -1);
    g_autofree char *subtitle = g_markup_escape_text (stage_text (stage), -1);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  }
  hs_a11y_set_label (row, stage_text (stage));
}

static GtkWidget *
row_label (const char *text, gboolean markup, const char *style)
{
  GtkWidget *label = gtk_label_new (NULL);

  if (markup)
    gtk_label_set_markup (GTK_LABEL (label), text);
  else
    gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, style);
  return label;
}

/* The verdict of one endpoint: in words, then the codes in small type.
 *
 * Not an AdwActionRow (a plain AdwPreferencesRow): its long subtitle sits
 * in a horizontal box, and GTK
 * 4.8 allocates a box's children by their width for the row's height; a
 * list row measured a few pixels narrower than it is drawn (the list's
 * borders) then made the text run past the card (seen in Japanese). Here the
 * text sits in a vertical box, under a header line of icon, name and
 * status. */
static void
show_result (HsNetworkPanel *self, HsResult *r)
{
  HsStatus status = hs_result_get_status (r);
  const char *url = hs_result_get_string (r, "url");
  const char *title = endpoint_title (hs_result_get_string (r, "name"), url);
  const char *teams = hs_code_teams_status (hs_result_get_code (r));
  const char *todo = advice (hs_result_get_code (r));
  /* The codes are Latin text: a mark keeps their line aligned in RTL. */
  const char *mark = gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL ? "\u200F" : "";
  GtkWidget *row = adw_preferences_row_new ();   /* inside the group's card */
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name (hs_ui_status_icon (status));
  GtkWidget *name = row_label (title, FALSE, "title");
  GtkWidget *state = gtk_label_new (hs_ui_status_label (status));
  g_autofree char *facts = facts_line (r);
  g_autofree char *codes = NULL, *small = NULL, *a11y = NULL;
  GString *text = g_string_new (hs_result_get_summary (r));

  if (teams != NULL)
    {
      /* TRANSLATORS: after a result code; %s is the status code Teams shows, e.g. 0xCAA82EE7. */
      g_autofree char *shows = g_strdup_printf (_("Teams shows %s"), teams);
      codes = g_strdup_printf ("%s%s · %s", mark, hs_result_get_code (r), shows);
    }
  else
    codes = g_strdup_printf ("%s%s", mark, hs_result_get_code (r));
  if (*facts != '\0')
    g_string_append_printf (text, "\n%s", facts);
  if (todo != NULL)
    g_string_append_printf (text, "\n%s", todo);
  small = g_markup_printf_escaped ("<small>%s</small>", codes);

  gtk_widget_add_css_class (icon, hs_ui_status_style (status));
  hs_a11y_set_label (icon, hs_ui_status_label (status));
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (state, hs_ui_status_style (status));
  gtk_box_append (GTK_BOX (header), icon);
  gtk_box_append (GTK_BOX (header), name);
  gtk_box_append (GTK_BOX (header), state);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), row_label (text->str, FALSE, "subtitle"));
  gtk_box_append (GTK_BOX (box), row_label (small, TRUE, "subtitle"));
  g_string_free (text, TRUE);
  /* Under the name, as an action row's subtitle is. */
  for (GtkWidget *c = gtk_widget_get_next_sibling (header); c != NULL; c = gtk_widget_get_next_sibling (c))
    gtk_widget_set_margin_start (c, 16 + 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "hs-net-result");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
  g_ptr_array_add (self->rows, row);
  /* TRANSLATORS: accessible name of a network result: the service, then its status. */
  a11y = g_strdup_printf (_("%s: %s"), title, hs_ui_status_label (status));
  hs_a11y_set_label (row, a11y);
  hs_a11y_set_description (row, hs_result_get_summary (r));
}

static void
refresh (HsNetworkPanel *self)
{
  HsNetCheck *check = self->engine ? hs_engine_get_network (self->engine) : NULL;
  gboolean busy = self->engine != NULL && hs_engine_get_network_busy (self->engine);

  gtk_widget_set_sensitive (self->check_button, self->engine != NULL && !busy);
  if (busy)
    return;   /* the rows follow the progress */
  clear_rows (self);
  if (check == NULL)
    return;
  for (guint i = 0; i < hs_net_check_get_endpoints (check)->len; i++)
    show_result (self, g_ptr_array_index (hs_net_check_get_endpoints (check), i));
}

/* ---- engine ---- */

static void
on_network_changed (HsEngine *engine, HsNetworkPanel *self)
{
  if (hs_engine_get_network_busy (engine))
    clear_rows (self);
  refresh (self);
}

static void
on_network_progress (HsEngine *engine, guint index, const char *url, int stage,
                     HsNetworkPanel *self)
{
  show_progress (self, index, url, (HsNetStage) stage);
}

static void
on_checked (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsNetworkPanel) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsNetCheck) check = hs_engine_check_network_finish (HS_ENGINE (source), res, &error);

  /* The rows come from network-changed; a check already running (BUSY) is
   * the same check. */
  if (check == NULL && !g_error_matches (error, HS_ENGINE_ERROR, HS_ENGINE_ERROR_BUSY))
    g_warning ("The network check failed: %s", error->message);
}

void
hs_network_panel_start (HsNetworkPanel *self)
{
  g_return_if_fail (HS_IS_NETWORK_PANEL (self));
  if (self->engine == NULL || hs_engine_get_network_busy (self->engine))
    return;
  hs_engine_check_network_async (self->engine, self->cancellable, on_checked, g_object_ref (self));
}

static void
on_check_clicked (HsNetworkPanel *self)
{
  hs_network_panel_start (self);
}

/* ---- object ---- */

void
hs_network_panel_set_engine (HsNetworkPanel *self, HsEngine *engine)
{
  g_return_if_fail (HS_IS_NETWORK_PANEL (self));
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    {
      g_signal_connect (engine, "network-changed", G_CALLBACK (on_network_changed), self);
      g_signal_connect (engine, "network-progress", G_CALLBACK (on_network_progress), self);
      if (hs_engine_is_practice (engine))
        {
          g_autofree char *text = g_strdup_printf ("%s\n%s",
            adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (self->group)),
            _("Practice mode: the result is simulated and nothing is sent over the network."));
          adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group), text);
        }
    }
  refresh (self);
}

void
hs_network_panel_set_cancellable (HsNetworkPanel *self, GCancellable *cancellable)
{
  g_return_if_fail (HS_IS_NETWORK_PANEL (self));
  g_set_object (&self->cancellable, cancellable);
}

GtkWidget *
hs_network_panel_get_check_button (HsNetworkPanel *self)
{
  return self->check_button;
}

static void
hs_network_panel_dispose (GObject *object)
{
  HsNetworkPanel *self = HS_NETWORK_PANEL (object);

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  /* The template's top widget is the bin's child: AdwBin lets go of it. */
  G_OBJECT_CLASS (hs_network_panel_parent_class)->dispose (object);
}

static void
hs_network_panel_class_init (HsNetworkPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = hs_network_panel_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, HS_UI_RESOURCE_PATH "hs-network-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, HsNetworkPanel, group);
  gtk_widget_class_bind_template_child (widget_class, HsNetworkPanel, check_row);
  gtk_widget_class_bind_template_child (widget_class, HsNetworkPanel, check_button);
  gtk_widget_class_bind_template_callback (widget_class, on_check_clicked);
}

static void
hs_network_panel_init (HsNetworkPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  hs_a11y_set_label (self->check_button, _("Check the connection to Microsoft’s sign-in servers"));
  gtk_widget_set_sensitive (self->check_button, FALSE);
}

GtkWidget *
hs_network_panel_new (void)
{
  return g_object_new (HS_TYPE_NETWORK_PANEL, NULL);
}
