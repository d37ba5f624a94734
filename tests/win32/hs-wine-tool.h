/* hs-wine-tool.h — shared by the Wine test tool's files: hs-wine-tool.c
 * (planters, snapshots, processes), hs-wine-unit.c (unit tests of
 * core/win32) and hs-wine-unit11.c (the unit tests of issue 11, over the
 * seams in HsWin32TestHooks). */
#ifndef HS_WINE_TOOL_H
#define HS_WINE_TOOL_H

#include <stdio.h>
#include <wchar.h>

extern int failures;

#define CHECK(cond, ...) do { \
    if (cond) { printf ("ok: "); printf (__VA_ARGS__); printf ("\n"); } \
    else { printf ("FAIL: "); printf (__VA_ARGS__); printf ("\n"); failures++; } \
  } while (0)

char *u8 (const wchar_t *w);          /* UTF-8 copy, "" on bad input */
int   unit (void);                    /* hs-wine-unit.c */
void  unit_issue11 (void);            /* hs-wine-unit11.c */
/* tool subcommands of hs-wine-unit11.c */
int   restart_teams_foreign (int argc, wchar_t **argv);
int   elevate_com (void);

#endif
