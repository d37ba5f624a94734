/* hs-cli-shell.h — lines people paste back into their shell. */
#pragma once

#include "hs-cli-args.h"

G_BEGIN_DECLS

/* @text as one word of the shell people paste into: POSIX sh off Windows;
 * PowerShell on Windows (Windows Terminal's default, Intune scripts, remote
 * sessions). Left bare when nothing in it is special. */
char *hs_cli_shell_word   (const char *text);

/* The command that puts @backup back, as this run was started: the same
 * program, and the same practice scenario in practice mode. */
char *hs_cli_restore_line (const HsCliArgs *args, const char *backup);

G_END_DECLS
