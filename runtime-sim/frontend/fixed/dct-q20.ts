/**
 * MFCC in Q20: c_k = round_half_up(sum_b dctQ24[k,b] * logMelQ20[b] / 2^24). With |logMel| < 2^25 and
 * orthonormal rows (sum |D| <= sqrt(bands) * 2^24) the sum stays below 2^53 for up to 128 bands.
 */
import type { FixedTables } from './tables.js';

export function dctQ20(t: FixedTables, logMelQ20: Int32Array, out: Int32Array): void {
  dctQ20At(t, logMelQ20, 0, out, 0);
}

/** dctQ20 reading logMelQ20[inOffset ..] and writing out[outOffset ..]. */
export function dctQ20At(t: FixedTables, logMelQ20: Int32Array, inOffset: number, out: Int32Array, outOffset: number): void {
  const m = t.bands;
  const d = t.dctQ24;
  for (let k = 0; k < t.mfccCount; k++) {
    let acc = 0;
    const row = k * m;
    for (let b = 0; b < m; b++) acc += d[row + b] * logMelQ20[inOffset + b];
    out[outOffset + k] = Math.floor((acc + 8388608) * 5.9604644775390625e-8);
  }
}

/**
 * The DCT of dctQ20At with the table's even/odd symmetry folded in (`dctQ24` rows satisfy
 * D[k, M-1-b] = (-1)^k D[k, b] exactly: checked by `dctTableIsSymmetric`). Every product and partial
 * sum is an exact integer below 2^53 (|x_b +- x_{M-1-b}| < 2^26), so
 * sum_b D[k,b] x_b = sum_{b < M/2} D[k,b] (x_b + (-1)^k x_{M-1-b}) (+ the middle term for odd M)
 * is the same integer as the direct sum, with half the multiplies. `dctF64` is dctQ24 as Float64;
 * `sum` and `diff` are scratch rows of ceil(M/2) entries.
 */
export function dctQ20AtSymmetric(
  dctF64: Float64Array,
  bands: number,
  count: number,
  logMelQ20: Int32Array,
  inOffset: number,
  sum: Float64Array,
  diff: Float64Array,
  out: Int32Array,
  outOffset: number,
): void {
  const h = bands >> 1;
  for (let b = 0; b < h; b++) {
    const x0 = logMelQ20[inOffset + b];
    const x1 = logMelQ20[inOffset + bands - 1 - b];
    sum[b] = x0 + x1;
    diff[b] = x0 - x1;
  }
  const odd = bands & 1;
  const mid = odd ? logMelQ20[inOffset + h] : 0;
  for (let k = 0; k < count; k++) {
    const r = k * bands;
    const v = k & 1 ? diff : sum;
    let acc = odd ? dctF64[r + h] * mid : 0;
    for (let b = 0; b < h; b++) acc += dctF64[r + b] * v[b];
    out[outOffset + k] = Math.floor((acc + 8388608) * 5.9604644775390625e-8);
  }
}

/** True when D[k, M-1-b] === (-1)^k D[k, b] for every entry (the rounded table kept the symmetry). */
export function dctTableIsSymmetric(dctQ24: Int32Array, bands: number, count: number): boolean {
  for (let k = 0; k < count; k++)
    for (let b = 0; b < bands; b++) {
      const a = dctQ24[k * bands + b];
      const m = dctQ24[k * bands + bands - 1 - b];
      if (m !== (k & 1 ? -a : a)) return false;
    }
  return true;
}

/**
 * dctQ20At with the matrix as Float64 (`dctF64` = dctQ24 converted once) and the log-mel row converted
 * once into `row` (bands entries): the same products summed in the same order, so the same integers,
 * without an int -> double conversion per multiply-add.
 */
export function dctQ20AtF64(
  dctF64: Float64Array,
  bands: number,
  count: number,
  logMelQ20: Int32Array,
  inOffset: number,
  row: Float64Array,
  out: Int32Array,
  outOffset: number,
): void {
  for (let b = 0; b < bands; b++) row[b] = logMelQ20[inOffset + b];
  for (let k = 0; k < count; k++) {
    let acc = 0;
    const r = k * bands;
    for (let b = 0; b < bands; b++) acc += dctF64[r + b] * row[b];
    out[outOffset + k] = Math.floor((acc + 8388608) * 5.9604644775390625e-8);
  }
}
