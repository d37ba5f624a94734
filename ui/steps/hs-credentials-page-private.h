/* hs-credentials-page-private.h — shared by the files of step 2's page:
 * hs-credentials-page.c (the checklist, removing with its questions) and
 * hs-credentials-page-undo.c (Undo, and putting back over newer entries). */
#pragma once

#include "hs-credentials-page.h"

G_BEGIN_DECLS

struct _HsCredentialsPage
{
  HsStepPage  parent_instance;

  GPtrArray  *cred_checks;   /* (element-type GtkCheckButton) data "hs-ref", "hs-target" */
  GHashTable *cred_choice;   /* ref → GINT(checked): kept across refreshes */
  GStrv       pending_refs;  /* (owned) (nullable) kept while a removal runs */
  char       *restore_path;  /* (owned) (nullable) the backup the last Undo put back */
};

/* hs-credentials-page-undo.c: offers Undo after a removal that made a
 * backup, and says what each entry of the restore became. */
void hs_credentials_page_offer_undo   (HsCredentialsPage *self);
/* Rows under "What was found": what each entry of the last removal or
 * restore became (removed, left in place, put back, newer one kept…). */
void hs_credentials_page_add_outcomes (HsCredentialsPage *self, HsResult *result);

G_END_DECLS
