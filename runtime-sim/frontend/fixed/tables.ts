/**
 * Every constant table of the fixed-point frontend, generated once from the config by deterministic
 * integer-rounded code (Math.round of float64 values: round half away from zero, ties impossible in
 * practice for irrational values). The C twin embeds exactly these integers: `exportFixedTables`.
 *
 * Formats (Q = fractional bits):
 *   hannQ21        window, periodic Hann, Q21 (y[n] in Q15 times Q21 stays < 2^52)
 *   preEmphasisQ15 pre-emphasis coefficient
 *   fftCosQ23/fftSinQ23  twiddles of the N/2-point complex FFT, W = cos - i sin, Q23
 *   splitCosQ23/splitSinQ23  twiddles W_N^k (k = 0..N/2) of the real-FFT split step, Q23
 *   bitReverse     bit-reversal permutation of N/2 indices
 *   melStartBin/melLength/melWeightOffset + melWeightsQ15  sparse triangles (peak 1.0 = 32768)
 *   melLogOffsetQ20  ln(Slaney area factor) per band, added in the log domain
 *   log2LutQ30     log2(1 + i/256), i = 0..256, Q30
 *   ln2Q24         ln(2) in Q24
 *   lnFloorQ20     ln(log floor) in Q20
 *   dctQ24         orthonormal DCT-II (count x bands), Q24
 *   quantMultiplier/quantOffset/quantShift per output dimension: q = floor((F*mult + offset) / 2^shift) + zp
 *                  (mult < 2^23; offset needs int64, |offset| < 2^51; F*mult + offset < 2^53)
 */
import { featureDims, FrontendConfigError, type FrontendConfig } from '../config.js';
import { preEmphasisQ15 } from '../framing.js';
import { dctOrthoMatrixFloat64 } from '../reference/dct-float64.js';
import { melFilterbankFloat64 } from '../reference/mel-filterbank-float64.js';
import { hannPeriodicFloat64 } from '../reference/window-float64.js';

export const FEATURE_Q = 20;
export const TWIDDLE_Q = 23;
export const WINDOW_Q = 21;
export const MEL_WEIGHT_Q = 15;
export const DCT_Q = 24;
export const LOG2_LUT_BITS = 8;

export interface FixedTables {
  windowSamples: number;
  fftSize: number;
  bands: number;
  mfccCount: number;
  dims: number;
  zeroPoint: number;
  hannQ21: Int32Array;
  preEmphasisQ15: number;
  fftCosQ23: Int32Array;
  fftSinQ23: Int32Array;
  splitCosQ23: Int32Array;
  splitSinQ23: Int32Array;
  bitReverse: Int32Array;
  melStartBin: Int32Array;
  melLength: Int32Array;
  melWeightOffset: Int32Array;
  melWeightsQ15: Int32Array;
  melLogOffsetQ20: Int32Array;
  log2LutQ30: Int32Array;
  ln2Q24: number;
  lnFloorQ20: number;
  dctQ24: Int32Array;
  quantMultiplier: Float64Array;
  quantOffset: Float64Array;
  quantShift: Int32Array;
  /** ceil(log2(N/2 + 1)): bins bound used to size the power-spectrum shift. */
  binsBits: number;
}

/** Largest |F| (Q20) entering the int8 quantizer: |ln E| < 32 for log-mel; sqrt(bands)*32 for MFCC c0. */
function featureBoundQ20(config: FrontendConfig): number {
  const base = config.kind === 'mfcc' ? 32 * Math.sqrt(config.mel.bands) : 32;
  // Deltas are bounded by the feature range times sum n / sum 2n^2 <= 1/2 of the base range (x2 for order 2 of a range 2B).
  return Math.ceil(base * 2 * 2 ** FEATURE_Q);
}

