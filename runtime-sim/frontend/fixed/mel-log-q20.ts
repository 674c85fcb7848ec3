/**
 * Mel energies and their natural log in Q20.
 *
 * mel_b = sum_k weightQ15[b,k] * P'[k] is a uint64 in C (< 2^62). Here P' is split as Ph*2^24 + Pl so
 * both partial sums stay exact below 2^53; the pair is then normalized to a 31-bit mantissa
 * m in [2^30, 2^31) (truncating: relative error < 2^-30) and the bit length n, so
 * log2(mel) = n - 1 + log2(m / 2^30). log2(1 + f) comes from log2-q.ts (Q30 table, linear
 * interpolation, ~18.5 fractional bits), rounded to Q20. The frame exponent
 * `exp2` (all block shifts and fixed scalings) is added as an integer, then log2 -> ln with ln2 in Q24
 * (rounded), plus the band's log offset (Slaney area factor), then the floor max(ln E, ln floor).
 */
import type { FixedTables } from './tables.js';
import { bitLength, pow2, pow2Neg } from './int-math.js';
import { log2MantissaQ30 } from './log2-q.js';

const SPLIT = 16777216; // 2^24
const INV_SPLIT = 1 / 16777216;

export function melLogQ20(t: FixedTables, powerShifted: Float64Array, exp2: number, ph: Float64Array, pl: Float64Array, out: Int32Array): void {
  melLogQ20At(t, powerShifted, exp2, ph, pl, out, 0);
}

/**
 * melLogQ20 writing out[outOffset .. outOffset + bands). `weights` may be melWeightsQ15 converted to
 * Float64 once (same values; spares an int -> double conversion per multiply-add).
 */
export function melLogQ20At(
  t: FixedTables,
  powerShifted: Float64Array,
  exp2: number,
  ph: Float64Array,
  pl: Float64Array,
  out: Int32Array,
  outOffset: number,
  weights: Float64Array | Int32Array = t.melWeightsQ15,
): void {
  const bins = t.fftSize / 2 + 1;
  for (let k = 0; k < bins; k++) {
    const v = powerShifted[k];
    const h = Math.floor(v * 5.9604644775390625e-8); // / 2^24
    ph[k] = h;
    pl[k] = v - h * 16777216;
  }
  melLogQ20FromSplit(t, ph, pl, exp2, out, outOffset, weights);
}

/** The mel sums and logs of melLogQ20 from P' already split: P'[k] = ph[k] * 2^24 + pl[k], 0 <= pl < 2^24. */
export function melLogQ20FromSplit(
  t: FixedTables,
  ph: Float64Array,
  pl: Float64Array,
  exp2: number,
  out: Int32Array,
  outOffset: number,
  weights: Float64Array | Int32Array = t.melWeightsQ15,
): void {
  const w = weights;
  const lut = t.log2LutQ30;
  const ln2 = t.ln2Q24;
  const floorQ20 = t.lnFloorQ20;
  for (let b = 0; b < t.bands; b++) {
    const s = t.melStartBin[b];
    const len = t.melLength[b];
    const off = t.melWeightOffset[b];
    let sh = 0;
    let sl = 0;
    for (let i = 0; i < len; i++) {
      const wt = w[off + i];
      sh += wt * ph[s + i];
      sl += wt * pl[s + i];
    }
    const carry = Math.floor(sl * 5.9604644775390625e-8);
    sh += carry;
    sl -= carry * 16777216;
    if (sh === 0 && sl === 0) {
      out[outOffset + b] = floorQ20;
      continue;
    }
    // mantissa m in [2^30, 2^31), n = bit length of mel
    let n: number;
    let m: number;
    if (sh === 0) {
      n = bitLength(sl);
      m = sl * pow2(31 - n);
    } else {
      n = bitLength(sh) + 24;
      if (n <= 31) m = (sh * SPLIT + sl) * pow2(31 - n);
      else {
        const sft = n - 31;
        m = sft >= 24 ? Math.floor(sh * pow2Neg(sft - 24)) : sh * pow2(24 - sft) + Math.floor(sl * pow2Neg(sft));
      }
    }
    const yQ30 = log2MantissaQ30(lut, m);
    const log2Q20 = (n - 1 + exp2) * 1048576 + Math.floor((yQ30 + 512) * 0.0009765625); // Q30 -> Q20
    const lnQ20 = Math.floor((log2Q20 * ln2 + 8388608) * 5.9604644775390625e-8) + t.melLogOffsetQ20[b]; // * ln2 / 2^24
    out[outOffset + b] = lnQ20 > floorQ20 ? lnQ20 : floorQ20;
  }
}
