/* hs-result.c — immutable verdicts handed from core to the UI and reports. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-result.h"

struct _HsResult
{
  GObject    parent_instance;

  HsStep     step;
  HsStatus   status;
  char      *code;          /* (owned) */
  HsFixKind  fix;
  const char *summary_msgid; /* (unowned) static N_() string */
  GPtrArray *findings;      /* (owned) (element-type HsFinding) */
  GPtrArray *items;         /* (owned) (element-type HsItem) */
};

G_DEFINE_TYPE (HsResult, hs_result, G_TYPE_OBJECT)

static const GEnumValue status_values[] = {
  { HS_STATUS_OK, "HS_STATUS_OK", "ok" },
  { HS_STATUS_WARNING, "HS_STATUS_WARNING", "warning" },
  { HS_STATUS_PROBLEM, "HS_STATUS_PROBLEM", "problem" },
  { HS_STATUS_FIXED, "HS_STATUS_FIXED", "fixed" },
  { HS_STATUS_NEEDS_RESTART, "HS_STATUS_NEEDS_RESTART", "needs_restart" },
  { HS_STATUS_UNVERIFIED, "HS_STATUS_UNVERIFIED", "unverified" },
  { HS_STATUS_NOT_APPLICABLE, "HS_STATUS_NOT_APPLICABLE", "not_applicable" },
  { 0, NULL, NULL }
};

static const GEnumValue fix_values[] = {
  { HS_FIX_NONE, "HS_FIX_NONE", "none" },
  { HS_FIX_AUTOMATIC, "HS_FIX_AUTOMATIC", "automatic" },
  { HS_FIX_AUTOMATIC_ADMIN, "HS_FIX_AUTOMATIC_ADMIN", "automatic_admin" },
  { HS_FIX_GUIDED, "HS_FIX_GUIDED", "guided" },
  { 0, NULL, NULL }
};

#define DEFINE_ENUM(func, Name, values)                                  \
  GType func (void)                                                      \
  {                                                                      \
    static gsize type_id = 0;                                            \
    if (g_once_init_enter (&type_id))                                    \
      g_once_init_leave (&type_id, g_enum_register_static (Name, values)); \
    return type_id;                                                      \
  }

DEFINE_ENUM (hs_status_get_type, "HsStatus", status_values)
DEFINE_ENUM (hs_fix_kind_get_type, "HsFixKind", fix_values)

static const char *
nick_of (const GEnumValue *values, int value)
{
  for (const GEnumValue *v = values; v->value_name != NULL; v++)
    if (v->value == value)
      return v->value_nick;
  return "unknown";
}

const char *
hs_status_name (HsStatus status)
{
  return nick_of (status_values, status);
}

const char *
hs_fix_kind_name (HsFixKind kind)
{
  return nick_of (fix_values, kind);
}

gboolean
hs_status_is_good (HsStatus status)
{
  return status == HS_STATUS_OK || status == HS_STATUS_FIXED ||
         status == HS_STATUS_NOT_APPLICABLE;
}

static void
finding_free (gpointer data)
{
  HsFinding *f = data;

  g_free (f->key);
  g_variant_unref (f->value);
  g_free (f);
}

static void
item_free (gpointer data)
{
  HsItem *item = data;

  g_free (item->kind);
  g_ptr_array_unref (item->findings);
  g_free (item);
}

static void
hs_result_finalize (GObject *object)
{
  HsResult *self = HS_RESULT (object);

  g_free (self->code);
  g_ptr_array_unref (self->findings);
  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (hs_result_parent_class)->finalize (object);
}

static void
hs_result_class_init (HsResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hs_result_finalize;
}

static void
hs_result_init (HsResult *self)
{
  self->findings = g_ptr_array_new_with_free_func (finding_free);
  self->items = g_ptr_array_new_with_free_func (item_free);
}

HsResult *
hs_result_new (HsStep step, HsStatus status, const char *code, HsFixKind fix,
               const char *summary_msgid)
{
  HsResult *self = g_object_new (HS_TYPE_RESULT, NULL);

  self->step = step;
  self->status = status;
  self->code = g_strdup (code);
  self->fix = fix;
  self->summary_msgid = summary_msgid;
  return self;
}

HsStep hs_result_get_step (HsResult *self) { return self->step; }
HsStatus hs_result_get_status (HsResult *self) { return self->status; }
const char *hs_result_get_code (HsResult *self) { return self->code; }
HsFixKind hs_result_get_fix (HsResult *self) { return self->fix; }
GPtrArray *hs_result_get_findings (HsResult *self) { return self->findings; }
GPtrArray *hs_result_get_items (HsResult *self) { return self->items; }

const char *
hs_result_get_summary (HsResult *self)
{
  return self->summary_msgid ? g_dgettext (GETTEXT_PACKAGE, self->summary_msgid) : "";
}

const char *
hs_result_get_summary_en (HsResult *self)
{
  return self->summary_msgid ? self->summary_msgid : "";
}

static void
add_finding (GPtrArray *findings, const char *key, GVariant *value, HsSensitivity sensitivity)
{
  HsFinding *f = g_new0 (HsFinding, 1);

  f->key = g_strdup (key);
  f->value = g_variant_ref_sink (value);
  f->sensitivity = sensitivity;
  g_ptr_array_add (findings, f);
}

