/*
 * Integer helpers shared by the frontend stages (twin of runtime-sim/frontend/fixed/int-math.ts).
 *
 * Assumption, checked at compile time: >> on a negative signed integer is an arithmetic shift, i.e.
 * floor division by 2^k. C99 leaves it implementation-defined; gcc and arm-none-eabi-gcc (and clang)
 * define it as arithmetic. The TS specification uses Math.floor, so every "x >> k" below is floor(x / 2^k).
 * Left shifts of negative values are undefined in C99: we multiply by 2^k instead.
 */
#ifndef TSR_FIXED_MATH_H
#define TSR_FIXED_MATH_H
#include <stdint.h>

#define TSR_STATIC_ASSERT(cond, name) typedef char tsr_static_assert_##name[(cond) ? 1 : -1]
TSR_STATIC_ASSERT(((-3) >> 1) == -2, arithmetic_shift_int);
TSR_STATIC_ASSERT((((int64_t)-3) >> 1) == -2, arithmetic_shift_int64);

/* Bits needed for x (0 for 0): 64 - clz64(x). */
static inline int tsr_bit_length_u64(uint64_t x) {
#if defined(__GNUC__)
  return x == 0 ? 0 : 64 - __builtin_clzll(x);
#else
  int n = 0;
  while (x != 0) {
    x >>= 1;
    n++;
  }
  return n;
#endif
}

static inline int tsr_bit_length_u32(uint32_t x) {
#if defined(__GNUC__)
  return x == 0 ? 0 : 32 - __builtin_clz(x);
#else
  return tsr_bit_length_u64(x);
#endif
}

/* floor((x + 2^(k-1)) / 2^k): rounding right shift, round half up, for k >= 1. */
static inline int64_t tsr_round_shift_s64(int64_t x, int k) { return (x + ((int64_t)1 << (k - 1))) >> k; }

static inline int32_t tsr_abs_s32(int32_t x) { return x < 0 ? -x : x; }
#endif
