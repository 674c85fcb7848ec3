/*
 * ADD / SUB int8 with broadcasting: twin of runtime-sim/interpreter/kernels/add.ts (TFLM
 * reference_integer_ops::AddElementwise): both inputs shifted left by left_shift (20), rescaled
 * to 2 * max(s1, s2) with MultiplyByQuantizedMultiplierSmallerThanOneExp, added (or subtracted),
 * rescaled to the output, offset and clamped.
 */
#include "tinyser_kernels.h"
#include "fixed_point.h"
#include "broadcast.h"

static int8_t add_one(const tsk_add_params *p, int32_t a, int32_t b) {
  const int32_t v1 = tsk_mbqm((int32_t)((uint32_t)(p->input1_offset + a) << p->left_shift), p->input1_multiplier, (int)p->input1_shift);
  const int32_t v2 = tsk_mbqm((int32_t)((uint32_t)(p->input2_offset + b) << p->left_shift), p->input2_multiplier, (int)p->input2_shift);
  const int32_t raw = p->subtract ? (int32_t)((uint32_t)v1 - (uint32_t)v2) : (int32_t)((uint32_t)v1 + (uint32_t)v2);
  const int32_t r = tsk_mbqm(raw, p->output_multiplier, (int)p->output_shift) + p->output_offset;
  return (int8_t)tsk_clamp_i32(r, p->act_min, p->act_max);
}

#define TSK_ADD_BODY(ia, ib, io) output[io] = add_one(p, input1[ia], input2[ib])

void tsk_add_int8(const tsk_add_params *p, const int8_t *input1, const int8_t *input2, int8_t *output) {
  TSK_BROADCAST4_FOR_EACH(&p->geom, TSK_ADD_BODY);
}
