/*
 * SOFTMAX int8 -> int8: twin of runtime-sim/interpreter/kernels/softmax.ts (TFLM
 * reference_ops::Softmax, gemmlowp fixed point). Differences to the row max are scaled into Q5.26,
 * exponentiated, summed in Q12.19 and divided through GetReciprocal; differences below diff_min
 * contribute nothing and output -128. exp() is evaluated twice per element rather than stored,
 * as the reference does, so no scratch buffer is needed.
 */
#include "tinyser_kernels.h"
#include "fixed_point.h"

#define SCALED_DIFF_INTEGER_BITS 5
#define ACCUMULATION_INTEGER_BITS 12

static int32_t exp_of_diff_q31(const tsk_softmax_params *p, int32_t diff) {
  /* MultiplyByQuantizedMultiplierGreaterThanOne: left shift then SRDHM, no rounding shift. */
  const int32_t rescaled = tsk_srdhm_q31((int32_t)((uint32_t)diff << p->input_left_shift), p->input_multiplier);
  return tsk_exp_on_negative_values(rescaled, SCALED_DIFF_INTEGER_BITS);
}

void tsk_softmax_int8(const tsk_softmax_params *p, const int8_t *input, int8_t *output) {
  int32_t i, c;
  for (i = 0; i < p->outer; i++) {
    const int8_t *x = input + i * p->depth;
    int8_t *y = output + i * p->depth;
    int32_t max_in_row = -128, sum_of_exps = 0, reciprocal;
    int num_bits_over_unit;
    for (c = 0; c < p->depth; c++) if (x[c] > max_in_row) max_in_row = x[c];
    for (c = 0; c < p->depth; c++) {
      const int32_t diff = (int32_t)x[c] - max_in_row;
      if (diff >= p->diff_min) {
        const int32_t e = exp_of_diff_q31(p, diff);
        sum_of_exps = (int32_t)((uint32_t)sum_of_exps +
                                (uint32_t)tsk_saturating_rounding_mul_by_pot(e, -ACCUMULATION_INTEGER_BITS));
      }
    }
    reciprocal = tsk_get_reciprocal(sum_of_exps, ACCUMULATION_INTEGER_BITS, &num_bits_over_unit);
    for (c = 0; c < p->depth; c++) {
      const int32_t diff = (int32_t)x[c] - max_in_row;
      if (diff >= p->diff_min) {
        const int32_t e = exp_of_diff_q31(p, diff);
        const int32_t unsat = tsk_rounding_divide_by_pot(tsk_srdhm_q31(reciprocal, e), num_bits_over_unit + 31 - 8);
        y[c] = (int8_t)tsk_clamp_i32(unsat - 128, -128, 127);
      } else {
        y[c] = -128;
      }
    }
  }
}
