/**
 * In-memory training tensors: N fixed-length feature matrices [frames, bands] (frame-major, the
 * frontend's layout) with class indices and speakers. Per-band normalisation statistics come from
 * the TRAINING split only and are written into the frontend config (DESIGN contract 5): the device
 * applies the same affine before int8 quantisation.
 */
import { TinyserError } from '../../common/errors.js';

export interface FeatureSet {
  frames: number;
  bands: number;
  /** N * frames * bands values, example-major then frame-major */
  x: Float32Array;
  labels: Int32Array;
  speakers: string[];
  ids: string[];
  classNames: string[];
}

export interface BandNormalization {
  mean: number[];
  std: number[];
}

export function featureSetSize(set: FeatureSet): number {
  return set.labels.length;
}

export function subsetFeatureSet(set: FeatureSet, indices: readonly number[]): FeatureSet {
  const per = set.frames * set.bands;
  const x = new Float32Array(indices.length * per);
  indices.forEach((src, dst) => x.set(set.x.subarray(src * per, (src + 1) * per), dst * per));
  return {
    frames: set.frames,
    bands: set.bands,
    x,
    labels: Int32Array.from(indices, (i) => set.labels[i]!),
    speakers: indices.map((i) => set.speakers[i]!),
    ids: indices.map((i) => set.ids[i]!),
    classNames: set.classNames,
  };
}

/** Per-band mean and std over every frame of every example (float64 accumulation). */
export function bandStatistics(set: FeatureSet): BandNormalization {
  const { bands } = set;
  const sum = new Float64Array(bands);
  const sumSq = new Float64Array(bands);
  const rows = set.x.length / bands;
  if (rows === 0) throw new TinyserError('INPUT', 'cannot compute normalisation statistics of an empty training set');
  for (let r = 0; r < rows; r++) {
    for (let b = 0; b < bands; b++) {
      const v = set.x[r * bands + b]!;
      sum[b] += v;
      sumSq[b] += v * v;
    }
  }
  const mean: number[] = [];
  const std: number[] = [];
  for (let b = 0; b < bands; b++) {
    const m = sum[b]! / rows;
    mean.push(m);
    // floor keeps a constant band (e.g. a band above the signal's bandwidth) from dividing by 0
    std.push(Math.max(Math.sqrt(Math.max(0, sumSq[b]! / rows - m * m)), 1e-3));
  }
  return { mean, std };
}

/** Applies (x - mean) / std per band, returning a new set. */
export function normalizeFeatureSet(set: FeatureSet, norm: BandNormalization): FeatureSet {
  if (norm.mean.length !== set.bands || norm.std.length !== set.bands) {
    throw new TinyserError('CONFIG', `normalisation has ${norm.mean.length} bands, features have ${set.bands}`);
  }
  const x = new Float32Array(set.x.length);
  for (let i = 0; i < x.length; i++) {
    const b = i % set.bands;
    x[i] = (set.x[i]! - norm.mean[b]!) / norm.std[b]!;
  }
  return { ...set, x };
}

/** Inverse-frequency class weights normalised to mean 1 over the training examples. */
export function inverseFrequencyClassWeights(labels: Int32Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const l of labels) counts[l]! += 1;
  const n = labels.length;
  return counts.map((c) => (c === 0 ? 0 : n / (numClasses * c)));
}

/**
 * int8 quantisation for the model input (= the frontend's output quantisation) covering the
 * normalised training features from the 0.01th to the 99.99th percentile (a handful of outliers
 * saturate rather than costing resolution for everything else). q = round(x / scale) + zeroPoint.
 */
export function inputQuantizationFromFeatures(set: FeatureSet): { scale: number; zeroPoint: number } {
  const stride = Math.max(1, Math.floor(set.x.length / 200_000));
  const sample: number[] = [];
  for (let i = 0; i < set.x.length; i += stride) sample.push(set.x[i]!);
  sample.sort((a, b) => a - b);
  const at = (q: number) => sample[Math.min(sample.length - 1, Math.max(0, Math.round(q * (sample.length - 1))))]!;
  // the range must contain 0 so that zero padding and SpecAugment's mean fill are exact
  const lo = Math.min(0, at(0.0001));
  const hi = Math.max(0, at(0.9999));
  const scale = Math.max(hi - lo, 1e-6) / 255;
  const zeroPoint = Math.max(-128, Math.min(127, Math.round(-128 - lo / scale)));
  return { scale, zeroPoint };
}
