/*
 * MUL int8 with broadcasting: twin of runtime-sim/interpreter/kernels/mul.ts (TFLM
 * reference_integer_ops::MulElementwise): (x1 - zp1) * (x2 - zp2) requantized by s1*s2/s_out.
 */
#include "tinyser_kernels.h"
#include "fixed_point.h"
#include "broadcast.h"

#define TSK_MUL_BODY(ia, ib, io)                                                                   \
  do {                                                                                             \
    const int32_t prod_ = (p->input1_offset + input1[ia]) * (p->input2_offset + input2[ib]);      \
    const int32_t r_ = p->output_offset + tsk_mbqm(prod_, p->multiplier, (int)p->shift);          \
    output[io] = (int8_t)tsk_clamp_i32(r_, p->act_min, p->act_max);                              \
  } while (0)

void tsk_mul_int8(const tsk_mul_params *p, const int8_t *input1, const int8_t *input2, int8_t *output) {
  TSK_BROADCAST4_FOR_EACH(&p->geom, TSK_MUL_BODY);
}
