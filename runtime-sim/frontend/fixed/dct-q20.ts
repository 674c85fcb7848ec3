/**
 * MFCC in Q20: c_k = round_half_up(sum_b dctQ24[k,b] * logMelQ20[b] / 2^24). With |logMel| < 2^25 and
 * orthonormal rows (sum |D| <= sqrt(bands) * 2^24) the sum stays below 2^53 for up to 128 bands.
 */
import type { FixedTables } from './tables.js';

export function dctQ20(t: FixedTables, logMelQ20: Int32Array, out: Int32Array): void {
  const m = t.bands;
  const d = t.dctQ24;
  for (let k = 0; k < t.mfccCount; k++) {
    let acc = 0;
    const row = k * m;
    for (let b = 0; b < m; b++) acc += d[row + b] * logMelQ20[b];
    out[k] = Math.floor((acc + 8388608) * 5.9604644775390625e-8);
  }
}
