/* hs-step-table.h — the steps, in the order and with the numbers of the
 * published procedure, one line each.
 *
 * Adding a step: its folder under core/steps/<id>/ (the step's interface
 * hs_<id>_step and its part of the practice machine hs_<id>_practice), then
 * one line below. The engine, the reports, the CLI and the practice
 * platform go through this table and never name a step.
 */
#pragma once

#include "hs-step.h"

G_BEGIN_DECLS

/* STEP (number constant, its HsStepInfo, its HsPracticeStep) */
#define HS_STEP_TABLE(STEP)                                                     \
  STEP (HS_STEP_CLOCK,       hs_clock_step,       hs_clock_practice)            \
  STEP (HS_STEP_CREDENTIALS, hs_credentials_step, hs_credentials_practice)      \
  STEP (HS_STEP_BROKER,      hs_broker_step,      hs_broker_practice)           \
  STEP (HS_STEP_ACCOUNTS,    hs_accounts_step,    hs_accounts_practice)

/* The numbers: 1, 2, 3… in table order. */
#define HS_STEP_TABLE_ENUM_(number, info, practice) number,
enum { HS_STEP_NONE_, HS_STEP_TABLE (HS_STEP_TABLE_ENUM_) HS_STEP_END_ };
#undef HS_STEP_TABLE_ENUM_
#define HS_N_STEPS (HS_STEP_END_ - 1)

#define HS_STEP_TABLE_INFO_(number, info, practice) extern const HsStepInfo info;
HS_STEP_TABLE (HS_STEP_TABLE_INFO_)
#undef HS_STEP_TABLE_INFO_

/* The step numbered @step (1 … HS_N_STEPS). */
const HsStepInfo *hs_step_get_info (HsStep step);
/* Its stable id: "clock", "credentials", … */
const char       *hs_step_id          (HsStep step);
gboolean          hs_step_from_number (int number, HsStep *out);

/* For handshake-cli: the line of its plan for the step's automatic fix, and
 * what the person has to do for a verdict Handshake cannot fix; both
 * translated, NULL when the step has none. */
char             *hs_step_describe_fix (HsStep step, HsResult *result);
const char       *hs_step_guide        (HsStep step, HsResult *result);

G_END_DECLS
