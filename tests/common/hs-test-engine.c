/* hs-test-engine.c — running the engine synchronously in tests. */
#include <string.h>

#include "hs-codes.h"
#include "hs-practice.h"
#include "hs-test-engine.h"

static guint watchdog_seconds = HS_TEST_WATCHDOG_SECONDS;

void
hs_test_set_watchdog (guint seconds)
{
  g_return_if_fail (seconds > 0);
  watchdog_seconds = seconds;
}

static gboolean
watchdog_cb (gpointer data)
{
  g_error ("watchdog: %s did not complete within %u s", (const char *) data, watchdog_seconds);
  return G_SOURCE_REMOVE;
}

void
hs_test_store_result_cb (GObject *source, GAsyncResult *res, gpointer slot)
{
  GAsyncResult **result = slot;

  g_assert_null (*result);
  *result = g_object_ref (res);
}

GAsyncResult *
hs_test_wait_for (GAsyncResult **slot, const char *what)
{
  guint id = g_timeout_add_seconds (watchdog_seconds, watchdog_cb, (gpointer) what);

  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return g_steal_pointer (slot);
}

gboolean
hs_test_cancel_cb (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

HsEngine *
hs_test_engine_for (const char *scenario)
{
  g_autoptr(GError) error = NULL;
  HsPlatform *pf = hs_practice_platform_new (scenario, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pf);
  return hs_engine_new (pf, NULL);
}

HsEngine *
hs_test_engine_for_data (const char *data, const char *name)
{
  g_autoptr(GError) error = NULL;
  HsPlatform *pf = hs_practice_platform_new_from_data (data, strlen (data), name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pf);
  return hs_engine_new (pf, NULL);
}

void
hs_test_check_all (HsEngine *engine)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  hs_engine_check_all_async (engine, NULL, hs_test_store_result_cb, &slot);
  res = hs_test_wait_for (&slot, "check_all");
  g_assert_true (hs_engine_check_all_finish (engine, res, &error));
  g_assert_no_error (error);
}

HsResult *
hs_test_check_step (HsEngine *engine, HsStep step)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  HsResult *r;

  hs_engine_check_step_async (engine, step, NULL, hs_test_store_result_cb, &slot);
  res = hs_test_wait_for (&slot, "check_step");
  r = hs_engine_check_step_finish (engine, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_true (hs_code_is_known (hs_result_get_code (r)));
  return r;
}

HsResult *
hs_test_restore (HsEngine *engine, const char *backup)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  HsResult *r;

  hs_engine_restore_async (engine, backup, NULL, hs_test_store_result_cb, &slot);
  res = hs_test_wait_for (&slot, "restore");
  r = hs_engine_restore_finish (engine, res, &error);
  g_assert_no_error (error);
  return r;
}

HsResult *
hs_test_fix (HsEngine *engine, HsStep step, const HsFixOptions *options, GError **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  HsResult *r;

  hs_engine_fix_step_async (engine, step, options, NULL, hs_test_store_result_cb, &slot);
  res = hs_test_wait_for (&slot, "fix_step");
  r = hs_engine_fix_step_finish (engine, res, error);
  if (r != NULL)
    {
      g_test_message ("fix step %d: %s %s (%s)", step, hs_status_name (hs_result_get_status (r)),
                      hs_result_get_code (r),
                      hs_result_get_string (r, "fix_reason") ? hs_result_get_string (r, "fix_reason") : "-");
      hs_test_known (r);
    }
  return r;
}

HsResult *
hs_test_fix_ok (HsEngine *engine, HsStep step, const HsFixOptions *options)
{
  g_autoptr(GError) error = NULL;
  HsResult *r = hs_test_fix (engine, step, options, &error);

  g_assert_no_error (error);
  return r;
}

guint
hs_test_count_actions (HsEngine *engine, const char *action, const char *outcome)
{
  GPtrArray *log = hs_engine_get_actions (engine);
  guint n = 0;

  for (guint i = 0; i < log->len; i++)
    {
      HsAction *a = log->pdata[i];
      g_assert_nonnull (a->time);
      if (g_str_equal (a->action, action) && (outcome == NULL || g_str_equal (a->outcome, outcome)))
        n++;
    }
  return n;
}

HsResult *
hs_test_known (HsResult *r)
{
  g_assert_nonnull (r);
  if (!hs_code_is_known (hs_result_get_code (r)))
    g_error ("verdict returned unknown code \"%s\"", hs_result_get_code (r));
  return r;
}

void
hs_test_assert_verdict (HsResult *r, HsStatus status, const char *code, HsFixKind fix)
{
  g_assert_cmpstr (hs_result_get_code (r), ==, code);
  g_assert_cmpstr (hs_status_name (hs_result_get_status (r)), ==, hs_status_name (status));
  g_assert_cmpstr (hs_fix_kind_name (hs_result_get_fix (r)), ==, hs_fix_kind_name (fix));
}

const char hs_test_secret_scenario[] =
  "[scenario]\n"
  "name=secret\n"
  "description=A planted secret.\n"
  "[clock]\n"
  "offset_seconds=252.4\n"
  "[credential teams]\n"
  "target=msteams_adalsso/adal_context_0\n"
  "type=generic\n"
  "user=jane.doe@contoso.com\n"
  "persist=local_machine\n"
  "secret=" HS_TEST_SECRET "\n"
  "[credential msa]\n"
  "target=MicrosoftAccount:user=jane.doe@contoso.com\n"
  "type=generic\n"
  "persist=local_machine\n"
  "secret=" HS_TEST_SECRET "\n"
  "[credential other]\n"
  "target=git:https://dev.contoso.com\n"
  "type=generic\n"
  "persist=local_machine\n"
  "secret=" HS_TEST_SECRET "\n"
  "[broker]\n"
  "registered=no\n"
  "[account work]\n"
  "email=jane.doe@contoso.com\n"
  "kind=work\n"
  "sources=workplace_join\n";

void
hs_test_assert_no_secret (const char *what, const char *text)
{
  g_assert_nonnull (text);
  if (strstr (text, HS_TEST_SECRET) != NULL)
    g_error ("the planted secret appears in %s:\n%s", what, text);
  /* base64 of the secret at each of the three alignments it can start at
   * inside a longer encoded text; the middle part does not depend on what
   * comes before it */
  for (int skip = 0; skip < 3; skip++)
    {
      g_autofree char *b64 = g_base64_encode ((const guchar *) HS_TEST_SECRET + skip,
                                              strlen (HS_TEST_SECRET) - skip);
      b64[strlen (b64) - 4] = '\0';
      if (strstr (text, b64 + 4) != NULL)
        g_error ("the planted secret appears base64-encoded in %s", what);
    }
}
