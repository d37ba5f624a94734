/* hs-cli-output.h — what handshake-cli prints (hs-cli-output.c). */
#pragma once

#include "hs-engine.h"

G_BEGIN_DECLS

typedef struct {
  gboolean redact;               /* mask e-mail addresses and user names */
  gboolean english;              /* reports in English */
  gboolean allow_unrecoverable;  /* fix --allow-unrecoverable */
} HsCliOutput;

/* Every step's verdict, and the entries of a removal, for people. */
void hs_cli_print_human       (const HsCliOutput *o, HsEngine *engine);
/* The report, as JSON or text. */
void hs_cli_print_report      (const HsCliOutput *o, HsEngine *engine, gboolean json);
/* What became of each item of @kind ("removal", "restoration") in @r. */
void hs_cli_print_entries     (const HsCliOutput *o, HsResult *r, const char *kind);
/* Who runs handshake-cli, who sits at the computer, how to run it as them. */
void hs_cli_print_wrong_user  (const HsCliOutput *o, HsResult *r);
/* Step 2's line of the plan: which entries would go for good. */
void hs_cli_plan_unrestorable (const HsCliOutput *o, GString *plan, HsResult *r);

G_END_DECLS
