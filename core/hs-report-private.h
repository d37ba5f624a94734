/* hs-report-private.h — shared by the files of the reports: hs-report.c
 * (header, steps, actions) and hs-report-network.c (the network check and
 * the Teams codes seen). */
#pragma once

#include <jansson.h>

#include "hs-report.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)

/* @msgid in the report's language. */
const char *hs_report_tr           (const HsReportOptions *o, const char *msgid);
/* A JSON string of @s made valid UTF-8 (null for NULL). */
json_t     *hs_report_json_text    (const char *s);
/* Each finding as a member of @obj, redacted as @o says. */
void        hs_report_add_findings (json_t *obj, GPtrArray *findings, const HsReportOptions *o);
/* A finding's value as text, redacted as @o says. */
void        hs_report_append_value (GString *out, const HsFinding *f, const HsReportOptions *o);

/* hs-report-network.c: "network" (when a check ran) and "codes_seen" (when
 * the person reported codes) into @root; the same as text into @out. */
void        hs_report_network_json (json_t *root, HsEngine *engine, const HsReportOptions *o);
void        hs_report_network_text (GString *out, HsEngine *engine, const HsReportOptions *o);

G_END_DECLS
