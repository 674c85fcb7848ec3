/**
 * Gain in dB, fixed or random. Optional peak limiting keeps the result inside [-1, 1] so a later
 * int16 conversion never wraps; when it engages the applied gain is reported as lower.
 */
import type { Prng } from './prng.js';
import { dbToAmplitude, type Signal } from './signal-power.js';

export interface GainResult {
  out: Float32Array;
  gainDb: number;
}

export function applyGainDb(x: Signal, gainDb: number, { limitPeak = false }: { limitPeak?: boolean } = {}): GainResult {
  let g = dbToAmplitude(gainDb);
  if (limitPeak) {
    let peak = 0;
    for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]));
    if (peak * g > 1) g = 1 / peak;
  }
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * g;
  return { out, gainDb: 20 * Math.log10(g) };
}

export function randomGain(
  x: Signal,
  rng: Prng,
  { minDb = -6, maxDb = 6, limitPeak = false }: { minDb?: number; maxDb?: number; limitPeak?: boolean } = {},
): GainResult {
  return applyGainDb(x, rng.uniform(minDb, maxDb), { limitPeak });
}
