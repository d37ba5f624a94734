/* hs-report.h — what support staff and fleet tools read: JSON (schema
 * "handshake-report/1", documented in README.md) and plain text. */
#pragma once

#include "hs-engine.h"

G_BEGIN_DECLS

#define HS_REPORT_SCHEMA "handshake-report/1"

typedef struct {
  gboolean redact;    /* mask e-mail addresses and user names (default in every caller) */
  gboolean english;   /* summaries and labels in English whatever the UI language */
} HsReportOptions;

char *hs_report_to_json (HsEngine *engine, const HsReportOptions *options);
char *hs_report_to_text (HsEngine *engine, const HsReportOptions *options);

/* Redaction, exposed for tests and the UI. */
char *hs_redact_email   (const char *email);            /* jane@contoso.com → j***@contoso.com */
char *hs_redact_text    (const char *text);             /* masks every e-mail and user-profile name inside */
char *hs_redact_value   (const char *value, HsSensitivity sensitivity);

G_END_DECLS
