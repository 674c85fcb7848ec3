/**
 * Integer log2, shared by the mel log and the frame energy. A positive integer is normalized to a 31-bit
 * mantissa m in [2^30, 2^31) (truncating the bits below: relative error < 2^-30) and its bit length n;
 * log2(x) = n - 1 + log2(m / 2^30). log2(1 + f) comes from log2LutQ30 (257 entries, Q30) with linear
 * interpolation rounded half up: max error ~2.8e-6 (about 18.5 fractional bits).
 */
import type { FixedTables } from './tables.js';
import { bitLength, pow2, pow2Neg } from './int-math.js';

/** log2(m / 2^30) in Q30 for a mantissa 2^30 <= m < 2^31. C: idx = f >> 22, frac = f & 0x3FFFFF. */
export function log2MantissaQ30(lut: Int32Array, m: number): number {
  const f = m - 1073741824;
  const idx = f >>> 22;
  const frac = f & 4194303;
  const y0 = lut[idx];
  return y0 + Math.floor(((lut[idx + 1] - y0) * frac + 2097152) * 2.384185791015625e-7);
}

/** log2(x) in Q20 for an integer 1 <= x < 2^53. */
export function log2Q20(t: Pick<FixedTables, 'log2LutQ30'>, x: number): number {
  const n = bitLength(x);
  const m = n > 31 ? Math.floor(x * pow2Neg(n - 31)) : x * pow2(31 - n);
  return (n - 1) * 1048576 + Math.floor((log2MantissaQ30(t.log2LutQ30, m) + 512) * 0.0009765625);
}
