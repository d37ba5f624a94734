/* hs-win32-text.h — readers of outside text for the Windows layer, in
 * plain portable C so that they are fuzzed natively (see hs-win32-text.c). */
#ifndef HS_WIN32_TEXT_H
#define HS_WIN32_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "hs-platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 if family looks like "Name_publisherid" with safe characters only. */
int         hs_win32_family_valid (const char *family);
/* Parses the fixed Get-AppxPackage command's output: HS_TRI_YES when a line
 * "PackageFamilyName=<family>" (case-insensitive) is present; HS_TRI_NO when
 * the output is empty or holds only the command's own lines for other
 * packages; HS_TRI_UNKNOWN for anything else (garbage, an error text, a
 * truncated capture), which proves nothing either way. */
HsTri       hs_win32_parse_appx_output (const char *output, int truncated, const char *family);
/* First e-mail address / UPN in a .tbacct file's contents (UTF-16LE or
 * UTF-8), malloc'd, or NULL. */
char       *hs_win32_scan_email (const unsigned char *data, size_t len);
/* 1 when a process exit code is an NTSTATUS error (0xC0000000 and up): the
 * process died of an unhandled exception or could not start, it did not
 * choose to exit. */
int         hs_win32_exit_is_crash (uint32_t exit_code);
/* "exited with 1" or "crashed (0xC0000005, access violation)", for a status
 * detail. */
void        hs_win32_describe_exit (uint32_t exit_code, char *buf, size_t n_buf);
/* The first line of a child's output, fit for a status detail: at most
 * n_buf - 1 bytes, cut on a character boundary, every control character or
 * invalid UTF-8 byte replaced by '?'. Empty when text is NULL. */
void        hs_win32_first_line (const char *text, char *buf, size_t n_buf);

#ifdef __cplusplus
}
#endif

#endif /* HS_WIN32_TEXT_H */
