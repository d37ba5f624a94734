/* hs-test-probe.h — running the clock probe in the clock tests: a fixture
 * holding the servers of a test, a measurement spun to completion in a
 * private main context (as a UI thread spins its own), and assertions on
 * its attempt lines. */
#pragma once

#include "hs-clock-probe.h"
#include "hs-test-servers.h"

G_BEGIN_DECLS

/* Offsets measured on loopback must match the faked clock this closely. */
#define HS_TEST_SNTP_TOLERANCE  0.050
#define HS_TEST_HTTPS_TOLERANCE 1.5
/* Allowed lateness past timeout_ms (scheduling on a busy 2-core CI box). */
#define HS_TEST_BOUND_MARGIN_MS 500

typedef struct {
  HsTestChrony       *chrony;
  HsTestNginx        *nginx;
  HsTestBadResponder *responder;
  HsClockMeasurement *m;
  GError             *error;
  double              elapsed_ms;
} HsTestProbeFixture;

/* For g_test_add(): clears the Kiss-o'-Death table; stops what the test
 * started, logs the attempt lines. */
void     hs_test_probe_setup      (HsTestProbeFixture *f, gconstpointer data);
void     hs_test_probe_teardown   (HsTestProbeFixture *f, gconstpointer data);
/* Measures into f->m / f->error and f->elapsed_ms; asserts the callback
 * came in the caller's context and never inside the call. */
void     hs_test_probe_measure    (HsTestProbeFixture *f, const HsClockProbeOptions *options,
                                   GCancellable *cancellable);
gboolean hs_test_attempts_contain (HsClockMeasurement *m, const char *needle);
void     hs_test_assert_attempt   (HsClockMeasurement *m, const char *needle);
/* No error, no offset, no method or source, and attempt lines saying why. */
void     hs_test_assert_no_offset (HsTestProbeFixture *f);

G_END_DECLS