export function buildFixedTables(config: FrontendConfig): FixedTables {
  const win = config.windowSamples;
  const n = config.fftSize;
  const half = n / 2;
  const bands = config.mel.bands;
  const nm = config.mfcc.count;
  const dims = featureDims(config);

  const hann = hannPeriodicFloat64(win);
  const hannQ21 = Int32Array.from(hann, (v) => Math.round(v * 2 ** WINDOW_Q));

  const fftCosQ23 = new Int32Array(half / 2);
  const fftSinQ23 = new Int32Array(half / 2);
  for (let k = 0; k < half / 2; k++) {
    fftCosQ23[k] = Math.round(Math.cos((2 * Math.PI * k) / half) * 2 ** TWIDDLE_Q);
    fftSinQ23[k] = Math.round(Math.sin((2 * Math.PI * k) / half) * 2 ** TWIDDLE_Q);
  }
  const splitCosQ23 = new Int32Array(half + 1);
  const splitSinQ23 = new Int32Array(half + 1);
  for (let k = 0; k <= half; k++) {
    splitCosQ23[k] = Math.round(Math.cos((2 * Math.PI * k) / n) * 2 ** TWIDDLE_Q);
    splitSinQ23[k] = Math.round(Math.sin((2 * Math.PI * k) / n) * 2 ** TWIDDLE_Q);
  }
  const bits = Math.log2(half);
  const bitReverse = new Int32Array(half);
  for (let i = 0; i < half; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitReverse[i] = r;
  }

  const fb = melFilterbankFloat64(config);
  const melStartBin = Int32Array.from(fb.startBin);
  const melLength = Int32Array.from(fb.triangles, (t) => t.length);
  const melWeightOffset = new Int32Array(bands);
  let total = 0;
  for (let b = 0; b < bands; b++) {
    melWeightOffset[b] = total;
    total += melLength[b];
  }
  const melWeightsQ15 = new Int32Array(total);
  for (let b = 0; b < bands; b++)
    fb.triangles[b].forEach((w, i) => (melWeightsQ15[melWeightOffset[b] + i] = Math.round(w * 2 ** MEL_WEIGHT_Q)));
  const melLogOffsetQ20 = Int32Array.from(fb.normFactor, (f) => Math.round(Math.log(f) * 2 ** FEATURE_Q));

  const lutSize = 1 << LOG2_LUT_BITS;
  const log2LutQ30 = new Int32Array(lutSize + 1);
  for (let i = 0; i <= lutSize; i++) log2LutQ30[i] = Math.round(Math.log2(1 + i / lutSize) * 2 ** 30);

  const dct = dctOrthoMatrixFloat64(nm, bands);
  const dctQ24 = Int32Array.from(dct, (v) => Math.round(v * 2 ** DCT_Q));

  const { scale, zeroPoint } = config.quantization;
  const quantMultiplier = new Float64Array(dims);
  const quantOffset = new Float64Array(dims);
  const quantShift = new Int32Array(dims);
  const fMax = featureBoundQ20(config);
  for (let d = 0; d < dims; d++) {
    const mean = config.normalization?.mean[d] ?? 0;
    const std = config.normalization?.std[d] ?? 1;
    const gain = 1 / (std * scale); // int8 steps per feature unit
    let chosen = -1;
    for (let k = 48; k >= 1; k--) {
      const mult = Math.round(gain * 2 ** (k - FEATURE_Q));
      const off = Math.round((0.5 - mean * gain) * 2 ** k);
      if (mult < 2 ** 23 && Math.abs(off) < 2 ** 51 && fMax * mult + Math.abs(off) < 2 ** 53 && mult >= 2 ** 12) {
        chosen = k;
        quantMultiplier[d] = mult;
        quantOffset[d] = off;
        quantShift[d] = k;
        break;
      }
    }
    if (chosen < 0)
      throw new FrontendConfigError(
        `quantization/normalization of output dimension ${d} (scale ${scale}, std ${std}, mean ${mean}) cannot be represented in the fixed-point quantizer; use a scale*std between ~1e-4 and ~1e3`,
        { dimension: d },
      );
  }

  return {
    windowSamples: win,
    fftSize: n,
    bands,
    mfccCount: nm,
    dims,
    zeroPoint,
    hannQ21,
    preEmphasisQ15: preEmphasisQ15(config.preEmphasis),
    fftCosQ23,
    fftSinQ23,
    splitCosQ23,
    splitSinQ23,
    bitReverse,
    melStartBin,
    melLength,
    melWeightOffset,
    melWeightsQ15,
    melLogOffsetQ20,
    log2LutQ30,
    ln2Q24: Math.round(Math.LN2 * 2 ** 24),
    lnFloorQ20: Math.round(Math.log(config.log.floor) * 2 ** FEATURE_Q),
    dctQ24,
    quantMultiplier,
    quantOffset,
    quantShift,
    binsBits: Math.ceil(Math.log2(half + 1)),
  };
}

/** Named plain integer arrays and scalars for the C twin (generated headers embed exactly these). */
export function exportFixedTables(config: FrontendConfig): Record<string, number | number[]> {
  const t = buildFixedTables(config);
  const out: Record<string, number | number[]> = {};
  for (const [k, v] of Object.entries(t)) {
    if (typeof v === 'number') out[k] = v;
    else out[k] = Array.from(v as ArrayLike<number>);
  }
  return out;
}
