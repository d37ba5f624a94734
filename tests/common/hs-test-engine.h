/* hs-test-engine.h — running the engine synchronously in tests.
 *
 * The engine's API is asynchronous (_async/_finish pairs). Tests call it
 * the same way every time:
 *
 *   GAsyncResult *slot = NULL;
 *   g_autoptr(GAsyncResult) res = NULL;
 *
 *   hs_engine_fix_step_async (e, step, NULL, NULL, hs_test_store_result_cb, &slot);
 *   res = hs_test_wait_for (&slot, "fix step 2");
 *   r = hs_engine_fix_step_finish (e, res, &error);
 *
 * hs_test_wait_for() spins the global-default main context until the
 * callback has stored the result, under a watchdog that aborts the test
 * (g_error) rather than letting it hang until meson's timeout.
 *
 * Engines are built over the practice platform, from a scenario name or
 * path, or from scenario text held in the test itself. */
#pragma once

#include <gio/gio.h>

#include "hs-engine.h"

G_BEGIN_DECLS

/* The default watchdog, in seconds, for hs_test_wait_for(). */
#define HS_TEST_WATCHDOG_SECONDS 10

/* Sets the watchdog of every later hs_test_wait_for() (suites whose
 * operations are slow on purpose call this once from main()). */
void          hs_test_set_watchdog    (guint seconds);

/* A GAsyncReadyCallback: stores a reference to @res in the
 * `GAsyncResult *` that @slot points to, which must be NULL (one
 * operation per slot at a time). */
void          hs_test_store_result_cb (GObject      *source,
                                       GAsyncResult *res,
                                       gpointer      slot);

/* Iterates the global-default main context until *@slot is set by
 * hs_test_store_result_cb(), then returns it (transfer full) and leaves
 * *@slot NULL for the next operation. If the watchdog fires first the
 * test aborts with a message naming @what. */
GAsyncResult *hs_test_wait_for        (GAsyncResult **slot,
                                       const char    *what);

/* A GSourceFunc that cancels the GCancellable it is given, once. For
 * cancelling an operation at a chosen time:
 * g_timeout_add (ms, hs_test_cancel_cb, cancellable). */
gboolean      hs_test_cancel_cb       (gpointer cancellable);

/* A new engine over the practice platform loaded from @scenario (a
 * scenario name such as "all-broken", or a path to a .ini file). Asserts
 * that the scenario loads. Transfer full. */
HsEngine     *hs_test_engine_for      (const char *scenario);

/* The same from scenario text (NUL-terminated); @name is the file name
 * that error messages give for it. Transfer full. */
HsEngine     *hs_test_engine_for_data (const char *data,
                                       const char *name);

/* hs_engine_check_all_async() run to completion; asserts that it
 * succeeded. */
void          hs_test_check_all       (HsEngine *engine);

/* hs_engine_check_step_async() run to completion; asserts a result with a
 * known code. Transfer full. */
HsResult     *hs_test_check_step      (HsEngine *engine,
                                       HsStep    step);

/* hs_engine_restore_async() run to completion from @backup (NULL: the
 * engine's last backup); asserts no error. Transfer full. */
HsResult     *hs_test_restore         (HsEngine   *engine,
                                       const char *backup);

/* hs_engine_fix_step_async() run to completion with @options (may be
 * NULL); the result (a known code), or NULL with @error set. Transfer full. */
HsResult     *hs_test_fix             (HsEngine           *engine,
                                       HsStep              step,
                                       const HsFixOptions *options,
                                       GError            **error);

/* The same, failing the test unless the fix ran (and returned a result). */
HsResult     *hs_test_fix_ok          (HsEngine           *engine,
                                       HsStep              step,
                                       const HsFixOptions *options);

/* How many lines of the action log have @action and (unless NULL) @outcome. */
guint         hs_test_count_actions   (HsEngine   *engine,
                                       const char *action,
                                       const char *outcome);

/* For verdict tests: @r itself, after failing the test unless its code is
 * one of hs-codes.h. */
HsResult     *hs_test_known           (HsResult *r);
/* Fails the test unless @r has this status, code and fix. */
void          hs_test_assert_verdict  (HsResult   *r,
                                       HsStatus    status,
                                       const char *code,
                                       HsFixKind   fix);

/* A secret planted in a practice vault (the blob of three credentials: two
 * that step 2 deletes and one it keeps) for the tests that prove it never
 * reaches a log, report, CLI output or the wizard's text. */
#define HS_TEST_SECRET "S3cr3t-Pl4nted-7f1c9e2a"
extern const char hs_test_secret_scenario[];

/* Fails the test when text holds HS_TEST_SECRET, plainly or base64-encoded
 * (at any alignment); what names the text in the message. */
void          hs_test_assert_no_secret (const char *what,
                                        const char *text);

G_END_DECLS
