/**
 * Time stretch without pitch change by WSOLA (waveform-similarity overlap-add). Frames of 32 ms with
 * 50 % overlap and a periodic Hann window (which sums to one at that hop) are taken from the input
 * near their nominal position; within ±tolerance the position whose waveform best continues the
 * previous frame (normalised cross-correlation) wins, which keeps periodic signals phase-coherent
 * and so keeps their pitch. Output length is round(input length × durationFactor).
 */
import type { Signal } from './signal-power.js';

export interface TimeStretchOptions {
  sampleRate?: number;
  frameMs?: number;
  toleranceMs?: number;
}

export function timeStretchFloat64(x: Signal | Float64Array, durationFactor: number, opts: TimeStretchOptions = {}): Float64Array {
  if (!(durationFactor > 0) || !Number.isFinite(durationFactor)) {
    throw new RangeError(`timeStretch: durationFactor must be > 0, got ${durationFactor}`);
  }
  const sampleRate = opts.sampleRate ?? 16000;
  const frame = 2 * Math.max(8, Math.round(((opts.frameMs ?? 32) * sampleRate) / 2000));
  const hopOut = frame / 2;
  const hopIn = hopOut / durationFactor;
  const tol = Math.max(1, Math.round(((opts.toleranceMs ?? 10) * sampleRate) / 1000));
  const n = x.length;
  const outLength = Math.round(n * durationFactor);
  const out = new Float64Array(outLength + frame);
  const norm = new Float64Array(outLength + frame);
  const win = new Float64Array(frame);
  for (let i = 0; i < frame; i++) win[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / frame);
  // Zero-padded copy so frames and search windows can run past either end without bounds checks,
  // and prefix sums of squares so a candidate's energy costs O(1).
  const pad = frame + tol + hopOut + 2;
  const xp = new Float64Array(n + 2 * pad + Math.ceil(frame * 2));
  for (let i = 0; i < n; i++) xp[pad + i] = x[i];
  const sq = new Float64Array(xp.length + 1);
  for (let i = 0; i < xp.length; i++) sq[i + 1] = sq[i] + xp[i] * xp[i];
  const clampPos = (p: number): number => Math.max(-pad, Math.min(n + pad - frame - 1, p));

  // Output frame k covers [k·hopOut - hopOut, k·hopOut + hopOut) so that the first half-frame
  // overlaps a virtual frame before the start and sample 0 gets full window weight.
  let prevPos = -hopOut;
  for (let k = 0; k * hopOut - hopOut < outLength; k++) {
    const nominal = clampPos(Math.round(k * hopIn) - hopOut);
    let pos = nominal;
    if (k > 0) pos = bestMatch(xp, sq, pad, prevPos + hopOut, nominal, tol, hopOut, clampPos);
    const outStart = k * hopOut - hopOut;
    for (let i = 0; i < frame; i++) {
      const o = outStart + i;
      if (o < 0 || o >= outLength) continue;
      out[o] += xp[pad + pos + i] * win[i];
      norm[o] += win[i];
    }
    prevPos = pos;
  }
  const result = new Float64Array(outLength);
  for (let i = 0; i < outLength; i++) result[i] = norm[i] > 1e-9 ? out[i] / norm[i] : 0;
  return result;
}

/**
 * Position in [nominal-tol, nominal+tol] whose first `len` samples best match xp[target..]
 * (normalised cross-correlation; positions are relative to the unpadded signal).
 */
function bestMatch(
  xp: Float64Array,
  sq: Float64Array,
  pad: number,
  target: number,
  nominal: number,
  tol: number,
  len: number,
  clampPos: (p: number) => number,
): number {
  const t0 = pad + clampPos(target);
  const score = (p: number): number => {
    const p0 = pad + p;
    let c = 0;
    for (let i = 0; i < len; i++) c += xp[p0 + i] * xp[t0 + i];
    const e = sq[p0 + len] - sq[p0];
    return e > 1e-18 ? c / Math.sqrt(e) : -Infinity;
  };
  // Coarse search on every other lag, then refine around the winner: halves the cost, same optimum
  // for band-limited speech.
  let best = nominal;
  let bestScore = -Infinity;
  const lo = clampPos(nominal - tol);
  const hi = clampPos(nominal + tol);
  for (let p = lo; p <= hi; p += 2) {
    const s = score(p);
    if (s > bestScore) {
      bestScore = s;
      best = p;
    }
  }
  for (const p of [best - 1, best + 1]) {
    if (p < lo || p > hi) continue;
    const s = score(p);
    if (s > bestScore) {
      bestScore = s;
      best = p;
    }
  }
  return best;
}

export function timeStretch(x: Signal, durationFactor: number, opts: TimeStretchOptions = {}): Float32Array {
  return Float32Array.from(timeStretchFloat64(x, durationFactor, opts));
}
