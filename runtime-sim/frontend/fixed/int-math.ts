/**
 * Exact integer helpers for the fixed-point frontend. Every value is an integer held in a JS double;
 * each function documents the bound under which it is exact (all intermediates < 2^53) and the C99
 * expression it equals on int32_t/int64_t with arithmetic right shifts (floor semantics).
 */

const POW2 = new Float64Array(128);
const POW2_NEG = new Float64Array(128);
for (let i = 0; i < 128; i++) {
  POW2[i] = 2 ** i;
  POW2_NEG[i] = 2 ** -i;
}

/** 2^k for 0 <= k < 128. */
export function pow2(k: number): number {
  return POW2[k];
}

/** 2^-k for 0 <= k < 128 (multiplying by it is exact: a power-of-two scale of an exact integer). */
export function pow2Neg(k: number): number {
  return POW2_NEG[k];
}

/** Bits needed for 0 <= x < 2^53 (0 for 0). C: 64 - clz64(x). */
export function bitLength(x: number): number {
  if (x < 4294967296) return 32 - Math.clz32(x);
  return 64 - Math.clz32(Math.floor(x / 4294967296));
}

/**
 * Rounding right shift, round half up: floor((x + 2^(k-1)) / 2^k) for k >= 1, x for k = 0, and an
 * exact left shift x * 2^-k for k < 0. C: (x + ((int64_t)1 << (k-1))) >> k. Exact while |x| + 2^(k-1) < 2^53.
 */
export function roundShift(x: number, k: number): number {
  if (k > 0) return Math.floor((x + POW2[k - 1]) * POW2_NEG[k]);
  if (k < 0) return x * POW2[-k];
  return x;
}

/** floor(a / b) for integers, b > 0 (C needs an explicit floor division for negative a). */
export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}
