/* gemmlowp FixedPoint<int32> helpers used by softmax, logistic and tanh (see fixed_point.h). */
#include "fixed_point.h"

int32_t tsk_saturating_rounding_mul_by_pot(int32_t x, int exponent) {
  if (exponent == 0) return x;
  if (exponent < 0) return tsk_rounding_divide_by_pot(x, -exponent);
  {
    const int32_t threshold = (int32_t)(((uint32_t)1 << (31 - exponent)) - 1u);
    if (x > threshold) return TSK_INT32_MAX;
    if (x < -threshold) return TSK_INT32_MIN;
    return (int32_t)((uint32_t)x << exponent);
  }
}

static int32_t rescale(int32_t raw, int src_integer_bits, int dst_integer_bits) {
  return tsk_saturating_rounding_mul_by_pot(raw, src_integer_bits - dst_integer_bits);
}

/* Wrapping int32 add, as gemmlowp's raw adds compile on two's-complement targets. */
static int32_t wadd(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static int32_t wsub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }

/* exp(x) for x in [-1/4, 0): Taylor expansion around -1/8, Q0.31. */
static int32_t exp_on_interval_neg_quarter_0(int32_t a) {
  const int32_t constant_term = 1895147668; /* exp(-1/8) */
  const int32_t constant_1_over_3 = 715827883;
  const int32_t x = wadd(a, (int32_t)1 << 28);
  const int32_t x2 = tsk_srdhm_q31(x, x);
  const int32_t x3 = tsk_srdhm_q31(x2, x);
  const int32_t x4 = tsk_srdhm_q31(x2, x2);
  const int32_t x4_over_4 = tsk_saturating_rounding_mul_by_pot(x4, -2);
  const int32_t inner = tsk_saturating_rounding_mul_by_pot(
      wadd(tsk_srdhm_q31(wadd(x4_over_4, x3), constant_1_over_3), x2), -1);
  return wadd(constant_term, tsk_srdhm_q31(constant_term, wadd(x, inner)));
}

int32_t tsk_exp_on_negative_values(int32_t a, int integer_bits) {
  static const int32_t barrel_exponent[7] = {-2, -1, 0, 1, 2, 3, 4};
  static const int32_t barrel_multiplier[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
  const int fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = wsub(a & mask, one_quarter);
  int32_t result = exp_on_interval_neg_quarter_0(rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
  const int32_t remainder = wsub(a_mod_quarter_minus_one_quarter, a);
  int k;
  for (k = 0; k < 7; k++) {
    if (integer_bits > barrel_exponent[k]) {
      const int shift_amount = fractional_bits + (int)barrel_exponent[k];
      if ((remainder & (int32_t)((uint32_t)1 << shift_amount)) != 0) result = tsk_srdhm_q31(result, barrel_multiplier[k]);
    }
  }
  if (integer_bits > 5) {
    const int32_t clamp_raw = -(int32_t)((int32_t)1 << (36 - integer_bits));
    if (a < clamp_raw) result = 0;
  }
  if (a == 0) result = TSK_INT32_MAX;
  return result;
}

/* gemmlowp RoundingHalfSum for int32: (a + b + sign) / 2 in 64 bits, truncating. */
static int32_t rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + (int64_t)b;
  const int64_t sign = sum >= 0 ? 1 : -1;
  return (int32_t)((sum + sign) / 2);
}

/* Newton-Raphson on 1/(1+a) in Q2.29; returns the Q2.29 raw estimate of 1/(1+a). */
static int32_t newton_reciprocal_q29(int32_t half_denominator) {
  const int32_t one_f2 = (int32_t)1 << 29;
  int32_t x = wadd(1515870810, tsk_srdhm_q31(half_denominator, -1010580540)); /* 48/17 - 32/17 d */
  int i;
  for (i = 0; i < 3; i++) {
    const int32_t one_minus = wsub(one_f2, tsk_srdhm_q31(half_denominator, x));
    x = wadd(x, rescale(tsk_srdhm_q31(x, one_minus), 4, 2));
  }
  return x;
}

int32_t tsk_one_over_one_plus_x_for_x_in_01(int32_t a) {
  /* ExactMulByPot<-1> keeps the raw value and makes it Q1.30; Rescale<0> from there. */
  return rescale(newton_reciprocal_q29(rounding_half_sum(a, TSK_INT32_MAX)), 1, 0);
}

static int32_t one_minus_x_over_one_plus_x_for_x_in_01(int32_t a) {
  const int32_t x = newton_reciprocal_q29(rounding_half_sum(a, TSK_INT32_MAX));
  return rescale(wsub(x, (int32_t)1 << 29), 2, 0);
}

int32_t tsk_get_reciprocal(int32_t x, int x_integer_digits, int *num_bits_over_unit) {
  int headroom_plus_one = 0;
  uint32_t u = (uint32_t)x;
  while (headroom_plus_one < 32 && (u & 0x80000000u) == 0u) {
    u <<= 1;
    headroom_plus_one++;
  }
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  {
    const int32_t shifted_minus_one = (int32_t)(((uint32_t)x << headroom_plus_one) - 0x80000000u);
    return tsk_one_over_one_plus_x_for_x_in_01(shifted_minus_one);
  }
}

int32_t tsk_logistic_q31(int32_t a, int integer_bits) {
  if (a == 0) return (int32_t)1 << 30;
  {
    const int32_t abs_a = a > 0 ? a : (int32_t)(0u - (uint32_t)a);
    const int32_t positive = tsk_one_over_one_plus_x_for_x_in_01(
        tsk_exp_on_negative_values((int32_t)(0u - (uint32_t)abs_a), integer_bits));
    return a > 0 ? positive : wsub(TSK_INT32_MAX, positive);
  }
}

int32_t tsk_tanh_q31(int32_t a, int integer_bits) {
  if (a == 0) return 0;
  {
    const int32_t n = a < 0 ? a : (int32_t)(0u - (uint32_t)a);
    /* ExactMulByPot<1> keeps the raw value and adds one integer bit: exp(2n). */
    const int32_t t = one_minus_x_over_one_plus_x_for_x_in_01(tsk_exp_on_negative_values(n, integer_bits + 1));
    return a < 0 ? (int32_t)(0u - (uint32_t)t) : t;
  }
}
