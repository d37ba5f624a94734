/* hs-step-table.c — the table of steps (see hs-step-table.h). */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include "hs-step-table.h"

#define INFO(number, info, practice) &info,
static const HsStepInfo * const steps[] = { HS_STEP_TABLE (INFO) };
#undef INFO

const HsStepInfo *
hs_step_get_info (HsStep step)
{
  g_return_val_if_fail (step >= 1 && step <= HS_N_STEPS, NULL);
  g_assert (steps[step - 1]->number == step);
  return steps[step - 1];
}

const char *
hs_step_id (HsStep step)
{
  return step >= 1 && step <= HS_N_STEPS ? steps[step - 1]->id : "unknown";
}

gboolean
hs_step_from_number (int number, HsStep *out)
{
  if (number < 1 || number > HS_N_STEPS)
    return FALSE;
  *out = (HsStep) number;
  return TRUE;
}

char *
hs_step_describe_fix (HsStep step, HsResult *result)
{
  const HsStepInfo *info = hs_step_get_info (step);

  return info->describe_fix != NULL ? info->describe_fix (result) : NULL;
}

const char *
hs_step_guide (HsStep step, HsResult *result)
{
  const HsStepInfo *info = hs_step_get_info (step);

  return info->guide != NULL ? info->guide (result) : NULL;
}
