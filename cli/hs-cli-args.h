/* hs-cli-args.h — handshake-cli's command line: read, checked, and every
 * mistake in it turned into one line that names the bad argument. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes: stable, the table in README.md. */
enum {
  HS_EXIT_OK = 0,              /* nothing wrong; restore: the backup is back (entries
                                * skipped on purpose included) */
  HS_EXIT_PROBLEM = 1,         /* a problem remains */
  HS_EXIT_USAGE = 2,           /* usage error, or a fix refused for want of --yes */
  HS_EXIT_UNVERIFIED = 3,      /* could not check */
  HS_EXIT_RESTORE_FAILED = 4,  /* restore: the backup could not be put back */
};

typedef struct {
  const char *command;          /* "check", "fix", "report", "restore" or "explain" */
  const char *backup;           /* restore's BACKUP */
  const char *code;             /* explain's CODE, as typed */
  const char *program;          /* argv[0] as typed, for lines to paste */
  gboolean    practice;         /* --practice given */
  const char *scenario;         /* its value; NULL: the default scenario */
  char      **servers;          /* --time-server, each well-formed; NULL: defaults */
  const char *https_url;        /* NULL: default; "": off; else an https:// URL */
  const char *https_ca;
  double      timeout;          /* 0 (default) to 120 seconds */
  gboolean    network;          /* --network: the network check of the sign-in path */
  char      **signin_urls;      /* --signin-url, each https:// with a host; NULL: defaults */
  const char *public_roots;     /* tests: the public roots instead of the system's */
  int         step;             /* 0: every step */
  gboolean    json, yes, no_redact, english;
  gboolean    allow_unrecoverable;  /* fix: remove what a backup cannot put back too */
  gboolean    overwrite_newer;      /* restore: write over entries saved since */
  gboolean    version;          /* --version: print it, nothing else */
  const char *elevated_action;  /* Windows' elevated helper */
  double      offset;
  const char *patterns;
} HsCliArgs;

/* Reads @args (argv, owned by the caller and changed in place). Returns
 * the options, or NULL with *message set to a one-line, translated
 * description of the first mistake. --help prints and exits, as GOption
 * does. */
const HsCliArgs *hs_cli_args_parse (char ***args, char **message);

/* Prints "handshake-cli: MESSAGE" and one line pointing to --help on
 * stderr; returns the usage exit code. */
int              hs_cli_usage_error (const char *message);

G_END_DECLS
