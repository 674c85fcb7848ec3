/**
 * Power spectrum with a per-frame shift: P'[k] = round_half_up((Yr^2 + Yi^2) / 2^sP).
 *
 * sP is the smallest shift (>= 0) that guarantees sum_k P'[k] < 2^47 from the block maximum alone:
 * P[k] <= 2*M^2 < 2^(2 bitLength(M) + 1) over 2^binsBits bins. That keeps the mel sums (Q15 weights)
 * below 2^62 (uint64 in C) while leaving ~37 significant bits in the strongest bin, so bands 90 dB
 * below the peak still carry thousands of LSBs. In C this is `((int64_t)yr*yr + (int64_t)yi*yi + r) >> sP`;
 * here the 60-bit square is split into 15-bit halves so every intermediate stays exact below 2^53.
 */
import { bitLength, pow2, pow2Neg } from './int-math.js';

export const POWER_TOTAL_BITS = 47;

/**
 * Returns sP. `out` receives P' (< 2^48 each). `yMax`, when given, is max |component| of Y or any value
 * with its bit length (the FFT's split step provides the OR of the magnitudes); otherwise it is computed.
 */
export function powerSpectrumShifted(
  yr: Int32Array | Float64Array,
  yi: Int32Array | Float64Array,
  bins: number,
  binsBits: number,
  out: Float64Array,
  yMax = -1,
): number {
  // bitLength(max |v|) == bitLength(OR of |v|): integer OR, no compare (|Y| < 2^30 fits int32).
  let m = yMax;
  if (m < 0) {
    m = 0;
    for (let k = 0; k < bins; k++) m |= Math.abs(yr[k]) | Math.abs(yi[k]);
  }
  const bM = bitLength(m);
  const sP = Math.max(0, binsBits + 2 * bM + 1 - POWER_TOTAL_BITS);
  if (bM <= 26) {
    // Squares < 2^52 and their sum < 2^53 - 2^28: direct and exact.
    if (sP === 0) {
      for (let k = 0; k < bins; k++) out[k] = yr[k] * yr[k] + yi[k] * yi[k];
    } else {
      const r = pow2(sP - 1);
      const s = pow2Neg(sP);
      for (let k = 0; k < bins; k++) out[k] = Math.floor((yr[k] * yr[k] + yi[k] * yi[k] + r) * s);
    }
    return sP;
  }
  // bM >= 27 implies sP >= 17 (> 15), which the split below needs.
  const r = pow2(sP - 1);
  const s2 = pow2Neg(sP - 15);
  const LO = 32768;
  const INV_LO = 1 / 32768;
  for (let k = 0; k < bins; k++) {
    const ar = Math.abs(yr[k]);
    const ai = Math.abs(yi[k]);
    // |Y| < 2^30: the 15-bit split is exact integer shift / mask.
    const rh = ar >> 15;
    const rl = ar & 32767;
    const ih = ai >> 15;
    const il = ai & 32767;
    // P = A*2^30 + B*2^15 + C; P + r = 2^15 (A*2^15 + B) + (C + r)
    const d = (rh * rh + ih * ih) * LO + 2 * (rh * rl + ih * il);
    const e = rl * rl + il * il + r;
    out[k] = Math.floor((d + Math.floor(e * INV_LO)) * s2);
  }
  return sP;
}

/**
 * powerSpectrumShifted that writes P' split at bit 24, ph[k] = floor(P'[k] / 2^24) and
 * pl[k] = P'[k] - ph[k] * 2^24 (the form mel-log-q20.ts sums), instead of P' itself: the same P'
 * formulas, saving the mel stage a pass. `yMax` as in powerSpectrumShifted (required here). Returns sP.
 */
export function powerSpectrumShiftedSplit24(
  yr: Int32Array,
  yi: Int32Array,
  bins: number,
  binsBits: number,
  yMax: number,
  ph: Float64Array,
  pl: Float64Array,
): number {
  const bM = bitLength(yMax);
  const sP = Math.max(0, binsBits + 2 * bM + 1 - POWER_TOTAL_BITS);
  if (bM <= 26) {
    const r = sP > 0 ? pow2(sP - 1) : 0;
    const s = pow2Neg(sP);
    for (let k = 0; k < bins; k++) {
      const p = sP === 0 ? yr[k] * yr[k] + yi[k] * yi[k] : Math.floor((yr[k] * yr[k] + yi[k] * yi[k] + r) * s);
      const h = Math.floor(p * 5.9604644775390625e-8);
      ph[k] = h;
      pl[k] = p - h * 16777216;
    }
    return sP;
  }
  const r = pow2(sP - 1);
  const s2 = pow2Neg(sP - 15);
  for (let k = 0; k < bins; k++) {
    const ar = Math.abs(yr[k]);
    const ai = Math.abs(yi[k]);
    const rh = ar >> 15;
    const rl = ar & 32767;
    const ih = ai >> 15;
    const il = ai & 32767;
    const d = (rh * rh + ih * ih) * 32768 + 2 * (rh * rl + ih * il);
    const e = rl * rl + il * il + r;
    const p = Math.floor((d + Math.floor(e * 3.0517578125e-5)) * s2);
    const h = Math.floor(p * 5.9604644775390625e-8);
    ph[k] = h;
    pl[k] = p - h * 16777216;
  }
  return sP;
}
