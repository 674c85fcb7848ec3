/**
 * The fixed-point frame computation written plainly, one stage after the other (separate passes,
 * Math.floor everywhere, Float64Array blocks): the specification the C twin follows step by step and
 * the oracle that frame-processor.ts / fft-real-bfp.ts (the fused, faster formulation the frontend
 * runs) must equal bit for bit (test/frontend-speed). Keep it plain: do not optimize this file.
 */
import type { FixedTables } from './tables.js';
import { bitLength, pow2, pow2Neg } from './int-math.js';
import { log2MantissaQ30 } from './log2-q.js';

const BLOCK_BITS = 27;
const TW_SCALE = 2 ** -23;
const TW_ROUND = 2 ** 22;
const SPLIT = 16777216;
const INV_SPLIT = 1 / 16777216;

export interface PlainFrameProcessorQ {
  process(samples: Int16Array, start: number, prev: number, logMelQ20: Int32Array, mfccQ20: Int32Array | null): void;
}

function blockShift(m: number): number {
  const k = bitLength(m) - BLOCK_BITS;
  return k > 0 ? k : 0;
}

export function createPlainFrameProcessorQ(t: FixedTables): PlainFrameProcessorQ {
  const win = t.windowSamples;
  const half = t.fftSize / 2;
  const bins = half + 1;
  const p = new Float64Array(t.fftSize);
  const inRe = new Float64Array(half);
  const inIm = new Float64Array(half);
  const power = new Float64Array(bins);
  const ph = new Float64Array(bins);
  const pl = new Float64Array(bins);
  const fft = createPlainFft(t);
  const hann = t.hannQ21;
  const a = t.preEmphasisQ15;
  return {
    process(samples, start, prev, logMelQ20, mfccQ20) {
      let maxAbs = 0;
      let xPrev = prev;
      for (let i = 0; i < win; i++) {
        const x = samples[start + i];
        const y = x * 32768 - a * xPrev;
        xPrev = x;
        const v = y * hann[i];
        p[i] = v;
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      if (maxAbs === 0) {
        logMelQ20.fill(t.lnFloorQ20);
      } else {
        const s0 = bitLength(maxAbs) - BLOCK_BITS;
        if (s0 > 0) {
          const r = 2 ** (s0 - 1);
          const s = 2 ** -s0;
          for (let i = 0; i < win; i++) p[i] = Math.floor((p[i] + r) * s);
        } else if (s0 < 0) {
          const s = 2 ** -s0;
          for (let i = 0; i < win; i++) p[i] *= s;
        }
        for (let m = 0; m < half; m++) {
          const i0 = 2 * m;
          inRe[m] = i0 < win ? p[i0] : 0;
          inIm[m] = i0 + 1 < win ? p[i0 + 1] : 0;
        }
        const f = fft.run(inRe, inIm);
        const sP = plainPowerSpectrumShifted(fft.yr, fft.yi, bins, t.binsBits, power);
        const e = sP + 2 * (f + s0 - 52) - 15;
        plainMelLogQ20(t, power, e, ph, pl, logMelQ20);
      }
      if (mfccQ20) plainDctQ20(t, logMelQ20, mfccQ20);
    },
  };
}

export function createPlainFft(t: FixedTables): { yr: Float64Array; yi: Float64Array; run(inRe: Float64Array, inIm: Float64Array): number } {
  const half = t.fftSize / 2;
  const re = new Float64Array(half);
  const im = new Float64Array(half);
  const yr = new Float64Array(half + 1);
  const yi = new Float64Array(half + 1);
  const rev = t.bitReverse;
  const cosT = t.fftCosQ23;
  const sinT = t.fftSinQ23;
  const sc = t.splitCosQ23;
  const ss = t.splitSinQ23;
  return {
    yr,
    yi,
    run(inRe, inIm) {
      let m = 0;
      for (let i = 0; i < half; i++) {
        const r = rev[i];
        const a = inRe[i];
        const b = inIm[i];
        re[r] = a;
        im[r] = b;
        m = Math.max(m, Math.abs(a), Math.abs(b));
      }
      let shifts = 0;
      for (let len = 2; len <= half; len <<= 1) {
        // Rescaling the whole block by k before the stage == rounding-shifting each butterfly input
        // by k as it is loaded (what we do, to avoid an extra pass). The stage's output max decides
        // the next shift.
        const k = blockShift(m);
        shifts += k;
        const rnd = k > 0 ? pow2(k - 1) : 0;
        const sc2 = pow2Neg(k);
        m = 0;
        const h = len >> 1;
        const step = half / len;
        for (let j = 0; j < h; j++) {
          // W = cos(2 pi j step / half) - i sin(...)
          const wr = cosT[j * step];
          const wi = -sinT[j * step];
          for (let a = j; a < half; a += len) {
            const b = a + h;
            let br = re[b];
            let bi = im[b];
            let ar = re[a];
            let ai = im[a];
            if (k > 0) {
              br = Math.floor((br + rnd) * sc2);
              bi = Math.floor((bi + rnd) * sc2);
              ar = Math.floor((ar + rnd) * sc2);
              ai = Math.floor((ai + rnd) * sc2);
            }
            let tr: number;
            let ti: number;
            if (j === 0) {
              tr = br; // W = 1 exactly (cos table entry 0 is 2^23): the rounded product equals b
              ti = bi;
            } else {
              tr = Math.floor((br * wr - bi * wi + TW_ROUND) * TW_SCALE);
              ti = Math.floor((br * wi + bi * wr + TW_ROUND) * TW_SCALE);
            }
            const r0 = ar + tr;
            const i0 = ai + ti;
            const r1 = ar - tr;
            const i1 = ai - ti;
            re[a] = r0;
            im[a] = i0;
            re[b] = r1;
            im[b] = i1;
            // Math.abs/Math.max compile to branch-free instructions; sign tests here mispredict half the time.
            m = Math.max(m, Math.abs(r0), Math.abs(i0), Math.abs(r1), Math.abs(i1));
          }
        }
      }
      const k = blockShift(m);
      shifts += k;
      if (k > 0) {
        const rnd = pow2(k - 1);
        const sc2 = pow2Neg(k);
        for (let i = 0; i < half; i++) {
          re[i] = Math.floor((re[i] + rnd) * sc2);
          im[i] = Math.floor((im[i] + rnd) * sc2);
        }
      }
      // Split: 2X[k] = E - i W_N^k D, E = Z[k] + conj(Z[M-k]), D = Z[k] - conj(Z[M-k]), M = N/2.
      for (let k = 0; k <= half; k++) {
        const k1 = k === half ? 0 : k;
        const k2 = k === 0 ? 0 : half - k;
        const ar = re[k1];
        const ai = im[k1];
        const br = re[k2];
        const bi = -im[k2];
        const er = ar + br;
        const ei = ai + bi;
        const dr = ar - br;
        const di = ai - bi;
        const wr = sc[k];
        const wi = -ss[k];
        const tr = Math.floor((dr * wr - di * wi + TW_ROUND) * TW_SCALE);
        const ti = Math.floor((dr * wi + di * wr + TW_ROUND) * TW_SCALE);
        yr[k] = er + ti;
        yi[k] = ei - tr;
      }
      return shifts;
    },
  };
}

function plainPowerSpectrumShifted(yr: Float64Array, yi: Float64Array, bins: number, binsBits: number, out: Float64Array): number {
  let m = 0;
  for (let k = 0; k < bins; k++) {
    m = Math.max(m, Math.abs(yr[k]), Math.abs(yi[k]));
  }
  const bM = bitLength(m);
  const sP = Math.max(0, binsBits + 2 * bM + 1 - 47);
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
    const rh = Math.floor(ar * INV_LO);
    const rl = ar - rh * LO;
    const ih = Math.floor(ai * INV_LO);
    const il = ai - ih * LO;
    // P = A*2^30 + B*2^15 + C; P + r = 2^15 (A*2^15 + B) + (C + r)
    const d = (rh * rh + ih * ih) * LO + 2 * (rh * rl + ih * il);
    const e = rl * rl + il * il + r;
    out[k] = Math.floor((d + Math.floor(e * INV_LO)) * s2);
  }
  return sP;
}

function plainMelLogQ20(t: FixedTables, powerShifted: Float64Array, exp2: number, ph: Float64Array, pl: Float64Array, out: Int32Array): void {
  const bins = t.fftSize / 2 + 1;
  for (let k = 0; k < bins; k++) {
    const h = Math.floor(powerShifted[k] * INV_SPLIT);
    ph[k] = h;
    pl[k] = powerShifted[k] - h * SPLIT;
  }
  const w = t.melWeightsQ15;
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
    const carry = Math.floor(sl * INV_SPLIT);
    sh += carry;
    sl -= carry * SPLIT;
    if (sh === 0 && sl === 0) {
      out[b] = floorQ20;
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
    out[b] = lnQ20 > floorQ20 ? lnQ20 : floorQ20;
  }
}

function plainDctQ20(t: FixedTables, logMelQ20: Int32Array, out: Int32Array): void {
  const m = t.bands;
  const d = t.dctQ24;
  for (let k = 0; k < t.mfccCount; k++) {
    let acc = 0;
    const row = k * m;
    for (let b = 0; b < m; b++) acc += d[row + b] * logMelQ20[b];
    out[k] = Math.floor((acc + 8388608) * 5.9604644775390625e-8);
  }
}
