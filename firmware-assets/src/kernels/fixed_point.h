/*
 * Integer math shared by every int8 kernel: the C twin of runtime-sim/interpreter/fixed-point.ts,
 * with TFLite Micro's default "double rounding" (TFLITE_SINGLE_ROUNDING not defined):
 *   MultiplyByQuantizedMultiplier(x, m, s) =
 *     RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x << max(s,0), m), max(-s,0)).
 * Right shifts of negative values are arithmetic (true for gcc/clang on every target we build).
 * Left shifts go through uint32 so they wrap like the TS Math.imul instead of being UB.
 */
#ifndef TINYSER_KERNELS_FIXED_POINT_H
#define TINYSER_KERNELS_FIXED_POINT_H

#include <stdint.h>

#define TSK_INT32_MIN ((int32_t)(-2147483647 - 1))
#define TSK_INT32_MAX ((int32_t)2147483647)

/*
 * gemmlowp SaturatingRoundingDoublingHighMul: trunc((a*b + nudge) / 2^31) with nudge = 2^30 for
 * a*b >= 0 and 1 - 2^30 below, saturated for INT32_MIN * INT32_MIN. For a*b = -k < 0 that is
 * -floor((k + 2^30 - 1) / 2^31) = floor((2^30 - k) / 2^31), so both signs equal
 * floor((a*b + 2^30) / 2^31): one 64-bit multiply-accumulate and a shift (smlal + shifts on M4).
 */
static inline int32_t tsk_srdhm_q31(int32_t a, int32_t b) {
  if (a == TSK_INT32_MIN && b == TSK_INT32_MIN) return TSK_INT32_MAX;
  return (int32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 30)) >> 31);
}

/* gemmlowp RoundingDivideByPOT: x / 2^e rounded half away from zero, 0 <= e <= 31. */
static inline int32_t tsk_rounding_divide_by_pot(int32_t x, int e) {
  const int32_t mask = (int32_t)(((uint32_t)1 << e) - 1u);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> e) + (remainder > threshold ? 1 : 0);
}

/* TFLM MultiplyByQuantizedMultiplier(int32 x, int32 multiplier, int shift), double rounding. */
static inline int32_t tsk_mbqm(int32_t x, int32_t multiplier, int shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  return tsk_rounding_divide_by_pot(tsk_srdhm_q31((int32_t)((uint32_t)x << left), multiplier), right);
}

static inline int32_t tsk_clamp_i32(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

/* gemmlowp SaturatingRoundingMultiplyByPOT on a raw int32 (exponent may be negative). */
int32_t tsk_saturating_rounding_mul_by_pot(int32_t x, int exponent);
/* gemmlowp exp_on_negative_values(FixedPoint<int32, integer_bits>) -> Q0.31. */
int32_t tsk_exp_on_negative_values(int32_t a, int integer_bits);
/* gemmlowp one_over_one_plus_x_for_x_in_0_1 (Q0.31 -> Q0.31). */
int32_t tsk_one_over_one_plus_x_for_x_in_01(int32_t a);
/* TFLite GetReciprocal of a FixedPoint<int32, x_integer_digits> sum (x > 0). */
int32_t tsk_get_reciprocal(int32_t x, int x_integer_digits, int *num_bits_over_unit);
/* gemmlowp logistic / tanh of FixedPoint<int32, integer_bits> as a Q0.31 raw value. */
int32_t tsk_logistic_q31(int32_t a, int integer_bits);
int32_t tsk_tanh_q31(int32_t a, int integer_bits);

#endif
