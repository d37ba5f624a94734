/* hs-broker-page.c — step 3's page: the two sign-in helpers, set up for
 * this user or not, and registering them again as the user. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-broker-page.h"
#include "hs-codes.h"
#include "hs-ui.h"

struct _HsBrokerPage
{
  HsStepPage parent_instance;
};

G_DEFINE_FINAL_TYPE (HsBrokerPage, hs_broker_page, HS_TYPE_STEP_PAGE)

static const HsStepAdvice advice[] = {
  { HS_CODE_BROKER_FIX_FAILED,
    N_("The sign-in helper could not be set up again. Restart the computer and try once more; "
       "if it still fails, send the report to your IT support."), TRUE },
  { HS_CODE_BROKER_MANIFEST_MISSING,
    N_("A Windows file this repair needs is missing. Windows itself needs repairing: "
       "please contact your IT support and mention the code below."), TRUE },
  { HS_CODE_BROKER_UNVERIFIED,
    N_("Press “Check again”. If this keeps happening, follow the steps by hand below."), FALSE },
  { HS_CODE_BROKER_BROKEN,
    N_("Windows reports the sign-in helper as damaged. Setting it up again usually repairs it; "
       "restart the computer afterwards."), FALSE },
  { HS_CODE_BROKER_SERVICING,
    N_("Windows is updating the sign-in helper right now. Wait a few minutes (or restart the computer), "
       "then press “Check again”."), FALSE },
  { NULL }
};

static void
broker_page_build_rows (HsStepPage *self, HsResult *r)
{
  GPtrArray *items = hs_result_get_items (r);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const HsItem *item = g_ptr_array_index (items, i);
      const char *family = hs_item_get_string (item, "family");
      const char *registered = hs_item_get_string (item, "registered");
      const char *title, *status;
      g_autofree char *sub = NULL;
      GtkWidget *row;

      if (g_strcmp0 (item->kind, "package") != 0 || family == NULL)
        continue;
      if (g_str_has_prefix (family, "Microsoft.AAD.BrokerPlugin"))
        title = _("Work or school sign-in helper");
      else if (g_str_has_prefix (family, "Microsoft.Windows.CloudExperienceHost"))
        title = _("Microsoft account sign-in helper");
      else
        title = family;
      status = hs_item_get_string (item, "status");
      if (status != NULL && g_strcmp0 (hs_item_get_string (item, "status_ok"), "no") == 0)
        /* TRANSLATORS: %s is the package's status as Windows words it, e.g. "Modified, Tampered". */
        sub = g_strdup_printf (_("%s\nWindows says: %s"), family, status);
      row = hs_step_page_row_new (title, sub ? sub : family);
      if (g_strcmp0 (registered, "yes") == 0 && hs_item_get_bool (item, "servicing", FALSE))
        /* TRANSLATORS: short status of the sign-in helper: Windows is updating it. */
        hs_step_page_row_add_suffix (row, _("Being updated"), "warning");
      else if (g_strcmp0 (registered, "yes") == 0 && g_strcmp0 (hs_item_get_string (item, "status_ok"), "no") == 0)
        /* TRANSLATORS: short status of the sign-in helper: Windows reports it damaged. */
        hs_step_page_row_add_suffix (row, _("Damaged"), "error");
      else if (g_strcmp0 (registered, "yes") == 0)
        hs_step_page_row_add_suffix (row, _("Set up"), NULL);
      else if (g_strcmp0 (registered, "no") == 0)
        hs_step_page_row_add_suffix (row, _("Not set up for you"), "error");
      else
        hs_step_page_row_add_suffix (row, _("Unknown"), "dim-label");
      hs_step_page_add_finding (self, row);
    }
}

static void
broker_page_describe_fix (HsStepPage *self, HsResult *r, HsStepPageFix *fix)
{
  fix->fix_label = _("_Set it up again");
  fix->note = _("This runs as you, without administrator rights. Restart the computer afterwards.");
}

static void
hs_broker_page_class_init (HsBrokerPageClass *klass)
{
  HsStepPageClass *page_class = HS_STEP_PAGE_CLASS (klass);

  page_class->step = HS_STEP_BROKER;
  /* TRANSLATORS: short name of step 3: the Windows component that handles work sign-ins. */
  page_class->short_name = N_("Sign-in helper");
  page_class->advice = advice;
  page_class->build_rows = broker_page_build_rows;
  page_class->describe_fix = broker_page_describe_fix;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               HS_UI_RESOURCE_PATH "hs-broker-page.ui");
}

static void
hs_broker_page_init (HsBrokerPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
