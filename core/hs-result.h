/* hs-result.h — what a check or a fix found: status, stable code, summary,
 * findings. Immutable once returned by core; safe to pass between threads. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A step's number, as in the published procedure (1 = the clock). The
 * steps themselves are named in core/steps/hs-step-table.h. */
typedef int HsStep;

typedef enum {
  HS_STATUS_OK,
  HS_STATUS_WARNING,
  HS_STATUS_PROBLEM,
  HS_STATUS_FIXED,
  HS_STATUS_NEEDS_RESTART,
  HS_STATUS_UNVERIFIED,      /* could not check; the reason is in the findings */
  HS_STATUS_NOT_APPLICABLE
} HsStatus;

typedef enum {
  HS_FIX_NONE,
  HS_FIX_AUTOMATIC,
  HS_FIX_AUTOMATIC_ADMIN,    /* asks for administrator permission once */
  HS_FIX_GUIDED              /* the user does it, the wizard shows how */
} HsFixKind;

/* How a finding's value is treated in redacted reports. */
typedef enum {
  HS_SENSITIVITY_PUBLIC,
  HS_SENSITIVITY_PERSONAL,   /* the whole value is an e-mail address or user name: masked */
  HS_SENSITIVITY_TEXT        /* an identifier or sentence that may contain e-mail addresses: those are masked */
} HsSensitivity;

GType       hs_status_get_type    (void) G_GNUC_CONST;
GType       hs_fix_kind_get_type  (void) G_GNUC_CONST;
#define HS_TYPE_STATUS   (hs_status_get_type ())
#define HS_TYPE_FIX_KIND (hs_fix_kind_get_type ())

/* Stable lower-case names used in JSON and the CLI: "ok", "automatic_admin"… */
const char *hs_status_name        (HsStatus status);
const char *hs_fix_kind_name      (HsFixKind kind);
/* TRUE when nothing more is needed from the user for this step. */
gboolean    hs_status_is_good     (HsStatus status);

/* One fact. Keys are stable snake_case ids; values are strings, integers,
 * doubles or booleans (GVariant types s, x, d, b). */
typedef struct {
  char          *key;
  GVariant      *value;
  HsSensitivity  sensitivity;
} HsFinding;

/* A listed thing (a credential, an account, a package) with its own facts. */
typedef struct {
  char      *kind;            /* "credential", "account", "package", "attempt" */
  GPtrArray *findings;        /* (element-type HsFinding) */
} HsItem;

#define HS_TYPE_RESULT (hs_result_get_type ())
G_DECLARE_FINAL_TYPE (HsResult, hs_result, HS, RESULT, GObject)

/* summary_msgid: an English sentence marked with N_(); one fixed sentence per
 * code, numbers belong in findings. */
HsResult   *hs_result_new          (HsStep step, HsStatus status, const char *code,
                                    HsFixKind fix, const char *summary_msgid);
HsStep      hs_result_get_step     (HsResult *self);
HsStatus    hs_result_get_status   (HsResult *self);
const char *hs_result_get_code     (HsResult *self);
HsFixKind   hs_result_get_fix      (HsResult *self);
/* In the current UI language. */
const char *hs_result_get_summary  (HsResult *self);
/* The same sentence in English, for reports staff read. */
const char *hs_result_get_summary_en (HsResult *self);
GPtrArray  *hs_result_get_findings (HsResult *self);   /* (element-type HsFinding) (transfer none) */
GPtrArray  *hs_result_get_items    (HsResult *self);   /* (element-type HsItem) (transfer none) */

/* Building a result (only before it is handed out). */
void        hs_result_add_string   (HsResult *self, const char *key, const char *value,
                                    HsSensitivity sensitivity);
void        hs_result_add_int      (HsResult *self, const char *key, gint64 value);
void        hs_result_add_double   (HsResult *self, const char *key, double value);
void        hs_result_add_bool     (HsResult *self, const char *key, gboolean value);
HsItem     *hs_result_add_item     (HsResult *self, const char *kind);
void        hs_item_add_string     (HsItem *item, const char *key, const char *value,
                                    HsSensitivity sensitivity);
void        hs_item_add_int        (HsItem *item, const char *key, gint64 value);
void        hs_item_add_bool       (HsItem *item, const char *key, gboolean value);

/* Lookups (NULL / default when absent). */
const HsFinding *hs_result_lookup  (HsResult *self, const char *key);
const char *hs_result_get_string   (HsResult *self, const char *key);
gboolean    hs_result_get_double   (HsResult *self, const char *key, double *out);
gboolean    hs_result_get_int      (HsResult *self, const char *key, gint64 *out);
gboolean    hs_result_get_bool     (HsResult *self, const char *key, gboolean *out);
const HsFinding *hs_item_lookup    (const HsItem *item, const char *key);
const char *hs_item_get_string     (const HsItem *item, const char *key);
gboolean    hs_item_get_bool       (const HsItem *item, const char *key, gboolean fallback);

G_END_DECLS

G_BEGIN_DECLS
/* A new result with another verdict but the same findings and items
 * (used to report a fix in the terms of its re-check). */
HsResult   *hs_result_derive       (HsResult *from, HsStatus status, const char *code,
                                    HsFixKind fix, const char *summary_msgid);
G_END_DECLS
