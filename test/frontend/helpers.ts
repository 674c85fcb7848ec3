/** Test signals and dataset access for the frontend tests. */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = resolve(repoRoot, '../shared');
export const ravdessDir = join(sharedDir, 'datasets/ravdess-4class-16k');
export const ravdessAvailable = existsSync(ravdessDir);
export const ravdessSkipReason = `RAVDESS subset not found at ${ravdessDir} (research licence data lives outside the repo)`;

/** Every `step`-th RAVDESS file, sorted (deterministic subset). */
export function ravdessSubset(count: number): string[] {
  const all = readdirSync(ravdessDir)
    .filter((f) => f.endsWith('.wav'))
    .sort();
  const step = Math.max(1, Math.floor(all.length / count));
  return all.filter((_, i) => i % step === 0).slice(0, count).map((f) => join(ravdessDir, f));
}

/** Deterministic PRNG (mulberry32) so test signals never change. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function toInt16(x: Float64Array): Int16Array {
  return Int16Array.from(x, (v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))));
}

export function sine(freqHz: number, amplitude: number, samples: number, sampleRate = 16000): Float64Array {
  return Float64Array.from({ length: samples }, (_, n) => amplitude * Math.sin((2 * Math.PI * freqHz * n) / sampleRate));
}

/**
 * Speech-like signal: a glottal-ish harmonic series (F0 with vibrato and glides) shaped by three
 * moving formant resonances, syllable-rate amplitude envelope with pauses, breath noise, and a
 * low-level noise floor: wide dynamic range across bands and frames, like real speech.
 */
export function speechLike(seconds: number, seed = 1, sampleRate = 16000): Int16Array {
  const rnd = prng(seed);
  const n = Math.round(seconds * sampleRate);
  const out = new Float64Array(n);
  let phase = 0;
  const formants = [
    [700, 120],
    [1200, 150],
    [2600, 250],
  ];
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const f0 = 140 + 40 * Math.sin(2 * Math.PI * 0.7 * t) + 5 * Math.sin(2 * Math.PI * 5.5 * t);
    phase += (2 * Math.PI * f0) / sampleRate;
    let v = 0;
    for (let h = 1; h * f0 < sampleRate / 2 - 200; h++) {
      const fh = h * f0;
      let gain = 0;
      formants.forEach(([fc, bw], j) => {
        const fcm = fc * (1 + 0.15 * Math.sin(2 * Math.PI * (0.9 + 0.3 * j) * t));
        gain += 1 / (1 + ((fh - fcm) / bw) ** 2);
      });
      v += ((gain + 0.01) / h) * Math.sin(h * phase);
    }
    const syll = Math.max(0, Math.sin(2 * Math.PI * 2.5 * t)) ** 2; // pauses between syllables
    const noise = (rnd() - 0.5) * 0.02;
    out[i] = 0.25 * syll * v + noise * (0.02 + syll) + (rnd() - 0.5) * 2e-4;
  }
  return toInt16(out);
}
