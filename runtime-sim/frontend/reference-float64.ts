/**
 * float64 reference frontend: the ideal of what the fixed-point path computes. Stages live one per
 * file under reference/; this file only chains them. Input int16 is read as x = s / 32768.
 */
import { featureDims, type FrontendConfig } from './config.js';
import { frameCount, preEmphasisQ15 } from './framing.js';
import { applyDctFloat64At, dctOrthoMatrixFloat64 } from './reference/dct-float64.js';
import { deltasFloat64 } from './reference/deltas-float64.js';
import { createFftFloat64, type FftFloat64 } from './reference/fft-float64.js';
import { frameEnergyDbFloat64 } from './reference/frame-energy-float64.js';
import { applyMelFlatFloat64, flattenMelFilterbankFloat64, melFilterbankFloat64, type MelFilterbankFlatFloat64 } from './reference/mel-filterbank-float64.js';
import { preEmphasisFloat64Into } from './reference/pre-emphasis-float64.js';
import { hannPeriodicFloat64 } from './reference/window-float64.js';

export interface FeatureMatrixFloat64 {
  frames: number;
  dims: number;
  /** Row-major: data[t * dims + d]. */
  data: Float64Array;
}

export interface ReferenceFeaturesFloat64 {
  frames: number;
  /** ln(max(E_mel, floor)), frames x bands. */
  logMel: FeatureMatrixFloat64;
  /** Orthonormal DCT-II of logMel, frames x mfcc.count. */
  mfcc: FeatureMatrixFloat64;
  /** Frame energy in dBFS of the raw frame (used to select active frames). */
  energyDb: Float64Array;
}

/** The per-config constants and scratch buffers (scratch is rewritten before use in every synchronous call, so calls can share it). */
interface ReferencePlanFloat64 {
  hann: Float64Array;
  fft: FftFloat64;
  fb: MelFilterbankFlatFloat64;
  dct: Float64Array;
  power: Float64Array;
  mel: Float64Array;
  /** Signal scratch (grown on demand): x = s / 32768 and its pre-emphasis. */
  x: Float64Array;
  y: Float64Array;
}

const planCache = new WeakMap<FrontendConfig, ReferencePlanFloat64>();

function planFor(config: FrontendConfig): ReferencePlanFloat64 {
  let plan = planCache.get(config);
  if (!plan) {
    plan = {
      hann: hannPeriodicFloat64(config.windowSamples),
      fft: createFftFloat64(config.fftSize),
      fb: flattenMelFilterbankFloat64(melFilterbankFloat64(config)),
      dct: dctOrthoMatrixFloat64(config.mfcc.count, config.mel.bands),
      power: new Float64Array(config.fftSize / 2 + 1),
      mel: new Float64Array(config.mel.bands),
      x: new Float64Array(0),
      y: new Float64Array(0),
    };
    planCache.set(config, plan);
  }
  return plan;
}

/** log-mel, MFCC and frame energy for every frame (no deltas, no normalization). */
export function computeReferenceFloat64(samples: Int16Array, config: FrontendConfig): ReferenceFeaturesFloat64 {
  const { windowSamples: win, hopSamples: hop } = config;
  const bands = config.mel.bands;
  const nm = config.mfcc.count;
  const frames = frameCount(samples.length, win, hop);
  const plan = planFor(config);
  const { hann, fft, fb, dct, power, mel } = plan;
  // x = s / 32768 and the pre-emphasized y in the plan's reusable buffers (no per-call signal arrays)
  const n = samples.length;
  if (plan.x.length < n) {
    plan.x = new Float64Array(n);
    plan.y = new Float64Array(n);
  }
  const x = plan.x;
  for (let i = 0; i < n; i++) x[i] = samples[i] / 32768;
  const a = preEmphasisQ15(config.preEmphasis) / 32768;
  let y = x;
  if (a !== 0) {
    y = plan.y;
    preEmphasisFloat64Into(x, n, a, y);
  }
  const lnFloor = Math.log(config.log.floor);
  const logMel = new Float64Array(frames * bands);
  const mfcc = new Float64Array(frames * nm);
  const energyDb = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    const s0 = t * hop;
    // frame[i] = y[s0 + i] * hann[i], loaded straight into the FFT
    fft.powerSpectrumWindowed(y, s0, hann, power);
    applyMelFlatFloat64(fb, power, mel);
    const row = t * bands;
    for (let b = 0; b < bands; b++) logMel[row + b] = mel[b] > 0 ? Math.max(Math.log(mel[b]), lnFloor) : lnFloor;
    applyDctFloat64At(dct, nm, bands, logMel, row, mfcc, t * nm);
    energyDb[t] = frameEnergyDbFloat64(samples, s0, win);
  }
  return {
    frames,
    logMel: { frames, dims: bands, data: logMel },
    mfcc: { frames, dims: nm, data: mfcc },
    energyDb,
  };
}

