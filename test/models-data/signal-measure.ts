/** Measurement helpers for the data-pipeline tests (not exported from the library). */
import { fftFloat64 } from '../../models/augment/fft-float64.js';

export function tone(freqHz: number, seconds: number, sampleRate = 16000, amplitude = 0.5): Float32Array {
  const n = Math.round(seconds * sampleRate);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amplitude * Math.sin((2 * Math.PI * freqHz * i) / sampleRate);
  return x;
}

/**
 * Frequency of a (near) pure tone from rising zero crossings located by linear interpolation,
 * measured between `from` and `to` fractions of the signal to stay clear of edge effects.
 */
export function toneFrequency(x: ArrayLike<number>, sampleRate = 16000, from = 0.2, to = 0.8): number {
  const a = Math.floor(x.length * from);
  const b = Math.floor(x.length * to);
  const crossings: number[] = [];
  for (let i = a; i < b - 1; i++) {
    if (x[i] < 0 && x[i + 1] >= 0) crossings.push(i + x[i] / (x[i] - x[i + 1]));
  }
  if (crossings.length < 3) return NaN;
  return ((crossings.length - 1) * sampleRate) / (crossings[crossings.length - 1] - crossings[0]);
}

/** Welch power spectrum (Hann, 50 % overlap): returns power per bin 0..n/2. */
export function welchPsd(x: ArrayLike<number>, n = 1024): Float64Array {
  const psd = new Float64Array(n / 2 + 1);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  let segments = 0;
  for (let s = 0; s + n <= x.length; s += n / 2) {
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    for (let i = 0; i < n; i++) re[i] = x[s + i] * w[i];
    fftFloat64(re, im);
    for (let k = 0; k <= n / 2; k++) psd[k] += re[k] * re[k] + im[k] * im[k];
    segments++;
  }
  for (let k = 0; k <= n / 2; k++) psd[k] /= segments;
  return psd;
}

/** Least-squares slope of 10·log10(power) against log2(frequency), in dB per octave. */
export function slopeDbPerOctave(psd: Float64Array, sampleRate: number, loHz: number, hiHz: number): number {
  const n = (psd.length - 1) * 2;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 1; k < psd.length; k++) {
    const f = (k * sampleRate) / n;
    if (f < loHz || f > hiHz) continue;
    xs.push(Math.log2(f));
    ys.push(10 * Math.log10(psd[k]));
  }
  // Bins are linearly spaced, so weight each by 1/f: every octave then counts equally in the fit.
  const wts = xs.map((v) => Math.pow(2, -v));
  const sw = wts.reduce((s, v) => s + v, 0);
  const mx = xs.reduce((s, v, i) => s + wts[i] * v, 0) / sw;
  const my = ys.reduce((s, v, i) => s + wts[i] * v, 0) / sw;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += wts[i] * (xs[i] - mx) * (ys[i] - my);
    den += wts[i] * (xs[i] - mx) * (xs[i] - mx);
  }
  return num / den;
}

/**
 * Median F0 (Hz) of the voiced frames of a speech signal. The signal is decimated by 2 (pair
 * averages: pitch needs nothing above 4 kHz), then 40 ms frames every 20 ms get a normalised
 * autocorrelation; the lag of the highest peak in 60-400 Hz is the frame's period, and the frame
 * counts as voiced when that peak exceeds 0.5 and its energy is within 30 dB of the loudest.
 * Crude but enough to ask "does pitch alone separate the classes".
 */
export function medianPitchHz(input: ArrayLike<number>, inputRate = 16000): number {
  const sampleRate = inputRate / 2;
  const x = new Float64Array(Math.floor(input.length / 2));
  for (let i = 0; i < x.length; i++) x[i] = 0.5 * (input[2 * i] + input[2 * i + 1]);
  const frame = Math.round(0.04 * sampleRate);
  const hop = Math.round(0.02 * sampleRate);
  const minLag = Math.floor(sampleRate / 400);
  const maxLag = Math.ceil(sampleRate / 60);
  const energies: number[] = [];
  for (let s = 0; s + frame + maxLag <= x.length; s += hop) {
    let e = 0;
    for (let i = 0; i < frame; i++) e += x[s + i] * x[s + i];
    energies.push(e);
  }
  const maxE = Math.max(...energies, 0);
  const f0s: number[] = [];
  energies.forEach((e, fi) => {
    if (e <= 0 || e < maxE * 1e-3) return;
    const s = fi * hop;
    let best = -1;
    let bestLag = 0;
    for (let lag = minLag; lag <= maxLag; lag++) {
      let c = 0;
      let e2 = 0;
      for (let i = 0; i < frame; i++) {
        c += x[s + i] * x[s + i + lag];
        e2 += x[s + i + lag] * x[s + i + lag];
      }
      const r = c / Math.sqrt(e * e2 + 1e-20);
      if (r > best) {
        best = r;
        bestLag = lag;
      }
    }
    if (best > 0.5) f0s.push(sampleRate / bestLag);
  });
  if (f0s.length === 0) return NaN;
  f0s.sort((a, b) => a - b);
  return f0s[Math.floor(f0s.length / 2)];
}

