/**
 * Mel filterbank: triangles linear in Hz between mel-spaced edge frequencies (the librosa construction),
 * HTK or Slaney mel scale. The triangles (peak 1) and the per-band Slaney area factor are kept apart:
 * the fixed-point path stores the triangles in Q15 and adds ln(factor) in the log domain, so both paths
 * compute the same quantity.
 */
import type { FrontendConfig } from '../config.js';

export function hzToMel(hz: number, scale: 'htk' | 'slaney'): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700);
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  return hz < minLogHz ? hz / fSp : minLogMel + Math.log(hz / minLogHz) / logStep;
}

export function melToHz(mel: number, scale: 'htk' | 'slaney'): number {
  if (scale === 'htk') return 700 * (10 ** (mel / 2595) - 1);
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  return mel < minLogMel ? mel * fSp : minLogHz * Math.exp(logStep * (mel - minLogMel));
}

export interface MelFilterbankFloat64 {
  bands: number;
  bins: number;
  /** First bin with a non-zero weight, per band. */
  startBin: Int32Array;
  /** Per band, weights for bins startBin..startBin+len-1 (triangle, peak <= 1). */
  triangles: Float64Array[];
  /** Multiplies the triangle: 1, or 2/(f_hi - f_lo) for Slaney area normalization. */
  normFactor: Float64Array;
  /** Band edge frequencies (bands + 2 values). */
  edgesHz: Float64Array;
}

export function melFilterbankFloat64(config: Pick<FrontendConfig, 'mel' | 'fftSize' | 'sampleRate'>): MelFilterbankFloat64 {
  const { bands, scale, norm, fminHz, fmaxHz } = config.mel;
  const bins = config.fftSize / 2 + 1;
  const mMin = hzToMel(fminHz, scale);
  const mMax = hzToMel(fmaxHz, scale);
  const edgesHz = new Float64Array(bands + 2);
  for (let i = 0; i < bands + 2; i++) edgesHz[i] = melToHz(mMin + ((mMax - mMin) * i) / (bands + 1), scale);
  const startBin = new Int32Array(bands);
  const triangles: Float64Array[] = [];
  const normFactor = new Float64Array(bands);
  for (let b = 0; b < bands; b++) {
    const lo = edgesHz[b];
    const mid = edgesHz[b + 1];
    const hi = edgesHz[b + 2];
    const w = new Float64Array(bins);
    let first = -1;
    let last = -1;
    for (let k = 0; k < bins; k++) {
      const f = (k * config.sampleRate) / config.fftSize;
      const v = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
      w[k] = v;
      if (v > 0) {
        if (first < 0) first = k;
        last = k;
      }
    }
    // A band narrower than one bin gets no weight at all; keep a one-bin placeholder so lengths stay valid.
    if (first < 0) {
      first = Math.min(bins - 1, Math.round((mid * config.fftSize) / config.sampleRate));
      last = first;
    }
    startBin[b] = first;
    triangles.push(w.slice(first, last + 1));
    normFactor[b] = norm === 'slaney' ? 2 / (hi - lo) : 1;
  }
  return { bands, bins, startBin, triangles, normFactor, edgesHz };
}

export function applyMelFloat64(fb: MelFilterbankFloat64, power: Float64Array, out: Float64Array): void {
  for (let b = 0; b < fb.bands; b++) {
    const t = fb.triangles[b];
    const s = fb.startBin[b];
    let acc = 0;
    for (let i = 0; i < t.length; i++) acc += t[i] * power[s + i];
    out[b] = acc * fb.normFactor[b];
  }
}

/** The triangles of a filterbank in one array (same values), for applyMelFlatFloat64. */
export interface MelFilterbankFlatFloat64 {
  bands: number;
  startBin: Int32Array;
  offset: Int32Array;
  length: Int32Array;
  weights: Float64Array;
  normFactor: Float64Array;
}

export function flattenMelFilterbankFloat64(fb: MelFilterbankFloat64): MelFilterbankFlatFloat64 {
  const offset = new Int32Array(fb.bands);
  const length = new Int32Array(fb.bands);
  let total = 0;
  for (let b = 0; b < fb.bands; b++) {
    offset[b] = total;
    length[b] = fb.triangles[b].length;
    total += length[b];
  }
  const weights = new Float64Array(total);
  for (let b = 0; b < fb.bands; b++) weights.set(fb.triangles[b], offset[b]);
  return { bands: fb.bands, startBin: Int32Array.from(fb.startBin), offset, length, weights, normFactor: Float64Array.from(fb.normFactor) };
}

/** applyMelFloat64 on the flat layout: the same products summed in the same order. */
export function applyMelFlatFloat64(fb: MelFilterbankFlatFloat64, power: Float64Array, out: Float64Array): void {
  const w = fb.weights;
  for (let b = 0; b < fb.bands; b++) {
    const s = fb.startBin[b];
    const o = fb.offset[b];
    const len = fb.length[b];
    let acc = 0;
    for (let i = 0; i < len; i++) acc += w[o + i] * power[s + i];
    out[b] = acc * fb.normFactor[b];
  }
}
