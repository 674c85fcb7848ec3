/**
 * Additive noise at a chosen SNR. SNR is defined on mean power over the whole clip
 * (10·log10(P_signal / P_noise)), so mixing then measuring `mix - clean` gives the requested SNR
 * back up to float32 rounding. Noise comes from a generator colour or from a bank of recordings
 * (a random file and offset, looped when shorter than the clip).
 */
import { coloredNoiseFloat64, type NoiseColor } from './colored-noise.js';
import type { Prng } from './prng.js';
import { meanPower, type Signal } from './signal-power.js';

export type NoiseSource = NoiseColor | { bank: readonly Float32Array[]; name?: string };

export interface AddNoiseOptions {
  snrDb: number;
  source: NoiseSource;
}

export interface AddNoiseResult {
  mixed: Float32Array;
  /** The scaled noise actually added (mixed = clean + noise, in float64 before the float32 store). */
  noiseGain: number;
  snrDb: number;
  /** Which bank entry and offset were used, for reproducibility reports. */
  bankIndex?: number;
  bankOffset?: number;
}

export function addNoiseAtSnr(clean: Signal, rng: Prng, { snrDb, source }: AddNoiseOptions): AddNoiseResult {
  if (!Number.isFinite(snrDb)) throw new RangeError(`addNoiseAtSnr: snrDb must be finite, got ${snrDb}`);
  const n = clean.length;
  let noise: Float64Array;
  let bankIndex: number | undefined;
  let bankOffset: number | undefined;
  if (typeof source === 'string') {
    noise = coloredNoiseFloat64(n, source, rng);
  } else {
    const usable = source.bank.map((b, i) => ({ b, i })).filter(({ b }) => meanPower(b) > 0);
    if (usable.length === 0) {
      throw new RangeError(`addNoiseAtSnr: noise bank ${source.name ?? ''} has no non-silent recording`);
    }
    const pick = rng.pick(usable);
    bankIndex = pick.i;
    bankOffset = rng.int(pick.b.length);
    noise = new Float64Array(n);
    for (let i = 0; i < n; i++) noise[i] = pick.b[(bankOffset + i) % pick.b.length];
  }
  const ps = meanPower(clean);
  const pn = meanPower(noise);
  const mixed = new Float32Array(n);
  // A silent clip has no defined SNR; return it unchanged rather than inventing a noise level.
  const gain = ps > 0 && pn > 0 ? Math.sqrt(ps / (pn * Math.pow(10, snrDb / 10))) : 0;
  for (let i = 0; i < n; i++) mixed[i] = clean[i] + gain * noise[i];
  return { mixed, noiseGain: gain, snrDb, bankIndex, bankOffset };
}

/** Draws the SNR uniformly in [minDb, maxDb] and mixes. */
export function addRandomNoise(
  clean: Signal,
  rng: Prng,
  { minSnrDb, maxSnrDb, sources }: { minSnrDb: number; maxSnrDb: number; sources: readonly NoiseSource[] },
): AddNoiseResult {
  const snrDb = rng.uniform(minSnrDb, maxSnrDb);
  const source = rng.pick(sources);
  return addNoiseAtSnr(clean, rng, { snrDb, source });
}
