/**
 * int8 output of Q20 features with the per-dimension affine (normalization) folded in:
 *   q = floor((F * mult_d + offset_d) / 2^shift_d) + zeroPoint, clamped to [-128, 127]
 * where mult_d = round(2^(shift-20) / (std_d * scale)) and offset_d = round((0.5 - mean_d/(std_d*scale)) * 2^shift):
 * the fixed equivalent of floor(((F/2^20 - mean)/std)/scale + 0.5) + zp, i.e. ROUND HALF UP (the float
 * reference quantizes with the same rule). Returns how many values saturated.
 */
import type { FixedTables } from './tables.js';
import { pow2Neg } from './int-math.js';

export function quantizeInt8FromQ20(t: FixedTables, featuresQ20: ArrayLike<number>, out: Int8Array, outOffset = 0): number {
  let saturated = 0;
  const zp = t.zeroPoint;
  for (let d = 0; d < t.dims; d++) {
    let q = Math.floor((featuresQ20[d] * t.quantMultiplier[d] + t.quantOffset[d]) * pow2Neg(t.quantShift[d])) + zp;
    if (q > 127) {
      q = 127;
      saturated++;
    } else if (q < -128) {
      q = -128;
      saturated++;
    }
    out[outOffset + d] = q;
  }
  return saturated;
}

/**
 * quantizeInt8FromQ20 over a whole frames x dims matrix (row-major), with the per-dimension constants
 * read once into Float64 arrays instead of once per frame and no subarray per frame. Same integers.
 */
export function quantizeInt8FromQ20Rows(t: FixedTables, featuresQ20: Int32Array, frames: number, out: Int8Array): number {
  const dims = t.dims;
  const zp = t.zeroPoint;
  const mult = t.quantMultiplier;
  const off = t.quantOffset;
  const scale = new Float64Array(dims);
  for (let d = 0; d < dims; d++) scale[d] = pow2Neg(t.quantShift[d]);
  let saturated = 0;
  for (let f = 0, i = 0; f < frames; f++) {
    for (let d = 0; d < dims; d++, i++) {
      let q = Math.floor((featuresQ20[i] * mult[d] + off[d]) * scale[d]) + zp;
      if (q > 127) {
        q = 127;
        saturated++;
      } else if (q < -128) {
        q = -128;
        saturated++;
      }
      out[i] = q;
    }
  }
  return saturated;
}
