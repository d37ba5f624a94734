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
/* The same for the last non-blank line (w32tm prints progress first and its
 * result last). */
void        hs_win32_last_line (const char *text, char *buf, size_t n_buf);

/* 1 when the len bytes at p are well-formed UTF-8 (NUL bytes allowed). With
 * cut_end, an incomplete sequence at the very end is tolerated (a capture
 * cut at its cap). */
int         hs_win32_utf8_valid (const char *p, size_t len, int cut_end);

/* The Status of FAMILY in the fixed Get-AppxPackage command's output (lines
 * "PackageFamilyName=", "PackageFullName=", "Status=" per package): HS_TRI_YES
 * for "Ok", HS_TRI_NO for any other status (flags: HS_PKG_STATUS_*),
 * HS_TRI_UNKNOWN when the family has no readable Status line. text receives
 * the status as printed (letters, digits, ',' and ' ' only). */
HsTri       hs_win32_parse_appx_status (const char *output, const char *family,
                                        uint32_t *flags, char *text, size_t n_text);

/* What w32tm /resync printed (its last line decides; English texts from
 * Microsoft's documentation, and the HRESULT "(0x800705B4)" any language
 * shows). */
typedef enum {
  HS_W32TM_UNKNOWN = 0,      /* nothing recognised: decide by measuring */
  HS_W32TM_DONE,             /* "The command completed successfully." */
  HS_W32TM_NO_TIME_DATA,     /* "... did not resync because no time data was available." */
  HS_W32TM_CHANGE_TOO_BIG,   /* "... did not resync because the required time change was too big." */
  HS_W32TM_ERROR             /* "The following error occurred: ... (0x8007xxxx)" */
} HsW32tmResult;
HsW32tmResult hs_win32_parse_w32tm (const char *output, uint32_t *hresult);

/* The elevated helper's action spec: "NAME" or
 * "NAME:TRUE_UTC_US:OFFSET_US:MONO_US" (signed decimal integers, C locale).
 * parse: 1 when well formed (NAME of [a-z-], at most n_name - 1 chars; ref
 * valid only when the numbers are there). format: writes the spec. */
int         hs_win32_parse_action_spec (const char *spec, char *name, size_t n_name,
                                        HsClockReference *ref);
void        hs_win32_format_action_spec (const char *name, const HsClockReference *ref,
                                         char *buf, size_t n_buf);

#ifdef __cplusplus
}
#endif

#endif /* HS_WIN32_TEXT_H */
