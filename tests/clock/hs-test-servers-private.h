/* hs-test-servers-private.h — shared by the files of the test servers:
 * hs-test-servers.c (what is running, stopped at exit; processes, tools,
 * files; raw SNTP), hs-test-chrony.c, hs-test-nginx.c and
 * hs-test-responder.c. */
#pragma once

#include "hs-test-servers.h"

G_BEGIN_DECLS

#define START_TIMEOUT_USEC (10 * G_USEC_PER_SEC)

/* What a server run as a child process has: stopped and its directory
 * removed even when an assertion aborts the test. */
typedef struct {
  char        *dir;       /* (owned) private temporary directory */
  char        *log;       /* (owned) its stdout and stderr */
  GSubprocess *process;   /* (owned) (nullable) */
} HsTestDaemon;

/* Stops the process, removes the directory, frees the fields. */
void     hs_test_daemon_clear   (HsTestDaemon *daemon);

/* Whatever is running is stopped at exit (and on abort: daemon, when not
 * NULL, is killed and its directory removed). */
void     hs_test_registry_add    (gpointer server, GDestroyNotify stop, HsTestDaemon *daemon);
void     hs_test_registry_remove (gpointer server);

/* Tools, processes, files. */
char    *hs_test_find_tool        (const char *name, GError **error);
char    *hs_test_find_libfaketime (GError **error);
/* Adds LD_PRELOAD=libfaketime with a relative offset to @launcher. */
gboolean hs_test_setup_faketime   (GSubprocessLauncher *launcher, const char *offset,
                                   gint64 *seconds, GError **error);
GSubprocessLauncher *hs_test_new_launcher (const char *log_path);
char    *hs_test_read_log_tail    (const char *path);
/* Runs a tool to completion under an optional faketime offset. */
gboolean hs_test_run_tool         (const char * const *argv, const char *faketime_offset,
                                   GError **error);
gboolean hs_test_write_file       (const char *dir, const char *name, const char *contents,
                                   char **path_out, GError **error);

/* Raw SNTP, kept independent of libhandshake. */
guint64  hs_test_ntp_now          (void);
guint64  hs_test_get_u64          (const guint8 *p);
void     hs_test_put_u64          (guint8 *p, guint64 v);
double   hs_test_ntp_diff         (guint64 a, guint64 b);

G_END_DECLS
