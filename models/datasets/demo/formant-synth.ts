/**
 * Fallback speech source when eSpeak NG is not installed: a small source-filter synthesiser.
 * A glottal pulse train (F0 from the eSpeak pitch setting, gender register, declination and a
 * per-syllable accent scaled by the prosody range) drives three cascaded formant resonators that
 * glide between vowel targets, one syllable per vowel; syllables are separated by short noise
 * bursts standing in for consonants. Far from natural speech, but it carries the same prosodic
 * cues (pitch level and range, rate, loudness) the demo classes are defined by.
 */
import type { Prng } from '../../augment/prng.js';

const SR = 16000;

/** (F1, F2, F3) in Hz of a few English vowels, adult male; scaled up for the female register. */
const VOWELS: readonly [number, number, number][] = [
  [730, 1090, 2440], [270, 2290, 3010], [300, 870, 2240], [530, 1840, 2480], [570, 840, 2410], [660, 1720, 2410],
];

export interface FormantUtteranceSpec {
  sentence: string;
  gender: 'male' | 'female';
  espeak: { pitch: number; speed: number; pitchPct: number; ratePct: number; rangePct: number };
}

export function synthesizeFormantUtterance(spec: FormantUtteranceSpec, rng: Prng): Int16Array {
  const e = spec.espeak;
  const syllables = Math.max(3, Math.round(spec.sentence.split(/\s+/).length * 1.4));
  // eSpeak speed is words/min; ~1.4 syllables per word
  const sylSec = 60 / (((e.speed * e.ratePct) / 100) * 1.4);
  const n = Math.round(syllables * sylSec * SR);
  const baseHz = (spec.gender === 'male' ? 70 : 140) * Math.pow(2, (e.pitch - 50) / 60) * 1.6 * (1 + (0.65 * e.pitchPct) / 100);
  const rangeHz = baseHz * 0.25 * (e.rangePct / 100);
  const formantScale = spec.gender === 'male' ? 1 : 1.17;
  const accents = Array.from({ length: syllables }, () => rng.uniform(-1, 1));
  const vowels = Array.from({ length: syllables }, () => rng.pick(VOWELS));
  const out = new Float64Array(n);
  const state = [0, 0, 0, 0, 0, 0];
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    const s = Math.min(syllables - 1, Math.floor(t / sylSec));
    const within = t / sylSec - s;
    const f0 = baseHz * (1.1 - 0.2 * (i / n)) + rangeHz * accents[s] * Math.sin(Math.PI * within);
    phase += f0 / SR;
    let src = 0;
    if (phase >= 1) {
      phase -= 1;
      src = 1;
    }
    // consonant-like gap: the first 20 % of each syllable is noise instead of voicing
    const voiced = within > 0.2;
    const excitation = voiced ? src : 0.05 * rng.normal();
    const [f1, f2, f3] = vowels[s];
    let y = excitation;
    [f1, f2, f3].forEach((f, k) => {
      const freq = f * formantScale;
      const bw = 80 + 40 * k;
      const r = Math.exp((-Math.PI * bw) / SR);
      const a1 = 2 * r * Math.cos((2 * Math.PI * freq) / SR);
      const a2 = -r * r;
      const v = (1 - r) * y + a1 * state[2 * k] + a2 * state[2 * k + 1];
      state[2 * k + 1] = state[2 * k];
      state[2 * k] = v;
      y = v;
    });
    const env = Math.sin(Math.PI * Math.min(1, within / 0.9)) ** 0.5;
    out[i] = y * env;
  }
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(out[i]));
  const level = 0.3 / (peak || 1); // loudness cues are applied after synthesis, like for eSpeak
  return Int16Array.from(out, (v) => Math.round(Math.max(-1, Math.min(1, v * level)) * 32767));
}