/** Appends deltas / delta-deltas per config (columns: base, delta, delta-delta). */
export function appendDeltasFloat64(base: FeatureMatrixFloat64, order: 0 | 1 | 2, width: number): FeatureMatrixFloat64 {
  if (order === 0) return base;
  const { frames, dims } = base;
  const d1 = deltasFloat64(base.data, frames, dims, width);
  const d2 = order === 2 ? deltasFloat64(d1, frames, dims, width) : null;
  const outDims = dims * (1 + order);
  const out = new Float64Array(frames * outDims);
  for (let t = 0; t < frames; t++) {
    out.set(base.data.subarray(t * dims, (t + 1) * dims), t * outDims);
    out.set(d1.subarray(t * dims, (t + 1) * dims), t * outDims + dims);
    if (d2) out.set(d2.subarray(t * dims, (t + 1) * dims), t * outDims + 2 * dims);
  }
  return { frames, dims: outDims, data: out };
}

/** The features before normalization: selected kind plus deltas. */
export function computeRawFeaturesFloat64(samples: Int16Array, config: FrontendConfig): FeatureMatrixFloat64 {
  const ref = computeReferenceFloat64(samples, config);
  const base = config.kind === 'mfcc' ? ref.mfcc : ref.logMel;
  return appendDeltasFloat64(base, config.deltas.order, config.deltas.width);
}

/** Per-dimension (x - mean) / std in place; no-op without normalization. */
export function normalizeFeaturesFloat64(m: FeatureMatrixFloat64, config: FrontendConfig): FeatureMatrixFloat64 {
  const norm = config.normalization;
  if (!norm) return m;
  const out = new Float64Array(m.data.length);
  for (let t = 0; t < m.frames; t++)
    for (let d = 0; d < m.dims; d++) out[t * m.dims + d] = (m.data[t * m.dims + d] - norm.mean[d]) / norm.std[d];
  return { frames: m.frames, dims: m.dims, data: out };
}

/** Exactly what the model sees in float: kind, deltas, normalization; before int8. */
export function computeFeaturesFloat64(samples: Int16Array, config: FrontendConfig): FeatureMatrixFloat64 {
  const m = normalizeFeaturesFloat64(computeRawFeaturesFloat64(samples, config), config);
  if (m.dims !== featureDims(config)) throw new Error(`internal: dims ${m.dims} != ${featureDims(config)}`);
  return m;
}

/**
 * int8 quantization of float features with the config's scale/zero point: q = floor(x/scale + 0.5) + zp
 * (round half up, the same rule as the fixed path), clamped to [-128, 127].
 */
export function quantizeInt8Float64(data: Float64Array, scale: number, zeroPoint: number): { data: Int8Array; saturated: number } {
  const out = new Int8Array(data.length);
  let saturated = 0;
  for (let i = 0; i < data.length; i++) {
    let q = Math.floor(data[i] / scale + 0.5) + zeroPoint;
    if (q > 127) {
      q = 127;
      saturated++;
    } else if (q < -128) {
      q = -128;
      saturated++;
    }
    out[i] = q;
  }
  return { data: out, saturated };
}