void
hs_result_add_string (HsResult *self, const char *key, const char *value, HsSensitivity sensitivity)
{
  add_finding (self->findings, key, g_variant_new_string (value ? value : ""), sensitivity);
}

void
hs_result_add_int (HsResult *self, const char *key, gint64 value)
{
  add_finding (self->findings, key, g_variant_new_int64 (value), HS_SENSITIVITY_PUBLIC);
}

void
hs_result_add_double (HsResult *self, const char *key, double value)
{
  add_finding (self->findings, key, g_variant_new_double (value), HS_SENSITIVITY_PUBLIC);
}

void
hs_result_add_bool (HsResult *self, const char *key, gboolean value)
{
  add_finding (self->findings, key, g_variant_new_boolean (value), HS_SENSITIVITY_PUBLIC);
}

HsItem *
hs_result_add_item (HsResult *self, const char *kind)
{
  HsItem *item = g_new0 (HsItem, 1);

  item->kind = g_strdup (kind);
  item->findings = g_ptr_array_new_with_free_func (finding_free);
  g_ptr_array_add (self->items, item);
  return item;
}

void
hs_item_add_string (HsItem *item, const char *key, const char *value, HsSensitivity sensitivity)
{
  add_finding (item->findings, key, g_variant_new_string (value ? value : ""), sensitivity);
}

void
hs_item_add_int (HsItem *item, const char *key, gint64 value)
{
  add_finding (item->findings, key, g_variant_new_int64 (value), HS_SENSITIVITY_PUBLIC);
}

void
hs_item_add_bool (HsItem *item, const char *key, gboolean value)
{
  add_finding (item->findings, key, g_variant_new_boolean (value), HS_SENSITIVITY_PUBLIC);
}

static const HsFinding *
lookup (GPtrArray *findings, const char *key)
{
  for (guint i = 0; i < findings->len; i++)
    {
      const HsFinding *f = g_ptr_array_index (findings, i);
      if (g_str_equal (f->key, key))
        return f;
    }
  return NULL;
}

const HsFinding *
hs_result_lookup (HsResult *self, const char *key)
{
  return lookup (self->findings, key);
}

const HsFinding *
hs_item_lookup (const HsItem *item, const char *key)
{
  return lookup (item->findings, key);
}

static const char *
finding_string (const HsFinding *f)
{
  if (f == NULL || !g_variant_is_of_type (f->value, G_VARIANT_TYPE_STRING))
    return NULL;
  return g_variant_get_string (f->value, NULL);
}

const char *
hs_result_get_string (HsResult *self, const char *key)
{
  return finding_string (lookup (self->findings, key));
}

const char *
hs_item_get_string (const HsItem *item, const char *key)
{
  return finding_string (lookup (item->findings, key));
}

gboolean
hs_result_get_double (HsResult *self, const char *key, double *out)
{
  const HsFinding *f = lookup (self->findings, key);

  if (f == NULL)
    return FALSE;
  if (g_variant_is_of_type (f->value, G_VARIANT_TYPE_DOUBLE))
    *out = g_variant_get_double (f->value);
  else if (g_variant_is_of_type (f->value, G_VARIANT_TYPE_INT64))
    *out = (double) g_variant_get_int64 (f->value);
  else
    return FALSE;
  return TRUE;
}

gboolean
hs_result_get_int (HsResult *self, const char *key, gint64 *out)
{
  const HsFinding *f = lookup (self->findings, key);

  if (f == NULL || !g_variant_is_of_type (f->value, G_VARIANT_TYPE_INT64))
    return FALSE;
  *out = g_variant_get_int64 (f->value);
  return TRUE;
}

gboolean
hs_result_get_bool (HsResult *self, const char *key, gboolean *out)
{
  const HsFinding *f = lookup (self->findings, key);

  if (f == NULL || !g_variant_is_of_type (f->value, G_VARIANT_TYPE_BOOLEAN))
    return FALSE;
  *out = g_variant_get_boolean (f->value);
  return TRUE;
}

gboolean
hs_item_get_bool (const HsItem *item, const char *key, gboolean fallback)
{
  const HsFinding *f = lookup (item->findings, key);

  if (f == NULL || !g_variant_is_of_type (f->value, G_VARIANT_TYPE_BOOLEAN))
    return fallback;
  return g_variant_get_boolean (f->value);
}

static GPtrArray *
copy_findings (GPtrArray *src)
{
  GPtrArray *dst = g_ptr_array_new_with_free_func (finding_free);

  for (guint i = 0; i < src->len; i++)
    {
      const HsFinding *f = g_ptr_array_index (src, i);
      add_finding (dst, f->key, f->value, f->sensitivity);
    }
  return dst;
}

HsResult *
hs_result_derive (HsResult *from, HsStatus status, const char *code, HsFixKind fix,
                  const char *summary_msgid)
{
  HsResult *self = hs_result_new (from->step, status, code, fix, summary_msgid);

  g_ptr_array_unref (self->findings);
  self->findings = copy_findings (from->findings);
  for (guint i = 0; i < from->items->len; i++)
    {
      const HsItem *src = g_ptr_array_index (from->items, i);
      HsItem *item = hs_result_add_item (self, src->kind);
      g_ptr_array_unref (item->findings);
      item->findings = copy_findings (src->findings);
    }
  return self;
}