/** RMS level in dBFS over the whole clip. */
export function rmsDb(x: ArrayLike<number>): number {
  let p = 0;
  for (let i = 0; i < x.length; i++) p += x[i] * x[i];
  return 10 * Math.log10(p / Math.max(1, x.length) + 1e-20);
}

/**
 * The best a single scalar feature can do: classes placed in some order along the feature axis,
 * separated by cut points (up to classes-1 thresholds), all fit to maximise training accuracy.
 * Exhaustive over class orders, dynamic programming over cut positions.
 */
export interface IntervalClassifier {
  order: number[];
  /** ascending cut values; class order[k] is predicted for values in [cuts[k-1], cuts[k]) */
  cuts: number[];
  trainAccuracy: number;
}

export function fitIntervalClassifier(values: number[], labels: number[], classCount: number): IntervalClassifier {
  const idx = values.map((_, i) => i).filter((i) => Number.isFinite(values[i])).sort((a, b) => values[a] - values[b]);
  const n = idx.length;
  let best: IntervalClassifier = { order: [], cuts: [], trainAccuracy: -1 };
  for (const order of permutations([...Array(classCount).keys()])) {
    // dp[k][i]: best correct count with the first i sorted samples assigned to segments 0..k
    const dp: number[][] = Array.from({ length: classCount }, () => new Array<number>(n + 1).fill(-Infinity));
    const from: number[][] = Array.from({ length: classCount }, () => new Array<number>(n + 1).fill(0));
    let run = 0;
    dp[0][0] = 0;
    for (let i = 1; i <= n; i++) {
      run += labels[idx[i - 1]] === order[0] ? 1 : 0;
      dp[0][i] = run;
    }
    for (let k = 1; k < classCount; k++) {
      // dp[k][i] = max over j<=i of dp[k-1][j] + (# of order[k] among samples j..i-1)
      let bestPrev = -Infinity;
      let bestJ = 0;
      let prefix = 0; // # of order[k] in samples 0..i-1
      const prefixAt: number[] = [0];
      for (let i = 1; i <= n; i++) {
        prefix += labels[idx[i - 1]] === order[k] ? 1 : 0;
        prefixAt.push(prefix);
      }
      for (let i = 0; i <= n; i++) {
        const cand = dp[k - 1][i] - prefixAt[i];
        if (cand > bestPrev) {
          bestPrev = cand;
          bestJ = i;
        }
        dp[k][i] = bestPrev + prefixAt[i];
        from[k][i] = bestJ;
      }
    }
    const correct = dp[classCount - 1][n];
    if (correct / n > best.trainAccuracy) {
      const bounds: number[] = [];
      let i = n;
      for (let k = classCount - 1; k >= 1; k--) {
        const j = from[k][i];
        bounds.unshift(j);
        i = j;
      }
      const cuts = bounds.map((j) => (j <= 0 ? -Infinity : j >= n ? Infinity : 0.5 * (values[idx[j - 1]] + values[idx[j]])));
      best = { order, cuts, trainAccuracy: correct / n };
    }
  }
  return best;
}

export function predictInterval(c: IntervalClassifier, v: number): number {
  let k = 0;
  while (k < c.cuts.length && v >= c.cuts[k]) k++;
  return c.order[k];
}

function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/** One threshold on one feature: each side predicts one class (its training majority). */
export interface ThresholdClassifier {
  cut: number;
  below: number;
  above: number;
  trainAccuracy: number;
}

export function fitSingleThreshold(values: number[], labels: number[], classCount: number): ThresholdClassifier {
  const idx = values.map((_, i) => i).filter((i) => Number.isFinite(values[i])).sort((a, b) => values[a] - values[b]);
  const n = idx.length;
  const left = new Array<number>(classCount).fill(0);
  const right = new Array<number>(classCount).fill(0);
  for (const i of idx) right[labels[i]]++;
  const argmax = (a: number[]): number => a.indexOf(Math.max(...a));
  let best: ThresholdClassifier = { cut: -Infinity, below: 0, above: argmax(right), trainAccuracy: Math.max(...right) / n };
  for (let j = 1; j < n; j++) {
    const y = labels[idx[j - 1]];
    left[y]++;
    right[y]--;
    if (values[idx[j - 1]] === values[idx[j]]) continue;
    const acc = (Math.max(...left) + Math.max(...right)) / n;
    if (acc > best.trainAccuracy) {
      best = { cut: 0.5 * (values[idx[j - 1]] + values[idx[j]]), below: argmax(left), above: argmax(right), trainAccuracy: acc };
    }
  }
  return best;
}
